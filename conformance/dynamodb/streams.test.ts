/**
 * DynamoDB Streams through @aws-sdk/client-dynamodb-streams: the records of every view type in
 * write order, shard iterators of every type, TTL deletions marked as the service's, streams
 * disabled and enabled again (a new ARN each time, the old one readable for a day), trimming
 * after 24 hours on the server clock, and streams kept across a restart on the same data dir.
 * A write that changes nothing writes no record: AWS documents that a PutItem or UpdateItem
 * leaving an item as it was writes none (and ScyllaDB's test suite, run against AWS, checks it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type ShardIteratorType,
  type StreamViewType,
} from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../src/index.js';
import { TEST_CREDENTIALS } from '../harness.js';
import { createTable, expectError, expectValidation, sleep, uniqueName, useDynamoDB } from './setup.js';

const t = useDynamoDB();
let streams: DynamoDBStreamsClient;
beforeAll(() => {
  streams = new DynamoDBStreamsClient(t.h.clientConfig());
});

const VIEW_TYPES: StreamViewType[] = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];
const TTL_IDENTITY = { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' };
const HOUR = 3600;

/** A table keyed (pk, sk) with a stream of the given view type; returns its stream ARN. */
async function streamTable(name: string, view: StreamViewType): Promise<string> {
  const table = await createTable(t.ddb, {
    name,
    attributes: { pk: 'S', sk: 'N' },
    key: ['pk', 'sk'],
    extra: { StreamSpecification: { StreamEnabled: true, StreamViewType: view } },
  });
  return table.LatestStreamArn as string;
}

async function shardOf(StreamArn: string) {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn }));
  const shard = StreamDescription?.Shards?.[0];
  if (!shard?.ShardId) throw new Error(`no shard in ${StreamArn}`);
  return shard;
}

async function iterator(StreamArn: string, type: ShardIteratorType, SequenceNumber?: string) {
  const { ShardId } = await shardOf(StreamArn);
  const out = await streams.send(
    new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: type, SequenceNumber }),
  );
  return out.ShardIterator as string;
}

/** Every record from the iterator on, following NextShardIterator until a read is empty. */
async function drain(start: string, Limit?: number): Promise<{ records: _Record[]; next?: string }> {
  const records: _Record[] = [];
  let next: string | undefined = start;
  while (next) {
    const out: GetRecordsCommandOutput = await streams.send(
      new GetRecordsCommand({ ShardIterator: next, Limit }),
    );
    records.push(...(out.Records ?? []));
    next = out.NextShardIterator;
    if (out.Records?.length === 0) break;
  }
  return { records, next };
}

const all = async (arn: string) => (await drain(await iterator(arn, 'TRIM_HORIZON'))).records;
const key = (pk: string, sk: number) => ({ pk: { S: pk }, sk: { N: String(sk) } });
const seqOf = (r: _Record) => BigInt(r.dynamodb?.SequenceNumber as string);

