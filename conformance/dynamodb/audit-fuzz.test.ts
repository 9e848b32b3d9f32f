/**
 * Garbage never gets a 5xx: every DynamoDB and DynamoDB Streams operation localaws answers is
 * sent inputs generated from its shapes (fixed seeds, so a failure reproduces), with real
 * table, index, attribute and stream names swapped in often enough to get past the first
 * lookups, through the SDK and again on the wire with values of the wrong JSON type. Each must
 * answer a success or a DynamoDB error below 500.
 */
import * as sdk from '@aws-sdk/client-dynamodb';
import * as streamsSdk from '@aws-sdk/client-dynamodb-streams';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel, type ServiceModel } from '../../src/protocol/model.js';
import { dynamodb as service } from '../../src/services/dynamodb/index.js';
import { dynamodbstreams } from '../../src/services/dynamodb/streams-service.js';
import { Sampler } from '../../test/protocol/samples.js';
import { reusableSdkClient } from '../../test/protocol/sdk-harness.js';
import { sdkStatus } from '../fuzz.js';
import { type FuzzPool, fuzzValue, mutateInput, mutateJson, templates } from './audit-fuzz-inputs.js';
import { createTableInput, type TableSpec, useDynamoDB } from './setup.js';

/** FUZZ_SEEDS=300 runs a longer hunt; five seeds keep the suite quick. */
const SEEDS = Array.from({ length: Number(process.env.FUZZ_SEEDS ?? 5) }, (_, i) => i + 1);

const t = useDynamoDB();
let streams: streamsSdk.DynamoDBStreamsClient;
let pool: FuzzPool;

const MAIN: TableSpec = {
  name: 'fuzz',
  attributes: { pk: 'S', sk: 'N', g: 'S' },
  key: ['pk', 'sk'],
  gsis: [{ name: 'gix', key: ['g'], projection: { ProjectionType: 'KEYS_ONLY' } }],
  lsis: [
    { name: 'lix', key: ['pk', 'g'], projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] } },
  ],
  extra: { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } },
};
const BINARY: TableSpec = { name: 'fuzz-b', attributes: { pk: 'B' }, key: ['pk'] };

/** Creates the pool's tables again when a fuzzed DeleteTable took them, and fills them. */
async function ensureTables(): Promise<void> {
  for (const spec of [MAIN, BINARY]) {
    const exists = await t.ddb.send(new sdk.DescribeTableCommand({ TableName: spec.name })).then(
      () => true,
      () => false,
    );
    if (!exists) await t.ddb.send(new sdk.CreateTableCommand(createTableInput(spec)));
  }
  await t.ddb
    .send(
      new sdk.UpdateTimeToLiveCommand({
        TableName: MAIN.name,
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'n' },
      }),
    )
    .catch(() => undefined);
  for (const [i, pk] of ['a', 'b', 'c'].entries()) {
    await t.ddb.send(
      new sdk.PutItemCommand({
        TableName: MAIN.name,
        Item: {
          pk: { S: pk },
          sk: { N: String(i + 1) },
          g: { S: `g${i % 2}` },
          x: { L: [{ M: { y: { L: [{ N: '1' }, { S: 's' }] } } }] },
          s: { SS: ['p', 'q'] },
          t: { NS: ['1', '2'] },
          n: { N: '1' },
          a: { M: { b: { S: 'c' } } },
        },
      }),
    );
  }
}

