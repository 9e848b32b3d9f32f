import { describe, expect, it } from 'vitest';
import {
  ExpressionScope,
  project,
  projectionFromAttributesToGet,
} from '../../../src/services/dynamodb/expressions/index.js';
import { productCatalogItem } from './product-catalog.js';
import { validationMessage } from './validation-assertions.js';

const PROJECTION = 'Invalid ProjectionExpression: ';

describe('Developer Guide examples on the ProductCatalog item', () => {
  const item = productCatalogItem();

  it('projects top-level attributes, list elements and map entries', () => {
    const projection = new ExpressionScope().projection(
      'Description, RelatedItems[0], ProductReviews.FiveStar',
    );
    expect(project(item, projection)).toEqual({
      Description: item.Description,
      RelatedItems: { L: [{ N: '341' }] },
      ProductReviews: { M: { FiveStar: item.ProductReviews!.M!.FiveStar! } },
    });
  });

  it('reaches names with dots and reserved words through placeholders', () => {
    const projection = new ExpressionScope({ '#sw': 'Safety.Warning', '#c': 'Comment' }).projection(
      '#sw, #c',
    );
    expect(project(item, projection)).toEqual({
      'Safety.Warning': item['Safety.Warning'],
      Comment: item.Comment,
    });
    expect(validationMessage(() => new ExpressionScope().projection('Comment'))).toBe(
      `${PROJECTION}Attribute name is a reserved keyword; reserved keyword: Comment`,
    );
    // Written out, the name is a path into a map called Safety, which the item lacks.
    expect(project(item, new ExpressionScope().projection('Safety.Warning'))).toEqual({});
  });
});

describe('project', () => {
  const item = {
    a: { M: { b: { S: 'x' }, c: { N: '1' } } },
    l: { L: [{ S: 'zero' }, { M: { q: { S: 'one' } } }, { S: 'two' }] },
    s: { S: 'scalar' },
  };

  it('keeps list elements in index order, closed up, and drops what is not there', () => {
    const projection = new ExpressionScope().projection('l[2], l[0], l[7], a.zz, s.x, nothing');
    expect(project(item, projection)).toEqual({ l: { L: [{ S: 'zero' }, { S: 'two' }] } });
  });

  it('merges paths into one element', () => {
    const projection = new ExpressionScope().projection('l[1].q, a.b, a.c');
    expect(project(item, projection)).toEqual({ l: { L: [{ M: { q: { S: 'one' } } }] }, a: item.a });
  });

  it('gives an empty item when nothing matches', () => {
    expect(project(item, new ExpressionScope().projection('x, y.z'))).toEqual({});
  });

  it('refuses overlapping and conflicting paths', () => {
    expect(validationMessage(() => new ExpressionScope().projection('a.b, a'))).toBe(
      `${PROJECTION}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]`,
    );
    expect(validationMessage(() => new ExpressionScope().projection('a, a'))).toBe(
      `${PROJECTION}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]`,
    );
    expect(validationMessage(() => new ExpressionScope().projection('a[0], a.b'))).toBe(
      `${PROJECTION}Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]`,
    );
  });

  it('refuses syntax errors, with the near text DynamoDB quotes', () => {
    expect(validationMessage(() => new ExpressionScope().projection('dummy-id'))).toBe(
      `${PROJECTION}Syntax error; token: "-", near: "dummy-id"`,
    );
    expect(validationMessage(() => new ExpressionScope().projection('(a)'))).toBe(
      `${PROJECTION}Syntax error; token: "(", near: "(a"`,
    );
    expect(validationMessage(() => new ExpressionScope().projection(''))).toBe(
      `${PROJECTION}The expression can not be empty;`,
    );
  });
});

describe('AttributesToGet', () => {
  it('projects top-level attributes only', () => {
    const item = { 'a.b': { S: 'dotted' }, a: { M: { b: { S: 'nested' } } }, c: { N: '1' } };
    expect(project(item, projectionFromAttributesToGet(['a.b', 'c', 'd']))).toEqual({
      'a.b': item['a.b'],
      c: item.c,
    });
  });

  it('refuses a name given twice', () => {
    expect(validationMessage(() => projectionFromAttributesToGet(['a', 'b', 'a']))).toBe(
      'One or more parameter values were invalid: Duplicate value in attribute name: a',
    );
  });
});
