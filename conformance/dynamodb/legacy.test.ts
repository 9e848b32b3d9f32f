/**
 * The legacy conditional parameters older code still sends: Expected (with Exists, Value,
 * ComparisonOperator and ConditionalOperator), AttributesToGet, AttributeUpdates,
 * KeyConditions, QueryFilter and ScanFilter; and the rule that a request uses either these or
 * expressions. Semantics from the API reference ("Legacy conditional parameters").
 */
import {
  type AttributeValue,
  type Condition,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable, enveloped, expectError, expectValidation, uniqueName, useDynamoDB } from './setup.js';

const t = useDynamoDB();
const TABLE = uniqueName('legacy');
type Item = Record<string, AttributeValue>;

beforeAll(async () => {
  await createTable(t.ddb, { name: TABLE, attributes: { pk: 'S', sk: 'N' }, key: ['pk', 'sk'] });
  for (let i = 1; i <= 6; i++) {
    await t.ddb.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: {
          pk: { S: 'scan' },
          sk: { N: String(i) },
          n: { N: String(i * 10) },
          label: { S: i % 2 ? `odd-${i}` : `even-${i}` },
          ...(i <= 3 ? { tags: { SS: [`t${i}`, 'common'] } } : {}),
        },
      }),
    );
  }
});

const key = (sk: number, pk = 'item'): Item => ({ pk: { S: pk }, sk: { N: String(sk) } });
const get = async (sk: number) =>
  (await t.ddb.send(new GetItemCommand({ TableName: TABLE, Key: key(sk), ConsistentRead: true }))).Item;
const put = (Item: Item, extra: Partial<ConstructorParameters<typeof PutItemCommand>[0]> = {}) =>
  t.ddb.send(new PutItemCommand({ TableName: TABLE, Item, ...extra }));

describe('Expected', () => {
  it('Exists false makes a create-only put', async () => {
    const item = { ...key(1), v: { N: '1' } };
    await put(item, { Expected: { pk: { Exists: false } } });
    await expectError(
      put({ ...key(1), v: { N: '2' } }, { Expected: { pk: { Exists: false } } }),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    expect(await get(1)).toEqual(item);
  });

  it('a Value alone requires the attribute to equal it', async () => {
    await put({ ...key(2), v: { N: '1' } });
    await put({ ...key(2), v: { N: '2' } }, { Expected: { v: { Value: { N: '1' } } } });
    await expectError(
      put({ ...key(2), v: { N: '3' } }, { Expected: { v: { Value: { N: '1' } } } }),
      'ConditionalCheckFailedException',
    );
    expect((await get(2))?.v).toEqual({ N: '2' });
  });

  it('ComparisonOperator conditions combine with ConditionalOperator AND (default) or OR', async () => {
    await put({ ...key(3), v: { N: '5' }, s: { S: 'abc' } });
    const gt = { v: { ComparisonOperator: 'GT' as const, AttributeValueList: [{ N: '10' }] } };
    const prefix = { s: { ComparisonOperator: 'BEGINS_WITH' as const, AttributeValueList: [{ S: 'ab' }] } };
    await expectError(
      put({ ...key(3), v: { N: '6' } }, { Expected: { ...gt, ...prefix } }),
      'ConditionalCheckFailedException',
    );
    await put(
      { ...key(3), v: { N: '6' }, s: { S: 'abc' } },
      { Expected: { ...gt, ...prefix }, ConditionalOperator: 'OR' },
    );
    expect((await get(3))?.v).toEqual({ N: '6' });
  });

  it('requires a Value when Exists is true', async () => {
    await expectValidation(
      put(key(4), { Expected: { v: { Exists: true } } }),
      enveloped(
        'One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: v',
      ),
    );
  });

  it('checks the number of values for the operator', async () => {
    await expectValidation(
      put(key(4), { Expected: { v: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }] } } }),
      enveloped(
        'One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator',
      ),
    );
  });
});