describe('stream records', () => {
  it.each(VIEW_TYPES)(
    '%s: one record per change, in order, with the images the view asks for',
    async (view) => {
      const arn = await streamTable(uniqueName(`s-${view.toLowerCase().replaceAll('_', '-')}`), view);
      const name = arn.split('/')[1] as string;
      const before = Date.now();
      const item = { ...key('a', 1), v: { N: '1' } };
      await t.ddb.send(new PutItemCommand({ TableName: name, Item: item })); // INSERT
      await t.ddb.send(new PutItemCommand({ TableName: name, Item: { ...item, v: { N: '1.0' } } })); // same
      await t.ddb.send(new PutItemCommand({ TableName: name, Item: { ...key('a', 1), w: { S: 'x' } } })); // MODIFY
      const set = { TableName: name, Key: key('a', 1), UpdateExpression: 'SET w = :w' };
      await t.ddb.send(new UpdateItemCommand({ ...set, ExpressionAttributeValues: { ':w': { S: 'y' } } })); // MODIFY
      await t.ddb.send(new UpdateItemCommand({ ...set, ExpressionAttributeValues: { ':w': { S: 'y' } } })); // same
      await t.ddb.send(new DeleteItemCommand({ TableName: name, Key: key('a', 1) })); // REMOVE
      await t.ddb.send(new DeleteItemCommand({ TableName: name, Key: key('a', 1) })); // nothing to delete
      await t.ddb.send(new UpdateItemCommand({ ...set, ExpressionAttributeValues: { ':w': { S: 'z' } } })); // INSERT

      const records = await all(arn);
      expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'MODIFY', 'REMOVE', 'INSERT']);
      const images = [
        [undefined, item],
        [item, { ...key('a', 1), w: { S: 'x' } }],
        [
          { ...key('a', 1), w: { S: 'x' } },
          { ...key('a', 1), w: { S: 'y' } },
        ],
        [{ ...key('a', 1), w: { S: 'y' } }, undefined],
        [undefined, { ...key('a', 1), w: { S: 'z' } }],
      ];
      const wantsNew = view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES';
      const wantsOld = view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES';
      records.forEach((r, i) => {
        const [oldImage, newImage] = images[i] as [unknown, unknown];
        expect(r.dynamodb?.Keys).toEqual(key('a', 1));
        expect(r.dynamodb?.NewImage).toEqual(wantsNew ? newImage : undefined);
        expect(r.dynamodb?.OldImage).toEqual(wantsOld ? oldImage : undefined);
        expect(r.dynamodb?.StreamViewType).toBe(view);
        expect(r.dynamodb?.SizeBytes).toBeGreaterThan(0);
        expect(r).toMatchObject({ eventSource: 'aws:dynamodb', eventVersion: '1.1', awsRegion: 'us-east-1' });
        expect(r.eventID).toMatch(/^[0-9a-f]{32}$/);
        expect(r.userIdentity).toBeUndefined();
        const at = r.dynamodb?.ApproximateCreationDateTime?.getTime() as number;
        expect(at % 1000).toBe(0);
        expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
        expect(at).toBeLessThanOrEqual(Date.now());
        expect(r.dynamodb?.SequenceNumber).toMatch(/^\d{21,40}$/);
      });
      const seqs = records.map(seqOf);
      expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : 1)));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(new Set(records.map((r) => r.eventID)).size).toBe(records.length);
    },
  );

  it('images carry every type, and a bigger image makes a bigger record', async () => {
    const arn = await streamTable(uniqueName('s-types'), 'NEW_AND_OLD_IMAGES');
    const name = arn.split('/')[1] as string;
    const item = {
      ...key('t', 1),
      b: { B: new Uint8Array([0, 1, 255]) },
      bs: { BS: [new Uint8Array([7])] },
      m: { M: { l: { L: [{ NULL: true }, { BOOL: false }, { NS: ['1', '2'] }] } } },
      ss: { SS: ['a', 'b'] },
    };
    await t.ddb.send(new PutItemCommand({ TableName: name, Item: item }));
    await t.ddb.send(new PutItemCommand({ TableName: name, Item: key('t', 2) }));
    const [full, bare] = await all(arn);
    expect(full?.dynamodb?.NewImage).toEqual(item);
    expect(full?.dynamodb?.SizeBytes).toBeGreaterThan(bare?.dynamodb?.SizeBytes as number);
  });

  it('batches and transactions write a record per item in request order; a cancelled one writes none', async () => {
    const arn = await streamTable(uniqueName('s-batch'), 'KEYS_ONLY');
    const name = arn.split('/')[1] as string;
    const put = (sk: number) => ({ PutRequest: { Item: key('b', sk) } });
    await t.ddb.send(new BatchWriteItemCommand({ RequestItems: { [name]: [put(3), put(1), put(2)] } }));
    await t.ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: name, Item: key('b', 9) } },
          { Delete: { TableName: name, Key: key('b', 1) } },
        ],
      }),
    );
    await expectError(
      t.ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: name, Item: key('b', 10) } },
            {
              Delete: { TableName: name, Key: key('b', 2), ConditionExpression: 'attribute_not_exists(pk)' },
            },
          ],
        }),
      ),
      'TransactionCanceledException',
    );
    await expectError(
      t.ddb.send(
        new PutItemCommand({
          TableName: name,
          Item: key('b', 3),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
      'ConditionalCheckFailedException',
    );
    const records = await all(arn);
    expect(records.map((r) => [r.eventName, r.dynamodb?.Keys?.sk?.N])).toEqual([
      ['INSERT', '3'],
      ['INSERT', '1'],
      ['INSERT', '2'],
      ['INSERT', '9'],
      ['REMOVE', '1'],
    ]);
  });

  it('a table without a stream, or with a disabled specification, has no stream', async () => {
    const name = uniqueName('s-none');
    const table = await createTable(t.ddb, {
      name,
      attributes: { pk: 'S' },
      key: ['pk'],
      extra: { StreamSpecification: { StreamEnabled: false } },
    });
    expect(table.LatestStreamArn).toBeUndefined();
    expect(table.StreamSpecification).toBeUndefined();
    const listed = await streams.send(new ListStreamsCommand({ TableName: name }));
    expect(listed.Streams).toEqual([]);
  });
});

