/**
 * What the issue names of tables that the other suites left unproven: binary and number
 * partition keys (on the table and on a GSI), SSE and TableClass kept and described,
 * provisioned throughput changed on the table and on a GSI, and Integer members sent as
 * decimals (DynamoDB reads a Limit of 1.5 as 1).
 */
import {
  type AttributeValue,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import {
  bytes,
  createTable,
  createTableInput,
  expectValidation,
  uniqueName,
  useDynamoDB,
  waitForActive,
} from './setup.js';

const t = useDynamoDB();

describe('binary and number partition keys', () => {
  it('puts, gets, queries and deletes items keyed by a binary hash and a number range', async () => {
    const name = uniqueName('binary-keys');
    await createTable(t.ddb, {
      name,
      attributes: { id: 'B', seq: 'N', tag: 'B' },
      key: ['id', 'seq'],
      gsis: [{ name: 'byTag', key: ['tag', 'seq'] }],
    });
    const items = [
      { id: { B: bytes(0, 255) }, seq: { N: '2' }, tag: { B: bytes(9) } },
      { id: { B: bytes(0, 255) }, seq: { N: '-1.5' }, tag: { B: bytes(9) } },
      { id: { B: bytes(0) }, seq: { N: '1' }, tag: { B: bytes(8) } },
    ];
    for (const Item of items) await t.ddb.send(new PutItemCommand({ TableName: name, Item }));

    const got = await t.ddb.send(
      new GetItemCommand({ TableName: name, Key: { id: { B: bytes(0, 255) }, seq: { N: '2.0' } } }),
    );
    expect(got.Item).toEqual(items[0]);

    const partition = await t.ddb.send(
      new QueryCommand({
        TableName: name,
        KeyConditionExpression: 'id = :id AND seq > :low',
        ExpressionAttributeValues: { ':id': { B: bytes(0, 255) }, ':low': { N: '-2' } },
      }),
    );
    expect(partition.Items?.map((i) => i.seq?.N)).toEqual(['-1.5', '2']);

    const tagged = await t.ddb.send(
      new QueryCommand({
        TableName: name,
        IndexName: 'byTag',
        KeyConditionExpression: 'tag = :tag',
        ExpressionAttributeValues: { ':tag': { B: bytes(9) } },
        ScanIndexForward: false,
      }),
    );
    expect(tagged.Items?.map((i) => i.seq?.N)).toEqual(['2', '-1.5']);

    await t.ddb.send(
      new DeleteItemCommand({ TableName: name, Key: { id: { B: bytes(0) }, seq: { N: '1' } } }),
    );
    const { Table } = await t.ddb.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.ItemCount).toBe(2);
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'id', KeyType: 'HASH' },
      { AttributeName: 'seq', KeyType: 'RANGE' },
    ]);
  });

  it('refuses a key of another type than the table defines', async () => {
    const name = uniqueName('number-key');
    await createTable(t.ddb, { name, attributes: { n: 'N' }, key: ['n'] });
    await expectValidation(
      t.ddb.send(new PutItemCommand({ TableName: name, Item: { n: { B: bytes(1) } } })),
      /^(?:1 validation error detected: )?One or more parameter values were invalid: Type mismatch for key n expected: N actual: B$/,
    );
  });
});

