/**
 * UpdateExpression errors found before any item is read, with DynamoDB's messages (cases
 * from suites run against DynamoDB, and DynamoDB Local's validator).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ExpressionScope } from '../../../src/services/dynamodb/expressions/index.js';
import { validationMessage } from './validation-assertions.js';

const UPDATE = 'Invalid UpdateExpression: ';
const NAMES = { '#a': 'a', '#b': 'b' };
const VALUES: Record<string, AttributeValue> = { ':a': { S: 'a' }, ':b': { S: 'a' } };

function updateError(
  expression: string,
  names?: Record<string, string>,
  values?: Record<string, AttributeValue>,
) {
  return validationMessage(() => new ExpressionScope(names, values).update(expression));
}

describe('syntax', () => {
  it.each([
    'whatever',
    'set a',
    'add a',
    'delete a',
    'set a=set',
    'remove a = b',
    'add a = b',
    'delete a = b',
    'delete a b',
    'delete a if_not_exist(b)',
    'add abort b',
    'add a if_not_exist(b)',
    'remove a b',
    'set a b',
    'set :a = b',
    'add :a b',
    'delete :a b',
    'remove :a',
    'set a = b / c',
    'set a = b * c',
    'set a[1] = "eight"',
    'set a[1] = 1',
    'SET a = if_not_exist(a, 100)',
    'SET if_not_exist(a, b) = a',
    'set (a = (b + c))',
    'set a = (b.c).d + e',
    'set a = (b.c)[0] + e',
    'set a = b + c + d',
    'SET a = b,',
  ])('%j is a syntax error', (expression) => {
    expect(updateError(expression)).toMatch(/^Invalid UpdateExpression: Syntax error; token: /);
  });

  it.each([
    ['INVALID SYNTAX HERE', 'token: "INVALID", near: "INVALID SYNTAX"'],
    ['SET path = VALUE 1', 'token: "1", near: "VALUE 1"'],
    ['SET a = :v REMOVE', 'token: "<EOF>", near: "REMOVE"'],
    ['SET a[0.#comment] = :v', 'token: ".", near: "0.#comment"'],
  ])('%j reports %s', (expression, detail) => {
    expect(updateError(expression)).toBe(`${UPDATE}Syntax error; ${detail}`);
  });

  it('accepts a parenthesised sum, and refuses doubled parentheses', () => {
    const values = { ':one': { N: '1' } };
    expect(new ExpressionScope(undefined, values).update('SET a = (b + :one)').targets).toEqual([['a']]);
    expect(updateError('SET a = ((b + :one))', undefined, values)).toBe(
      `${UPDATE}The expression has redundant parentheses;`,
    );
    expect(updateError('SET a = ((b))')).toBe(`${UPDATE}The expression has redundant parentheses;`);
  });

  it('refuses an empty or oversized expression', () => {
    expect(updateError('')).toBe(`${UPDATE}The expression can not be empty;`);
    expect(updateError(`SET a = b${' '.repeat(4088)}`)).toBe(
      `${UPDATE}Expression size has exceeded the maximum allowed size;`,
    );
  });
});

describe('checks made while reading', () => {
  it.each([
    [' set #c = :c set abOrt = true ', 'abOrt'],
    [' remove Absolute ', 'Absolute'],
  ])('%j uses the reserved word %s', (expression, word) => {
    expect(updateError(expression, NAMES, VALUES)).toBe(
      `${UPDATE}Attribute name is a reserved keyword; reserved keyword: ${word}`,
    );
  });

  it('names an unknown function', () => {
    expect(updateError('set #c = if_not_exist(:c) set c = d', NAMES, VALUES)).toBe(
      `${UPDATE}Invalid function name; function: if_not_exist`,
    );
  });

  it.each([
    ['set a = #c set c = :d', 'SET'],
    ['remove #d set a = b remove e', 'REMOVE'],
    ['add #d :e set a = b add e :f', 'ADD'],
    ['delete #d :e set a = b delete #e :f', 'DELETE'],
  ])('%j repeats the %s section', (expression, section) => {
    expect(updateError(expression, NAMES, VALUES)).toBe(
      `${UPDATE}The "${section}" section can only be used once in an update expression;`,
    );
  });

  it.each([
    ['SET x = size(:v)', 'The function is not allowed in an update expression; function: size'],
    [
      'SET x = attribute_exists(a)',
      'The function is not allowed in an update expression; function: attribute_exists',
    ],
    [
      'SET x = list_append(a, list_append(b, :v))',
      'The function is not allowed to be used this way in an expression; function: list_append',
    ],
    [
      'SET x = list_append(a, :v) + :v',
      'The function is not allowed to be used this way in an expression; function: list_append',
    ],
  ])('%j', (expression, message) => {
    expect(updateError(expression, undefined, { ':v': { L: [] } })).toBe(UPDATE + message);
  });
});

describe('checks on paths, placeholders and operands', () => {
  it('reports an undefined name in a written path first', () => {
    expect(updateError('SET #c = if_not_exists(:c)', NAMES, VALUES)).toBe(
      `${UPDATE}An expression attribute name used in the document path is not defined; attribute name: #c`,
    );
  });

  it('reports an undefined value before the operand count', () => {
    expect(updateError('SET #a = if_not_exists(:c)', NAMES, VALUES)).toBe(
      `${UPDATE}An expression attribute value used in expression is not defined; attribute value: :c`,
    );
    expect(updateError('SET attr1 = :v')).toBe(
      `${UPDATE}An expression attribute value used in expression is not defined; attribute value: :v`,
    );
  });

  const names = { '#c': 'c', '#d': '[3]' };
  it.each([
    ['set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a)', '[c, [1], a]', '[c]'],
    ['set c.b.#c = a, c = a, #d = a', '[c, b, c]', '[c]'],
    ['set a = b remove a, #c, #d', '[a]', '[a]'],
    ['set #c[3].#d = a, #c[3] = a', '[c, [3], [3]]', '[c, [3]]'],
    ['remove c, #c.a, #d', '[c]', '[c, a]'],
    ['remove a, #c, a, #d', '[a]', '[a]'],
    ['SET #v = :a, #v = :b', '[v]', '[v]'],
  ])('%j has overlapping paths', (expression, one, two) => {
    expect(updateError(expression, { ...names, '#v': 'v' }, VALUES)).toBe(
      `${UPDATE}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`,
    );
  });

  it.each([
    ['set #c[3].#d = a, #c.#d[3] = if_not_exists(a)', '[c, [3], [3]]', '[c, [3], [3]]'],
    ['remove a.#c set a[1] = #d', '[a, c]', '[a, [1]]'],
  ])('%j has conflicting paths', (expression, one, two) => {
    expect(updateError(expression, names)).toBe(
      `${UPDATE}Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`,
    );
  });

  const operandTypes: Array<[string, AttributeValue, string, string]> = [
    ['set b = list_append(:a, a), c = if_not_exists(a) add a.b :a', { S: 'a' }, 'ADD', 'STRING'],
    ['delete a.b :a', { S: 'a' }, 'DELETE', 'STRING'],
    ['add a.b :a', { NULL: true }, 'ADD', 'NULL'],
    ['add a.b :a', { BOOL: false }, 'ADD', 'BOOLEAN'],
    ['delete a.b :a', { B: new Uint8Array([97]) }, 'DELETE', 'BINARY'],
    ['add a.b :a', { M: {} }, 'ADD', 'MAP'],
    ['add a.b :a', { L: [] }, 'ADD', 'LIST'],
    ['delete a.b :a', { N: '1' }, 'DELETE', 'NUMBER'],
  ];
  it.each(operandTypes)('%j refuses %j', (expression, value, action, type) => {
    expect(updateError(expression, undefined, { ':a': value })).toBe(
      `${UPDATE}Incorrect operand type for operator or function; operator: ${action}, operand type: ${type}, typeSet: ALLOWED_FOR_${action}_OPERAND`,
    );
  });

  it.each(['set a = if_not_exists(c)', 'set a = list_append(c)'])(
    '%j has the wrong operand count',
    (expression) => {
      expect(updateError(expression, NAMES, VALUES)).toMatch(
        /^Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: [a-z_]+, number of operands: 1$/,
      );
    },
  );

  it.each(['set a = if_not_exists(:a, c)', 'set a = if_not_exists(if_not_exists(a, b), c)'])(
    '%j needs a document path',
    (expression) => {
      expect(updateError(expression, NAMES, VALUES)).toBe(
        `${UPDATE}Operator or function requires a document path; operator or function: if_not_exists`,
      );
    },
  );

  const functionTypes: Array<[string, string, string]> = [
    ['set a = list_append(:a, a)', 'list_append', 'S'],
    ['set a = list_append(a, :b)', 'list_append', 'N'],
    ['set a = list_append(:c, a)', 'list_append', 'B'],
    ['set a = list_append(:f, a)', 'list_append', 'SS'],
    ['set a = list_append(:i, a)', 'list_append', 'M'],
    ['set a = a + :a', '+', 'S'],
    ['set a = :a + :c', '+', 'S'],
    ['set a = :c + a', '+', 'B'],
    ['set a = a + :d', '+', 'BOOL'],
    ['set a = a + :e', '+', 'NULL'],
    ['set a = a + :g', '+', 'NS'],
    ['set a = a - :h', '-', 'BS'],
    ['set a = a - :j', '-', 'L'],
  ];
  const typedValues: Record<string, AttributeValue> = {
    ':a': { S: 'a' },
    ':b': { N: '1' },
    ':c': { B: new Uint8Array([97]) },
    ':d': { BOOL: false },
    ':e': { NULL: true },
    ':f': { SS: ['a'] },
    ':g': { NS: ['1'] },
    ':h': { BS: [new Uint8Array([97])] },
    ':i': { M: {} },
    ':j': { L: [] },
  };
  it.each(functionTypes)('%j refuses %s an operand of type %s', (expression, operator, type) => {
    expect(updateError(expression, undefined, typedValues)).toBe(
      `${UPDATE}Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`,
    );
  });
});
