/**
 * Updates applied to items: the Developer Guide's examples, list and set semantics,
 * ReturnValues' changed paths, and the errors DynamoDB gives when an update meets the item.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  ExpressionScope,
  type Item,
  project,
} from '../../../src/services/dynamodb/expressions/index.js';
import { validationMessage } from './validation-assertions.js';

function update(
  expression: string,
  item: Item,
  values?: Record<string, AttributeValue>,
  names?: Record<string, string>,
): Item {
  return applyUpdate(new ExpressionScope(names, values).update(expression), item).item;
}

function guideItem(): Item {
  return {
    Id: { N: '789' },
    ProductCategory: { S: 'Home Improvement' },
    Price: { N: '52' },
    InStock: { BOOL: true },
    Brand: { S: 'Acme' },
  };
}

describe('Developer Guide examples', () => {
  it('SET modifies and adds attributes', () => {
    const item = update('SET ProductCategory = :c, Price = :p', guideItem(), {
      ':c': { S: 'Hardware' },
      ':p': { N: '60' },
    });
    expect(item.ProductCategory).toEqual({ S: 'Hardware' });
    expect(item.Price).toEqual({ N: '60' });
  });

  it('SET adds lists and maps, then nested map elements', () => {
    const values = {
      ':ri': { L: [{ S: 'Hammer' }] },
      ':pr': { M: { FiveStar: { L: [{ S: 'Best product ever!' }] } } },
    };
    const first = update('SET RelatedItems = :ri, ProductReviews = :pr', guideItem(), values);
    const second = update(
      'SET #pr.#5star[1] = :r5, #pr.#3star = :r3',
      first,
      { ':r5': { S: 'Very happy with my purchase' }, ':r3': { L: [{ S: 'Just OK - not that great' }] } },
      { '#pr': 'ProductReviews', '#5star': 'FiveStar', '#3star': 'ThreeStar' },
    );
    expect(second.ProductReviews).toEqual({
      M: {
        FiveStar: { L: [{ S: 'Best product ever!' }, { S: 'Very happy with my purchase' }] },
        ThreeStar: { L: [{ S: 'Just OK - not that great' }] },
      },
    });
    expect(update('SET RelatedItems[1] = :ri', first, { ':ri': { S: 'Nails' } }).RelatedItems).toEqual({
      L: [{ S: 'Hammer' }, { S: 'Nails' }],
    });
  });

  it('SET increments, decrements and guards with if_not_exists', () => {
    expect(update('SET Price = Price - :p', guideItem(), { ':p': { N: '15' } }).Price).toEqual({ N: '37' });
    expect(update('SET Price = Price + :p', guideItem(), { ':p': { N: '5' } }).Price).toEqual({ N: '57' });
    expect(update('SET Price = if_not_exists(Price, :p)', guideItem(), { ':p': { N: '100' } }).Price).toEqual(
      { N: '52' },
    );
    expect(
      update('SET Discount = if_not_exists(Discount, :p)', guideItem(), { ':p': { N: '100' } }).Discount,
    ).toEqual({
      N: '100',
    });
  });

  it('SET appends to lists with list_append', () => {
    const item = { ...guideItem(), RelatedItems: { L: [{ S: 'Hammer' }] } };
    const values = { ':vals': { L: [{ S: 'Screwdriver' }, { S: 'Hacksaw' }] } };
    const names = { '#ri': 'RelatedItems' };
    expect(update('SET #ri = list_append(#ri, :vals)', item, values, names).RelatedItems).toEqual({
      L: [{ S: 'Hammer' }, { S: 'Screwdriver' }, { S: 'Hacksaw' }],
    });
    expect(update('SET #ri = list_append(:vals, #ri)', item, values, names).RelatedItems).toEqual({
      L: [{ S: 'Screwdriver' }, { S: 'Hacksaw' }, { S: 'Hammer' }],
    });
  });

  it('REMOVE deletes attributes and list elements', () => {
    const removed = update('REMOVE Brand, InStock, QuantityOnHand', guideItem());
    expect(Object.keys(removed).sort()).toEqual(['Id', 'Price', 'ProductCategory']);
    const item = {
      RelatedItems: { L: [{ S: 'Hammer' }, { S: 'Nails' }, { S: 'Screwdriver' }, { S: 'Hacksaw' }] },
    };
    expect(update('REMOVE RelatedItems[1], RelatedItems[2]', item).RelatedItems).toEqual({
      L: [{ S: 'Hammer' }, { S: 'Hacksaw' }],
    });
  });

  it('ADD adds to numbers and sets, creating them when missing', () => {
    expect(update('ADD QuantityOnHand :q', guideItem(), { ':q': { N: '5' } }).QuantityOnHand).toEqual({
      N: '5',
    });
    const withQuantity = { ...guideItem(), QuantityOnHand: { N: '5' } };
    expect(update('ADD QuantityOnHand :q', withQuantity, { ':q': { N: '-2' } }).QuantityOnHand).toEqual({
      N: '3',
    });
    const colored = update('ADD Color :c', guideItem(), { ':c': { SS: ['Orange', 'Purple'] } });
    expect(colored.Color).toEqual({ SS: ['Orange', 'Purple'] });
    expect(update('ADD Color :c', colored, { ':c': { SS: ['Purple', 'Yellow'] } }).Color).toEqual({
      SS: ['Orange', 'Purple', 'Yellow'],
    });
  });

  it('DELETE removes set elements, and the attribute with the last one', () => {
    const item = { Color: { SS: ['Red', 'Green', 'Blue'] } };
    expect(update('DELETE Color :p', item, { ':p': { SS: ['Red', 'Blue'] } }).Color).toEqual({
      SS: ['Green'],
    });
    expect(update('DELETE Color :p', item, { ':p': { SS: ['Red', 'Blue', 'Green'] } }).Color).toBeUndefined();
    expect(update('DELETE Gone :p', item, { ':p': { SS: ['Red'] } })).toEqual(item);
    expect(update('DELETE n :p', { n: { NS: ['1', '2'] } }, { ':p': { NS: ['2.0'] } }).n).toEqual({
      NS: ['1'],
    });
  });

  it('several clauses in one expression', () => {
    const item = update(
      'SET Price = Price - :p REMOVE InStock ADD Tags :t DELETE Colors :c',
      { ...guideItem(), Colors: { SS: ['Red', 'Blue'] } },
      { ':p': { N: '2' }, ':t': { SS: ['sale'] }, ':c': { SS: ['Red'] } },
    );
    expect(item).toEqual({
      Id: { N: '789' },
      ProductCategory: { S: 'Home Improvement' },
      Price: { N: '50' },
      Brand: { S: 'Acme' },
      Tags: { SS: ['sale'] },
      Colors: { SS: ['Blue'] },
    });
  });
});

describe('semantics', () => {
  it('computes every value from the item as it was', () => {
    const item = update('SET a = b, b = a', { a: { N: '1' }, b: { N: '2' } });
    expect(item).toEqual({ a: { N: '2' }, b: { N: '1' } });
  });

  it('appends elements set past the end in index order, and removes by original position', () => {
    const values = { ':a': { S: 'a' }, ':b': { S: 'b' }, ':c': { S: 'c' } };
    const item = { l: { L: [{ N: '0' }, { N: '1' }, { N: '2' }] } };
    expect(update('SET l[9] = :a, l[5] = :b', item, values).l).toEqual({
      L: [{ N: '0' }, { N: '1' }, { N: '2' }, { S: 'b' }, { S: 'a' }],
    });
    expect(update('SET l[1] = :a, l[7] = :c REMOVE l[0]', item, values).l).toEqual({
      L: [{ S: 'a' }, { N: '2' }, { S: 'c' }],
    });
    expect(update('REMOVE l[5]', item).l).toEqual(item.l);
    expect(update('SET l[0] = :a', { l: { L: [] } }, values).l).toEqual({ L: [{ S: 'a' }] });
  });

  it('writes into nested maps and lists without flattening or touching siblings', () => {
    const item: Item = { parent: { M: { keep: { S: 'k' }, list: { L: [{ M: { x: { N: '1' } } }] } } } };
    const result = update(
      'SET parent.child = :v, parent.#l[0].x = parent.#l[0].x + :one',
      item,
      { ':v': { S: 'nested' }, ':one': { N: '1' } },
      { '#l': 'list' },
    );
    expect(result).toEqual({
      parent: { M: { keep: { S: 'k' }, child: { S: 'nested' }, list: { L: [{ M: { x: { N: '2' } } }] } } },
    });
    expect(result['parent.child']).toBeUndefined();
    expect(item.parent).toEqual({ M: { keep: { S: 'k' }, list: { L: [{ M: { x: { N: '1' } } }] } } });
  });

  it('keeps numbers exact', () => {
    const item = update(
      'SET n = n + :d',
      { n: { N: '12345678901234567890123456789012345678' } },
      { ':d': { N: '1' } },
    );
    expect(item.n).toEqual({ N: '12345678901234567890123456789012345679' });
    expect(update('SET n = n - :d', { n: { N: '0.3' } }, { ':d': { N: '0.1' } }).n).toEqual({ N: '0.2' });
  });

  it('accepts the counter idiom in either order', () => {
    const values = { ':zero': { N: '0' }, ':inc': { N: '1' } };
    expect(update('SET c = if_not_exists(c, :zero) + :inc', {}, values).c).toEqual({ N: '1' });
    expect(update('SET c = :inc + if_not_exists(c, :zero)', { c: { N: '41' } }, values).c).toEqual({
      N: '42',
    });
  });

  it('reports the attributes written, for UPDATED_OLD and UPDATED_NEW', () => {
    const old: Item = {
      a: { S: 'k' },
      b: { M: { a: { N: '1' }, b: { N: '2' }, c: { N: '3' } } },
      c: { L: [{ N: '1' }, { N: '3' }] },
    };
    const scope = new ExpressionScope(undefined, { ':a': { N: '2' }, ':b': { SS: ['a'] } });
    const parsed = scope.update(
      'set b.c=((c[1])+(b.a)),b.a = a,c[1] = a, c[4] = b.a - b.b, c[2] = b.c add c[8] :b, c[6] :a',
    );
    const { item, changedPaths } = applyUpdate(parsed, old);
    expect(item).toEqual({
      a: { S: 'k' },
      b: { M: { a: { S: 'k' }, b: { N: '2' }, c: { N: '4' } } },
      c: { L: [{ N: '1' }, { S: 'k' }, { N: '3' }, { N: '-1' }, { N: '2' }, { SS: ['a'] }] },
    });
    expect(project(item, changedPaths)).toEqual({
      b: { M: { a: { S: 'k' }, c: { N: '4' } } },
      c: { L: [{ S: 'k' }, { N: '3' }, { N: '2' }] },
    });
    expect(project(old, changedPaths)).toEqual({
      b: { M: { a: { N: '1' }, c: { N: '3' } } },
      c: { L: [{ N: '3' }] },
    });
  });
});

describe('errors met while applying', () => {
  const MISSING = 'The provided expression refers to an attribute that does not exist in the item';
  const WRONG_TYPE = 'An operand in the update expression has an incorrect data type';
  const BAD_PATH = 'The document path provided in the update expression is invalid for update';

  it.each(['set c = b', 'set e = list_append(b, c)', 'set e = b + :one', 'set e = if_not_exists(c, b)'])(
    '%j reads a missing attribute',
    (expression) => {
      expect(validationMessage(() => update(expression, { a: { S: 'k' } }, { ':one': { N: '1' } }))).toBe(
        MISSING,
      );
    },
  );

  const existing: Item = { a: { S: 'k' }, b: { M: { a: { SS: ['1'] } } }, c: { N: '1' }, d: { NS: ['1'] } };
  it.each([
    ['delete d :a', { SS: ['1'] }],
    ['delete b :a', { NS: ['1'] }],
    ['delete b.a :a', { NS: ['1'] }],
    ['delete c :a', { NS: ['1'] }],
    ['add b :a', { NS: ['1'] }],
    ['add d :a', { N: '1' }],
    ['set e = a + :a', { N: '1' }],
    ['set e = b - :a', { N: '1' }],
    ['set e = list_append(d, if_not_exists(f, :a))', { L: [] }],
  ] as Array<[string, AttributeValue]>)('%j meets the wrong type', (expression, value) => {
    expect(validationMessage(() => update(expression, existing, { ':a': value }))).toBe(WRONG_TYPE);
  });

  it.each(['set b.a = a', 'set b[1] = a', 'remove x.y', 'add x[0] :n'])(
    '%j reaches into nothing',
    (expression) => {
      expect(
        validationMessage(() =>
          update(expression, { a: { S: 'k' } }, expression.includes(':n') ? { ':n': { N: '1' } } : undefined),
        ),
      ).toBe(BAD_PATH);
    },
  );

  it.each([
    'set b.a = :a, #1 = :a',
    'set b[1] = :a, #1 = :a',
    'set c[1] = :a, #1 = :a',
    'set d.#1 = :a',
    'remove b.a set #1 = :a',
    'remove c[1] set #1 = :a',
    'delete y[1] :a set #1 = :a',
    'add d.#1 :a',
  ])('%j writes through the wrong kind of attribute', (expression) => {
    const item: Item = {
      a: { S: 'k' },
      b: { S: 'k' },
      c: { M: { 1: { S: 'a' } } },
      d: { L: [{ S: 'a' }, { S: 'b' }] },
    };
    expect(validationMessage(() => update(expression, item, { ':a': { SS: ['a'] } }, { '#1': '1' }))).toBe(
      BAD_PATH,
    );
  });

  it('refuses a sum DynamoDB cannot store', () => {
    expect(
      validationMessage(() => update('SET n = n + :d', { n: { N: '9.9e125' } }, { ':d': { N: '9.9e125' } })),
    ).toBe('Number overflow. Attempting to store a number with magnitude larger than supported range');
  });
});
