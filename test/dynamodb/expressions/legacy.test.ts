/**
 * The legacy parameters: Expected, QueryFilter/ScanFilter with ConditionalOperator and
 * AttributeUpdates, evaluated like their expression equivalents, with DynamoDB's messages.
 */
import type {
  AttributeValue,
  ExpectedAttributeValue,
  Condition as FilterCondition,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  conditionFromExpected,
  conditionFromFilter,
  evaluate,
  type Item,
  project,
  updateFromAttributeUpdates,
} from '../../../src/services/dynamodb/expressions/index.js';
import { validationMessage } from './validation-assertions.js';

const INVALID = 'One or more parameter values were invalid: ';
const item: Item = {
  a: { S: 'apple' },
  n: { N: '10' },
  ss: { SS: ['x', 'y'] },
  l: { L: [{ S: 'p' }] },
  t: { BOOL: true },
};

function expected(conditions: Record<string, ExpectedAttributeValue>, operator?: string) {
  return conditionFromExpected(conditions, operator)!;
}

describe('Expected', () => {
  it('Value alone means equality, Exists false means absence', () => {
    expect(evaluate(expected({ a: { Value: { S: 'apple' } } }), item)).toBe(true);
    expect(evaluate(expected({ a: { Value: { S: 'apple' }, Exists: true } }), item)).toBe(true);
    expect(evaluate(expected({ a: { Value: { S: 'pear' } } }), item)).toBe(false);
    expect(evaluate(expected({ zz: { Exists: false } }), item)).toBe(true);
    expect(evaluate(expected({ a: { Exists: false } }), item)).toBe(false);
    expect(evaluate(expected({ a: { Value: { S: 'apple' } } }), undefined)).toBe(false);
  });

  it('combines conditions with AND unless ConditionalOperator says OR', () => {
    const conditions = { a: { Value: { S: 'apple' } }, n: { Value: { N: '11' } } };
    expect(evaluate(expected(conditions), item)).toBe(false);
    expect(evaluate(expected(conditions, 'AND'), item)).toBe(false);
    expect(evaluate(expected(conditions, 'OR'), item)).toBe(true);
    expect(expected(conditions).paths).toEqual([['a'], ['n']]);
  });

  it('states no condition when empty', () => {
    expect(conditionFromExpected({})).toBeUndefined();
  });

  it.each([
    [{ a: {} }, `${INVALID}Value must be provided when Exists is null for Attribute: a`],
    [{ a: { Exists: true } }, `${INVALID}Value must be provided when Exists is true for Attribute: a`],
    [
      { a: { Exists: false, Value: { S: 'a' } } },
      `${INVALID}Value cannot be used when Exists is false for Attribute: a`,
    ],
    [
      { a: { ComparisonOperator: 'EQ', Exists: true, AttributeValueList: [{ S: 'a' }] } },
      `${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: a`,
    ],
    [
      { a: { ComparisonOperator: 'EQ', Value: { S: 'a' }, AttributeValueList: [{ S: 'a' }] } },
      `${INVALID}Value and AttributeValueList cannot be used together for Attribute: a`,
    ],
    [
      { a: { AttributeValueList: [{ S: 'a' }] } },
      `${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: a`,
    ],
    [
      { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '5' }, { NULL: true }] } },
      `${INVALID}ComparisonOperator BETWEEN is not valid for NULL AttributeValue type`,
    ],
  ] as Array<[Record<string, ExpectedAttributeValue>, string]>)('%j is refused', (conditions, message) => {
    expect(validationMessage(() => conditionFromExpected(conditions))).toBe(message);
  });

  it('uses Value as the operand of a ComparisonOperator', () => {
    expect(evaluate(expected({ n: { ComparisonOperator: 'GT', Value: { N: '9' } } }), item)).toBe(true);
  });

  it('refuses an unknown ConditionalOperator', () => {
    expect(validationMessage(() => conditionFromExpected({ a: { Exists: false } }, 'XOR'))).toBe(
      "1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]",
    );
  });
});

