/**
 * TransactWriteItems and TransactGetItems: all-or-nothing writes, CancellationReasons in
 * request order (with the item when ReturnValuesOnConditionCheckFailure is ALL_OLD), one
 * operation per item, the 100-action limit and ClientRequestToken idempotency. Behaviour
 * from the API reference (TransactWriteItems) and the developer guide ("Transactions").
 */
import {
  type AttributeValue,
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable, expectError, expectValidation, uniqueName, useDynamoDB } from './setup.js';

const t = useDynamoDB();
const ACCOUNTS = uniqueName('accounts');
const LOG = uniqueName('log');
type Item = Record<string, AttributeValue>;

beforeAll(async () => {
  await createTable(t.ddb, { name: ACCOUNTS, attributes: { id: 'S' }, key: ['id'] });
  await createTable(t.ddb, { name: LOG, attributes: { pk: 'S', sk: 'N' }, key: ['pk', 'sk'] });
});

const key = (id: string) => ({ id: { S: id } });
const put = (Item: Item) => t.ddb.send(new PutItemCommand({ TableName: ACCOUNTS, Item }));
const get = async (id: string) =>
  (await t.ddb.send(new GetItemCommand({ TableName: ACCOUNTS, Key: key(id), ConsistentRead: true }))).Item;
const transact = (input: TransactWriteItemsCommandInput) => t.ddb.send(new TransactWriteItemsCommand(input));

/** Moves `amount` from one account to another, only if the source has enough. */
const transfer = (from: string, to: string, amount: number) =>
  [
    {
      Update: {
        TableName: ACCOUNTS,
        Key: key(from),
        UpdateExpression: 'SET balance = balance - :a',
        ConditionExpression: 'balance >= :a',
        ExpressionAttributeValues: { ':a': { N: String(amount) } },
      },
    },
    {
      Update: {
        TableName: ACCOUNTS,
        Key: key(to),
        UpdateExpression: 'SET balance = balance + :a',
        ExpressionAttributeValues: { ':a': { N: String(amount) } },
      },
    },
  ] as const;

