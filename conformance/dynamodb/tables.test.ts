/**
 * Tables: CreateTable with indexes, DescribeTable, ListTables paging, UpdateTable (billing,
 * GSI creation with backfill and deletion, DeletionProtection), DeleteTable, tags and the
 * SDK waiters. Messages from the API reference and captures of live DynamoDB.
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeEndpointsCommand,
  DescribeLimitsCommand,
  DescribeTableCommand,
  GetItemCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  paginateListTables,
  QueryCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTableCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  createTable,
  createTableInput,
  expectError,
  expectValidation,
  sleep,
  uniqueName,
  useDynamoDB,
  waitForActive,
} from './setup.js';

const t = useDynamoDB();
const ACCOUNT = '000000000000';
const arnOf = (name: string) => `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${name}`;

function ordersSpec(name: string) {
  return {
    name,
    attributes: { pk: 'S', sk: 'S', email: 'S', status: 'S', created: 'N', amount: 'N' } as const,
    key: ['pk', 'sk'],
    gsis: [
      { name: 'byEmail', key: ['email'], projection: { ProjectionType: 'KEYS_ONLY' as const } },
      {
        name: 'byStatus',
        key: ['status', 'created'],
        projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: ['total'] },
      },
    ],
    lsis: [{ name: 'byAmount', key: ['pk', 'amount'], projection: { ProjectionType: 'ALL' as const } }],
  };
}

describe('CreateTable and DescribeTable', () => {
  it('creates a table with a GSI and an LSI and describes keys, indexes, ARNs and billing', async () => {
    const name = uniqueName('orders');
    const created = await t.ddb.send(new CreateTableCommand(createTableInput(ordersSpec(name))));
    expect(['CREATING', 'ACTIVE']).toContain(created.TableDescription?.TableStatus);
    expect(created.TableDescription?.TableName).toBe(name);

    const table = await waitForActive(t.ddb, name);
    expect(table.TableArn).toBe(arnOf(name));
    expect(table.TableId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(table.CreationDateTime).toBeInstanceOf(Date);
    expect(table.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(new Set(table.AttributeDefinitions?.map((d) => `${d.AttributeName}:${d.AttributeType}`))).toEqual(
      new Set(['pk:S', 'sk:S', 'email:S', 'status:S', 'created:N', 'amount:N']),
    );
    expect(table.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.ItemCount).toBe(0);
    expect(table.TableSizeBytes).toBe(0);

    const gsis = Object.fromEntries((table.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, g]));
    expect(Object.keys(gsis).sort()).toEqual(['byEmail', 'byStatus']);
    expect(gsis.byEmail).toMatchObject({
      IndexArn: `${arnOf(name)}/index/byEmail`,
      IndexStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    });
    expect(gsis.byStatus).toMatchObject({
      KeySchema: [
        { AttributeName: 'status', KeyType: 'HASH' },
        { AttributeName: 'created', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
    });
    expect(table.LocalSecondaryIndexes).toHaveLength(1);
    expect(table.LocalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: 'byAmount',
      IndexArn: `${arnOf(name)}/index/byAmount`,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'amount', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
  });

  it('counts items and their size in DescribeTable', async () => {
    const name = uniqueName('counted');
    await createTable(t.ddb, { name, attributes: { id: 'S' }, key: ['id'] });
    for (const id of ['a', 'b', 'c']) {
      await t.ddb.send(new PutItemCommand({ TableName: name, Item: { id: { S: id }, v: { S: 'xyz' } } }));
    }
    const { Table } = await t.ddb.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.ItemCount).toBe(3);
    // each item holds at least "id" (2) + 1 byte value + "v" (1) + 3 bytes value; AWS does not
    // document whether its per-item storage overhead is included
    expect(Table?.TableSizeBytes).toBeGreaterThanOrEqual(21);
  });

  it('stores PROVISIONED throughput as given', async () => {
    const name = uniqueName('provisioned');
    const table = await createTable(t.ddb, {
      name,
      attributes: { id: 'S' },
      key: ['id'],
      extra: {
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 },
      },
    });
    expect(table.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 7, WriteCapacityUnits: 3 });
  });

  it('refuses a table that already exists with ResourceInUseException', async () => {
    const name = uniqueName('twice');
    await createTable(t.ddb, { name, attributes: { id: 'S' }, key: ['id'] });
    await expectError(
      t.ddb.send(new CreateTableCommand(createTableInput({ name, attributes: { id: 'S' }, key: ['id'] }))),
      'ResourceInUseException',
      `Table already exists: ${name}`,
    );
  });

  it('rejects attribute definitions that no key uses', async () => {
    await expectValidation(
      t.ddb.send(
        new CreateTableCommand(
          createTableInput({
            name: uniqueName('extra-def'),
            attributes: { id: 'S', other: 'N' },
            key: ['id'],
          }),
        ),
      ),
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    );
  });

  it('rejects an LSI on a table without a sort key', async () => {
    await expectValidation(
      t.ddb.send(
        new CreateTableCommand(
          createTableInput({
            name: uniqueName('lsi-no-range'),
            attributes: { id: 'S', n: 'N' },
            key: ['id'],
            lsis: [{ name: 'byN', key: ['id', 'n'] }],
          }),
        ),
      ),
      'One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex',
    );
  });

  it('answers DescribeTable of a missing table with ResourceNotFoundException naming it', async () => {
    await expectError(
      t.ddb.send(new DescribeTableCommand({ TableName: 'no-such-table' })),
      'ResourceNotFoundException',
      'Requested resource not found: Table: no-such-table not found',
    );
  });

  it('answers item operations on a missing table with ResourceNotFoundException', async () => {
    await expectError(
      t.ddb.send(new GetItemCommand({ TableName: 'no-such-table', Key: { id: { S: 'x' } } })),
      'ResourceNotFoundException',
      'Requested resource not found',
    );
  });
});

describe('ListTables', () => {
  it('lists names in order, a page at a time, with LastEvaluatedTableName', async () => {
    const names = ['list-c', 'list-a', 'list-b', 'list-d', 'list-e'];
    for (const name of names) await createTable(t.ddb, { name, attributes: { id: 'S' }, key: ['id'] });

    const all: string[] = [];
    for await (const page of paginateListTables({ client: t.ddb, pageSize: 2 }, {})) {
      expect(page.TableNames?.length).toBeLessThanOrEqual(2);
      all.push(...(page.TableNames ?? []));
    }
    expect(all).toEqual([...all].sort());
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining(names));

    const first = await t.ddb.send(new ListTablesCommand({ ExclusiveStartTableName: 'list-a', Limit: 2 }));
    expect(first.TableNames).toEqual(['list-b', 'list-c']);
    expect(first.LastEvaluatedTableName).toBe('list-c');
  });
});

describe('UpdateTable', () => {
  it('switches billing to PROVISIONED and back', async () => {
    const name = uniqueName('billing');
    await createTable(t.ddb, { name, attributes: { id: 'S' }, key: ['id'] });
    await t.ddb.send(
      new UpdateTableCommand({
        TableName: name,
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 },
      }),
    );
    let table = await waitForActive(t.ddb, name);
    expect(table.BillingModeSummary?.BillingMode).toBe('PROVISIONED');
    expect(table.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 6 });

    await t.ddb.send(new UpdateTableCommand({ TableName: name, BillingMode: 'PAY_PER_REQUEST' }));
    table = await waitForActive(t.ddb, name);
    expect(table.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('creates a GSI that backfills existing items, then deletes it', async () => {
    const name = uniqueName('backfill');
    await createTable(t.ddb, { name, attributes: { id: 'S' }, key: ['id'] });
    await t.ddb.send(new PutItemCommand({ TableName: name, Item: { id: { S: '1' }, color: { S: 'red' } } }));
    await t.ddb.send(new PutItemCommand({ TableName: name, Item: { id: { S: '2' }, color: { S: 'blue' } } }));
    await t.ddb.send(new PutItemCommand({ TableName: name, Item: { id: { S: '3' }, color: { S: 'red' } } }));
    await t.ddb.send(new PutItemCommand({ TableName: name, Item: { id: { S: '4' } } }));

    await t.ddb.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'color', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'byColor',
              KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
    const table = await waitForActive(t.ddb, name);
    expect(table.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['byColor']);

    const red = await t.ddb.send(
      new QueryCommand({
        TableName: name,
        IndexName: 'byColor',
        KeyConditionExpression: 'color = :c',
        ExpressionAttributeValues: { ':c': { S: 'red' } },
      }),
    );
    expect(red.Items?.map((i) => i.id.S).sort()).toEqual(['1', '3']);

    await t.ddb.send(
      new UpdateTableCommand({
        TableName: name,
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byColor' } }],
      }),
    );
    const deadline = Date.now() + 10_000;
    let after = await waitForActive(t.ddb, name);
    while ((after.GlobalSecondaryIndexes?.length ?? 0) > 0 && Date.now() < deadline) {
      await sleep(50);
      after = await waitForActive(t.ddb, name);
    }
    expect(after.GlobalSecondaryIndexes ?? []).toEqual([]);
    await expectValidation(
      t.ddb.send(
        new QueryCommand({
          TableName: name,
          IndexName: 'byColor',
          KeyConditionExpression: 'color = :c',
          ExpressionAttributeValues: { ':c': { S: 'red' } },
        }),
      ),
      'The table does not have the specified index: byColor',
    );
  });
});

describe('DeleteTable and DeletionProtection', () => {
  it('refuses to delete a protected table until protection is turned off', async () => {
    const name = uniqueName('protected');
    const table = await createTable(t.ddb, {
      name,
      attributes: { id: 'S' },
      key: ['id'],
      extra: { DeletionProtectionEnabled: true },
    });
    expect(table.DeletionProtectionEnabled).toBe(true);

    await expectValidation(
      t.ddb.send(new DeleteTableCommand({ TableName: name })),
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    );
    expect((await t.ddb.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus).toBe(
      'ACTIVE',
    );

    await t.ddb.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }));
    const unprotected = await waitForActive(t.ddb, name);
    expect(unprotected.DeletionProtectionEnabled).toBe(false);
    const deleted = await t.ddb.send(new DeleteTableCommand({ TableName: name }));
    expect(deleted.TableDescription?.TableName).toBe(name);
    expect(deleted.TableDescription?.TableStatus).toBe('DELETING');
  });

  it('deletes a table: waitUntilTableNotExists succeeds and it is gone from ListTables', async () => {
    const name = uniqueName('doomed');
    await t.ddb.send(
      new CreateTableCommand(createTableInput({ name, attributes: { id: 'S' }, key: ['id'] })),
    );
    const exists = await waitUntilTableExists(
      { client: t.ddb, maxWaitTime: 10, minDelay: 1, maxDelay: 1 },
      { TableName: name },
    );
    expect(exists.state).toBe('SUCCESS');

    await t.ddb.send(new DeleteTableCommand({ TableName: name }));
    const gone = await waitUntilTableNotExists(
      { client: t.ddb, maxWaitTime: 10, minDelay: 1, maxDelay: 1 },
      { TableName: name },
    );
    expect(gone.state).toBe('SUCCESS');
    const { TableNames } = await t.ddb.send(new ListTablesCommand({}));
    expect(TableNames).not.toContain(name);
    await expectError(
      t.ddb.send(new DeleteTableCommand({ TableName: name })),
      'ResourceNotFoundException',
      `Requested resource not found: Table: ${name} not found`,
    );
  });
});

describe('tags', () => {
  it('keeps tags given at creation, adds, lists and removes them by table ARN', async () => {
    const name = uniqueName('tagged');
    await createTable(t.ddb, {
      name,
      attributes: { id: 'S' },
      key: ['id'],
      extra: { Tags: [{ Key: 'team', Value: 'core' }] },
    });
    const ResourceArn = arnOf(name);
    const tags = async () =>
      Object.fromEntries(
        ((await t.ddb.send(new ListTagsOfResourceCommand({ ResourceArn }))).Tags ?? []).map((tag) => [
          tag.Key,
          tag.Value,
        ]),
      );
    expect(await tags()).toEqual({ team: 'core' });

    await t.ddb.send(
      new TagResourceCommand({
        ResourceArn,
        Tags: [
          { Key: 'env', Value: 'test' },
          { Key: 'team', Value: 'platform' },
        ],
      }),
    );
    expect(await tags()).toEqual({ team: 'platform', env: 'test' });

    await t.ddb.send(new UntagResourceCommand({ ResourceArn, TagKeys: ['team'] }));
    expect(await tags()).toEqual({ env: 'test' });
  });

  it('answers tag operations on a missing table with ResourceNotFoundException', async () => {
    await expectError(
      t.ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arnOf('never-created') })),
      'ResourceNotFoundException',
    );
  });
});

describe('account-level operations', () => {
  it('DescribeLimits reports account and table capacity quotas', async () => {
    const out = await t.ddb.send(new DescribeLimitsCommand({}));
    for (const value of [
      out.AccountMaxReadCapacityUnits,
      out.AccountMaxWriteCapacityUnits,
      out.TableMaxReadCapacityUnits,
      out.TableMaxWriteCapacityUnits,
    ]) {
      expect(value).toBeGreaterThan(0);
    }
    expect(out.TableMaxReadCapacityUnits).toBeLessThanOrEqual(out.AccountMaxReadCapacityUnits ?? 0);
  });

  it('DescribeEndpoints names an endpoint and how long to cache it', async () => {
    const out = await t.ddb.send(new DescribeEndpointsCommand({}));
    expect(out.Endpoints?.length).toBeGreaterThan(0);
    expect(out.Endpoints?.[0].Address).toBeTruthy();
    expect(out.Endpoints?.[0].CachePeriodInMinutes).toBeGreaterThan(0);
  });
});
