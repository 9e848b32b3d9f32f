import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  ExpressionScope,
  type KeySchema,
  keyConditionFromLegacy,
  matchesRange,
} from '../../../src/services/dynamodb/expressions/index.js';
import { validationMessage } from './validation-assertions.js';

const HASH: KeySchema = { hash: 'a', hashType: 'S' };
const RANGE: KeySchema = { hash: 'a', range: 'b', hashType: 'S', rangeType: 'S' };
const KEY = 'Invalid KeyConditionExpression: ';

function keyCondition(
  expression: string,
  key: KeySchema,
  values?: Record<string, AttributeValue>,
  names?: Record<string, string>,
) {
  return new ExpressionScope(names, values).keyCondition(expression, key);
}

function keyError(expression: string, key: KeySchema, values?: Record<string, AttributeValue>) {
  return validationMessage(() => keyCondition(expression, key, values));
}

describe('Developer Guide examples', () => {
  it('ForumName = :name AND Subject = :sub', () => {
    const values = { ':name': { S: 'Amazon DynamoDB' }, ':sub': { S: 'DynamoDB Thread 1' } };
    expect(
      keyCondition('ForumName = :name AND Subject = :sub', { hash: 'ForumName', range: 'Subject' }, values),
    ).toEqual({
      hash: values[':name'],
      range: { op: '=', values: [values[':sub']] },
    });
  });

  it('Id = :id and begins_with(ReplyDateTime, :dt)', () => {
    const values = { ':id': { S: 'Amazon DynamoDB#DynamoDB Thread 1' }, ':dt': { S: '2015-09' } };
    expect(
      keyCondition(
        'Id = :id and begins_with(ReplyDateTime, :dt)',
        { hash: 'Id', range: 'ReplyDateTime' },
        values,
      ),
    ).toEqual({
      hash: values[':id'],
      range: { op: 'begins_with', values: [values[':dt']] },
    });
  });

  it('#yr = :yyyy and title between :letter1 and :letter2', () => {
    const values = { ':yyyy': { N: '1992' }, ':letter1': { S: 'A' }, ':letter2': { S: 'L' } };
    const key: KeySchema = { hash: 'year', range: 'title', hashType: 'N', rangeType: 'S' };
    expect(
      keyCondition('#yr = :yyyy and title between :letter1 and :letter2', key, values, { '#yr': 'year' }),
    ).toEqual({
      hash: { N: '1992' },
      range: { op: 'BETWEEN', values: [{ S: 'A' }, { S: 'L' }] },
    });
  });

  it('the single-table pattern pk = :pk AND begins_with(sk, :sk), either way round', () => {
    const values = { ':pk': { S: 'USER#1' }, ':sk': { S: 'ORDER#' } };
    const key: KeySchema = { hash: 'pk', range: 'sk' };
    const expected = { hash: { S: 'USER#1' }, range: { op: 'begins_with', values: [{ S: 'ORDER#' }] } };
    expect(keyCondition('pk = :pk AND begins_with(sk, :sk)', key, values)).toEqual(expected);
    expect(keyCondition('begins_with(sk, :sk) AND pk = :pk', key, values)).toEqual(expected);
  });

  it('turns a value-first comparison round', () => {
    const values = { ':p': { S: 'p' }, ':lo': { S: 'm' } };
    expect(keyCondition('a = :p AND :lo <= b', RANGE, values).range).toEqual({
      op: '>=',
      values: [{ S: 'm' }],
    });
    expect(keyCondition(':p = a AND :lo > b', RANGE, values).range).toEqual({
      op: '<',
      values: [{ S: 'm' }],
    });
  });
});

