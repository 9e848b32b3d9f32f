/**
 * The expression language: condition functions and operators evaluated against one item,
 * decimal arithmetic in update expressions, and the errors DynamoDB gives for malformed
 * expressions (syntax, undefined or unused names and values, reserved words, overlapping or
 * conflicting paths, operand types). Grammar from the developer guide ("Condition and filter
 * expressions, operators, and functions"); messages from captures of live DynamoDB.
 */
import {
  type AttributeValue,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bytes,
  createTable,
  enveloped,
  expectError,
  expectValidation,
  startsWith,
  uniqueName,
  useDynamoDB,
} from './setup.js';

const t = useDynamoDB();
const TABLE = uniqueName('expressions');
type Item = Record<string, AttributeValue>;

const fixture: Item = {
  id: { S: 'fixture' },
  n: { N: '5' },
  s: { S: 'hello world' },
  b: { B: bytes(1, 2, 3) },
  flag: { BOOL: true },
  nothing: { NULL: true },
  blank: { S: '' },
  ss: { SS: ['red', 'green'] },
  ns: { NS: ['1', '2', '3'] },
  l: { L: [{ S: 'a' }, { N: '2' }, { M: { x: { S: 'y' } } }] },
  m: { M: { k: { S: 'v' }, deep: { M: { arr: { L: [{ N: '10' }, { N: '20' }] } } } } },
  'dotted.attr': { S: 'literal' },
};

const values: Item = {
  ':one': { N: '1' },
  ':two': { N: '2' },
  ':three': { N: '3' },
  ':four': { N: '4' },
  ':five': { N: '5' },
  ':six': { N: '6' },
  ':ten': { N: '10' },
  ':eleven': { N: '11' },
  ':fiveStr': { S: '5' },
  ':hello': { S: 'hello world' },
  ':he': { S: 'he' },
  ':wor': { S: 'wor' },
  ':i': { S: 'i' },
  ':red': { S: 'red' },
  ':a': { S: 'a' },
  ':x': { S: 'x' },
  ':emptyStr': { S: '' },
  ':literal': { S: 'literal' },
  ':false': { BOOL: false },
  ':b12': { B: bytes(1, 2) },
  ':typeN': { S: 'N' },
  ':typeSS': { S: 'SS' },
  ':typeNULL': { S: 'NULL' },
  ':typeM': { S: 'M' },
};

beforeAll(async () => {
  await createTable(t.ddb, { name: TABLE, attributes: { id: 'S' }, key: ['id'] });
  await t.ddb.send(new PutItemCommand({ TableName: TABLE, Item: fixture }));
});