async function streamPool(): Promise<Pick<FuzzPool, 'streamArns' | 'shardIds' | 'iterators' | 'sequences'>> {
  const { Streams } = await streams.send(new streamsSdk.ListStreamsCommand({}));
  const arns = (Streams ?? []).map((s) => s.StreamArn as string);
  const shardIds: string[] = [];
  const iterators: string[] = [];
  const sequences: string[] = [];
  for (const arn of arns) {
    const { StreamDescription } = await streams.send(
      new streamsSdk.DescribeStreamCommand({ StreamArn: arn }),
    );
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId as string;
      shardIds.push(shardId);
      const { ShardIterator } = await streams.send(
        new streamsSdk.GetShardIteratorCommand({
          StreamArn: arn,
          ShardId: shardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      iterators.push(ShardIterator as string);
      const { Records } = await streams.send(new streamsSdk.GetRecordsCommand({ ShardIterator }));
      for (const r of Records ?? []) sequences.push(r.dynamodb?.SequenceNumber as string);
    }
  }
  const arn = arns[0] ?? 'arn:aws:dynamodb:us-east-1:000000000000:table/fuzz/stream/2020-01-01T00:00:00.000';
  return {
    streamArns: [...arns, `${arn}x`, 'arn:aws:dynamodb:us-east-1:000000000000:table/none/stream/label'],
    shardIds: [...shardIds, 'shardId-00000000000000000000-00000000'],
    iterators: [...iterators, 'not-an-iterator', `${iterators[0] ?? ''}x`],
    sequences: [...sequences, '000000000000000000001', '99999999999999999999999999'],
  };
}

async function refreshPool(): Promise<void> {
  await ensureTables();
  pool = {
    tables: ['fuzz', 'fuzz-b', 'missing-table', 'arn:aws:dynamodb:us-east-1:000000000000:table/fuzz', 'x'],
    indexes: ['gix', 'lix', 'nope'],
    attributes: ['pk', 'sk', 'g', 'x', 'n', 's', 't', 'a', 'a.b', 'size'],
    ...(await streamPool()),
  };
}

beforeAll(async () => {
  streams = new streamsSdk.DynamoDBStreamsClient(t.h.clientConfig());
  await refreshPool();
});

type Client = { send(command: unknown): Promise<unknown> };

interface Target {
  id: string;
  model: ServiceModel;
  operations: string[];
  module: Record<string, unknown>;
  client: () => Client;
  targetPrefix: string;
}

const targets: Target[] = [
  {
    id: 'dynamodb',
    model: loadModel('dynamodb'),
    operations: Object.keys(service.handlers).sort(),
    module: sdk as unknown as Record<string, unknown>,
    client: () => t.ddb as unknown as Client,
    targetPrefix: 'DynamoDB_20120810',
  },
  {
    id: 'dynamodbstreams',
    model: loadModel('dynamodbstreams'),
    operations: Object.keys(dynamodbstreams.handlers).sort(),
    module: streamsSdk as unknown as Record<string, unknown>,
    client: () => streams as unknown as Client,
    targetPrefix: 'DynamoDBStreams_20120810',
  },
];

interface Tally {
  target: Target;
  /** writes each input as the SDK would send it */
  wire: ReturnType<typeof reusableSdkClient>;
  failures: string[];
  /** calls the server answered (an SDK call can fail before it sends anything) */
  answered: number;
  succeeded: number;
}

function count(tally: Tally, status: number, what: () => string): void {
  if (status === 0) return;
  tally.answered += 1;
  if (status === 200) tally.succeeded += 1;
  if (status >= 500) tally.failures.push(what());
}

/** Sends the input through the SDK, then its wire form with one value of the wrong type. */
async function sendBothWays(tally: Tally, operation: string, input: unknown, sampler: Sampler) {
  const { target } = tally;
  const status = await sdkStatus(target.client(), target.module, operation, input);
  count(tally, status, () => `${operation}: ${status} for ${JSON.stringify(input)}`);
  // an input the SDK itself refuses to serialize has no wire form to mutate
  const captured = await tally.wire.captureRequest(operation, input).catch(() => undefined);
  if (!captured) return;
  const body = mutateJson(captured.body.toString(), sampler);
  const res = await fetch(t.h.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `${target.targetPrefix}.${operation}`,
    },
    body,
  });
  const text = await res.text();
  count(tally, res.status, () => `${operation}: ${res.status} ${text} for ${body}`);
}

describe('garbage input', () => {
  it.each(targets)(
    'never gets a 5xx from any $id operation, through the SDK or on the wire',
    async (target) => {
      const wire = reusableSdkClient(target.id, { endpoint: t.h.url });
      const tally: Tally = { target, wire, failures: [], answered: 0, succeeded: 0 };
      for (const seed of SEEDS) {
        for (const [index, operation] of target.operations.entries()) {
          const sampler = new Sampler(target.model, {
            seed: seed * 1000 + index,
            maxDepth: 4,
            omitRate: 0.5,
          });
          const shape = target.model.operations[operation]?.input as string;
          const inputs = [
            fuzzValue(sampler.structure(shape), sampler, pool),
            ...(templates(MAIN.name, pool)[operation] ?? []).map((input) =>
              mutateInput(input, sampler, pool),
            ),
          ];
          for (const input of inputs) await sendBothWays(tally, operation, input, sampler);
        }
        await refreshPool();
      }
      expect(tally.failures).toEqual([]);
      expect(tally.answered).toBeGreaterThan(SEEDS.length * target.operations.length * 2);
      // enough inputs are valid to reach past validation into the handlers
      expect(tally.succeeded).toBeGreaterThan(tally.answered / 20);
    },
    SEEDS.length * 30_000,
  );
});
