import { describe, expect, it } from 'vitest';
import { jsonReader, jsonWriter } from '../../src/protocol/json-shapes.js';
import { loadModel } from '../../src/protocol/model.js';
import { RawJson } from '../../src/protocol/raw-json.js';
import {
  answerItem,
  decodeItem,
  encodeItem,
  type Item,
  readable,
} from '../../src/services/dynamodb/item-json.js';
import { rangeBounds } from '../../src/services/dynamodb/query.js';
import { checkItemValues } from '../../src/services/dynamodb/validation.js';

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

describe('items answered as stored', () => {
  const model = loadModel('dynamodb');
  const opts = { jsonName: false };
  const readItem = jsonReader(model, 'PutItemInputAttributeMap', opts);
  const NAMES = ['a', '1', '10', '__proto__', 'ü k', 'line\nbreak', 'B'];
  const STRINGS = ['plain', 'a&b<c>"d\\', 'ünïcödé 🚀', '', '\u0001\u2028', 'B"x'];
  const NUMBERS = ['1', '01.50', '-0', '1E+2', '0.000', '-1.0e-5', '12345678901234567890123456789012345678'];

  let seed = 11;
  const pick = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const oneOf = <T>(xs: T[]) => xs[pick(xs.length)] as T;
  const base64 = () => Buffer.from(Array.from({ length: pick(4) }, () => pick(256))).toString('base64');

  /** A value as JSON brings it: every type, nested, numbers not yet normalized. */
  function wireValue(depth: number): unknown {
    switch (pick(depth > 3 ? 8 : 10)) {
      case 0:
        return { S: oneOf(STRINGS) };
      case 1:
        return { N: oneOf(NUMBERS) };
      case 2:
        return { B: base64() };
      case 3:
        return { SS: ['x', `y${pick(9)}`] };
      case 4:
        return { NS: ['3', '1.50', '-2e3'] };
      case 5:
        return { BS: ['AQ==', `A${'gMEBQ'[pick(5)]}==`] };
      case 6:
        return { NULL: true };
      case 7:
        return { BOOL: pick(2) === 1 };
      case 8:
        return { M: wireItem(depth + 1) };
      default:
        return { L: Array.from({ length: pick(4) }, () => wireValue(depth + 1)) };
    }
  }

  /** JSON text, so that __proto__ is an attribute name as it is on the wire. */
  function wireItem(depth: number): Record<string, unknown> {
    const entries = Array.from({ length: pick(6) }, () => [oneOf(NAMES), wireValue(depth)] as const);
    const text = `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
    return JSON.parse(text);
  }

  /** What a write stores: the item as the codec reads it, validated (numbers normalized). */
  function storedText(): string {
    const item = readItem(wireItem(1)) as Item;
    checkItemValues(item);
    return encodeItem(item);
  }

  it('writes the bytes the shape writer writes for the parsed item, in every container', () => {
    const outputs: [string, (i: Item) => unknown][] = [
      ['GetItemOutput', (i) => ({ Item: i })],
      ['QueryOutput', (i) => ({ Items: [i, i], Count: 2 })],
      ['BatchGetItemOutput', (i) => ({ Responses: { t: [i] } })],
    ];
    let bytes = 0;
    for (let n = 0; n < 300; n++) {
      const text = storedText();
      for (const [shape, output] of outputs) {
        const write = jsonWriter(model, shape, opts);
        const verbatim = write(output(answerItem(text)));
        expect(verbatim).toBe(write(output(decodeItem(text))));
        bytes += verbatim?.length ?? 0;
      }
    }
    expect(bytes).toBeGreaterThan(10_000);
  });

  it('writes a stored value as it is inside a map too', () => {
    const write = jsonWriter(model, 'GetItemOutput', opts);
    expect(write({ Item: { a: new RawJson('{"N":"1.5"}'), b: { S: 'x' } } })).toBe(
      '{"Item":{"a":{"N":"1.5"},"b":{"S":"x"}}}',
    );
  });

  it('is readable again, and projected when a projection is asked for', () => {
    const text = encodeItem({ id: { S: 'x' }, b: { B: new Uint8Array([1, 2]) }, n: { N: '2' } });
    expect(readable(answerItem(text))).toEqual(decodeItem(text));
    const item = decodeItem(text);
    expect(readable(item)).toBe(item);
    expect(answerItem(text, (i) => ({ id: i.id as Item[string] }))).toEqual({ id: { S: 'x' } });
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
