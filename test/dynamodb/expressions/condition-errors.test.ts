/**
 * Condition and filter errors, with the messages DynamoDB gives. The cases come from
 * suites run against DynamoDB itself (dynalite's, captured from the service, and published
 * AWS error reports) and from DynamoDB Local, whose validator DynamoDB shares.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ExpressionScope } from '../../../src/services/dynamodb/expressions/index.js';
import { validationMessage } from './validation-assertions.js';

function filterError(
  expression: string,
  names?: Record<string, string>,
  values?: Record<string, AttributeValue>,
): string {
  return validationMessage(() =>
    new ExpressionScope(names, values).condition(expression, 'FilterExpression'),
  );
}

const FILTER = 'Invalid FilterExpression: ';

describe('syntax errors', () => {
  it.each([
    'things are not gonna be ok',
    'a > 4',
    'attribute_exists(Pictures-RearView)',
    'attribute_exists("Pictures.RearView")',
    'attribute_exists(Pictures..RearView)',
    'attribute_exists(Pi#ctures.RearView)',
    'attribute_exists(asdf[a])',
    'a in b, c',
    'a > between',
    'a in b',
    'a in (b,c,)',
    '(a)between(b.(c.d))and(c)',
    '(a)between(b.c.d)and((c)',
    '#$.b > a',
    'a > :things.stuff',
    'b[:a] > a',
    'b[#_] > a',
    'ü > a',
    '(a)between(b.c[4.5].#d)and(:a)',
    'size(a).b > a',
    '(size(a)).b > a',
    'size(a)[0] > a',
    '(size(a))[0] > a',
    'a = :v SET',
    '_a = :v',
    'a[01] = :v',
    '   ',
  ])('%j is a syntax error', (expression) => {
    expect(filterError(expression)).toMatch(
      /^Invalid FilterExpression: Syntax error; token: ".*", near: ".*"$/s,
    );
  });

  it.each([
    ['foo', 'token: "<EOF>", near: "foo"'],
    ['contains (themes, :theme', 'token: "<EOF>", near: ":theme"'],
    ['dummy-id = :v', 'token: "-", near: "dummy-id"'],
    ['a-type = :v', 'token: "-", near: "a-type"'],
    ['GI-1-PK = :v', 'token: "-", near: "GI-1"'],
    ['#AMZN_MAPPED_2021-03-03 = :v', 'token: "-", near: "#AMZN_MAPPED_2021-0"'],
    ['a = = :v', 'token: "=", near: "= = :v"'],
    ['a[abc] = :v', 'token: "abc", near: "[abc]"'],
    ['a[-1] = :v', 'token: "-", near: "[-1"'],
    ['a = :v AND', 'token: "<EOF>", near: "AND"'],
  ])('%j reports %s', (expression, detail) => {
    expect(filterError(expression)).toBe(`${FILTER}Syntax error; ${detail}`);
  });
});

describe('checks made while reading, in the order written', () => {
  it.each([
    'a=a and a > ((views))',
    '(a)between(((b.c)).d)and(c)',
    'a > whatever((:things), ((a)))',
    'a=a AND ((a=a AND a=a)) AND a=a',
    'a=a OR ((a=a OR a=a)) OR a=a',
    'a=a AND ((a=a AND (a=a AND a=a)))',
    'a=a OR ((a=a OR (a=a OR a=a)))',
    '((a = :v))',
    '((attribute_not_exists(pk)))',
  ])('%j has redundant parentheses', (expression) => {
    expect(filterError(expression)).toBe(`${FILTER}The expression has redundant parentheses;`);
  });

  it('reports redundant parentheses before a later syntax error', () => {
    expect(filterError('((a)) = :v ==')).toBe(`${FILTER}The expression has redundant parentheses;`);
  });

  it.each([
    ['a=a and whatever((:things)) > a', 'whatever'],
    ['attRIbute_exIsts((views), #a)', 'attRIbute_exIsts'],
  ])('%j names an unknown function', (expression, name) => {
    expect(filterError(expression)).toBe(`${FILTER}Invalid function name; function: ${name}`);
  });

  it.each([
    ['a=a and attribute_exists((views), (#a)) > b', 'attribute_exists'],
    ['attribute_not_exists(things) > b', 'attribute_not_exists'],
    ['attribute_type(things, :a) > b', 'attribute_type'],
    ['begins_with(things, a) > b', 'begins_with'],
    ['contains(:things, c) > b', 'contains'],
    ['size(contains(a, b)) > a', 'contains'],
    ['size(things)', 'size'],
    ['a between b and attribute_exists(things)', 'attribute_exists'],
    ['a in (b, attribute_exists(things))', 'attribute_exists'],
  ])('%j uses %s where it is not allowed', (expression, name) => {
    expect(filterError(expression)).toBe(
      `${FILTER}The function is not allowed to be used this way in an expression; function: ${name}`,
    );
  });

  it.each([
    ['if_not_exists(a, :v) = :v', 'if_not_exists'],
    ['list_append(a, :v) = :v', 'list_append'],
  ])('%j uses an update function', (expression, name) => {
    expect(filterError(expression)).toBe(
      `${FILTER}The function is not allowed in a condition expression; function: ${name}`,
    );
  });

  it.each([
    ['attribute_exists(views, #a)', 'views'],
    [':a < abOrT', 'abOrT'],
    ['Comment = :v', 'Comment'],
    ['a.comment = :v', 'comment'],
  ])('%j uses the reserved word %s', (expression, word) => {
    expect(filterError(expression)).toBe(
      `${FILTER}Attribute name is a reserved keyword; reserved keyword: ${word}`,
    );
  });

  it('accepts SIZE and CONVERT as names, as DynamoDB does', () => {
    const scope = new ExpressionScope(undefined, { ':v': { N: '1' } });
    expect(scope.condition('size(size) > :v AND convert = :v').paths).toEqual([['size'], ['convert']]);
  });

  it('refuses a list index past the 32-bit range', () => {
    expect(filterError('a[2147483648] = :v')).toBe(
      `${FILTER}List index is not within the allowable range; index: [2147483648]`,
    );
  });

  it('refuses an expression of more than 4096 characters', () => {
    const expression = `a = :v${' '.repeat(4091)}`;
    expect(filterError(expression)).toBe(
      `${FILTER}Expression size has exceeded the maximum allowed size; expression size: 4097`,
    );
    expect(filterError('')).toBe(`${FILTER}The expression can not be empty;`);
  });
});

describe('checks on placeholders, operands and types', () => {
  it.each([
    ['attribute_exists(#Pictures.RearView, :a) and a=a', '#Pictures'],
    ['begins_with(Pictures.#RearView)', '#RearView'],
    ['(#P between :lo and :hi) and (#PC in (:cat1, :cat2))', '#P'],
    ['#4g > a', '#4g'],
    ['#_ > a', '#_'],
    ['(a)between(b.c[45].#d)and(:a)', '#d'],
  ])('%j uses the undefined name %s', (expression, name) => {
    expect(filterError(expression)).toBe(
      `${FILTER}An expression attribute name used in the document path is not defined; attribute name: ${name}`,
    );
  });

  it.each([
    ['begins_with(:hello, #a, #b)', ':hello'],
    [':a < :b', ':a'],
    [':_ > a', ':_'],
  ])('%j uses the undefined value %s', (expression, value) => {
    expect(filterError(expression, { '#a': 'a', '#b': 'b' })).toBe(
      `${FILTER}An expression attribute value used in expression is not defined; attribute value: ${value}`,
    );
  });

  it.each([
    ['attribute_exists(things, a) and a=a', 'attribute_exists', 2],
    ['attribute_not_exists(things, b)', 'attribute_not_exists', 2],
    ['attribute_type(things)', 'attribute_type', 1],
    ['begins_with(things)', 'begins_with', 1],
    ['begins_with(things, size(a), b)', 'begins_with', 3],
    ['contains(things)', 'contains', 1],
    ['size(things, a) > b', 'size', 2],
  ])('%j gives %s %d operands', (expression, name, count) => {
    expect(filterError(expression)).toBe(
      `${FILTER}Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${count}`,
    );
  });

  const typed: Array<[string, string, AttributeValue]> = [
    ['attribute_type(a, size(a)) and a=a and a=:a', 'attribute_type', { N: '1' }],
    ['attribute_type(a, :a)', 'attribute_type', { N: '1' }],
    ['attribute_type(a, :a)', 'attribute_type', { BOOL: true }],
    ['attribute_type(a, :a)', 'attribute_type', { SS: ['1'] }],
    ['begins_with(a, size(a)) and a=:a', 'begins_with', { N: '1' }],
    ['begins_with(a, :a)', 'begins_with', { N: '1' }],
    ['begins_with(a, :a)', 'begins_with', { L: [] }],
    ['begins_with(:a, a)', 'begins_with', { M: {} }],
    ['size(size(a)) > :a', 'size', { N: '1' }],
    ['attribute_not_exists(size(:a))', 'size', { N: '1' }],
    ['size(:a) > a', 'size', { BOOL: true }],
    ['size(:a) > a', 'size', { NULL: true }],
    ['a < :a', '<', { BOOL: true }],
    [':a >= a', '>=', { L: [] }],
    ['a BETWEEN :a AND :a', 'BETWEEN', { NULL: true }],
  ];
  it.each(typed)('%j refuses %s an operand of type %j', (expression, operator, value) => {
    const type = Object.keys(value)[0];
    expect(filterError(expression, undefined, { ':a': value })).toBe(
      `${FILTER}Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`,
    );
  });

  it('names attribute_type a type it does not know', () => {
    expect(filterError('attribute_type(a, :a)', undefined, { ':a': { S: '1' } })).toBe(
      `${FILTER}Invalid attribute type name found; type: 1, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}`,
    );
  });

  it.each([
    ['attribute_exists(:a) and a=a', 'attribute_exists'],
    ['attribute_not_exists(size(:a))', 'attribute_not_exists'],
  ])('%j needs a document path for %s', (expression, name) => {
    expect(filterError(expression, undefined, { ':a': { S: '1' } })).toBe(
      `${FILTER}Operator or function requires a document path; operator or function: ${name}`,
    );
  });

  it.each([
    ['a = a AND #a = b AND :views > a', '=', '[a]'],
    ['#a <> a', '<>', '[a]'],
    ['a > #a', '>', '[a]'],
    ['((a=a) OR (a=a))', '=', '[a]'],
    ['((a=a) AND (a=a))', '=', '[a]'],
    ['contains(ab.bc[1].a, ab.bc[1].#a)', 'contains', '[ab, bc, [1], a]'],
    ['attribute_type(ab.bc[1].#a, ab.bc[1].a)', 'attribute_type', '[ab, bc, [1], a]'],
    ['begins_with(ab.bc[1].a, ab.bc[1].#a)', 'begins_with', '[ab, bc, [1], a]'],
    ['a IN (:b, a)', 'IN', '[a]'],
  ])('%j repeats its first operand', (expression, operator, path) => {
    expect(filterError(expression, { '#a': 'a' }, { ':b': { S: 'b' } })).toBe(
      `${FILTER}The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${path}`,
    );
  });

  it('checks BETWEEN bounds', () => {
    expect(filterError('a between :b and :a', undefined, { ':a': { S: 'a' }, ':b': { N: '1' } })).toBe(
      `${FILTER}The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}`,
    );
    expect(filterError('a between :b and :a', undefined, { ':a': { S: 'a' }, ':b': { S: 'b' } })).toBe(
      `${FILTER}The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}`,
    );
    expect(filterError('a between :b and :a', undefined, { ':a': { N: '9' }, ':b': { N: '10' } })).toMatch(
      /requires upper bound/,
    );
  });

  it('allows 100 operands to IN and refuses 101', () => {
    const values: Record<string, AttributeValue> = {};
    for (let i = 0; i < 101; i++) values[`:v${i}`] = { N: String(i) };
    const list = (n: number) => Array.from({ length: n }, (_, i) => `:v${i}`).join(', ');
    const scope = new ExpressionScope(undefined, values);
    expect(scope.condition(`a IN (${list(100)})`).root.kind).toBe('in');
    expect(filterError(`a IN (${list(101)})`, undefined, values)).toBe(
      `${FILTER}The IN operator is provided with too many operands; number of operands: 101`,
    );
  });

  it('allows 300 operators and refuses 301', () => {
    const clauses = (n: number) => Array.from({ length: n }, () => 'a = :v').join(' OR ');
    // n comparisons joined by n - 1 ORs: 2n - 1 operators.
    const values = { ':v': { S: 'x' } };
    expect(new ExpressionScope(undefined, values).condition(clauses(150)).root.kind).toBe('or');
    expect(filterError(clauses(151), undefined, values)).toBe(
      `${FILTER}The expression contains too many operators; operator count: 301`,
    );
  });

  it('allows a document path 32 levels deep and refuses 33', () => {
    const path = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`).join('.');
    expect(new ExpressionScope().condition(`attribute_exists(${path(32)})`).paths[0]).toHaveLength(32);
    expect(filterError(`attribute_exists(${path(33)})`)).toBe(
      `${FILTER}The document path has too many nesting levels; nesting levels: 33`,
    );
  });

  it('refuses a :value inside a document path', () => {
    expect(filterError('a.:b = :b', undefined, { ':b': { S: 'b' } })).toBe(
      `${FILTER}The document path cannot contain attribute value parameters; attribute value: :b`,
    );
  });

  it('reports the first problem of the first condition, operands before their operator', () => {
    expect(filterError('a = a AND b = :missing')).toMatch(/first operand must be distinct/);
    expect(filterError('b = :missing AND a = a')).toMatch(/attribute value: :missing$/);
    expect(filterError('attribute_exists(a, #missing)')).toMatch(/attribute name: #missing$/);
  });
});