describe('QueryFilter and ScanFilter', () => {
  const cases: Array<[string, AttributeValue[] | undefined, string, boolean]> = [
    ['EQ', [{ S: 'apple' }], 'a', true],
    ['NE', [{ S: 'apple' }], 'a', false],
    ['NE', [{ S: 'apple' }], 'zz', true],
    ['LT', [{ N: '11' }], 'n', true],
    ['LE', [{ N: '10' }], 'n', true],
    ['GT', [{ N: '10' }], 'n', false],
    ['GE', [{ N: '10' }], 'n', true],
    ['NOT_NULL', undefined, 'a', true],
    ['NULL', undefined, 'a', false],
    ['NULL', undefined, 'zz', true],
    ['CONTAINS', [{ S: 'ppl' }], 'a', true],
    ['CONTAINS', [{ S: 'x' }], 'ss', true],
    ['NOT_CONTAINS', [{ S: 'z' }], 'ss', true],
    ['NOT_CONTAINS', [{ S: 'x' }], 'ss', false],
    ['NOT_CONTAINS', [{ S: 'x' }], 'zz', false],
    ['BEGINS_WITH', [{ S: 'app' }], 'a', true],
    ['IN', [{ S: 'pear' }, { S: 'apple' }], 'a', true],
    ['IN', [{ S: 'pear' }], 'a', false],
    ['BETWEEN', [{ N: '5' }, { N: '10' }], 'n', true],
    ['BETWEEN', [{ N: '11' }, { N: '20' }], 'n', false],
  ];
  it.each(cases)('%s %j on %s is %s', (operator, values, attribute, result) => {
    const filter: Record<string, FilterCondition> = {
      [attribute]: { ComparisonOperator: operator as 'EQ', AttributeValueList: values },
    };
    expect(evaluate(conditionFromFilter(filter, undefined, 'QueryFilter')!, item)).toBe(result);
  });

  it.each([
    [
      { a: { ComparisonOperator: 'EQ' } },
      `${INVALID}Invalid number of argument(s) for the EQ ComparisonOperator`,
    ],
    [
      { a: { ComparisonOperator: 'NULL', AttributeValueList: [{ S: 'a' }] } },
      `${INVALID}Invalid number of argument(s) for the NULL ComparisonOperator`,
    ],
    [
      { a: { ComparisonOperator: 'IN', AttributeValueList: [] } },
      `${INVALID}Invalid number of argument(s) for the IN ComparisonOperator`,
    ],
    [
      { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ S: 'a' }] } },
      `${INVALID}Invalid number of argument(s) for the BETWEEN ComparisonOperator`,
    ],
    [
      { a: { ComparisonOperator: 'LT', AttributeValueList: [{ BOOL: true }] } },
      `${INVALID}ComparisonOperator LT is not valid for BOOL AttributeValue type`,
    ],
    [
      { a: { ComparisonOperator: 'IN', AttributeValueList: [{ L: [] }] } },
      `${INVALID}ComparisonOperator IN is not valid for L AttributeValue type`,
    ],
    [
      { a: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ SS: ['a'] }] } },
      `${INVALID}ComparisonOperator CONTAINS is not valid for SS AttributeValue type`,
    ],
    [
      { a: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ N: '1' }] } },
      `${INVALID}ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type`,
    ],
    [
      { a: { ComparisonOperator: 'IN', AttributeValueList: [{ S: 'b' }, { N: '1' }] } },
      `${INVALID}AttributeValues inside AttributeValueList must be of same type`,
    ],
    [
      { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ S: 'b' }, { S: 'a' }] } },
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
    ],
    [
      { a: { ComparisonOperator: 'LIKE', AttributeValueList: [{ S: 'b' }] } },
      "1 validation error detected: Value 'LIKE' at 'scanFilter.a.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]",
    ],
    [
      { a: {} },
      "1 validation error detected: Value null at 'scanFilter.a.member.comparisonOperator' failed to satisfy constraint: Member must not be null",
    ],
  ] as Array<[Record<string, FilterCondition>, string]>)('%j is refused', (filter, message) => {
    expect(validationMessage(() => conditionFromFilter(filter))).toBe(message);
  });
});

