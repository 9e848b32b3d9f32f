/**
 * The DocumentClient (@aws-sdk/lib-dynamodb): JavaScript values marshalled to DynamoDB's
 * types and back (strings, numbers, booleans, null, arrays, objects, Sets, binaries, numbers
 * beyond double precision through NumberValue), and its commands for update, query
 * pagination, batches and transactions.
 */
import { DynamoDBClient, GetItemCommand as LowLevelGet } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  NumberValue,
  PutCommand,
  paginateQuery,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable, expectError, uniqueName, useDynamoDB } from './setup.js';

const t = useDynamoDB();
const TABLE = uniqueName('documents');

beforeAll(async () => {
  await createTable(t.ddb, { name: TABLE, attributes: { pk: 'S', sk: 'N' }, key: ['pk', 'sk'] });
});

const getDoc = async (pk: string, sk: number) =>
  (await t.doc.send(new GetCommand({ TableName: TABLE, Key: { pk, sk }, ConsistentRead: true }))).Item;

describe('DocumentClient', () => {
  it('round-trips JavaScript values', async () => {
    const item = {
      pk: 'doc',
      sk: 1,
      text: 'héllo',
      empty: '',
      int: 42,
      float: -3.25,
      yes: true,
      no: false,
      nothing: null,
      list: ['a', 1, false, null, { nested: ['deep'] }],
      map: { a: { b: { c: 'd' } }, n: 0 },
      strings: new Set(['x', 'y']),
      numbers: new Set([1, 2, 3]),
      binary: new Uint8Array([0, 1, 254, 255]),
    };
    await t.doc.send(new PutCommand({ TableName: TABLE, Item: item }));
    expect(await getDoc('doc', 1)).toEqual(item);
  });

  it('stores each JavaScript value as the DynamoDB type the DocumentClient documents', async () => {
    const raw = await t.ddb.send(
      new LowLevelGet({ TableName: TABLE, Key: { pk: { S: 'doc' }, sk: { N: '1' } }, ConsistentRead: true }),
    );
    const item = raw.Item ?? {};
    expect(item.int).toEqual({ N: '42' });
    expect(item.float).toEqual({ N: '-3.25' });
    expect(item.nothing).toEqual({ NULL: true });
    expect(item.strings.SS?.sort()).toEqual(['x', 'y']);
    expect(item.numbers.NS?.sort()).toEqual(['1', '2', '3']);
    expect(item.binary).toEqual({ B: new Uint8Array([0, 1, 254, 255]) });
    expect(item.list.L?.[4]).toEqual({ M: { nested: { L: [{ S: 'deep' }] } } });
  });

  it('keeps numbers beyond double precision exact with NumberValue', async () => {
    const big = '12345678901234567890.123456789';
    // its own low-level client: DocumentClient.from() stores its translation options on the client it wraps
    const exact = DynamoDBDocumentClient.from(new DynamoDBClient(t.h.clientConfig()), {
      unmarshallOptions: { wrapNumbers: true },
    });
    await exact.send(
      new PutCommand({ TableName: TABLE, Item: { pk: 'doc', sk: 2, big: NumberValue.from(big) } }),
    );
    const out = await exact.send(new GetCommand({ TableName: TABLE, Key: { pk: 'doc', sk: 2 } }));
    expect(out.Item?.big).toBeInstanceOf(NumberValue);
    expect(String(out.Item?.big)).toBe(big);
  });

  it('updates with plain values and returns the new item', async () => {
    await t.doc.send(
      new PutCommand({ TableName: TABLE, Item: { pk: 'doc', sk: 3, tags: new Set(['a']), count: 1 } }),
    );
    const out = await t.doc.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: 'doc', sk: 3 },
        UpdateExpression: 'ADD tags :t, #c :one SET profile = :p',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: {
          ':t': new Set(['b']),
          ':one': 1,
          ':p': { name: 'Ann', langs: ['en', 'fr'] },
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(out.Attributes).toEqual({
      pk: 'doc',
      sk: 3,
      tags: new Set(['a', 'b']),
      count: 2,
      profile: { name: 'Ann', langs: ['en', 'fr'] },
    });
  });

  it('surfaces a failed condition as ConditionalCheckFailedException with the item unmarshalled', async () => {
    await t.doc.send(new PutCommand({ TableName: TABLE, Item: { pk: 'doc', sk: 4, v: 1 } }));
    await expectError(
      t.doc.send(
        new DeleteCommand({
          TableName: TABLE,
          Key: { pk: 'doc', sk: 4 },
          ConditionExpression: 'v = :two',
          ExpressionAttributeValues: { ':two': 2 },
        }),
      ),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    expect(await getDoc('doc', 4)).toEqual({ pk: 'doc', sk: 4, v: 1 });
  });

  it('paginates a query with paginateQuery', async () => {
    await t.doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [TABLE]: Array.from({ length: 9 }, (_, i) => ({
            PutRequest: { Item: { pk: 'paged', sk: i, odd: i % 2 === 1 } },
          })),
        },
      }),
    );
    const pages = [];
    for await (const page of paginateQuery(
      { client: t.doc, pageSize: 4 },
      { TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'paged' } },
    )) {
      pages.push(page.Items ?? []);
    }
    expect(pages.flat().map((i) => i.sk)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(pages[0]).toHaveLength(4);
  });

  it('reads a batch and writes a transaction of plain objects', async () => {
    await t.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: TABLE, Item: { pk: 'tx', sk: 1, v: 'one' } } },
          { Put: { TableName: TABLE, Item: { pk: 'tx', sk: 2, v: 'two' } } },
        ],
      }),
    );
    const out = await t.doc.send(
      new BatchGetCommand({
        RequestItems: {
          [TABLE]: {
            Keys: [
              { pk: 'tx', sk: 1 },
              { pk: 'tx', sk: 2 },
            ],
          },
        },
      }),
    );
    const values = (out.Responses?.[TABLE] ?? []).map((i) => i.v).sort();
    expect(values).toEqual(['one', 'two']);
  });
});
