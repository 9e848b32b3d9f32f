/**
 * Time to Live cases the issue implies and ttl.test.ts leaves out: items written before TTL
 * was enabled, an expiry set or removed by UpdateItem, a transaction and a batch, expiries
 * more than five years past (which DynamoDB never deletes, developer guide "Time to Live").
 */
import {
  BatchWriteItemCommand,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable, sleep, uniqueName, useDynamoDB } from './setup.js';

const t = useDynamoDB();
const TABLE = uniqueName('ttl-audit');

/** Epoch seconds on the server's clock, `offset` seconds from now. */
let clockOffset = 0;
const epoch = (offset: number) => String(Math.floor(Date.now() / 1000) + clockOffset + offset);
const advance = (seconds: number) => {
  t.h.server.advanceClock(seconds);
  clockOffset += seconds;
};

const put = (id: string, expires?: string) =>
  t.ddb.send(
    new PutItemCommand({
      TableName: TABLE,
      Item: { id: { S: id }, ...(expires ? { expires: { N: expires } } : {}) },
    }),
  );

const exists = async (id: string) =>
  (await t.ddb.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: id } }, ConsistentRead: true })))
    .Item !== undefined;

/** Whether each item is still there once the sweep had a second and a half to run. */
async function present(ids: string[]): Promise<Record<string, boolean>> {
  await sleep(1500);
  const out: Record<string, boolean> = {};
  for (const id of ids) out[id] = await exists(id);
  return out;
}

beforeAll(async () => {
  await createTable(t.ddb, { name: TABLE, attributes: { id: 'S' }, key: ['id'] });
});

describe('Time to Live, further cases', () => {
  it('expires items written before TTL was enabled, once it is', async () => {
    await put('before-past', epoch(-60));
    await put('before-future', epoch(3600));
    expect(await present(['before-past'])).toEqual({ 'before-past': true });
    await t.ddb.send(
      new UpdateTimeToLiveCommand({
        TableName: TABLE,
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
      }),
    );
    expect(await present(['before-past', 'before-future'])).toEqual({
      'before-past': false,
      'before-future': true,
    });
  });

  it('follows an expiry that UpdateItem sets, changes or removes', async () => {
    await put('set-later');
    await put('removed', epoch(30));
    await put('pushed', epoch(30));
    await t.ddb.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { id: { S: 'set-later' } },
        UpdateExpression: 'SET expires = :e',
        ExpressionAttributeValues: { ':e': { N: epoch(30) } },
      }),
    );
    await t.ddb.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { id: { S: 'removed' } },
        UpdateExpression: 'REMOVE expires',
      }),
    );
    await t.ddb.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { id: { S: 'pushed' } },
        UpdateExpression: 'ADD expires :more',
        ExpressionAttributeValues: { ':more': { N: '3600' } },
      }),
    );
    advance(60);
    expect(await present(['set-later', 'removed', 'pushed'])).toEqual({
      'set-later': false,
      removed: true,
      pushed: true,
    });
  });

  it('expires items written by a batch and by a transaction', async () => {
    await t.ddb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [TABLE]: [{ PutRequest: { Item: { id: { S: 'batched' }, expires: { N: epoch(30) } } } }],
        },
      }),
    );
    await t.ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: TABLE, Item: { id: { S: 'transacted' }, expires: { N: epoch(30) } } } },
        ],
      }),
    );
    advance(60);
    expect(await present(['batched', 'transacted'])).toEqual({ batched: false, transacted: false });
  });

  it('never deletes an item whose expiry is more than five years past', async () => {
    const sixYears = 6 * 365 * 24 * 3600;
    await put('ancient', epoch(-sixYears));
    await put('four-years', epoch(-4 * 365 * 24 * 3600));
    advance(2);
    expect(await present(['ancient', 'four-years'])).toEqual({ ancient: true, 'four-years': false });
  });
});
