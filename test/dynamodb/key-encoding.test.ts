import { describe, expect, it } from 'vitest';
import {
  encodeKeyValue,
  encodeNumber,
  parseDecimal,
  segmentStart,
  shardOf,
} from '../../src/services/dynamodb/key-encoding.js';

/** An exact reference order: the number scaled to an integer (exponents kept within ±60). */
function scaled(text: string): bigint {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new Error(`bad number ${text}`);
  const digits = `${m[2] ?? ''}${m[3] ?? ''}` || '0';
  const exp = Number(m[4] ?? 0) - (m[3] ?? '').length + 80;
  const value = BigInt(digits) * 10n ** BigInt(exp);
  return m[1] === '-' ? -value : value;
}

function randomNumber(rand: () => number): string {
  const sign = rand() < 0.5 ? '-' : '';
  const intLen = Math.floor(rand() * 6);
  const fracLen = Math.floor(rand() * 6);
  let s = '';
  for (let i = 0; i < intLen; i++) s += Math.floor(rand() * 10);
  if (fracLen > 0) {
    s += '.';
    for (let i = 0; i < fracLen; i++) s += Math.floor(rand() * 10);
  }
  if (s === '' || s === '.') s = '0';
  if (rand() < 0.3) s += `e${Math.floor(rand() * 40) - 20}`;
  return sign + s;
}

function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

describe('number key encoding', () => {
  it('orders encoded numbers exactly as the numbers (byte compare = numeric compare)', () => {
    const rand = seeded(7);
    const numbers = Array.from({ length: 3000 }, () => randomNumber(rand));
    const byValue = [...numbers].sort((a, b) => {
      const d = scaled(a) - scaled(b);
      return d < 0n ? -1 : d > 0n ? 1 : 0;
    });
    const byBytes = [...numbers].sort((a, b) => Buffer.compare(encodeNumber(a), encodeNumber(b)));
    expect(byBytes.map((n) => scaled(n).toString())).toEqual(byValue.map((n) => scaled(n).toString()));
  });

  it('encodes equal numbers written differently to the same bytes', () => {
    for (const [a, b] of [
      ['1.50', '1.5'],
      ['100', '1e2'],
      ['-0', '0'],
      ['0.000', '0e10'],
      ['-12.3400', '-1234e-2'],
      ['+7', '7'],
    ]) {
      expect(encodeNumber(a as string).equals(encodeNumber(b as string))).toBe(true);
    }
  });

  it('orders prefixes of negative mantissas after longer ones (-0.12 > -0.123)', () => {
    expect(Buffer.compare(encodeNumber('-0.12'), encodeNumber('-0.123'))).toBe(1);
    expect(Buffer.compare(encodeNumber('0.12'), encodeNumber('0.123'))).toBe(-1);
    expect(Buffer.compare(encodeNumber('-1'), encodeNumber('0'))).toBe(-1);
    expect(Buffer.compare(encodeNumber('0'), encodeNumber('1E-130'))).toBe(-1);
  });

  it('parses sign, exponent and significant digits', () => {
    expect(parseDecimal('-001.2300e2')).toEqual({ negative: true, exponent: 3, digits: '123' });
    expect(parseDecimal('0.005')).toEqual({ negative: false, exponent: -2, digits: '5' });
    expect(parseDecimal('abc')).toBeUndefined();
    expect(parseDecimal('1e')).toBeUndefined();
    expect(parseDecimal('.')).toBeUndefined();
  });
});

describe('string and binary key encoding', () => {
  it('orders strings by their UTF-8 bytes, not UTF-16 code units', () => {
    // UTF-16 puts U+1F600 (surrogates 0xD83D...) before U+FF61; UTF-8 (F0... vs EF...) after it
    const a = encodeKeyValue({ S: '\uFF61' }, 'S') as Buffer;
    const b = encodeKeyValue({ S: '\u{1F600}' }, 'S') as Buffer;
    expect(Buffer.compare(a, b)).toBe(-1);
    expect('\uFF61' < '\u{1F600}').toBe(false);
  });

  it('returns nothing for a value of another type', () => {
    expect(encodeKeyValue({ N: '1' }, 'S')).toBeUndefined();
    expect(encodeKeyValue({ B: new Uint8Array([1, 2]) }, 'B')).toEqual(Buffer.from([1, 2]));
  });
});

describe('shards and segments', () => {
  it('spreads keys over the 32-bit range and splits it into contiguous segments', () => {
    const shards = Array.from({ length: 1000 }, (_, i) => shardOf(Buffer.from(`key-${i}`)));
    expect(Math.min(...shards)).toBeLessThan(0x20000000);
    expect(Math.max(...shards)).toBeGreaterThan(0xe0000000);
    expect(segmentStart(0, 4)).toBe(0);
    expect(segmentStart(4, 4)).toBe(0x100000000);
    const perSegment = [0, 1, 2, 3].map(
      (s) => shards.filter((x) => x >= segmentStart(s, 4) && x < segmentStart(s + 1, 4)).length,
    );
    expect(perSegment.reduce((a, b) => a + b)).toBe(1000);
    for (const n of perSegment) expect(n).toBeGreaterThan(150);
  });
});
