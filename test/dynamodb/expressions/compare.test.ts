import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { compareValues, valuesEqual } from '../../../src/services/dynamodb/expressions/index.js';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('compareValues', () => {
  it('orders numbers numerically, not as text', () => {
    const sorted = ['10', '9', '-1', '1.5', '100', '-20'].map((N) => ({ N })).sort(compareValues);
    expect(sorted.map((v) => v.N)).toEqual(['-20', '-1', '1.5', '9', '10', '100']);
  });

  it('orders strings by UTF-8 bytes', () => {
    // "¿" (C2 BF) sorts after "z"; U+FF5E sorts before U+1F600 in UTF-8, unlike UTF-16.
    const sorted = ['z', '¿', 'a', 'Z', '\u{1F600}', '\uFF5E'].map((S) => ({ S })).sort(compareValues);
    expect(sorted.map((v) => v.S)).toEqual(['Z', 'a', 'z', '¿', '\uFF5E', '\u{1F600}']);
  });

  it('orders binary by unsigned bytes, a prefix first', () => {
    const values = [bytes(0xff), bytes(0x01, 0x02), bytes(0x01), bytes(0x80)].map((B) => ({ B }));
    expect(values.sort(compareValues).map((v) => [...v.B])).toEqual([[1], [1, 2], [0x80], [0xff]]);
  });
});

describe('valuesEqual', () => {
  const cases: Array<[AttributeValue, AttributeValue, boolean]> = [
    [{ S: 'a' }, { S: 'a' }, true],
    [{ S: 'a' }, { N: 'a' }, false],
    [{ N: '1.0' }, { N: '1' }, true],
    [{ B: bytes(1, 2) }, { B: bytes(1, 2) }, true],
    [{ B: bytes(1, 2) }, { B: bytes(1) }, false],
    [{ SS: ['a', 'b'] }, { SS: ['b', 'a'] }, true],
    [{ SS: ['a', 'b'] }, { SS: ['a', 'c'] }, false],
    [{ NS: ['1', '2.50'] }, { NS: ['2.5', '1'] }, true],
    [{ BS: [bytes(1), bytes(2)] }, { BS: [bytes(2), bytes(1)] }, true],
    [{ L: [{ S: 'a' }, { N: '1' }] }, { L: [{ S: 'a' }, { N: '1' }] }, true],
    [{ L: [{ S: 'a' }, { N: '1' }] }, { L: [{ N: '1' }, { S: 'a' }] }, false],
    [{ M: { a: { N: '1' }, b: { BOOL: true } } }, { M: { b: { BOOL: true }, a: { N: '1.0' } } }, true],
    [{ M: { a: { N: '1' } } }, { M: { a: { N: '1' }, b: { NULL: true } } }, false],
    [{ NULL: true }, { NULL: true }, true],
    [{ BOOL: true }, { BOOL: false }, false],
  ];
  it.each(cases)('%j = %j is %s', (a, b, expected) => {
    expect(valuesEqual(a, b)).toBe(expected);
    expect(valuesEqual(b, a)).toBe(expected);
  });
});
