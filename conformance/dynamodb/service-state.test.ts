/**
 * DynamoDB state as the server keeps it: across a restart on the same data directory, per
 * account, the 1 MB page, TTL deletions keeping indexes in step, and transactions that
 * cancel per item or replay by token only within 10 minutes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  type TransactWriteItemsInput,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalAws } from '../../src/index.js';
import { TEST_CREDENTIALS } from '../harness.js';
import { createTable, expectError, sleep, uniqueName, useDynamoDB } from './setup.js';

const t = useDynamoDB();

function clientFor(url: string, accessKeyId = TEST_CREDENTIALS.accessKeyId): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { ...TEST_CREDENTIALS, accessKeyId },
    maxAttempts: 1,
  });
}

describe('a data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'localaws-ddb-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps tables, items, indexes and TTL settings across a restart', async () => {
    const first = await startLocalAws({ dataDir: dir });
    const ddb = clientFor(first.url);
    await createTable(ddb, {
      name: 'kept',
      attributes: { id: 'S', email: 'S' },
      key: ['id'],
      gsis: [{ name: 'by-email', key: ['email'] }],
    });
    await ddb.send(new PutItemCommand({ TableName: 'kept', Item: { id: { S: 'u1' }, email: { S: 'a@x' } } }));
    await ddb.send(
      new UpdateTimeToLiveCommand({
        TableName: 'kept',
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
      }),
    );
    await first.stop();

    const second = await startLocalAws({ dataDir: dir });
    const again = clientFor(second.url);
    try {
      const { Table } = await again.send(new DescribeTableCommand({ TableName: 'kept' }));
      expect(Table?.ItemCount).toBe(1);
      const byEmail = await again.send(
        new QueryCommand({
          TableName: 'kept',
          IndexName: 'by-email',
          KeyConditionExpression: 'email = :e',
          ExpressionAttributeValues: { ':e': { S: 'a@x' } },
        }),
      );
      expect(byEmail.Items).toEqual([{ id: { S: 'u1' }, email: { S: 'a@x' } }]);
      const ttl = await again.send(new DescribeTimeToLiveCommand({ TableName: 'kept' }));
      expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });
    } finally {
      await second.stop();
    }
  });
});

describe('accounts', () => {
  it('keeps each account its own tables', async () => {
    const mine = clientFor(t.h.url, '111111111111');
    const theirs = clientFor(t.h.url, '222222222222');
    await createTable(mine, { name: 'private', attributes: { id: 'S' }, key: ['id'] });
    expect((await mine.send(new ListTablesCommand({}))).TableNames).toContain('private');
    expect((await theirs.send(new ListTablesCommand({}))).TableNames).not.toContain('private');
    await expectError(
      theirs.send(new GetItemCommand({ TableName: 'private', Key: { id: { S: 'x' } } })),
      'ResourceNotFoundException',
    );
  });
});

describe('the 1 MB page', () => {
  it('ends a page once 1 MB was read, with a key to resume from', async () => {
    const name = uniqueName('big');
    await createTable(t.ddb, { name, attributes: { pk: 'S', sk: 'N' }, key: ['pk', 'sk'] });
    const filler = 'x'.repeat(100 * 1024);
    for (let i = 0; i < 25; i++) {
      await t.ddb.send(
        new PutItemCommand({
          TableName: name,
          Item: { pk: { S: 'p' }, sk: { N: `${i}` }, f: { S: filler } },
        }),
      );
    }
    const query = (start?: Record<string, { S: string } | { N: string }>) =>
      t.ddb.send(
        new QueryCommand({
          TableName: name,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: 'p' } },
          ExclusiveStartKey: start,
        }),
      );
    const first = await query();
    expect(first.Count).toBeGreaterThanOrEqual(9);
    expect(first.Count).toBeLessThanOrEqual(11);
    expect(first.LastEvaluatedKey).toEqual({ pk: { S: 'p' }, sk: { N: `${(first.Count ?? 0) - 1}` } });
    let total = first.Count ?? 0;
    let start = first.LastEvaluatedKey as Record<string, { S: string }> | undefined;
    while (start) {
      const page = await query(start);
      total += page.Count ?? 0;
      start = page.LastEvaluatedKey as typeof start;
    }
    expect(total).toBe(25);
  });
});

describe('TTL and indexes', () => {
  it('removes an expired item from its indexes and counters too', async () => {
    const name = uniqueName('ttl-index');
    await createTable(t.ddb, {
      name,
      attributes: { id: 'S', g: 'S' },
      key: ['id'],
      gsis: [{ name: 'by-g', key: ['g'] }],
    });
    await t.ddb.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' },
      }),
    );
    const now = Math.floor(Date.now() / 1000);
    await t.ddb.send(
      new PutItemCommand({
        TableName: name,
        Item: { id: { S: 'old' }, g: { S: 'x' }, exp: { N: `${now - 10}` } },
      }),
    );
    await t.ddb.send(new PutItemCommand({ TableName: name, Item: { id: { S: 'new' }, g: { S: 'x' } } }));
    const deadline = Date.now() + 10_000;
    let items: unknown[] | undefined;
    do {
      await sleep(100);
      const out = await t.ddb.send(
        new QueryCommand({
          TableName: name,
          IndexName: 'by-g',
          KeyConditionExpression: 'g = :g',
          ExpressionAttributeValues: { ':g': { S: 'x' } },
        }),
      );
      items = out.Items;
    } while (items?.length !== 1 && Date.now() < deadline);
    expect(items).toEqual([{ id: { S: 'new' }, g: { S: 'x' } }]);
    const { Table } = await t.ddb.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.ItemCount).toBe(1);
    expect(Table?.GlobalSecondaryIndexes?.[0]?.ItemCount).toBe(1);
  });
});

describe('transactions', () => {
  const name = uniqueName('tx');
  const transact = (input: TransactWriteItemsInput) => t.ddb.send(new TransactWriteItemsCommand(input));

  it('cancels with a ValidationError reason for an item that does not fit the key schema', async () => {
    await createTable(t.ddb, { name, attributes: { id: 'S' }, key: ['id'] });
    const error = await expectError(
      transact({
        TransactItems: [
          { Put: { TableName: name, Item: { id: { S: 'fine' } } } },
          { Put: { TableName: name, Item: { id: { N: '5' } } } },
        ],
      }),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]',
    );
    expect(error.CancellationReasons).toEqual([
      { Code: 'None' },
      {
        Code: 'ValidationError',
        Message: 'One or more parameter values were invalid: Type mismatch for key id expected: S actual: N',
      },
    ]);
    const got = await t.ddb.send(new GetItemCommand({ TableName: name, Key: { id: { S: 'fine' } } }));
    expect(got.Item).toBeUndefined();
  });

  it('applies a repeated token again once its 10 minutes have passed', async () => {
    const bump: TransactWriteItemsInput = {
      ClientRequestToken: 'expiring-token',
      TransactItems: [
        {
          Update: {
            TableName: name,
            Key: { id: { S: 'counter' } },
            UpdateExpression: 'ADD n :one',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          },
        },
      ],
    };
    await transact(bump);
    await transact(bump);
    t.h.server.advanceClock(601);
    await transact(bump);
    const got = await t.ddb.send(new GetItemCommand({ TableName: name, Key: { id: { S: 'counter' } } }));
    expect(got.Item?.n).toEqual({ N: '2' });
  });
});
