/**
 * Conditions evaluated against items: the Developer Guide's examples on its ProductCatalog
 * item, then the semantics DynamoDB documents for each comparator and function.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ExpressionScope, evaluate, type Item } from '../../../src/services/dynamodb/expressions/index.js';
import { productCatalogItem } from './product-catalog.js';

function holds(
  expression: string,
  item: Item | undefined,
  values?: Record<string, AttributeValue>,
  names?: Record<string, string>,
): boolean {
  return evaluate(new ExpressionScope(names, values).condition(expression), item);
}

const bytes = (...values: number[]) => new Uint8Array(values);

describe('Developer Guide examples on the ProductCatalog item', () => {
  const item = productCatalogItem();
  const cases: Array<
    [string, Record<string, AttributeValue> | undefined, Record<string, string> | undefined, boolean]
  > = [
    ['attribute_not_exists(Price)', undefined, undefined, false],
    ['attribute_exists(Pictures.SideView)', undefined, undefined, true],
    ['attribute_exists(Pictures.TopView)', undefined, undefined, false],
    ['attribute_exists(ProductReviews.OneStar)', undefined, undefined, true],
    ['attribute_type(Color, :v_sub)', { ':v_sub': { S: 'SS' } }, undefined, true],
    ['attribute_type(ProductReviews.FiveStar, :v_sub)', { ':v_sub': { S: 'L' } }, undefined, false],
    ['begins_with(Pictures.FrontView, :v_sub)', { ':v_sub': { S: 'http://' } }, undefined, true],
    ['contains(Color, :v_sub)', { ':v_sub': { S: 'Red' } }, undefined, true],
    ['contains(Color, :v_sub)', { ':v_sub': { S: 'Blue' } }, undefined, false],
    ['size(Brand) <= :v_sub', { ':v_sub': { N: '20' } }, undefined, true],
    ['size(Color) < :v_sub', { ':v_sub': { N: '3' } }, undefined, true],
    ['size(VideoClip) > :v_sub', { ':v_sub': { N: '0' } }, undefined, false],
    ['Price > :limit', { ':limit': { N: '500' } }, undefined, false],
    ['Price >= :limit', { ':limit': { N: '500' } }, undefined, true],
    [
      '(ProductCategory IN (:cat1, :cat2)) and (Price between :lo and :hi)',
      {
        ':cat1': { S: 'Sporting Goods' },
        ':cat2': { S: 'Bicycle' },
        ':lo': { N: '500' },
        ':hi': { N: '600' },
      },
      undefined,
      true,
    ],
    [
      '(ProductCategory IN (:cat1, :cat2)) and (Price between :lo and :hi)',
      {
        ':cat1': { S: 'Sporting Goods' },
        ':cat2': { S: 'Gardening' },
        ':lo': { N: '500' },
        ':hi': { N: '600' },
      },
      undefined,
      false,
    ],
    ['#c = :v', { ':v': { S: 'This bike is perfect for...' } }, { '#c': 'Comment' }, true],
    ['#sw = :v', { ':v': { S: 'Always wear a helmet' } }, { '#sw': 'Safety.Warning' }, true],
    ['attribute_exists(#pr.#5star)', undefined, { '#pr': 'ProductReviews', '#5star': 'FiveStar' }, true],
    ['RelatedItems[1] = :v', { ':v': { N: '472' } }, undefined, true],
    ['RelatedItems[5] = :v', { ':v': { N: '472' } }, undefined, false],
    ['InStock = :t AND NOT QuantityOnHand = :t', { ':t': { BOOL: true } }, undefined, true],
  ];
  it.each(cases)('%s (%j) is %s', (expression, values, names, expected) => {
    expect(holds(expression, item, values, names)).toBe(expected);
  });
});

describe('comparators', () => {
  const item: Item = {
    n: { N: '10' },
    s: { S: 'b' },
    b: { B: bytes(2) },
    l: { L: [{ N: '1' }] },
    z: { NULL: true },
  };
  it.each([
    ['n < :v', { N: '9.5' }, false],
    ['n > :v', { N: '9.5' }, true],
    ['n = :v', { N: '10.00' }, true],
    ['n <> :v', { N: '10.00' }, false],
    ['n = :v', { S: '10' }, false],
    ['n <> :v', { S: '10' }, true],
    ['n < :v', { S: 'z' }, false],
    ['n >= :v', { S: 'z' }, false],
    ['s < :v', { S: 'c' }, true],
    ['b < :v', { B: bytes(3) }, true],
    ['absent = :v', { N: '1' }, false],
    ['absent <> :v', { N: '1' }, true],
    ['absent < :v', { N: '1' }, false],
    ['l = :v', { L: [{ N: '1.0' }] }, true],
    ['l < :v', { N: '1' }, false],
    ['z = :v', { NULL: true }, true],
  ] as Array<[string, AttributeValue, boolean]>)('%s with %j is %s', (expression, value, expected) => {
    expect(holds(expression, item, { ':v': value })).toBe(expected);
  });

  it('BETWEEN is inclusive and needs one type', () => {
    const values = { ':lo': { N: '10' }, ':hi': { N: '20' } };
    expect(holds('n BETWEEN :lo AND :hi', item, values)).toBe(true);
    expect(holds('n BETWEEN :lo AND :hi', { n: { N: '20' } }, values)).toBe(true);
    expect(holds('n BETWEEN :lo AND :hi', { n: { N: '20.5' } }, values)).toBe(false);
    expect(holds('n BETWEEN :lo AND :hi', { n: { S: '15' } }, values)).toBe(false);
  });

  it('IN compares with each operand', () => {
    const values = { ':a': { S: 'a' }, ':b': { N: '10' } };
    expect(holds('n IN (:a, :b)', item, values)).toBe(true);
    expect(holds('s IN (:a, :b)', item, values)).toBe(false);
    expect(holds('absent IN (:a, :b)', item, values)).toBe(false);
  });

  it('NOT binds tighter than AND, AND tighter than OR', () => {
    const values = { ':t': { BOOL: true }, ':f': { BOOL: false } };
    const t = { t: { BOOL: true } };
    expect(holds('NOT t = :f AND t = :f', t, values)).toBe(false);
    expect(holds('NOT (t = :f AND t = :f)', t, values)).toBe(true);
    expect(holds('t = :t OR t = :f AND t = :f', t, values)).toBe(true);
    expect(holds('(t = :t OR t = :f) AND t = :f', t, values)).toBe(false);
    expect(holds('NOT NOT t = :t', t, values)).toBe(true);
  });

  it('compares two attributes of the item', () => {
    expect(holds('a < b', { a: { N: '1' }, b: { N: '2' } })).toBe(true);
    expect(holds('a.x = b[0]', { a: { M: { x: { S: 'q' } } }, b: { L: [{ S: 'q' }] } })).toBe(true);
  });
});

describe('functions', () => {
  it('attribute_exists and attribute_not_exists on a missing item', () => {
    expect(holds('attribute_not_exists(pk)', undefined)).toBe(true);
    expect(holds('attribute_exists(pk)', undefined)).toBe(false);
  });

  it.each([
    ['S', { S: 'a' }],
    ['N', { N: '1' }],
    ['B', { B: bytes(1) }],
    ['SS', { SS: ['a'] }],
    ['NS', { NS: ['1'] }],
    ['BS', { BS: [bytes(1)] }],
    ['M', { M: {} }],
    ['L', { L: [] }],
    ['NULL', { NULL: true }],
    ['BOOL', { BOOL: false }],
  ] as Array<[string, AttributeValue]>)('attribute_type recognises %s', (type, value) => {
    expect(holds('attribute_type(a, :t)', { a: value }, { ':t': { S: type } })).toBe(true);
    expect(holds('attribute_type(a, :t)', { a: value }, { ':t': { S: type === 'S' ? 'N' : 'S' } })).toBe(
      false,
    );
  });

  it('begins_with on strings and binary of the same type', () => {
    expect(holds('begins_with(a, :p)', { a: { S: 'abc' } }, { ':p': { S: 'ab' } })).toBe(true);
    expect(holds('begins_with(a, :p)', { a: { S: 'abc' } }, { ':p': { S: 'abcd' } })).toBe(false);
    expect(holds('begins_with(a, :p)', { a: { B: bytes(1, 2, 3) } }, { ':p': { B: bytes(1, 2) } })).toBe(
      true,
    );
    expect(holds('begins_with(a, :p)', { a: { B: bytes(1, 2, 3) } }, { ':p': { B: bytes(2) } })).toBe(false);
    expect(holds('begins_with(a, :p)', { a: { SS: ['abc'] } }, { ':p': { S: 'a' } })).toBe(false);
  });

  it.each([
    [{ S: 'hello' }, { S: 'ell' }, true],
    [{ S: 'hello' }, { S: 'xyz' }, false],
    [{ B: bytes(1, 2, 3) }, { B: bytes(2, 3) }, true],
    [{ SS: ['a', 'b'] }, { S: 'b' }, true],
    [{ SS: ['a', 'b'] }, { SS: ['b'] }, false],
    [{ NS: ['1', '2.5'] }, { N: '2.50' }, true],
    [{ BS: [bytes(9)] }, { B: bytes(9) }, true],
    [{ L: [{ S: 'a' }, { M: { x: { N: '1' } } }] }, { M: { x: { N: '1' } } }, true],
    [{ L: [{ S: 'a' }] }, { S: 'b' }, false],
    [{ N: '12' }, { N: '1' }, false],
    [{ M: { a: { S: 'x' } } }, { S: 'a' }, false],
  ] as Array<[AttributeValue, AttributeValue, boolean]>)('contains(%j, %j) is %s', (a, v, expected) => {
    expect(holds('contains(a, :v)', { a }, { ':v': v })).toBe(expected);
  });

  it.each([
    [{ S: 'héllo' }, 5],
    [{ S: '\u{1F600}' }, 2],
    [{ B: bytes(1, 2, 3) }, 3],
    [{ SS: ['a', 'b'] }, 2],
    [{ NS: ['1'] }, 1],
    [{ L: [{ N: '1' }, { N: '2' }, { N: '3' }] }, 3],
    [{ M: { a: { N: '1' }, b: { N: '2' } } }, 2],
  ] as Array<[AttributeValue, number]>)('size(%j) is %d', (a, size) => {
    expect(holds('size(a) = :n', { a }, { ':n': { N: String(size) } })).toBe(true);
  });

  it('size of a number, boolean or null is missing, so comparisons are false', () => {
    for (const a of [{ N: '123' }, { BOOL: true }, { NULL: true }] as AttributeValue[]) {
      expect(holds('size(a) >= :zero', { a }, { ':zero': { N: '0' } })).toBe(false);
      expect(holds('size(a) <> :zero', { a }, { ':zero': { N: '0' } })).toBe(true);
    }
  });
});