describe('TransactWriteItems', () => {
  it('applies Put, Update, Delete and ConditionCheck together', async () => {
    await put({ id: { S: 'tw-update' }, n: { N: '1' } });
    await put({ id: { S: 'tw-delete' } });
    await put({ id: { S: 'tw-check' }, open: { BOOL: true } });
    await transact({
      TransactItems: [
        { Put: { TableName: ACCOUNTS, Item: { id: { S: 'tw-put' }, v: { S: 'new' } } } },
        {
          Update: {
            TableName: ACCOUNTS,
            Key: key('tw-update'),
            UpdateExpression: 'ADD n :one',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          },
        },
        { Delete: { TableName: ACCOUNTS, Key: key('tw-delete') } },
        {
          ConditionCheck: {
            TableName: ACCOUNTS,
            Key: key('tw-check'),
            ConditionExpression: '#o = :t',
            ExpressionAttributeNames: { '#o': 'open' },
            ExpressionAttributeValues: { ':t': { BOOL: true } },
          },
        },
        { Put: { TableName: LOG, Item: { pk: { S: 'tw' }, sk: { N: '1' } } } },
      ],
    });
    expect(await get('tw-put')).toEqual({ id: { S: 'tw-put' }, v: { S: 'new' } });
    expect(await get('tw-update')).toEqual({ id: { S: 'tw-update' }, n: { N: '2' } });
    expect(await get('tw-delete')).toBeUndefined();
    expect(await get('tw-check')).toEqual({ id: { S: 'tw-check' }, open: { BOOL: true } });
  });

  it('moves a balance atomically between two items', async () => {
    await put({ id: { S: 'alice' }, balance: { N: '100' } });
    await put({ id: { S: 'bob' }, balance: { N: '0' } });
    await transact({ TransactItems: [...transfer('alice', 'bob', 30)] });
    expect((await get('alice'))?.balance).toEqual({ N: '70' });
    expect((await get('bob'))?.balance).toEqual({ N: '30' });
  });

  it('cancels everything when one condition fails, with reasons in request order', async () => {
    await put({ id: { S: 'carol' }, balance: { N: '10' } });
    await put({ id: { S: 'dave' }, balance: { N: '5' } });
    const error = await expectError(
      transact({
        TransactItems: [
          { Put: { TableName: ACCOUNTS, Item: { id: { S: 'side-effect' } } } },
          ...transfer('carol', 'dave', 50),
        ],
      }),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]',
    );
    expect(error.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'None' },
    ]);
    expect(await get('side-effect')).toBeUndefined();
    expect((await get('carol'))?.balance).toEqual({ N: '10' });
    expect((await get('dave'))?.balance).toEqual({ N: '5' });
  });

  it('returns the current item in the reason with ReturnValuesOnConditionCheckFailure ALL_OLD', async () => {
    const current = { id: { S: 'erin' }, balance: { N: '1' } };
    await put(current);
    const error = await expectError(
      transact({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: ACCOUNTS,
              Key: key('alice'),
              ConditionExpression: 'attribute_exists(id)',
            },
          },
          {
            Update: {
              TableName: ACCOUNTS,
              Key: key('erin'),
              UpdateExpression: 'SET balance = balance - :a',
              ConditionExpression: 'balance >= :a',
              ExpressionAttributeValues: { ':a': { N: '5' } },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      }),
      'TransactionCanceledException',
    );
    const reasons = error.CancellationReasons as { Code?: string; Item?: Item }[];
    expect(reasons.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect(reasons[0].Item).toBeUndefined();
    expect(reasons[1].Item).toEqual(current);
  });

  it('rejects two operations on one item', async () => {
    await expectValidation(
      transact({
        TransactItems: [
          { Put: { TableName: ACCOUNTS, Item: { id: { S: 'same' }, v: { N: '1' } } } },
          { Delete: { TableName: ACCOUNTS, Key: key('same') } },
        ],
      }),
      'Transaction request cannot include multiple operations on one item',
    );
    expect(await get('same')).toBeUndefined();
  });

  it('rejects more than 100 actions', async () => {
    const puts = Array.from({ length: 101 }, (_, i) => ({
      Put: { TableName: ACCOUNTS, Item: { id: { S: `many-${i}` } } },
    }));
    await expectValidation(
      transact({ TransactItems: puts }),
      /^1 validation error detected: .*at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/s,
    );
    expect(await get('many-0')).toBeUndefined();
  });

  it('answers a missing table with ResourceNotFoundException', async () => {
    await expectError(
      transact({ TransactItems: [{ Put: { TableName: 'no-such-table', Item: key('x') } }] }),
      'ResourceNotFoundException',
    );
  });
});

describe('ClientRequestToken', () => {
  const bump = (token: string, by: string) => ({
    ClientRequestToken: token,
    TransactItems: [
      {
        Update: {
          TableName: ACCOUNTS,
          Key: key('idempotent'),
          UpdateExpression: 'ADD n :by',
          ExpressionAttributeValues: { ':by': { N: by } },
        },
      },
    ],
  });

  it('applies a repeated request with the same token once', async () => {
    await transact(bump('token-1', '1'));
    const again = await transact(bump('token-1', '1'));
    expect(again.$metadata.httpStatusCode).toBe(200);
    expect((await get('idempotent'))?.n).toEqual({ N: '1' });
  });

  it('rejects the same token with different parameters', async () => {
    await transact(bump('token-2', '10'));
    await expectError(transact(bump('token-2', '20')), 'IdempotentParameterMismatchException');
    expect((await get('idempotent'))?.n).toEqual({ N: '11' });
  });
});

describe('TransactGetItems', () => {
  it('reads items in request order, with an empty response for a missing one', async () => {
    await put({ id: { S: 'tg-1' }, a: { S: 'one' }, b: { S: 'hidden' } });
    await t.ddb.send(new PutItemCommand({ TableName: LOG, Item: { pk: { S: 'tg' }, sk: { N: '2' } } }));
    const out = await t.ddb.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: LOG, Key: { pk: { S: 'tg' }, sk: { N: '2' } } } },
          { Get: { TableName: ACCOUNTS, Key: key('tg-missing') } },
          { Get: { TableName: ACCOUNTS, Key: key('tg-1'), ProjectionExpression: 'id, a' } },
        ],
      }),
    );
    expect(out.Responses).toHaveLength(3);
    expect(out.Responses?.[0].Item).toEqual({ pk: { S: 'tg' }, sk: { N: '2' } });
    expect(out.Responses?.[1].Item).toBeUndefined();
    expect(out.Responses?.[2].Item).toEqual({ id: { S: 'tg-1' }, a: { S: 'one' } });
  });
});
