import { describe, expect, it } from 'vitest';
import { decodeItem, encodeItem, type Item } from '../../src/services/dynamodb/item-json.js';
import { rangeBounds } from '../../src/services/dynamodb/query.js';

describe('stored items', () => {
  it('round-trips every type, bytes included', () => {
    const item: Item = {
      s: { S: 'text' },
      n: { N: '1.5' },
      b: { B: new Uint8Array([0, 255, 7]) },
      bs: { BS: [new Uint8Array([1]), new Uint8Array([])] },
      m: { M: { nested: { L: [{ B: new Uint8Array([9]) }, { NULL: true }, { BOOL: false }] } } },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2'] },
    };
    expect(decodeItem(encodeItem(item))).toEqual(item);
  });

  it('keeps an attribute named __proto__ as an attribute', () => {
    const item = JSON.parse('{"__proto__":{"B":"AQ=="},"id":{"S":"x"}}') as Item;
    Object.defineProperty(item, '__proto__', { value: { B: new Uint8Array([1]) }, enumerable: true });
    const back = decodeItem(encodeItem(item));
    expect(Object.keys(back).sort()).toEqual(['__proto__', 'id']);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });
});

describe('sort key bounds', () => {
  const key = { name: 'sk', type: 'S' as const };
  it('turns begins_with into a half-open byte range', () => {
    const b = rangeBounds({ op: 'begins_with', values: [{ S: 'ab' }] }, key);
    expect(b.low).toEqual({ bytes: Buffer.from('ab'), inclusive: true });
    expect(b.high).toEqual({ bytes: Buffer.from('ac'), inclusive: false });
  });

  it('carries a prefix ending in 0xFF bytes to the byte before them', () => {
    const b = rangeBounds(
      { op: 'begins_with', values: [{ B: new Uint8Array([1, 0xff, 0xff]) }] },
      { name: 'sk', type: 'B' },
    );
    expect(b.high?.bytes).toEqual(Buffer.from([2]));
    const all = rangeBounds(
      { op: 'begins_with', values: [{ B: new Uint8Array([0xff]) }] },
      { name: 'sk', type: 'B' },
    );
    expect(all.high).toBeUndefined();
  });

  it('maps comparisons and BETWEEN to inclusive and exclusive bounds', () => {
    expect(rangeBounds({ op: '<', values: [{ S: 'm' }] }, key)).toEqual({
      high: { bytes: Buffer.from('m'), inclusive: false },
    });
    expect(rangeBounds({ op: '>=', values: [{ S: 'm' }] }, key)).toEqual({
      low: { bytes: Buffer.from('m'), inclusive: true },
    });
    const between = rangeBounds({ op: 'BETWEEN', values: [{ S: 'a' }, { S: 'c' }] }, key);
    expect([between.low?.inclusive, between.high?.inclusive]).toEqual([true, true]);
    expect(rangeBounds(undefined, key)).toEqual({});
  });
});