describe('AttributeUpdates', () => {
  function updated(updates: Parameters<typeof updateFromAttributeUpdates>[0], current: Item) {
    return applyUpdate(updateFromAttributeUpdates(updates), current);
  }

  it('PUT sets, DELETE without a value removes, ADD adds and DELETE with a set subtracts', () => {
    const { item: next } = updated(
      {
        a: { Value: { S: 'pear' } },
        t: { Action: 'DELETE' },
        n: { Action: 'ADD', Value: { N: '-3' } },
        ss: { Action: 'DELETE', Value: { SS: ['x'] } },
        l: { Action: 'ADD', Value: { L: [{ S: 'q' }] } },
        fresh: { Action: 'ADD', Value: { NS: ['1', '2'] } },
      },
      item,
    );
    expect(next).toEqual({
      a: { S: 'pear' },
      n: { N: '7' },
      ss: { SS: ['y'] },
      l: { L: [{ S: 'p' }, { S: 'q' }] },
      fresh: { NS: ['1', '2'] },
    });
  });

  it('reports the updated attributes whole, for UPDATED_OLD and UPDATED_NEW', () => {
    const old: Item = { k: { S: 'key' }, b: { M: { a: { S: 'a' }, b: { L: [] } } }, c: { N: '1' } };
    const { item: next, changedPaths } = updated(
      { b: { Value: { M: { a: { S: 'b' } } } }, c: { Action: 'ADD', Value: { N: '1' } } },
      old,
    );
    expect(project(old, changedPaths)).toEqual({ b: old.b, c: old.c });
    expect(project(next, changedPaths)).toEqual({ b: { M: { a: { S: 'b' } } }, c: { N: '2' } });
  });

  it.each([
    [{ a: {} }, `${INVALID}Only DELETE action is allowed when no attribute value is specified`],
    [
      { a: { Action: 'DELETE', Value: { S: '1' } } },
      `${INVALID}DELETE action with value is not supported for the type S`,
    ],
    [
      { a: { Action: 'DELETE', Value: { L: [] } } },
      `${INVALID}DELETE action with value is not supported for the type L`,
    ],
    [{ a: { Action: 'ADD', Value: { S: '1' } } }, `${INVALID}ADD action is not supported for the type S`],
    [{ a: { Action: 'ADD', Value: { M: {} } } }, `${INVALID}ADD action is not supported for the type M`],
    [
      { a: { Action: 'REPLACE', Value: { S: '1' } } },
      "1 validation error detected: Value 'REPLACE' at 'attributeUpdates.a.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]",
    ],
  ] as Array<[Parameters<typeof updateFromAttributeUpdates>[0], string]>)(
    '%j is refused',
    (updates, message) => {
      expect(validationMessage(() => updateFromAttributeUpdates(updates))).toBe(message);
    },
  );

  it.each([
    { ss: { Action: 'DELETE', Value: { NS: ['1'] } } },
    { ss: { Action: 'DELETE', Value: { BS: [new Uint8Array([97])] } } },
    { n: { Action: 'DELETE', Value: { NS: ['1'] } } },
    { ss: { Action: 'ADD', Value: { NS: ['1'] } } },
    { ss: { Action: 'ADD', Value: { N: '1' } } },
  ] as Array<Parameters<typeof updateFromAttributeUpdates>[0]>)('%j meets the wrong type', (updates) => {
    expect(validationMessage(() => updated(updates, item))).toBe('Type mismatch for attribute to update');
  });
});