describe('SSE and TableClass', () => {
  it('describes a KMS key given by id, alias or ARN, and the AWS managed key otherwise', async () => {
    const account = '000000000000';
    const kms = `arn:aws:kms:us-east-1:${account}`;
    const cases: [string | undefined, string | RegExp][] = [
      [`${kms}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, `${kms}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
      ['1234abcd-12ab-34cd-56ef-1234567890ab', `${kms}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
      ['alias/orders', `${kms}:alias/orders`],
      [
        undefined,
        /^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      ],
    ];
    const managed: string[] = [];
    for (const [KMSMasterKeyId, expected] of cases) {
      const name = uniqueName('encrypted');
      const table = await createTable(t.ddb, {
        name,
        attributes: { id: 'S' },
        key: ['id'],
        extra: { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId } },
      });
      expect(table.SSEDescription?.Status).toBe('ENABLED');
      expect(table.SSEDescription?.SSEType).toBe('KMS');
      expect(table.SSEDescription?.KMSMasterKeyArn).toMatch(
        typeof expected === 'string' ? new RegExp(`^${expected}$`) : expected,
      );
      if (!KMSMasterKeyId) managed.push(table.SSEDescription?.KMSMasterKeyArn as string);
    }
    // the AWS managed key is the account's, not the table's
    const other = await createTable(t.ddb, {
      name: uniqueName('encrypted'),
      attributes: { id: 'S' },
      key: ['id'],
      extra: { SSESpecification: { Enabled: true } },
    });
    expect(other.SSEDescription?.KMSMasterKeyArn).toBe(managed[0]);
  });

  it('switches encryption to an AWS owned key (no SSEDescription) and back with UpdateTable', async () => {
    const name = uniqueName('sse-update');
    const plain = await createTable(t.ddb, { name, attributes: { id: 'S' }, key: ['id'] });
    expect(plain.SSEDescription).toBeUndefined();
    await t.ddb.send(
      new UpdateTableCommand({
        TableName: name,
        SSESpecification: { Enabled: true, KMSMasterKeyId: 'alias/x' },
      }),
    );
    let table = await waitForActive(t.ddb, name);
    expect(table.SSEDescription?.KMSMasterKeyArn).toBe('arn:aws:kms:us-east-1:000000000000:alias/x');
    await t.ddb.send(new UpdateTableCommand({ TableName: name, SSESpecification: { Enabled: false } }));
    table = await waitForActive(t.ddb, name);
    expect(table.SSEDescription).toBeUndefined();
  });

  it('keeps the table class given at creation and changes it with UpdateTable', async () => {
    const name = uniqueName('infrequent');
    const table = await createTable(t.ddb, {
      name,
      attributes: { id: 'S' },
      key: ['id'],
      extra: { TableClass: 'STANDARD_INFREQUENT_ACCESS' },
    });
    expect(table.TableClassSummary?.TableClass).toBe('STANDARD_INFREQUENT_ACCESS');
    await t.ddb.send(new UpdateTableCommand({ TableName: name, TableClass: 'STANDARD' }));
    expect((await waitForActive(t.ddb, name)).TableClassSummary?.TableClass).toBe('STANDARD');
  });

  it('refuses a table class DynamoDB does not have', async () => {
    await expectValidation(
      t.ddb.send(
        new CreateTableCommand(
          createTableInput({
            name: uniqueName('glacier'),
            attributes: { id: 'S' },
            key: ['id'],
            extra: { TableClass: 'GLACIER' as never },
          }),
        ),
      ),
      "1 validation error detected: Value 'GLACIER' at 'tableClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, STANDARD_INFREQUENT_ACCESS]",
    );
  });
});

describe('provisioned throughput', () => {
  it('raises and lowers the table throughput, dating and counting the changes', async () => {
    const name = uniqueName('throughput');
    await createTable(t.ddb, {
      name,
      attributes: { id: 'S', g: 'S' },
      key: ['id'],
      gsis: [{ name: 'byG', key: ['g'] }],
      extra: {
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
            ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
          },
        ],
      },
    });
    const update = (ProvisionedThroughput: { ReadCapacityUnits: number; WriteCapacityUnits: number }) =>
      t.ddb.send(new UpdateTableCommand({ TableName: name, ProvisionedThroughput }));

    await update({ ReadCapacityUnits: 10, WriteCapacityUnits: 5 });
    let table = await waitForActive(t.ddb, name);
    expect(table.ProvisionedThroughput).toMatchObject({
      ReadCapacityUnits: 10,
      WriteCapacityUnits: 5,
      NumberOfDecreasesToday: 0,
    });
    expect(table.ProvisionedThroughput?.LastIncreaseDateTime).toBeInstanceOf(Date);
    expect(table.ProvisionedThroughput?.LastDecreaseDateTime).toBeUndefined();

    await update({ ReadCapacityUnits: 10, WriteCapacityUnits: 1 });
    table = await waitForActive(t.ddb, name);
    expect(table.ProvisionedThroughput).toMatchObject({ WriteCapacityUnits: 1, NumberOfDecreasesToday: 1 });
    expect(table.ProvisionedThroughput?.LastDecreaseDateTime).toBeInstanceOf(Date);

    await expectValidation(
      update({ ReadCapacityUnits: 10, WriteCapacityUnits: 1 }),
      'The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 10. Requested ReadCapacityUnits: 10. Current WriteCapacityUnits provisioned for the table: 1. Requested WriteCapacityUnits: 1. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
    );

    await t.ddb.send(
      new UpdateTableCommand({
        TableName: name,
        GlobalSecondaryIndexUpdates: [
          {
            Update: {
              IndexName: 'byG',
              ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 },
            },
          },
        ],
      }),
    );
    table = await waitForActive(t.ddb, name);
    expect(table.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toMatchObject({
      ReadCapacityUnits: 7,
      WriteCapacityUnits: 3,
    });
    expect(table.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 10, WriteCapacityUnits: 1 });
  });

  it('refuses a GSI created by UpdateTable without its key schema or projection', async () => {
    const name = uniqueName('gsi-members');
    await createTable(t.ddb, { name, attributes: { id: 'S' }, key: ['id'] });
    await expectValidation(
      t.ddb.send(
        new UpdateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
          GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byG' } as never }],
        }),
      ),
      "2 validation errors detected: Value null at 'globalSecondaryIndexUpdates.1.member.create.keySchema' failed to satisfy constraint: Member must not be null; Value null at 'globalSecondaryIndexUpdates.1.member.create.projection' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe('backfilling a new GSI', () => {
  it('leaves out items whose index key has the wrong type or is empty, as index key violations', async () => {
    const name = uniqueName('violations');
    await createTable(t.ddb, { name, attributes: { id: 'S' }, key: ['id'] });
    const items: Record<string, AttributeValue>[] = [
      { id: { S: 'good' }, g: { S: 'x' }, r: { N: '1' } },
      { id: { S: 'typed' }, g: { N: '5' }, r: { N: '1' } },
      { id: { S: 'empty' }, g: { S: '' }, r: { N: '1' } },
      { id: { S: 'no-range' }, g: { S: 'x' } },
      { id: { S: 'bad-range' }, g: { S: 'x' }, r: { S: '1' } },
    ];
    for (const Item of items) await t.ddb.send(new PutItemCommand({ TableName: name, Item }));
    await t.ddb.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: [
          { AttributeName: 'g', AttributeType: 'S' },
          { AttributeName: 'r', AttributeType: 'N' },
        ],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'byG',
              KeySchema: [
                { AttributeName: 'g', KeyType: 'HASH' },
                { AttributeName: 'r', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          },
        ],
      }),
    );
    const table = await waitForActive(t.ddb, name);
    expect(table.GlobalSecondaryIndexes?.[0]?.ItemCount).toBe(1);
    const scanned = await t.ddb.send(new ScanCommand({ TableName: name, IndexName: 'byG' }));
    expect(scanned.Items?.map((i) => i.id?.S)).toEqual(['good']);
  });
});

describe('Integer members given as decimals', () => {
  it('reads Limit, Segment and TotalSegments as their integer part, as DynamoDB does', async () => {
    const name = uniqueName('decimal-limit');
    await createTable(t.ddb, {
      name,
      attributes: { id: 'S' },
      key: ['id'],
      extra: { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } },
    });
    for (const id of ['a', 'b', 'c']) {
      await t.ddb.send(new PutItemCommand({ TableName: name, Item: { id: { S: id } } }));
    }
    const page = await t.ddb.send(new ScanCommand({ TableName: name, Limit: 1.5 }));
    expect(page.Count).toBe(1);
    expect(page.LastEvaluatedKey).toBeDefined();
    const tables = await t.ddb.send(new ListTablesCommand({ Limit: 1.9 }));
    expect(tables.TableNames).toHaveLength(1);
    await expectValidation(
      t.ddb.send(new ScanCommand({ TableName: name, Segment: 1, TotalSegments: 1.5 })),
      'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 1 is not less than TotalSegments: 1',
    );

    const streams = new DynamoDBStreamsClient(t.h.clientConfig());
    const { Streams } = await streams.send(new ListStreamsCommand({ TableName: name, Limit: 1.5 }));
    expect(Streams).toHaveLength(1);
    const arn = Streams?.[0]?.StreamArn as string;
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: arn,
        ShardId: await shardOf(streams, arn),
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const records = await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 2.5 }));
    expect(records.Records).toHaveLength(2);
  });
});

async function shardOf(streams: DynamoDBStreamsClient, arn: string): Promise<string> {
  const out = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  return out.StreamDescription?.Shards?.[0]?.ShardId as string;
}