describe('streams and shards', () => {
  let arn: string;
  let name: string;
  beforeAll(async () => {
    name = uniqueName('s-describe');
    arn = await streamTable(name, 'NEW_IMAGE');
  });

  it('reports the stream in DescribeTable, ListStreams and DescribeStream alike', async () => {
    const { Table } = await t.ddb.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    const label = Table?.LatestStreamLabel as string;
    expect(label).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    expect(arn).toBe(`arn:aws:dynamodb:us-east-1:000000000000:table/${name}/stream/${label}`);

    const listed = await streams.send(new ListStreamsCommand({ TableName: name }));
    expect(listed.Streams).toEqual([{ StreamArn: arn, TableName: name, StreamLabel: label }]);
    expect(listed.LastEvaluatedStreamArn).toBeUndefined();

    const { StreamDescription: d } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    expect(d).toMatchObject({
      StreamArn: arn,
      StreamLabel: label,
      StreamStatus: 'ENABLED',
      StreamViewType: 'NEW_IMAGE',
      TableName: name,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    expect(d?.CreationRequestDateTime).toBeInstanceOf(Date);
    expect(d?.Shards).toHaveLength(1);
    const shard = d?.Shards?.[0];
    expect(shard?.ShardId).toMatch(/^shardId-\d{20}-[0-9a-f]{8}$/);
    expect(shard?.SequenceNumberRange?.StartingSequenceNumber).toMatch(/^\d{21,40}$/);
    expect(shard?.SequenceNumberRange?.EndingSequenceNumber).toBeUndefined();
    expect(d?.LastEvaluatedShardId).toBeUndefined();
  });

  it('lists no shard after the last one, and no children of a shard', async () => {
    const { ShardId } = await shardOf(arn);
    const after = await streams.send(
      new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: ShardId }),
    );
    expect(after.StreamDescription?.Shards).toEqual([]);
    const children = await streams.send(
      new DescribeStreamCommand({ StreamArn: arn, ShardFilter: { Type: 'CHILD_SHARDS', ShardId } }),
    );
    expect(children.StreamDescription?.Shards).toEqual([]);
  });

  it('pages ListStreams in ARN order', async () => {
    const more = [uniqueName('s-page'), uniqueName('s-page')];
    for (const n of more) await streamTable(n, 'KEYS_ONLY');
    const seen: string[] = [];
    let start: string | undefined;
    do {
      const out = await streams.send(new ListStreamsCommand({ Limit: 1, ExclusiveStartStreamArn: start }));
      expect(out.Streams?.length).toBeLessThanOrEqual(1);
      seen.push(...(out.Streams ?? []).map((s) => s.StreamArn as string));
      start = out.LastEvaluatedStreamArn;
    } while (start);
    expect(seen).toEqual([...seen].sort());
    for (const n of [name, ...more]) expect(seen.some((s) => s.includes(`:table/${n}/stream/`))).toBe(true);
    const everything = await streams.send(new ListStreamsCommand({}));
    expect(everything.Streams?.map((s) => s.StreamArn)).toEqual(seen);
  });
});