describe('AttributesToGet and AttributeUpdates', () => {
  it('AttributesToGet returns only the named attributes', async () => {
    await put({ ...key(5), a: { S: 'a' }, b: { S: 'b' }, c: { S: 'c' } });
    const out = await t.ddb.send(
      new GetItemCommand({ TableName: TABLE, Key: key(5), AttributesToGet: ['a', 'c'] }),
    );
    expect(out.Item).toEqual({ a: { S: 'a' }, c: { S: 'c' } });
  });

  it('AttributeUpdates PUT, ADD and DELETE change attributes and sets', async () => {
    await put({ ...key(6), n: { N: '1' }, tags: { SS: ['a', 'b'] }, gone: { S: 'x' } });
    const out = await t.ddb.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: key(6),
        AttributeUpdates: {
          name: { Action: 'PUT', Value: { S: 'Ann' } },
          n: { Action: 'ADD', Value: { N: '4' } },
          tags: { Action: 'DELETE', Value: { SS: ['a'] } },
          gone: { Action: 'DELETE' },
          fresh: { Action: 'ADD', Value: { NS: ['7'] } },
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(out.Attributes).toEqual({
      ...key(6),
      name: { S: 'Ann' },
      n: { N: '5' },
      tags: { SS: ['b'] },
      fresh: { NS: ['7'] },
    });
  });

  it('refuses to mix legacy parameters with expressions', async () => {
    await expectValidation(
      t.ddb.send(
        new GetItemCommand({
          TableName: TABLE,
          Key: key(5),
          AttributesToGet: ['a'],
          ProjectionExpression: 'b',
        }),
      ),
      enveloped(
        'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
      ),
    );
  });
});

describe('KeyConditions, QueryFilter and ScanFilter', () => {
  it('KeyConditions select a partition and a sort key range', async () => {
    const out = await t.ddb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditions: {
          pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'scan' }] },
          sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '2' }, { N: '4' }] },
        },
      }),
    );
    expect(out.Items?.map((i) => i.sk.N)).toEqual(['2', '3', '4']);
  });

  it('QueryFilter filters after the key condition, counting what it read', async () => {
    const out = await t.ddb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'scan' }] } },
        QueryFilter: { label: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'even' }] } },
        AttributesToGet: ['sk', 'label'],
      }),
    );
    expect(out.Items).toEqual([
      { sk: { N: '2' }, label: { S: 'even-2' } },
      { sk: { N: '4' }, label: { S: 'even-4' } },
      { sk: { N: '6' }, label: { S: 'even-6' } },
    ]);
    expect(out.ScannedCount).toBe(6);
  });

  const filters: [string, Record<string, Condition>, string[]][] = [
    [
      'BETWEEN',
      { n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '20' }, { N: '40' }] } },
      ['2', '3', '4'],
    ],
    ['IN', { n: { ComparisonOperator: 'IN', AttributeValueList: [{ N: '10' }, { N: '60' }] } }, ['1', '6']],
    ['CONTAINS', { tags: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ S: 't2' }] } }, ['2']],
    [
      'NOT_CONTAINS',
      { label: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'odd' }] } },
      ['2', '4', '6'],
    ],
    ['NOT_NULL', { tags: { ComparisonOperator: 'NOT_NULL' } }, ['1', '2', '3']],
    ['NULL', { tags: { ComparisonOperator: 'NULL' } }, ['4', '5', '6']],
    ['NE', { n: { ComparisonOperator: 'NE', AttributeValueList: [{ N: '10' }] } }, ['2', '3', '4', '5', '6']],
    ['LE', { n: { ComparisonOperator: 'LE', AttributeValueList: [{ N: '20' }] } }, ['1', '2']],
  ];
  it.each(filters)('ScanFilter %s selects the matching items', async (_op, ScanFilter, expected) => {
    const out = await t.ddb.send(new ScanCommand({ TableName: TABLE, ScanFilter }));
    const found = (out.Items ?? []).filter((i) => i.pk.S === 'scan').map((i) => i.sk.N);
    expect(found.sort()).toEqual(expected);
  });

  it('ConditionalOperator OR joins ScanFilter conditions', async () => {
    const out = await t.ddb.send(
      new ScanCommand({
        TableName: TABLE,
        ScanFilter: {
          n: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '10' }] },
          label: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'even-6' }] },
        },
        ConditionalOperator: 'OR',
      }),
    );
    expect((out.Items ?? []).map((i) => i.sk.N).sort()).toEqual(['1', '6']);
  });
});
