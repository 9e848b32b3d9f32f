/**
 * What the issue names of items and reads that the other suites left unproven:
 * ReturnItemCollectionMetrics on every write (only tables with a local index have item
 * collections), ReturnConsumedCapacity on reads, batches and transactions, and Select's
 * SPECIFIC_ATTRIBUTES and ALL_PROJECTED_ATTRIBUTES, with a local index fetching from the
 * table what it does not project (API reference, Query's Select).
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable, expectValidation, uniqueName, useDynamoDB } from './setup.js';

const t = useDynamoDB();
const COLLECTED = uniqueName('collected');
const PLAIN = uniqueName('plain');

type Item = Record<string, AttributeValue>;
const item = (pk: string, sk: string, extra: Item = {}): Item => ({
  pk: { S: pk },
  sk: { S: sk },
  ...extra,
});

beforeAll(async () => {
  await createTable(t.ddb, {
    name: COLLECTED,
    attributes: { pk: 'S', sk: 'S', n: 'N', g: 'S' },
    key: ['pk', 'sk'],
    lsis: [{ name: 'byN', key: ['pk', 'n'], projection: { ProjectionType: 'KEYS_ONLY' } }],
    gsis: [
      {
        name: 'byG',
        key: ['g'],
        projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['shown'] },
      },
    ],
  });
  await createTable(t.ddb, { name: PLAIN, attributes: { pk: 'S', sk: 'S' }, key: ['pk', 'sk'] });
  for (const sk of ['1', '2', '3']) {
    await t.ddb.send(
      new PutItemCommand({
        TableName: COLLECTED,
        Item: item('reads', sk, {
          n: { N: sk },
          g: { S: 'group' },
          shown: { S: `shown-${sk}` },
          secret: { S: `secret-${sk}` },
        }),
      }),
    );
  }
});

const collection = (pk: string) => ({ ItemCollectionKey: { pk: { S: pk } }, SizeEstimateRangeGB: [0, 1] });

describe('ReturnItemCollectionMetrics', () => {
  it('answers the item collection of each single-item write on a table with a local index', async () => {
    const put = await t.ddb.send(
      new PutItemCommand({
        TableName: COLLECTED,
        Item: item('metrics', 'a', { n: { N: '1' } }),
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    expect(put.ItemCollectionMetrics).toEqual(collection('metrics'));
    const updated = await t.ddb.send(
      new UpdateItemCommand({
        TableName: COLLECTED,
        Key: item('metrics', 'a'),
        UpdateExpression: 'SET x = :x',
        ExpressionAttributeValues: { ':x': { S: 'y' } },
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    expect(updated.ItemCollectionMetrics).toEqual(collection('metrics'));
    const deleted = await t.ddb.send(
      new DeleteItemCommand({
        TableName: COLLECTED,
        Key: item('metrics', 'a'),
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    expect(deleted.ItemCollectionMetrics).toEqual(collection('metrics'));
    const none = await t.ddb.send(
      new PutItemCommand({
        TableName: COLLECTED,
        Item: item('metrics', 'b'),
        ReturnItemCollectionMetrics: 'NONE',
      }),
    );
    expect(none.ItemCollectionMetrics).toBeUndefined();
  });

  it('answers nothing for a table without a local index', async () => {
    const put = await t.ddb.send(
      new PutItemCommand({
        TableName: PLAIN,
        Item: item('metrics', 'a'),
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    expect(put.ItemCollectionMetrics).toBeUndefined();
  });

  it('answers per table for BatchWriteItem and TransactWriteItems', async () => {
    const batch = await t.ddb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [COLLECTED]: [
            { PutRequest: { Item: item('batch-1', 'a') } },
            { PutRequest: { Item: item('batch-2', 'a') } },
          ],
          [PLAIN]: [{ PutRequest: { Item: item('batch-1', 'a') } }],
        },
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    expect(batch.ItemCollectionMetrics).toEqual({
      [COLLECTED]: [collection('batch-1'), collection('batch-2')],
    });

    const transaction = await t.ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: COLLECTED, Item: item('tx-1', 'a') } },
          { Delete: { TableName: COLLECTED, Key: item('batch-2', 'a') } },
          { Put: { TableName: PLAIN, Item: item('tx-1', 'a') } },
        ],
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    expect(transaction.ItemCollectionMetrics).toEqual({
      [COLLECTED]: [collection('tx-1'), collection('batch-2')],
    });
  });
});

describe('ReturnConsumedCapacity on reads, batches and transactions', () => {
  it('charges a Query and a Scan by what they read, per index with INDEXES', async () => {
    const query = await t.ddb.send(
      new QueryCommand({
        TableName: COLLECTED,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'reads' } },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(query.ConsumedCapacity).toEqual({ TableName: COLLECTED, CapacityUnits: 1 });
    const onIndex = await t.ddb.send(
      new QueryCommand({
        TableName: COLLECTED,
        IndexName: 'byG',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': { S: 'group' } },
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    expect(onIndex.ConsumedCapacity).toEqual({
      TableName: COLLECTED,
      CapacityUnits: 0.5,
      Table: { CapacityUnits: 0 },
      GlobalSecondaryIndexes: { byG: { CapacityUnits: 0.5 } },
    });
    const scan = await t.ddb.send(new ScanCommand({ TableName: PLAIN, ReturnConsumedCapacity: 'TOTAL' }));
    expect(scan.ConsumedCapacity).toEqual({ TableName: PLAIN, CapacityUnits: 0.5 });
    const none = await t.ddb.send(new ScanCommand({ TableName: PLAIN, ReturnConsumedCapacity: 'NONE' }));
    expect(none.ConsumedCapacity).toBeUndefined();
  });

  it('lists the units of each table of a batch', async () => {
    const read = await t.ddb.send(
      new BatchGetItemCommand({
        RequestItems: {
          [COLLECTED]: { Keys: [item('reads', '1'), item('reads', '2')], ConsistentRead: true },
          [PLAIN]: { Keys: [item('nothing', 'here')] },
        },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(read.ConsumedCapacity).toEqual(
      expect.arrayContaining([
        { TableName: COLLECTED, CapacityUnits: 2 },
        { TableName: PLAIN, CapacityUnits: 0.5 },
      ]),
    );
    expect(read.ConsumedCapacity).toHaveLength(2);

    const write = await t.ddb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [PLAIN]: [{ PutRequest: { Item: item('cap', 'a') } }, { PutRequest: { Item: item('cap', 'b') } }],
        },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(write.ConsumedCapacity).toEqual([{ TableName: PLAIN, CapacityUnits: 2 }]);
  });

  it('charges transactions twice what plain reads and writes cost', async () => {
    const write = await t.ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: PLAIN, Item: item('tx-cap', 'a') } },
          { Put: { TableName: PLAIN, Item: item('tx-cap', 'b') } },
        ],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(write.ConsumedCapacity).toEqual([{ TableName: PLAIN, CapacityUnits: 4, WriteCapacityUnits: 4 }]);
    const read = await t.ddb.send(
      new TransactGetItemsCommand({
        TransactItems: [{ Get: { TableName: PLAIN, Key: item('tx-cap', 'a') } }],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(read.ConsumedCapacity).toEqual([{ TableName: PLAIN, CapacityUnits: 2, ReadCapacityUnits: 2 }]);
  });
});

describe('Select', () => {
  const partition: QueryCommandInput = {
    TableName: COLLECTED,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': { S: 'reads' } },
  };
  const query = (input: Partial<QueryCommandInput>) =>
    t.ddb.send(new QueryCommand({ ...partition, ...input }));

  it('SPECIFIC_ATTRIBUTES returns what the projection names, and needs one', async () => {
    const out = await query({ Select: 'SPECIFIC_ATTRIBUTES', ProjectionExpression: 'sk, shown' });
    expect(out.Items).toEqual(['1', '2', '3'].map((sk) => ({ sk: { S: sk }, shown: { S: `shown-${sk}` } })));
    await expectValidation(
      query({ Select: 'SPECIFIC_ATTRIBUTES' }),
      /^(?:1 validation error detected: )?Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES$/,
    );
    await expectValidation(
      query({ Select: 'ALL_ATTRIBUTES', ProjectionExpression: 'sk' }),
      'Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES',
    );
  });

  it('ALL_PROJECTED_ATTRIBUTES returns what an index projects, and needs an index', async () => {
    const global = await query({
      IndexName: 'byG',
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': { S: 'group' } },
      Select: 'ALL_PROJECTED_ATTRIBUTES',
    });
    expect(global.Items?.map((i) => Object.keys(i).sort())).toEqual([
      ['g', 'pk', 'shown', 'sk'],
      ['g', 'pk', 'shown', 'sk'],
      ['g', 'pk', 'shown', 'sk'],
    ]);
    const local = await query({
      IndexName: 'byN',
      Select: 'ALL_PROJECTED_ATTRIBUTES',
      ScanIndexForward: false,
    });
    expect(local.Items).toEqual(
      ['3', '2', '1'].map((n) => ({ pk: { S: 'reads' }, sk: { S: n }, n: { N: n } })),
    );
    await expectValidation(
      query({ Select: 'ALL_PROJECTED_ATTRIBUTES' }),
      'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName',
    );
  });

  it('fetches from the table the named attributes a local index does not project', async () => {
    const named = await query({ IndexName: 'byN', ProjectionExpression: 'n, secret' });
    expect(named.Items).toEqual(['1', '2', '3'].map((n) => ({ n: { N: n }, secret: { S: `secret-${n}` } })));
    const specific = await query({
      IndexName: 'byN',
      Select: 'SPECIFIC_ATTRIBUTES',
      ProjectionExpression: 'secret',
      Limit: 1,
    });
    expect(specific.Items).toEqual([{ secret: { S: 'secret-1' } }]);
  });

  it('refuses a consistent Scan of a global index, as it does a Query', async () => {
    await expectValidation(
      t.ddb.send(new ScanCommand({ TableName: COLLECTED, IndexName: 'byG', ConsistentRead: true })),
      'Consistent reads are not supported on global secondary indexes',
    );
    const local = await t.ddb.send(
      new ScanCommand({ TableName: COLLECTED, IndexName: 'byN', ConsistentRead: true }),
    );
    expect(local.Count).toBeGreaterThanOrEqual(3);
  });

  it('returns from a global index only what it projects, whatever the projection names', async () => {
    const out = await query({
      IndexName: 'byG',
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': { S: 'group' } },
      ProjectionExpression: 'shown, secret',
    });
    expect(out.Items?.map((i) => Object.keys(i))).toEqual([['shown'], ['shown'], ['shown']]);
  });
});