describe('shard iterators', () => {
  let arn: string;
  let name: string;
  const put = (sk: number) => t.ddb.send(new PutItemCommand({ TableName: name, Item: key('i', sk) }));
  beforeAll(async () => {
    name = uniqueName('s-iter');
    arn = await streamTable(name, 'KEYS_ONLY');
    for (const sk of [1, 2, 3]) await put(sk);
  });

  it('TRIM_HORIZON reads from the oldest record, LATEST only what comes after it', async () => {
    const latest = await iterator(arn, 'LATEST');
    const empty = await streams.send(new GetRecordsCommand({ ShardIterator: latest }));
    expect(empty.Records).toEqual([]);
    expect(empty.NextShardIterator).toEqual(expect.any(String));
    await put(4);
    const later = await drain(empty.NextShardIterator as string);
    expect(later.records.map((r) => r.dynamodb?.Keys?.sk?.N)).toEqual(['4']);
    const fromStart = await all(arn);
    expect(fromStart.map((r) => r.dynamodb?.Keys?.sk?.N)).toEqual(['1', '2', '3', '4']);
  });

  it('AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER start at and after a record', async () => {
    const records = await all(arn);
    const second = records[1]?.dynamodb?.SequenceNumber as string;
    const at = await drain(await iterator(arn, 'AT_SEQUENCE_NUMBER', second));
    expect(at.records.map((r) => r.dynamodb?.Keys?.sk?.N)).toEqual(['2', '3', '4']);
    const after = await drain(await iterator(arn, 'AFTER_SEQUENCE_NUMBER', second));
    expect(after.records.map((r) => r.dynamodb?.Keys?.sk?.N)).toEqual(['3', '4']);
    const { SequenceNumberRange } = await shardOf(arn);
    const fromStart = await drain(
      await iterator(arn, 'AT_SEQUENCE_NUMBER', SequenceNumberRange?.StartingSequenceNumber),
    );
    expect(fromStart.records).toHaveLength(4);
  });

  it('Limit pages the records, each page handing out the next iterator', async () => {
    let next: string | undefined = await iterator(arn, 'TRIM_HORIZON');
    const pages: string[][] = [];
    for (let i = 0; i < 3; i++) {
      const out: GetRecordsCommandOutput = await streams.send(
        new GetRecordsCommand({ ShardIterator: next, Limit: 3 }),
      );
      pages.push((out.Records ?? []).map((r) => r.dynamodb?.Keys?.sk?.N as string));
      next = out.NextShardIterator;
    }
    expect(pages).toEqual([['1', '2', '3'], ['4'], []]);
    expect(next).toEqual(expect.any(String));
  });

  it('an iterator expires 15 minutes after it is handed out, on the server clock', async () => {
    const old = await iterator(arn, 'TRIM_HORIZON');
    t.h.server.advanceClock(14 * 60);
    const read = await streams.send(new GetRecordsCommand({ ShardIterator: old, Limit: 1 }));
    expect(read.Records).toHaveLength(1);
    t.h.server.advanceClock(60 + 1);
    await expectError(
      streams.send(new GetRecordsCommand({ ShardIterator: old })),
      'ExpiredIteratorException',
      'The provided iterator exceeds the maximum age allowed.',
    );
    // the iterator GetRecords handed out a minute ago is still good
    const next = await streams.send(new GetRecordsCommand({ ShardIterator: read.NextShardIterator }));
    expect(next.Records?.map((r) => r.dynamodb?.Keys?.sk?.N)).toEqual(['2', '3', '4']);
  });

  it('refuses what is no stream, shard, iterator or sequence number', async () => {
    const { ShardId } = await shardOf(arn);
    const missing = `arn:aws:dynamodb:us-east-1:000000000000:table/${name}/stream/2000-01-01T00:00:00.000`;
    await expectValidation(
      streams.send(new DescribeStreamCommand({ StreamArn: 'not-a-stream' })),
      'Invalid StreamArn',
    );
    await expectError(
      streams.send(new DescribeStreamCommand({ StreamArn: missing })),
      'ResourceNotFoundException',
      `Requested resource not found: Stream: ${missing} not found`,
    );
    await expectError(
      streams.send(
        new GetShardIteratorCommand({
          StreamArn: arn,
          ShardId: 'shardId-00000000000000000000-00000000',
          ShardIteratorType: 'LATEST',
        }),
      ),
      'ResourceNotFoundException',
      'Requested resource not found: Shard does not exist',
    );
    const iterate = (ShardIteratorType: string, SequenceNumber?: string) =>
      streams.send(
        new GetShardIteratorCommand({
          StreamArn: arn,
          ShardId,
          ShardIteratorType: ShardIteratorType as ShardIteratorType,
          SequenceNumber,
        }),
      );
    await expectValidation(iterate('AT_SEQUENCE_NUMBER'), /SequenceNumber/);
    await expectValidation(iterate('LATEST', '100000000000000000001'), /SequenceNumber/);
    await expectValidation(
      iterate('SIDEWAYS'),
      "1 validation error detected: Value 'SIDEWAYS' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]",
    );
    await expectValidation(iterate('AT_SEQUENCE_NUMBER', 'x'.repeat(21)), /SequenceNumber/);
    await expectValidation(
      streams.send(new GetRecordsCommand({ ShardIterator: 'garbage-garbage-garbage' })),
      'Invalid ShardIterator',
    );
    const good = await iterator(arn, 'LATEST');
    for (const Limit of [0, 1001]) {
      await expectValidation(streams.send(new GetRecordsCommand({ ShardIterator: good, Limit })), /'limit'/);
    }
    await expectValidation(streams.send(new ListStreamsCommand({ Limit: 0 })), /'limit'/);
    await expectValidation(
      streams.send(new ListStreamsCommand({ ExclusiveStartStreamArn: 'x'.repeat(40) })),
      'Invalid StreamArn',
    );
  });
});

