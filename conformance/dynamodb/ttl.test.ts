/**
 * Time to Live: UpdateTimeToLive/DescribeTimeToLive, and expiry on the server clock. AWS
 * deletes an expired item within days; localaws's sweep does it within about a second of the
 * clock passing the item's time (issue 4), which is what these tests wait for. Only a Number
 * holding epoch seconds expires an item (developer guide, "Time to Live").
 */
import {
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable, expectValidation, sleep, uniqueName, useDynamoDB } from './setup.js';

const t = useDynamoDB();
const TABLE = uniqueName('ttl');
const PLAIN = uniqueName('no-ttl');

beforeAll(async () => {
  await createTable(t.ddb, { name: TABLE, attributes: { id: 'S' }, key: ['id'] });
  await createTable(t.ddb, { name: PLAIN, attributes: { id: 'S' }, key: ['id'] });
});

/** Epoch seconds on the server's clock, `offset` seconds from now. */
let clockOffset = 0;
const epoch = (offset: number) => String(Math.floor(Date.now() / 1000) + clockOffset + offset);
const advance = (seconds: number) => {
  t.h.server.advanceClock(seconds);
  clockOffset += seconds;
};

const exists = async (id: string) =>
  (await t.ddb.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: id } }, ConsistentRead: true })))
    .Item !== undefined;

async function waitUntilGone(id: string, timeoutMs = 2500): Promise<number> {
  const start = Date.now();
  while (await exists(id)) {
    if (Date.now() - start > timeoutMs) throw new Error(`${id} still present ${timeoutMs} ms after expiring`);
    await sleep(50);
  }
  return Date.now() - start;
}

const ttlStatus = async (TableName: string) =>
  (await t.ddb.send(new DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription;

describe('Time to Live', () => {
  it('is DISABLED on a new table', async () => {
    expect((await ttlStatus(PLAIN))?.TimeToLiveStatus).toBe('DISABLED');
  });

  it('enables TTL on an attribute and describes it', async () => {
    const out = await t.ddb.send(
      new UpdateTimeToLiveCommand({
        TableName: TABLE,
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
      }),
    );
    expect(out.TimeToLiveSpecification).toEqual({ Enabled: true, AttributeName: 'expires' });
    const description = await ttlStatus(TABLE);
    expect(['ENABLING', 'ENABLED']).toContain(description?.TimeToLiveStatus);
    expect(description?.AttributeName).toBe('expires');
  });

  it('refuses to enable TTL twice', async () => {
    await expectValidation(
      t.ddb.send(
        new UpdateTimeToLiveCommand({
          TableName: TABLE,
          TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
        }),
      ),
      'TimeToLive is already enabled',
    );
  });

  it('deletes an item within about a second of the clock passing its expiry, and only that item', async () => {
    const put = (id: string, expires?: { N: string } | { S: string }) =>
      t.ddb.send(
        new PutItemCommand({ TableName: TABLE, Item: { id: { S: id }, ...(expires ? { expires } : {}) } }),
      );
    await put('soon', { N: epoch(60) });
    await put('later', { N: epoch(100_000) });
    await put('forever');
    await put('string-ttl', { S: epoch(60) });

    await sleep(1200);
    expect(await exists('soon')).toBe(true);

    advance(120);
    const took = await waitUntilGone('soon');
    expect(took).toBeLessThan(2500);
    expect(await exists('later')).toBe(true);
    expect(await exists('forever')).toBe(true);
    expect(await exists('string-ttl')).toBe(true);

    advance(100_000);
    await waitUntilGone('later');
    expect(await exists('forever')).toBe(true);
  });

  it('stops expiring items once TTL is disabled', async () => {
    await t.ddb.send(
      new UpdateTimeToLiveCommand({
        TableName: TABLE,
        TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' },
      }),
    );
    expect(['DISABLING', 'DISABLED']).toContain((await ttlStatus(TABLE))?.TimeToLiveStatus);
    await t.ddb.send(
      new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'kept' }, expires: { N: epoch(30) } } }),
    );
    advance(60);
    await sleep(1500);
    expect(await exists('kept')).toBe(true);
  });
});