describe('errors', () => {
  it.each(['things are not gonna be ok', 'a > 4', '(size(a))[0] > a'])(
    '%j is a syntax error',
    (expression) => {
      expect(keyError(expression, HASH)).toMatch(/^Invalid KeyConditionExpression: Syntax error; /);
    },
  );

  it.each([
    ['a > b and size(b) > c or a > c', 'OR'],
    ['a in (b, size(c), d)', 'IN'],
    ['attribute_exists(a)', 'attribute_exists'],
    ['attribute_not_exists(a)', 'attribute_not_exists'],
    ['contains(a.d, b)', 'contains'],
    ['not a > b', 'NOT'],
    ['a <> b', '<>'],
  ])('%j uses the operator %s', (expression, operator) => {
    expect(keyError(expression, HASH)).toBe(`Invalid operator used in KeyConditionExpression: ${operator}`);
  });

  it('uses attribute_type, which is valid for conditions but not keys', () => {
    expect(keyError('attribute_type(a, :a)', HASH, { ':a': { S: 'S' } })).toBe(
      'Invalid operator used in KeyConditionExpression: attribute_type',
    );
    expect(keyError('attribute_type(a, :a)', HASH, { ':a': { N: '1' } })).toBe(
      `${KEY}Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N`,
    );
  });

  it.each([
    [':a between size(b) and size(a) and b > :b', 'BETWEEN'],
    ['begins_with(:a, b) and a > :b', 'begins_with'],
  ])('%j puts a value before the key in %s', (expression, operator) => {
    expect(keyError(expression, RANGE, { ':a': { S: '1' }, ':b': { S: '1' } })).toBe(
      `Invalid condition in KeyConditionExpression: ${operator} operator must have the key attribute as its first operand`,
    );
  });

  it.each(['size(b) > a AND a.b > b AND b > c', 'a > size(b.d)', 'a between size(b) and size(a)'])(
    '%j nests an operation',
    (expression) => {
      expect(keyError(expression, RANGE)).toBe(
        `${KEY}KeyConditionExpressions cannot contain nested operations`,
      );
    },
  );

  it.each(['b > a.b', 'b between c[1] and d', 'a between b and size(a)', 'begins_with(a, b)'])(
    '%j names two attributes in one condition',
    (expression) => {
      expect(keyError(expression, RANGE)).toBe(
        'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition',
      );
    },
  );

  it.each(['b.d > a AND c.d > e.f', 'a.d > c', 'b[0] > a'])('%j reaches into a key', (expression) => {
    expect(keyError(expression, RANGE)).toBe(
      `${KEY}KeyConditionExpressions cannot have conditions on nested attributes`,
    );
  });

  it.each([':b > :a AND a < :b', ':a > b AND :a < :b'])('%j names no attribute', (expression) => {
    expect(keyError(expression, RANGE, { ':a': { N: '1' }, ':b': { N: '1' } })).toBe(
      'Invalid condition in KeyConditionExpression: No key attribute specified',
    );
  });

  it.each(['b > :a AND b < :a and c = :a and d = :a', '(a > :a and b > :a) and (b > :a and c > :a)'])(
    '%j has two conditions on a key',
    (expression) => {
      expect(keyError(expression, RANGE, { ':a': { N: '1' } })).toBe(
        `${KEY}KeyConditionExpressions must only contain one condition per key`,
      );
    },
  );

  it('checks BETWEEN bounds like any condition', () => {
    expect(keyError('a between :b and :a', RANGE, { ':a': { S: 'a' }, ':b': { N: '1' } })).toBe(
      `${KEY}The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}`,
    );
  });

  it.each([
    ['pk = :p AND begins_with(sk, :v)', { N: '1' }, 'begins_with', 'N'],
    ['pk = :p AND begins_with(sk, :v)', { BOOL: true }, 'begins_with', 'BOOL'],
    ['pk = :p AND sk < :v', { BOOL: true }, '<', 'BOOL'],
    ['pk = :p AND :v >= sk', { BOOL: true }, '>=', 'BOOL'],
  ] as Array<[string, AttributeValue, string, string]>)(
    '%j with %j has the wrong operand type',
    (expression, value, op, type) => {
      expect(
        keyError(
          expression,
          { hash: 'pk', range: 'sk', hashType: 'S', rangeType: 'N' },
          { ':p': { S: 'q' }, ':v': value },
        ),
      ).toBe(
        `${KEY}Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${type}`,
      );
    },
  );
});