describe('Time to Live deletions', () => {
  it('write a REMOVE record whose userIdentity is the DynamoDB service', async () => {
    const name = uniqueName('s-ttl');
    const arn = await streamTable(name, 'NEW_AND_OLD_IMAGES');
    await t.ddb.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
      }),
    );
    const past = String(Math.floor(Date.now() / 1000) - 60);
    const expiring = { ...key('ttl', 1), expires: { N: past } };
    await t.ddb.send(new PutItemCommand({ TableName: name, Item: expiring }));
    await t.ddb.send(new PutItemCommand({ TableName: name, Item: key('ttl', 2) }));
    await t.ddb.send(new DeleteItemCommand({ TableName: name, Key: key('ttl', 2) }));
    let records: _Record[] = [];
    for (let i = 0; i < 60 && records.length < 4; i++) {
      await sleep(50);
      records = await all(arn);
    }
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'INSERT', 'REMOVE', 'REMOVE']);
    const [, , byUser, byTtl] = records;
    expect(byUser?.userIdentity).toBeUndefined();
    expect(byTtl?.userIdentity).toEqual(TTL_IDENTITY);
    expect(byTtl?.dynamodb?.Keys).toEqual(key('ttl', 1));
    expect(byTtl?.dynamodb?.OldImage).toEqual(expiring);
    expect(byTtl?.dynamodb?.NewImage).toBeUndefined();
  });
});

