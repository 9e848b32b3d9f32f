/**
 * Secondary indexes beyond the single lookups: paging through equal index keys, scanning an
 * index in parallel segments, index counters in DescribeTable, a GSI added to a table with
 * items and removed again, and the per-index write capacity DynamoDB reports.
 */
import {
  type AttributeValue,
  DeleteItemCommand,
  DescribeTableCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable, uniqueName, useDynamoDB, waitForActive } from './setup.js';

const t = useDynamoDB();
const ORDERS = uniqueName('orders');

type Item = Record<string, AttributeValue>;

beforeAll(async () => {
  await createTable(t.ddb, {
    name: ORDERS,
    attributes: { pk: 'S', sk: 'S', status: 'S', placed: 'N' },
    key: ['pk', 'sk'],
    gsis: [
      { name: 'by-status', key: ['status', 'placed'], projection: { ProjectionType: 'KEYS_ONLY' } },
      { name: 'status-only', key: ['status'] },
    ],
    lsis: [{ name: 'by-placed', key: ['pk', 'placed'] }],
  });
  for (let i = 0; i < 30; i++) {
    const item: Item = {
      pk: { S: `c${i % 3}` },
      sk: { S: `o${String(i).padStart(2, '0')}` },
      total: { N: `${i}` },
    };
    // every third order has no status: it stays out of the status indexes
    if (i % 3 !== 0) {
      item.status = { S: i % 2 ? 'open' : 'shipped' };
      item.placed = { N: `${100 + (i % 4)}` };
    }
    await t.ddb.send(new PutItemCommand({ TableName: ORDERS, Item: item }));
  }
});

async function queryAll(
  input: ConstructorParameters<typeof QueryCommand>[0],
  limit: number,
): Promise<Item[]> {
  const out: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await t.ddb.send(new QueryCommand({ ...input, Limit: limit, ExclusiveStartKey: start }));
    out.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

describe('paging an index', () => {
  it('visits every item with an equal index key exactly once, in index order, both ways', async () => {
    const input = {
      TableName: ORDERS,
      IndexName: 'status-only',
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': { S: 'open' } },
    };
    const all = await queryAll(input, 100);
    expect(all).toHaveLength(10);
    for (const limit of [1, 3, 7]) {
      const forward = await queryAll(input, limit);
      expect(forward.map((i) => `${i.pk?.S}/${i.sk?.S}`)).toEqual(all.map((i) => `${i.pk?.S}/${i.sk?.S}`));
      const backward = await queryAll({ ...input, ScanIndexForward: false }, limit);
      expect(backward.map((i) => i.sk?.S)).toEqual(all.map((i) => i.sk?.S).reverse());
    }
  });

  it('orders a KEYS_ONLY index by its sort key and returns only keys', async () => {
    const items = await queryAll(
      {
        TableName: ORDERS,
        IndexName: 'by-status',
        KeyConditionExpression: '#s = :s AND placed BETWEEN :a AND :b',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'shipped' }, ':a': { N: '101' }, ':b': { N: '103' } },
      },
      4,
    );
    const placed = items.map((i) => Number(i.placed?.N));
    expect(placed).toEqual([...placed].sort((a, b) => a - b));
    expect(placed.every((p) => p >= 101 && p <= 103)).toBe(true);
    for (const item of items) expect(Object.keys(item).sort()).toEqual(['pk', 'placed', 'sk', 'status']);
  });

  it('queries a local index in its sort order', async () => {
    const items = await queryAll(
      {
        TableName: ORDERS,
        IndexName: 'by-placed',
        KeyConditionExpression: 'pk = :p AND placed >= :min',
        ExpressionAttributeValues: { ':p': { S: 'c1' }, ':min': { N: '0' } },
      },
      2,
    );
    const placed = items.map((i) => Number(i.placed?.N));
    expect(items.length).toBe(10);
    expect(placed).toEqual([...placed].sort((a, b) => a - b));
    expect(items[0]?.total).toBeDefined();
  });
});

