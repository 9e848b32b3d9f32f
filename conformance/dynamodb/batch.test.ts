/**
 * BatchGetItem and BatchWriteItem: several tables per call, the 25-request and 100-key
 * limits, duplicate keys, the shapes of UnprocessedItems/UnprocessedKeys, and the 16 MB
 * response limit of BatchGetItem. Behaviour and messages from the API reference.
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  GetItemCommand,
  PutItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable, expectError, expectValidation, startsWith, uniqueName, useDynamoDB } from './setup.js';

const t = useDynamoDB();
const USERS = uniqueName('users');
const EVENTS = uniqueName('events');
const BIG = uniqueName('big');

beforeAll(async () => {
  await createTable(t.ddb, { name: USERS, attributes: { id: 'S' }, key: ['id'] });
  await createTable(t.ddb, { name: EVENTS, attributes: { pk: 'S', sk: 'N' }, key: ['pk', 'sk'] });
  await createTable(t.ddb, { name: BIG, attributes: { id: 'S' }, key: ['id'] });
});

const userKey = (id: string) => ({ id: { S: id } });
const putUser = (id: string, extra: Record<string, AttributeValue> = {}): WriteRequest => ({
  PutRequest: { Item: { ...userKey(id), ...extra } },
});
const getUser = async (id: string) =>
  (await t.ddb.send(new GetItemCommand({ TableName: USERS, Key: userKey(id), ConsistentRead: true }))).Item;

describe('BatchWriteItem', () => {
  it('puts and deletes across tables and answers an empty UnprocessedItems', async () => {
    await t.ddb.send(new PutItemCommand({ TableName: USERS, Item: { ...userKey('old'), v: { S: 'x' } } }));
    const out = await t.ddb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [USERS]: [
            putUser('u1', { name: { S: 'Ann' } }),
            putUser('u2'),
            { DeleteRequest: { Key: userKey('old') } },
          ],
          [EVENTS]: [{ PutRequest: { Item: { pk: { S: 'e' }, sk: { N: '1' } } } }],
        },
      }),
    );
    expect(out.UnprocessedItems).toEqual({});
    expect(await getUser('u1')).toEqual({ id: { S: 'u1' }, name: { S: 'Ann' } });
    expect(await getUser('u2')).toEqual({ id: { S: 'u2' } });
    expect(await getUser('old')).toBeUndefined();
  });

  it('accepts 25 requests and rejects 26', async () => {
    const requests = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => putUser(`${prefix}-${i}`));
    await t.ddb.send(new BatchWriteItemCommand({ RequestItems: { [USERS]: requests(25, 'ok') } }));
    expect(await getUser('ok-24')).toBeDefined();

    await expectValidation(
      t.ddb.send(new BatchWriteItemCommand({ RequestItems: { [USERS]: requests(26, 'over') } })),
      /^1 validation error detected: Value '.*' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/s,
    );
    expect(await getUser('over-0')).toBeUndefined();
  });

  it('rejects two requests for the same key', async () => {
    await expectValidation(
      t.ddb.send(
        new BatchWriteItemCommand({
          RequestItems: { [USERS]: [putUser('dup'), { DeleteRequest: { Key: userKey('dup') } }] },
        }),
      ),
      'Provided list of item keys contains duplicates',
    );
    expect(await getUser('dup')).toBeUndefined();
  });

  it('rejects the whole batch when one item does not match the key schema', async () => {
    await expectValidation(
      t.ddb.send(
        new BatchWriteItemCommand({
          RequestItems: { [USERS]: [putUser('fine'), { PutRequest: { Item: { id: { N: '1' } } } }] },
        }),
      ),
      'The provided key element does not match the schema',
    );
    expect(await getUser('fine')).toBeUndefined();
  });

  it('answers a missing table with ResourceNotFoundException', async () => {
    await expectError(
      t.ddb.send(new BatchWriteItemCommand({ RequestItems: { 'no-such-table': [putUser('x')] } })),
      'ResourceNotFoundException',
      'Requested resource not found',
    );
  });
});

describe('BatchGetItem', () => {
  beforeAll(async () => {
    await t.ddb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [USERS]: [putUser('g1', { a: { S: '1' }, b: { S: '2' } }), putUser('g2', { a: { S: '3' } })],
          [EVENTS]: [{ PutRequest: { Item: { pk: { S: 'g' }, sk: { N: '7' }, what: { S: 'login' } } } }],
        },
      }),
    );
  });

  it('reads keys from several tables; missing keys are simply absent', async () => {
    const out = await t.ddb.send(
      new BatchGetItemCommand({
        RequestItems: {
          [USERS]: {
            Keys: [userKey('g1'), userKey('g2'), userKey('missing')],
            ProjectionExpression: 'id, a',
          },
          [EVENTS]: { Keys: [{ pk: { S: 'g' }, sk: { N: '7' } }], ConsistentRead: true },
        },
      }),
    );
    const users = [...(out.Responses?.[USERS] ?? [])].sort((x, y) =>
      (x.id.S ?? '').localeCompare(y.id.S ?? ''),
    );
    expect(users).toEqual([
      { id: { S: 'g1' }, a: { S: '1' } },
      { id: { S: 'g2' }, a: { S: '3' } },
    ]);
    expect(out.Responses?.[EVENTS]).toEqual([{ pk: { S: 'g' }, sk: { N: '7' }, what: { S: 'login' } }]);
    expect(out.UnprocessedKeys).toEqual({});
  });

  it('rejects more than 100 keys in one call', async () => {
    const keys = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => userKey(`${prefix}${i}`));
    await t.ddb.send(new BatchGetItemCommand({ RequestItems: { [USERS]: { Keys: keys(100, 'k') } } }));
    await expectValidation(
      t.ddb.send(
        new BatchGetItemCommand({
          RequestItems: { [USERS]: { Keys: keys(60, 'a') }, [BIG]: { Keys: keys(41, 'b') } },
        }),
      ),
      startsWith('Too many items requested for the BatchGetItem call'),
    );
  });

  it('rejects the same key twice', async () => {
    await expectValidation(
      t.ddb.send(
        new BatchGetItemCommand({ RequestItems: { [USERS]: { Keys: [userKey('g1'), userKey('g1')] } } }),
      ),
      'Provided list of item keys contains duplicates',
    );
  });

  it('answers a missing table with ResourceNotFoundException', async () => {
    await expectError(
      t.ddb.send(new BatchGetItemCommand({ RequestItems: { 'no-such-table': { Keys: [userKey('x')] } } })),
      'ResourceNotFoundException',
      'Requested resource not found',
    );
  });

  it('stops at 16 MB and hands back the rest as UnprocessedKeys in the request shape', async () => {
    const filler = 'x'.repeat(390 * 1024);
    const count = 50; // ~19 MB in all
    for (let i = 0; i < count; i++) {
      await t.ddb.send(
        new PutItemCommand({ TableName: BIG, Item: { id: { S: `big-${i}` }, data: { S: filler } } }),
      );
    }
    const keys = Array.from({ length: count }, (_, i) => ({ id: { S: `big-${i}` } }));
    const out = await t.ddb.send(
      new BatchGetItemCommand({
        RequestItems: {
          [BIG]: { Keys: keys, ProjectionExpression: 'id, #d', ExpressionAttributeNames: { '#d': 'data' } },
        },
      }),
    );
    const returned = out.Responses?.[BIG] ?? [];
    const unprocessed = out.UnprocessedKeys?.[BIG];
    expect(returned.length).toBeGreaterThan(0);
    expect(returned.length * filler.length).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(unprocessed?.Keys?.length).toBe(count - returned.length);
    // the unprocessed entry keeps the request's projection, so it can be sent again as is
    expect(unprocessed?.ProjectionExpression).toBe('id, #d');
    const all = [...returned.map((i) => i.id.S), ...(unprocessed?.Keys ?? []).map((k) => k.id.S)];
    expect(new Set(all)).toEqual(new Set(keys.map((k) => k.id.S)));
  });
});
