/**
 * Key attribute values as bytes whose order (SQLite compares BLOBs with memcmp, a shorter
 * prefix first) is DynamoDB's order: strings by their UTF-8 bytes, binary by its bytes,
 * numbers numerically. Equal values always encode to equal bytes, so the same encoding
 * serves hash keys (equality) and range keys (order).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type KeyType = 'S' | 'N' | 'B';

const EMPTY: Buffer = Buffer.alloc(0);
const ZERO: Buffer = Buffer.from([0x01]);
const NEGATIVE = 0x00;
const POSITIVE = 0x02;
/** After every complemented digit (0..9) so that, for negatives, a shorter mantissa sorts
 * after a longer one sharing its prefix (-0.12 > -0.123). */
const NEGATIVE_END = 0x0a;
const EXPONENT_BIAS = 0x8000;

export interface Decimal {
  negative: boolean;
  /** the value is 0.d1d2d3... x 10^exponent */
  exponent: number;
  /** significant digits without leading or trailing zeros ('' for zero) */
  digits: string;
}

/** The sign, exponent and significant digits of a decimal text (`-1.50E+3`); undefined when
 * the text is not a decimal number. */
export function parseDecimal(text: string): Decimal | undefined {
  let i = 0;
  const n = text.length;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') negative = text[i++] === '-';
  let raw = '';
  let pointAt = -1;
  let sawDigit = false;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      raw += text[i];
      sawDigit = true;
    } else if (c === 46 && pointAt < 0) {
      pointAt = raw.length;
    } else break;
  }
  if (!sawDigit) return undefined;
  let exp = 0;
  if (i < n) {
    if (text[i] !== 'e' && text[i] !== 'E') return undefined;
    const e = text.slice(i + 1);
    if (!/^[+-]?\d+$/.test(e)) return undefined;
    exp = Number.parseInt(e, 10);
  }
  if (pointAt < 0) pointAt = raw.length;
  let start = 0;
  while (start < raw.length && raw[start] === '0') start++;
  let end = raw.length;
  while (end > start && raw[end - 1] === '0') end--;
  if (start === end) return { negative: false, exponent: 0, digits: '' };
  return { negative, exponent: pointAt - start + exp, digits: raw.slice(start, end) };
}

/** Order-preserving bytes of a number: class byte, biased 16-bit exponent, one byte per
 * digit; negatives complement exponent and digits and close with a terminator. */
export function encodeNumber(text: string): Buffer {
  const d = parseDecimal(text);
  if (!d || d.digits === '') return ZERO;
  const len = d.digits.length;
  const out = Buffer.allocUnsafe(3 + len + (d.negative ? 1 : 0));
  const biased = EXPONENT_BIAS + d.exponent;
  if (d.negative) {
    out[0] = NEGATIVE;
    out.writeUInt16BE(0xffff - biased, 1);
    for (let k = 0; k < len; k++) out[3 + k] = 9 - (d.digits.charCodeAt(k) - 48);
    out[3 + len] = NEGATIVE_END;
  } else {
    out[0] = POSITIVE;
    out.writeUInt16BE(biased, 1);
    for (let k = 0; k < len; k++) out[3 + k] = d.digits.charCodeAt(k) - 48;
  }
  return out;
}

/** The bytes of a key value of the given type; undefined when the value is not of it. */
export function encodeKeyValue(value: AttributeValue | undefined, type: KeyType): Buffer | undefined {
  if (!value) return undefined;
  switch (type) {
    case 'S':
      return value.S === undefined ? undefined : Buffer.from(value.S, 'utf8');
    case 'N':
      return value.N === undefined ? undefined : encodeNumber(value.N);
    case 'B': {
      const b = value.B;
      return b === undefined ? undefined : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    }
  }
}

/** The stored range bytes of a table or index without a range key. */
export const NO_RANGE: Buffer = EMPTY;

/** A 32-bit spread of a partition key's bytes (FNV-1a): where the partition sits in a
 * Scan, and which parallel-scan segment holds it. */
export function shardOf(hash: Buffer): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < hash.length; i++) {
    h ^= hash[i] as number;
    h = Math.imul(h, 0x01000193);
  }
  // one more avalanche round: short keys ("a", "b") otherwise land next to each other
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** The first shard of parallel-scan segment `segment` of `total`. */
export function segmentStart(segment: number, total: number): number {
  return Math.floor((segment * 0x100000000) / total);
}