describe('scanning an index', () => {
  it('splits a GSI into segments that together hold each indexed item once', async () => {
    const seen: string[] = [];
    for (let segment = 0; segment < 4; segment++) {
      let start: Item | undefined;
      do {
        const page = await t.ddb.send(
          new ScanCommand({
            TableName: ORDERS,
            IndexName: 'status-only',
            Segment: segment,
            TotalSegments: 4,
            Limit: 3,
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) seen.push(`${item.pk?.S}/${item.sk?.S}`);
        start = page.LastEvaluatedKey;
      } while (start);
    }
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(20);
  });
});

describe('index lifecycle', () => {
  it('counts each index in DescribeTable: only the items it holds', async () => {
    const { Table } = await t.ddb.send(new DescribeTableCommand({ TableName: ORDERS }));
    expect(Table?.ItemCount).toBe(30);
    const gsis = Object.fromEntries(
      (Table?.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, g.ItemCount]),
    );
    expect(gsis).toEqual({ 'by-status': 20, 'status-only': 20 });
    expect(Table?.LocalSecondaryIndexes?.[0]?.ItemCount).toBe(20);
    expect(Table?.TableSizeBytes).toBeGreaterThan(0);
  });

  it('backfills a GSI created on a table with items, and drops it on delete', async () => {
    const name = uniqueName('backfill');
    await createTable(t.ddb, { name, attributes: { id: 'S' }, key: ['id'] });
    for (let i = 0; i < 12; i++) {
      await t.ddb.send(
        new PutItemCommand({
          TableName: name,
          Item: { id: { S: `i${i}` }, ...(i % 2 ? { g: { N: `${i % 3}` } } : {}) },
        }),
      );
    }
    await t.ddb.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'N' }],
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'by-g',
              KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
    const table = await waitForActive(t.ddb, name);
    expect(table.GlobalSecondaryIndexes?.[0]?.ItemCount).toBe(6);
    const ones = await t.ddb.send(
      new QueryCommand({
        TableName: name,
        IndexName: 'by-g',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': { N: '1' } },
      }),
    );
    expect(ones.Items?.map((i) => i.id?.S).sort()).toEqual(['i1', 'i7']);

    await t.ddb.send(
      new UpdateTableCommand({
        TableName: name,
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-g' } }],
      }),
    );
    const after = await waitForActive(t.ddb, name);
    expect(after.GlobalSecondaryIndexes).toBeUndefined();
    expect(after.AttributeDefinitions).toEqual([{ AttributeName: 'id', AttributeType: 'S' }]);
  });
});

describe('index write capacity', () => {
  const name = uniqueName('wcu');
  beforeAll(async () => {
    await createTable(t.ddb, {
      name,
      attributes: { pk: 'S', sk: 'S', gsiPk: 'S', lsiSk: 'S' },
      key: ['pk', 'sk'],
      gsis: [
        {
          name: 'gsi-inc',
          key: ['gsiPk'],
          projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['proj'] },
        },
      ],
      lsis: [{ name: 'lsi1', key: ['pk', 'lsiSk'] }],
    });
  });

  const put = (item: Item) =>
    t.ddb.send(new PutItemCommand({ TableName: name, Item: item, ReturnConsumedCapacity: 'INDEXES' }));

  it('charges each index its write and sums them, and nothing for an identical overwrite', async () => {
    const item = { pk: { S: 'a' }, sk: { S: '1' }, gsiPk: { S: 'g' }, lsiSk: { S: 'l' }, proj: { S: 'p' } };
    const first = (await put(item)).ConsumedCapacity;
    expect(first).toEqual({
      TableName: name,
      CapacityUnits: 3,
      Table: { CapacityUnits: 1 },
      GlobalSecondaryIndexes: { 'gsi-inc': { CapacityUnits: 1 } },
      LocalSecondaryIndexes: { lsi1: { CapacityUnits: 1 } },
    });
    const again = (await put(item)).ConsumedCapacity;
    expect(again).toEqual({ TableName: name, CapacityUnits: 1, Table: { CapacityUnits: 1 } });
  });

  it('charges a moved index key a delete and an insert, and an unprojected change nothing', async () => {
    await put({ pk: { S: 'b' }, sk: { S: '1' }, gsiPk: { S: 'g' }, lsiSk: { S: 'l' }, proj: { S: 'p' } });
    const update = (expr: string, values: Item) =>
      t.ddb.send(
        new UpdateItemCommand({
          TableName: name,
          Key: { pk: { S: 'b' }, sk: { S: '1' } },
          UpdateExpression: expr,
          ExpressionAttributeValues: values,
          ReturnConsumedCapacity: 'INDEXES',
        }),
      );
    const moved = (await update('SET gsiPk = :v', { ':v': { S: 'g2' } })).ConsumedCapacity;
    expect(moved?.GlobalSecondaryIndexes?.['gsi-inc']?.CapacityUnits).toBe(2);
    expect(moved?.CapacityUnits).toBe(4);
    const other = (await update('SET unprojected = :v', { ':v': { S: 'x' } })).ConsumedCapacity;
    expect(other?.GlobalSecondaryIndexes).toBeUndefined();
    expect(other?.LocalSecondaryIndexes?.lsi1?.CapacityUnits).toBe(1);
    const deleted = await t.ddb.send(
      new DeleteItemCommand({
        TableName: name,
        Key: { pk: { S: 'b' }, sk: { S: '1' } },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(deleted.ConsumedCapacity).toEqual({ TableName: name, CapacityUnits: 3 });
  });
});
