/**
 * DynamoDB's item size (Developer Guide, "Item sizes and formats"): attribute names and
 * values in UTF-8 bytes, numbers by significant digits, 3 bytes per list or map plus one
 * per element. It decides the 400 KB limit, the 1 MB page and capacity units.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { parseDecimal } from './key-encoding.js';

export const MAX_ITEM_SIZE = 400 * 1024;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** Numbers are stored as base-100 digits after an exponent byte; negatives take one more.
 * The digit-pair alignment rule is the one dynalite measured against DynamoDB. */
export function numberSize(text: string): number {
  const d = parseDecimal(text);
  if (!d || d.digits === '') return 1;
  const len = d.digits.length;
  const pad = len % 2 === 0 && d.exponent % 2 !== 0 ? 1 : 0;
  return 1 + Math.ceil(len / 2) + pad + (d.negative ? 1 : 0);
}

export function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return v.B.byteLength;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.M !== undefined) {
    let size = 3;
    for (const key in v.M) size += 1 + utf8(key) + valueSize(v.M[key] as AttributeValue);
    return size;
  }
  if (v.L !== undefined) {
    let size = 3;
    for (const el of v.L) size += 1 + valueSize(el);
    return size;
  }
  let size = 0;
  if (v.SS !== undefined) for (const s of v.SS) size += utf8(s);
  else if (v.NS !== undefined) for (const n of v.NS) size += numberSize(n);
  else if (v.BS !== undefined) for (const b of v.BS) size += b.byteLength;
  return size;
}

export function itemSize(item: Record<string, AttributeValue>): number {
  let size = 0;
  for (const name in item) size += utf8(name) + valueSize(item[name] as AttributeValue);
  return size;
}
