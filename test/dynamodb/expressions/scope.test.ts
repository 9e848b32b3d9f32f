import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ExpressionScope } from '../../../src/services/dynamodb/expressions/index.js';
import { validationMessage } from './validation-assertions.js';

describe('ExpressionAttributeNames and ExpressionAttributeValues', () => {
  it.each([
    [{}, undefined, 'ExpressionAttributeNames must not be empty'],
    [undefined, {}, 'ExpressionAttributeValues must not be empty'],
    [{ a: 'a' }, undefined, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"'],
    [{ '#': 'a' }, undefined, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "#"'],
    [{ '#a-b': 'a' }, undefined, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "#a-b"'],
    [
      { '#a': '' },
      undefined,
      'ExpressionAttributeNames contains invalid value: Empty attribute name for key #a',
    ],
    [
      { [`#${'a'.repeat(255)}`]: 'a' },
      undefined,
      'ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 256',
    ],
    [undefined, { b: { S: 'a' } }, 'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"'],
    [
      undefined,
      { ':b c': { S: 'a' } },
      'ExpressionAttributeValues contains invalid key: Syntax error; key: ":b c"',
    ],
  ] as Array<[Record<string, string> | undefined, Record<string, AttributeValue> | undefined, string]>)(
    'names %j and values %j are refused',
    (names, values, message) => {
      expect(validationMessage(() => new ExpressionScope(names, values))).toBe(message);
    },
  );

  it('resolves placeholders to any attribute name', () => {
    const scope = new ExpressionScope({ '#a': 'a.b', '#y': 'year', '#n': '[3]' }, { ':v': { S: 'x' } });
    expect(scope.condition('#a = :v AND #y.#n = :v').paths).toEqual([['a.b'], ['year', '[3]']]);
  });
});

describe('assertAllUsed', () => {
  it('passes when every expression of the request used every placeholder', () => {
    const scope = new ExpressionScope({ '#a': 'a', '#b': 'b' }, { ':a': { S: 'a' }, ':b': { S: 'b' } });
    scope.update('SET #a = :a');
    scope.condition('#b = :b');
    expect(() => scope.assertAllUsed()).not.toThrow();
  });

  it('counts a placeholder used in any expression, and lists unused names first', () => {
    const scope = new ExpressionScope(
      { '#a': 'a', '#b': 'b' },
      { ':a': { S: 'a' }, ':b': { S: 'a' }, ':c': { S: 'a' } },
    );
    scope.update('remove a set b = list_append(b, if_not_exists(a, :a))');
    scope.condition('a = :b');
    expect(validationMessage(() => scope.assertAllUsed())).toBe(
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}',
    );
  });

  it('lists unused values in the order DynamoDB does', () => {
    const scope = new ExpressionScope(undefined, { ':c': { S: 'a' }, ':b': { S: 'a' }, ':a': { S: 'a' } });
    scope.condition('a = :b');
    expect(validationMessage(() => scope.assertAllUsed())).toBe(
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}',
    );
    const single = new ExpressionScope(undefined, { ':v': { S: 'val' }, ':unused': { S: 'extra' } });
    single.update('SET attr1 = :v');
    expect(validationMessage(() => single.assertAllUsed())).toBe(
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}',
    );
  });

  it('names a placeholder no expression used', () => {
    const scope = new ExpressionScope({ '#unused': 'someattr' }, { ':v': { S: 'val' } });
    scope.update('SET attr1 = :v');
    expect(validationMessage(() => scope.assertAllUsed())).toBe(
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}',
    );
  });
});
