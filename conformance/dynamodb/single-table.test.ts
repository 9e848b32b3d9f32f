/**
 * The access patterns of a typical single-table design (issue 4), through the DocumentClient:
 * a customer's latest orders (`pk = :pk AND begins_with(sk, :sk)`, newest first, Limit), a
 * lookup by email on a GSI, and sign-up as an atomic two-item transaction (the profile and
 * an email-uniqueness item) whose failing condition leaves both items unchanged.
 */
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable, expectError, uniqueName, useDynamoDB } from './setup.js';

const t = useDynamoDB();
const TABLE = uniqueName('app');

beforeAll(async () => {
  await createTable(t.ddb, {
    name: TABLE,
    attributes: { pk: 'S', sk: 'S', gsi1pk: 'S', gsi1sk: 'S' },
    key: ['pk', 'sk'],
    gsis: [{ name: 'GSI1', key: ['gsi1pk', 'gsi1sk'] }],
  });
});

const signUp = (customerId: string, email: string, name: string) =>
  t.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: TABLE,
            Item: {
              pk: `CUSTOMER#${customerId}`,
              sk: 'PROFILE',
              gsi1pk: `EMAIL#${email}`,
              gsi1sk: `CUSTOMER#${customerId}`,
              name,
              email,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: TABLE,
            Item: { pk: `EMAIL#${email}`, sk: `EMAIL#${email}`, customerId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    }),
  );

const getItem = async (pk: string, sk: string) =>
  (await t.doc.send(new GetCommand({ TableName: TABLE, Key: { pk, sk }, ConsistentRead: true }))).Item;

describe('single-table design', () => {
  beforeAll(async () => {
    await signUp('c1', 'ann@example.com', 'Ann');
    await signUp('c2', 'bob@example.com', 'Bob');
    const orders: [string, string, number][] = [
      ['c1', '2024-01-05', 30],
      ['c1', '2024-03-10', 12],
      ['c1', '2024-02-20', 55],
      ['c1', '2024-04-01', 7],
      ['c2', '2024-05-01', 99],
    ];
    for (const [customer, date, total] of orders) {
      await t.doc.send(
        new PutCommand({
          TableName: TABLE,
          Item: { pk: `CUSTOMER#${customer}`, sk: `ORDER#${date}`, total },
        }),
      );
    }
  });

  it("lists a customer's latest orders newest first, a page of two at a time", async () => {
    const latest = await t.doc.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': 'CUSTOMER#c1', ':sk': 'ORDER#' },
        ScanIndexForward: false,
        Limit: 2,
      }),
    );
    expect(latest.Items?.map((o) => o.sk)).toEqual(['ORDER#2024-04-01', 'ORDER#2024-03-10']);
    expect(latest.LastEvaluatedKey).toEqual({ pk: 'CUSTOMER#c1', sk: 'ORDER#2024-03-10' });

    const older = await t.doc.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': 'CUSTOMER#c1', ':sk': 'ORDER#' },
        ScanIndexForward: false,
        Limit: 2,
        ExclusiveStartKey: latest.LastEvaluatedKey,
      }),
    );
    expect(older.Items?.map((o) => o.total)).toEqual([55, 30]);
  });

  it('finds a customer by email on the GSI', async () => {
    const out = await t.doc.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: 'GSI1',
        KeyConditionExpression: 'gsi1pk = :e',
        ExpressionAttributeValues: { ':e': 'EMAIL#bob@example.com' },
      }),
    );
    expect(out.Items).toEqual([
      {
        pk: 'CUSTOMER#c2',
        sk: 'PROFILE',
        gsi1pk: 'EMAIL#bob@example.com',
        gsi1sk: 'CUSTOMER#c2',
        name: 'Bob',
        email: 'bob@example.com',
      },
    ]);
  });

  it('refuses a sign-up with a taken email atomically: neither item is written', async () => {
    const error = await expectError(
      signUp('c3', 'ann@example.com', 'Impostor'),
      'TransactionCanceledException',
    );
    expect((error.CancellationReasons as { Code: string }[]).map((r) => r.Code)).toEqual([
      'None',
      'ConditionalCheckFailed',
    ]);
    expect(await getItem('CUSTOMER#c3', 'PROFILE')).toBeUndefined();
    expect(await getItem('EMAIL#ann@example.com', 'EMAIL#ann@example.com')).toEqual({
      pk: 'EMAIL#ann@example.com',
      sk: 'EMAIL#ann@example.com',
      customerId: 'c1',
    });
  });
});