describe('disabling and enabling a stream', () => {
  it('closes the stream, keeps it readable and listed, and opens a new one with a new ARN', async () => {
    const name = uniqueName('s-toggle');
    const first = await streamTable(name, 'KEYS_ONLY');
    await t.ddb.send(new PutItemCommand({ TableName: name, Item: key('d', 1) }));
    const open = await iterator(first, 'TRIM_HORIZON');
    await t.ddb.send(
      new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } }),
    );
    await t.ddb.send(new PutItemCommand({ TableName: name, Item: key('d', 2) }));

    const { Table } = await t.ddb.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.StreamSpecification).toBeUndefined();
    expect(Table?.LatestStreamArn).toBe(first);
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: first }));
    expect(StreamDescription?.StreamStatus).toBe('DISABLED');
    const range = StreamDescription?.Shards?.[0]?.SequenceNumberRange;
    expect(range?.EndingSequenceNumber).toMatch(/^\d{21,40}$/);

    // an iterator from before the disabling reads the shard to its end, where it closes
    const read = await streams.send(new GetRecordsCommand({ ShardIterator: open }));
    expect(read.Records?.map((r) => r.dynamodb?.Keys?.sk?.N)).toEqual(['1']);
    expect(read.NextShardIterator).toBeUndefined();
    expect(read.Records?.[0]?.dynamodb?.SequenceNumber).toBe(range?.EndingSequenceNumber);

    await expectValidation(
      t.ddb.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } })),
      `Table has no stream to disable: TableName: ${name}`,
    );
    const enable = {
      TableName: name,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' as const },
    };
    const updated = await t.ddb.send(new UpdateTableCommand(enable));
    const second = updated.TableDescription?.LatestStreamArn as string;
    expect(second).not.toBe(first);
    expect(updated.TableDescription?.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_IMAGE',
    });
    await expectValidation(
      t.ddb.send(new UpdateTableCommand(enable)),
      `Table already has an enabled stream: TableName: ${name}`,
    );
    await expectValidation(
      t.ddb.send(
        new UpdateTableCommand({
          TableName: name,
          StreamSpecification: { StreamEnabled: false, StreamViewType: 'KEYS_ONLY' },
        }),
      ),
      'One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified',
    );
    await t.ddb.send(new PutItemCommand({ TableName: name, Item: key('d', 3) }));
    expect((await all(second)).map((r) => [r.eventName, r.dynamodb?.NewImage?.sk?.N])).toEqual([
      ['INSERT', '3'],
    ]);
    expect((await all(first)).map((r) => r.dynamodb?.Keys?.sk?.N)).toEqual(['1']);
    const listed = await streams.send(new ListStreamsCommand({ TableName: name }));
    expect(listed.Streams?.map((s) => s.StreamArn).sort()).toEqual([first, second].sort());
  });

  it('keeps the stream of a deleted table readable, and a new table of the name gets a new stream', async () => {
    const name = uniqueName('s-deleted');
    const first = await streamTable(name, 'KEYS_ONLY');
    await t.ddb.send(new PutItemCommand({ TableName: name, Item: key('x', 1) }));
    await t.ddb.send(new DeleteTableCommand({ TableName: name }));
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: first }));
    expect(StreamDescription).toMatchObject({ StreamStatus: 'DISABLED', TableName: name });
    expect((await all(first)).map((r) => r.eventName)).toEqual(['INSERT']);
    const second = await streamTable(name, 'KEYS_ONLY');
    expect(second).not.toBe(first);
    const listed = await streams.send(new ListStreamsCommand({ TableName: name }));
    expect(listed.Streams?.map((s) => s.StreamArn).sort()).toEqual([first, second].sort());
  });
});