describe('key schema', () => {
  const SCHEMA =
    'One or more parameter values were invalid: Condition parameter type does not match schema type';
  const composite: KeySchema = { hash: 'pk', range: 'sk', hashType: 'S', rangeType: 'N' };

  it.each([
    ['a > :a', HASH],
    ['a < :a', HASH],
    [':a <= a', HASH],
    ['begins_with(a, :a)', HASH],
    ['a between :a and :a', HASH],
  ] as Array<[string, KeySchema]>)('%j does not use = on the partition key', (expression, key) => {
    expect(keyError(expression, key, { ':a': { S: '1' } })).toBe('Query key condition not supported');
  });

  it('counts the conditions against the key attributes', () => {
    expect(keyError('a = :a AND b = :a', HASH, { ':a': { S: '1' } })).toBe(
      'The number of query conditions (2) exceeds the number of key attributes defined in the schema (1)',
    );
    expect(
      keyError('pk = :p AND sk > :a AND extra = :b', composite, {
        ':p': { S: 'q' },
        ':a': { N: '1' },
        ':b': { N: '5' },
      }),
    ).toBe(
      'The number of query conditions (3) exceeds the number of key attributes defined in the schema (2)',
    );
  });

  it('names the key attribute a condition missed', () => {
    expect(keyError('z = :a', RANGE, { ':a': { S: '1' } })).toBe(
      'Query condition missed key schema element: a',
    );
    expect(keyError('z between :a and :b', RANGE, { ':a': { N: '1' }, ':b': { N: '1' } })).toBe(
      'Query condition missed key schema element: a',
    );
    expect(keyError('a = :a and c = :b', RANGE, { ':a': { S: 'b' }, ':b': { N: '1' } })).toBe(
      'Query condition missed key schema element: b',
    );
  });

  it('checks value types against the schema', () => {
    expect(keyError(':a > a', HASH, { ':a': { N: '1' } })).toBe(SCHEMA);
    expect(
      keyError('pk = :p AND begins_with(sk, :v)', composite, { ':p': { S: 'q' }, ':v': { S: 'a' } }),
    ).toBe(SCHEMA);
    expect(keyError('pk = :p AND sk = :v', composite, { ':p': { S: 'q' }, ':v': { BOOL: true } })).toBe(
      SCHEMA,
    );
    expect(keyError('a = :a', HASH, { ':a': { S: '' } })).toBe(
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: a',
    );
  });
});

describe('legacy KeyConditions', () => {
  it('states the same key condition', () => {
    expect(
      keyConditionFromLegacy(
        {
          a: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] },
          b: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ S: 'ab' }, { S: 'ac' }] },
        },
        RANGE,
      ),
    ).toEqual({ hash: { S: 'x' }, range: { op: 'BETWEEN', values: [{ S: 'ab' }, { S: 'ac' }] } });
  });

  it.each(['NULL', 'NOT_NULL', 'NE', 'CONTAINS', 'NOT_CONTAINS', 'IN'])(
    '%s is not an indexable operation',
    (operator) => {
      const values = operator.endsWith('NULL') ? undefined : [{ S: 'a' }];
      expect(
        validationMessage(() =>
          keyConditionFromLegacy(
            { a: { ComparisonOperator: operator as 'EQ', AttributeValueList: values } },
            HASH,
          ),
        ),
      ).toBe('Attempted conditional constraint is not an indexable operation');
    },
  );

  it.each(['LE', 'LT', 'GE', 'GT', 'BEGINS_WITH'])('%s on the partition key is not supported', (operator) => {
    expect(
      validationMessage(() =>
        keyConditionFromLegacy(
          { a: { ComparisonOperator: operator as 'EQ', AttributeValueList: [{ S: 'a' }] } },
          HASH,
        ),
      ),
    ).toBe('Query key condition not supported');
  });

  it('checks argument counts and the bounds of BETWEEN', () => {
    expect(validationMessage(() => keyConditionFromLegacy({ a: { ComparisonOperator: 'EQ' } }, HASH))).toBe(
      'One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator',
    );
    expect(
      validationMessage(() =>
        keyConditionFromLegacy(
          { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ S: 'b' }, { S: 'a' }] } },
          HASH,
        ),
      ),
    ).toBe(
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
    );
    expect(validationMessage(() => keyConditionFromLegacy({}, HASH))).toBe(
      'Conditions can be of length 1 or 2 only',
    );
  });
});

describe('matchesRange', () => {
  it.each([
    ['=', [{ N: '5' }], { N: '5.0' }, true],
    ['<', [{ N: '5' }], { N: '10' }, false],
    ['<=', [{ S: 'b' }], { S: 'b' }, true],
    ['>', [{ S: 'b' }], { S: 'ba' }, true],
    ['>=', [{ S: 'b' }], { S: 'a' }, false],
    ['BETWEEN', [{ N: '1' }, { N: '10' }], { N: '10' }, true],
    ['BETWEEN', [{ N: '1' }, { N: '10' }], { N: '11' }, false],
    ['begins_with', [{ S: 'ORDER#' }], { S: 'ORDER#2024' }, true],
    ['begins_with', [{ S: 'ORDER#' }], { S: 'USER#1' }, false],
    ['=', [{ S: '5' }], { N: '5' }, false],
  ] as Array<[string, AttributeValue[], AttributeValue, boolean]>)(
    '%s %j against %j is %s',
    (op, values, value, expected) => {
      expect(matchesRange({ op: op as '=', values }, value)).toBe(expected);
    },
  );

  it('matches everything without a range', () => {
    expect(matchesRange(undefined, { S: 'anything' })).toBe(true);
  });
});