/** Whether a condition holds on the fixture: a put of the same item under that condition. */
async function holds(condition: string, names?: Record<string, string>): Promise<boolean> {
  const used = Object.fromEntries(
    Object.entries(values).filter(([k]) => new RegExp(`${k}\\b`).test(condition)),
  );
  try {
    await t.ddb.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: fixture,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: Object.keys(used).length ? used : undefined,
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

const scan = (input: Omit<ConstructorParameters<typeof ScanCommand>[0], 'TableName'>) =>
  t.ddb.send(new ScanCommand({ TableName: TABLE, ...input }));
const update = (input: Omit<ConstructorParameters<typeof UpdateItemCommand>[0], 'TableName' | 'Key'>) =>
  t.ddb.send(new UpdateItemCommand({ TableName: TABLE, Key: { id: { S: 'scratch' } }, ...input }));

describe('condition operators and functions', () => {
  it.each([
    ['n = :five', true],
    ['n <> :four', true],
    ['n < :ten', true],
    ['n <= :five', true],
    ['n > :five', false],
    ['n >= :five', true],
    ['s < :i', true],
    ['n BETWEEN :one AND :ten', true],
    ['n BETWEEN :six AND :ten', false],
    ['n IN (:one, :five)', true],
    ['s IN (:a, :x)', false],
    ['n = :five AND s = :hello', true],
    ['n = :one OR s = :hello', true],
    ['NOT n = :five', false],
    ['(n = :one OR n = :five) AND NOT flag = :false', true],
    ['blank = :emptyStr', true],
  ])('comparison %s is %s', async (condition, expected) => {
    expect(await holds(condition)).toBe(expected);
  });

  it.each([
    ['attribute_exists(m.deep.arr[1])', true],
    ['attribute_exists(m.deep.arr[2])', false],
    ['attribute_exists(nothing)', true],
    ['attribute_not_exists(absent)', true],
    ['attribute_not_exists(m.k)', false],
    ['attribute_type(n, :typeN)', true],
    ['attribute_type(ss, :typeSS)', true],
    ['attribute_type(nothing, :typeNULL)', true],
    ['attribute_type(l, :typeM)', false],
    ['begins_with(s, :he)', true],
    ['begins_with(s, :wor)', false],
    ['begins_with(b, :b12)', true],
    ['contains(s, :wor)', true],
    ['contains(ss, :red)', true],
    ['contains(ns, :two)', true],
    ['contains(l, :a)', true],
    ['contains(l, :x)', false],
    ['size(s) = :eleven', true],
    ['size(b) = :three', true],
    ['size(ss) = :two', true],
    ['size(l) = :three', true],
    ['size(m) = :two', true],
    ['m.deep.arr[0] = :ten', true],
    ['l[2].x = :x', false],
  ])('function %s is %s', async (condition, expected) => {
    expect(await holds(condition)).toBe(expected);
  });

  it('reads an attribute whose name contains a dot only through an expression attribute name', async () => {
    expect(await holds('#d = :literal', { '#d': 'dotted.attr' })).toBe(true);
    // unaliased, the dot is a map dereference of an attribute "dotted" that does not exist
    expect(await holds('dotted.attr = :literal')).toBe(false);
  });

  it('compares values of different types as unequal, without an error', async () => {
    expect(await holds('s = :five')).toBe(false);
    expect(await holds('n = :fiveStr')).toBe(false);
  });
});

describe('update arithmetic', () => {
  it('adds and subtracts in decimal, not binary floating point', async () => {
    await update({ UpdateExpression: 'SET x = :a', ExpressionAttributeValues: { ':a': { N: '0.1' } } });
    await update({ UpdateExpression: 'ADD x :b', ExpressionAttributeValues: { ':b': { N: '0.2' } } });
    const out = await update({
      UpdateExpression: 'SET y = :big + :one, z = :long - :small',
      ExpressionAttributeValues: {
        ':big': { N: '99999999999999999999999999999999999999' },
        ':one': { N: '1' },
        ':long': { N: '12345678901234567890.123' },
        ':small': { N: '0.023' },
      },
      ReturnValues: 'ALL_NEW',
    });
    expect(out.Attributes?.x).toEqual({ N: '0.3' });
    expect(out.Attributes?.y).toEqual({ N: '100000000000000000000000000000000000000' });
    expect(out.Attributes?.z).toEqual({ N: '12345678901234567890.1' });
  });
});

describe('expression errors', () => {
  it('reports a syntax error with the offending token', async () => {
    await expectValidation(
      scan({ FilterExpression: 'n = = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }),
      startsWith('Invalid FilterExpression: Syntax error; token: "="'),
    );
    await expectValidation(
      update({ UpdateExpression: 'SET a = :v,', ExpressionAttributeValues: { ':v': { N: '1' } } }),
      startsWith('Invalid UpdateExpression: Syntax error; ', true),
    );
  });

  it('rejects an empty update expression', async () => {
    await expectValidation(
      update({ UpdateExpression: '' }),
      enveloped('Invalid UpdateExpression: The expression can not be empty;'),
    );
  });

  it('names an undefined expression attribute value', async () => {
    await expectValidation(
      t.ddb.send(
        new PutItemCommand({ TableName: TABLE, Item: fixture, ConditionExpression: 'n = :missing' }),
      ),
      enveloped(
        'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :missing',
      ),
    );
  });

  it('names an undefined expression attribute name', async () => {
    await expectValidation(
      scan({ FilterExpression: '#missing = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }),
      'Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute name: #missing',
    );
  });

  it('rejects expression attribute values and names that no expression uses', async () => {
    await expectValidation(
      scan({
        FilterExpression: 'n = :v',
        ExpressionAttributeValues: { ':v': { N: '1' }, ':extra': { N: '2' } },
      }),
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:extra}',
    );
    await expectValidation(
      scan({
        FilterExpression: '#n = :v',
        ExpressionAttributeNames: { '#n': 'n', '#extra': 'x' },
        ExpressionAttributeValues: { ':v': { N: '1' } },
      }),
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#extra}',
    );
  });

  it('rejects empty ExpressionAttributeValues and names given without an expression', async () => {
    await expectValidation(
      scan({ FilterExpression: 'attribute_exists(n)', ExpressionAttributeValues: {} }),
      'ExpressionAttributeValues must not be empty',
    );
    await expectValidation(
      t.ddb.send(
        new GetItemCommand({
          TableName: TABLE,
          Key: { id: { S: 'fixture' } },
          ExpressionAttributeNames: { '#a': 'a' },
        }),
      ),
      'ExpressionAttributeNames can only be specified when using expressions',
    );
  });

  it('rejects reserved words used as bare attribute names', async () => {
    await expectValidation(
      update({ UpdateExpression: 'SET name = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }),
      enveloped('Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name'),
    );
    await expectValidation(
      scan({ FilterExpression: 'status = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }),
      'Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: status',
    );
    await expectValidation(
      scan({ ProjectionExpression: 'id, ttl' }),
      'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: ttl',
    );
  });

  it('rejects two actions on the same or overlapping paths', async () => {
    await expectValidation(
      update({ UpdateExpression: 'SET a = :v, a = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }),
      enveloped(
        'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]',
      ),
    );
    await expectValidation(
      update({ UpdateExpression: 'SET m = :v REMOVE m.k', ExpressionAttributeValues: { ':v': { N: '1' } } }),
      enveloped(
        'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m], path two: [m, k]',
      ),
    );
    await expectValidation(
      scan({ ProjectionExpression: 'm, m.k' }),
      'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m], path two: [m, k]',
    );
  });

  it('rejects paths that treat the same attribute as both a map and a list', async () => {
    await expectValidation(
      update({
        UpdateExpression: 'REMOVE a.c SET a[1] = :v',
        ExpressionAttributeValues: { ':v': { N: '1' } },
      }),
      enveloped(
        'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, c], path two: [a, [1]]',
      ),
    );
  });

  it('allows each update section once', async () => {
    await expectValidation(
      update({ UpdateExpression: 'SET a = :v SET b = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }),
      enveloped('Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'),
    );
  });

  it('rejects operands of the wrong type before reading the item', async () => {
    const s = { ':s': { S: 'text' } };
    await expectValidation(
      update({ UpdateExpression: 'ADD a :s', ExpressionAttributeValues: s }),
      enveloped(
        'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND',
      ),
    );
    await expectValidation(
      update({ UpdateExpression: 'SET a = a + :s', ExpressionAttributeValues: s }),
      enveloped(
        'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S',
      ),
    );
    await expectValidation(
      update({ UpdateExpression: 'SET a = list_append(:s, a)', ExpressionAttributeValues: s }),
      enveloped(
        'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S',
      ),
    );
    await expectValidation(
      scan({ FilterExpression: 'begins_with(s, :n)', ExpressionAttributeValues: { ':n': { N: '1' } } }),
      'Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    );
    await expectValidation(
      scan({ FilterExpression: 'n < :t', ExpressionAttributeValues: { ':t': { BOOL: true } } }),
      'Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: <, operand type: BOOL',
    );
  });

  it('rejects unknown functions and wrong operand counts', async () => {
    await expectValidation(
      scan({ FilterExpression: 'foo(n)' }),
      'Invalid FilterExpression: Invalid function name; function: foo',
    );
    await expectValidation(
      update({ UpdateExpression: 'SET a = if_not_exists(c)' }),
      enveloped(
        'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1',
      ),
    );
  });

  it('rejects redundant parentheses', async () => {
    await expectValidation(
      scan({ FilterExpression: '((n = :v))', ExpressionAttributeValues: { ':v': { N: '1' } } }),
      'Invalid FilterExpression: The expression has redundant parentheses;',
    );
  });

  it('never answers a malformed expression with anything but a ValidationException', async () => {
    const garbage = [
      'SET',
      'SET a',
      'REMOVE',
      'SET a = :v +',
      'ADD a',
      'SET #',
      'SET a[ = :v',
      'SET a = (:v',
      '\u0000',
    ];
    for (const UpdateExpression of garbage) {
      const error = await expectError(
        update({ UpdateExpression, ExpressionAttributeValues: { ':v': { N: '1' } } }),
        'ValidationException',
      );
      expect(error.message, UpdateExpression).toMatch(
        /^(?:1 validation error detected: )?Invalid UpdateExpression: /,
      );
    }
  });
});