// these move the server clock a day on: they run last
describe('after 24 hours', () => {
  it('trims records older than a day and drops streams disabled a day ago', async () => {
    const name = uniqueName('s-trim');
    const arn = await streamTable(name, 'KEYS_ONLY');
    await t.ddb.send(new PutItemCommand({ TableName: name, Item: key('old', 1) }));
    const [old] = await all(arn);
    t.h.server.advanceClock(23 * HOUR);
    await t.ddb.send(new PutItemCommand({ TableName: name, Item: key('new', 1) }));
    expect((await all(arn)).map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['old', 'new']);
    const stale = await iterator(arn, 'TRIM_HORIZON');

    const disabled = uniqueName('s-gone');
    const gone = await streamTable(disabled, 'KEYS_ONLY');
    await t.ddb.send(
      new UpdateTableCommand({ TableName: disabled, StreamSpecification: { StreamEnabled: false } }),
    );

    t.h.server.advanceClock(HOUR + 60);
    expect((await all(arn)).map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['new']);
    await expectError(
      streams.send(
        new GetShardIteratorCommand({
          StreamArn: arn,
          ShardId: (await shardOf(arn)).ShardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: old?.dynamodb?.SequenceNumber,
        }),
      ),
      'TrimmedDataAccessException',
      'The operation attempted to read past the oldest stream record in a shard.',
    );
    await expectError(
      streams.send(new GetRecordsCommand({ ShardIterator: stale })),
      'ExpiredIteratorException',
    );
    const start = (await shardOf(arn)).SequenceNumberRange?.StartingSequenceNumber as string;
    expect(BigInt(start)).toBeGreaterThan(seqOf(old as _Record));

    // the day counts from the disabling
    expect(
      (await streams.send(new DescribeStreamCommand({ StreamArn: gone }))).StreamDescription?.StreamStatus,
    ).toBe('DISABLED');
    t.h.server.advanceClock(23 * HOUR);
    await expectError(
      streams.send(new DescribeStreamCommand({ StreamArn: gone })),
      'ResourceNotFoundException',
    );
    expect((await streams.send(new ListStreamsCommand({ TableName: disabled }))).Streams).toEqual([]);
    expect((await all(arn)).map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual([]);
  });

  it('an iterator left behind by the trimming is refused as reading trimmed data', async () => {
    const name = uniqueName('s-behind');
    const arn = await streamTable(name, 'KEYS_ONLY');
    await t.ddb.send(new PutItemCommand({ TableName: name, Item: key('a', 1) }));
    t.h.server.advanceClock(24 * HOUR - 5 * 60);
    const behind = await iterator(arn, 'TRIM_HORIZON');
    t.h.server.advanceClock(10 * 60);
    await expectError(
      streams.send(new GetRecordsCommand({ ShardIterator: behind })),
      'TrimmedDataAccessException',
    );
  });
});

describe('a restart on the same data dir', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'localaws-streams-'));
  const running: LocalAws[] = [];
  afterAll(async () => {
    for (const server of running.splice(0)) await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start() {
    const server = await startLocalAws({ dataDir });
    running.push(server);
    const config = { endpoint: server.url, region: 'us-east-1', credentials: TEST_CREDENTIALS };
    return { server, ddb: new DynamoDBClient(config), streams: new DynamoDBStreamsClient(config) };
  }

  it('keeps streams, their records and their sequence numbers', async () => {
    const first = await start();
    const created = await createTable(first.ddb, {
      name: 'durable',
      attributes: { pk: 'S', sk: 'N' },
      key: ['pk', 'sk'],
      extra: { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } },
    });
    const arn = created.LatestStreamArn as string;
    await first.ddb.send(new PutItemCommand({ TableName: 'durable', Item: key('p', 1) }));
    const shard = (await first.streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription
      ?.Shards?.[0];
    await first.server.stop();
    running.splice(running.indexOf(first.server), 1);

    const second = await start();
    await second.ddb.send(new PutItemCommand({ TableName: 'durable', Item: key('p', 2) }));
    const { StreamDescription } = await second.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    expect(StreamDescription?.Shards?.[0]).toEqual(shard);
    const { ShardIterator } = await second.streams.send(
      new GetShardIteratorCommand({
        StreamArn: arn,
        ShardId: shard?.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const out = await second.streams.send(new GetRecordsCommand({ ShardIterator }));
    expect(out.Records?.map((r) => r.dynamodb?.NewImage?.sk?.N)).toEqual(['1', '2']);
    const [a, b] = (out.Records ?? []).map(seqOf);
    expect((b as bigint) > (a as bigint)).toBe(true);
  });
});
