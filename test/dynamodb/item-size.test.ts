import { describe, expect, it } from 'vitest';
import { itemSize, numberSize, valueSize } from '../../src/services/dynamodb/item-size.js';

describe('item size', () => {
  it('counts attribute names and string values in UTF-8 bytes', () => {
    expect(itemSize({ id: { S: 'abc' } })).toBe(5);
    expect(itemSize({ é: { S: '€' } })).toBe(2 + 3);
  });

  it('counts binary by raw bytes and booleans and nulls as one byte', () => {
    expect(valueSize({ B: new Uint8Array(10) })).toBe(10);
    expect(valueSize({ BOOL: false })).toBe(1);
    expect(valueSize({ NULL: true })).toBe(1);
  });

  it('sizes numbers by significant digits, one byte per two plus one', () => {
    expect(numberSize('0')).toBe(1);
    expect(numberSize('10')).toBe(2);
    expect(numberSize('12')).toBe(2);
    expect(numberSize('1.2')).toBe(3);
    expect(numberSize('123456')).toBe(4);
    expect(numberSize('-12')).toBe(3);
    expect(numberSize('1000000')).toBe(2);
  });

  it('adds 3 bytes per list or map and one per element', () => {
    expect(valueSize({ L: [] })).toBe(3);
    expect(valueSize({ M: {} })).toBe(3);
    expect(valueSize({ L: [{ S: 'ab' }, { BOOL: true }] })).toBe(3 + 1 + 2 + 1 + 1);
    expect(valueSize({ M: { k: { S: 'ab' } } })).toBe(3 + 1 + 1 + 2);
  });

  it('sums the members of sets', () => {
    expect(valueSize({ SS: ['a', 'bc'] })).toBe(3);
    expect(valueSize({ NS: ['1', '22'] })).toBe(4);
    expect(valueSize({ BS: [new Uint8Array(2), new Uint8Array(3)] })).toBe(5);
  });
});
