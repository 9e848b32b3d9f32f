/**
 * Items: PutItem, GetItem, UpdateItem and DeleteItem with conditions, every ReturnValues,
 * ReturnValuesOnConditionCheckFailure, ReturnConsumedCapacity, and the UpdateItem actions on
 * nested paths, sets and lists. Behaviour from the API reference and the developer guide
 * ("Update expressions", "Condition expressions").
 */
import {
  type AttributeValue,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bytes,
  createTable,
  enveloped,
  expectError,
  expectValidation,
  uniqueName,
  useDynamoDB,
} from './setup.js';

const t = useDynamoDB();
const TABLE = uniqueName('items');
type Item = Record<string, AttributeValue>;

beforeAll(async () => {
  await createTable(t.ddb, { name: TABLE, attributes: { id: 'S' }, key: ['id'] });
});

let idCounter = 0;
const newId = () => `item-${++idCounter}`;
const put = (Item: Item) => t.ddb.send(new PutItemCommand({ TableName: TABLE, Item }));
const get = async (id: string) =>
  (await t.ddb.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: id } }, ConsistentRead: true })))
    .Item;
const update = (
  id: string,
  input: Omit<ConstructorParameters<typeof UpdateItemCommand>[0], 'TableName' | 'Key'>,
) => t.ddb.send(new UpdateItemCommand({ TableName: TABLE, Key: { id: { S: id } }, ...input }));

/** Sets are unordered: compare their members sorted. */
function sortedSets(item: Item | undefined): Item | undefined {
  if (!item) return item;
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) {
    if (v.SS) out[k] = { SS: [...v.SS].sort() };
    else if (v.NS) out[k] = { NS: [...v.NS].sort((a, b) => Number(a) - Number(b)) };
    else out[k] = v;
  }
  return out;
}

describe('PutItem and GetItem', () => {
  it('round-trips every attribute type', async () => {
    const id = newId();
    const item: Item = {
      id: { S: id },
      s: { S: 'text' },
      n: { N: '-56.789' },
      b: { B: bytes(1, 2, 255) },
      t: { BOOL: true },
      f: { BOOL: false },
      nul: { NULL: true },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2.5'] },
      bs: { BS: [bytes(1), bytes(2, 3)] },
      l: { L: [{ S: 'x' }, { N: '1' }, { L: [] }, { M: {} }, { NULL: true }] },
      m: { M: { inner: { M: { deep: { S: 'yes' } } }, list: { L: [{ BOOL: false }] } } },
    };
    await put(item);
    const back = await get(id);
    expect(sortedSets(back)).toEqual(sortedSets(item));
  });

  it('returns no Item for a key that does not exist', async () => {
    const out = await t.ddb.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'never-put' } } }));
    expect(out.Item).toBeUndefined();
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  it('projects nested paths and list elements with ProjectionExpression', async () => {
    const id = newId();
    await put({
      id: { S: id },
      a: { M: { b: { S: 'keep' }, c: { S: 'drop' } } },
      arr: { L: [{ S: 'zero' }, { M: { x: { N: '1' }, y: { N: '2' } } }, { S: 'two' }] },
      other: { S: 'drop' },
    });
    const out = await t.ddb.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: { id: { S: id } },
        ProjectionExpression: 'a.b, arr[1].y, #o',
        ExpressionAttributeNames: { '#o': 'missing' },
      }),
    );
    expect(out.Item).toEqual({ a: { M: { b: { S: 'keep' } } }, arr: { L: [{ M: { y: { N: '2' } } }] } });
  });

  it('replaces the whole item on a second put', async () => {
    const id = newId();
    await put({ id: { S: id }, a: { S: '1' }, b: { S: '2' } });
    await put({ id: { S: id }, c: { S: '3' } });
    expect(await get(id)).toEqual({ id: { S: id }, c: { S: '3' } });
  });

  it('returns the replaced item with ReturnValues ALL_OLD and nothing with NONE', async () => {
    const id = newId();
    const first = await t.ddb.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { id: { S: id }, v: { N: '1' } },
        ReturnValues: 'ALL_OLD',
      }),
    );
    expect(first.Attributes).toBeUndefined();
    const second = await t.ddb.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { id: { S: id }, v: { N: '2' } },
        ReturnValues: 'ALL_OLD',
      }),
    );
    expect(second.Attributes).toEqual({ id: { S: id }, v: { N: '1' } });
    const third = await t.ddb.send(
      new PutItemCommand({ TableName: TABLE, Item: { id: { S: id }, v: { N: '3' } }, ReturnValues: 'NONE' }),
    );
    expect(third.Attributes).toBeUndefined();
  });

  it('rejects ReturnValues other than ALL_OLD or NONE on PutItem', async () => {
    for (const ReturnValues of ['UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] as const) {
      await expectValidation(
        t.ddb.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: newId() } }, ReturnValues })),
        enveloped('ReturnValues can only be ALL_OLD or NONE'),
      );
    }
  });

  it('fails a put whose condition is false with ConditionalCheckFailedException, leaving the item', async () => {
    const id = newId();
    await put({ id: { S: id }, v: { S: 'original' } });
    const error = await expectError(
      t.ddb.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { id: { S: id }, v: { S: 'replacement' } },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      ),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    expect(error.Item).toBeUndefined();
    expect(await get(id)).toEqual({ id: { S: id }, v: { S: 'original' } });
  });

  it('puts when attribute_not_exists holds: a create-only insert', async () => {
    const id = newId();
    await t.ddb.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { id: { S: id }, v: { S: 'created' } },
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
    expect(await get(id)).toEqual({ id: { S: id }, v: { S: 'created' } });
  });

  it('returns the current item on a failed condition with ReturnValuesOnConditionCheckFailure ALL_OLD', async () => {
    const id = newId();
    const current = { id: { S: id }, version: { N: '3' } };
    await put(current);
    const onPut = await expectError(
      t.ddb.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { id: { S: id }, version: { N: '2' } },
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': { N: '1' } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    expect(onPut.Item).toEqual(current);

    const onUpdate = await expectError(
      update(id, {
        UpdateExpression: 'SET version = :next',
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': { N: '1' }, ':next': { N: '2' } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
      'ConditionalCheckFailedException',
    );
    expect(onUpdate.Item).toEqual(current);

    const onDelete = await expectError(
      t.ddb.send(
        new DeleteItemCommand({
          TableName: TABLE,
          Key: { id: { S: id } },
          ConditionExpression: 'attribute_not_exists(version)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
      'ConditionalCheckFailedException',
    );
    expect(onDelete.Item).toEqual(current);
    expect(await get(id)).toEqual(current);
  });

  it('reports consumed capacity: 1 WCU for a small put, 0.5 RCU eventual and 1 RCU strong read', async () => {
    const id = newId();
    const putOut = await t.ddb.send(
      new PutItemCommand({ TableName: TABLE, Item: { id: { S: id } }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(putOut.ConsumedCapacity).toMatchObject({ TableName: TABLE, CapacityUnits: 1 });
    const eventual = await t.ddb.send(
      new GetItemCommand({ TableName: TABLE, Key: { id: { S: id } }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(eventual.ConsumedCapacity).toMatchObject({ TableName: TABLE, CapacityUnits: 0.5 });
    const strong = await t.ddb.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: { id: { S: id } },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(strong.ConsumedCapacity).toMatchObject({ TableName: TABLE, CapacityUnits: 1 });
  });
});

describe('UpdateItem', () => {
  const base = (id: string): Item => ({
    id: { S: id },
    a: { N: '1' },
    b: { S: 'x' },
    c: { L: [{ N: '1' }, { N: '2' }] },
  });
  const change = {
    UpdateExpression: 'SET a = a + :one, d = :d REMOVE b',
    ExpressionAttributeValues: { ':one': { N: '1' }, ':d': { S: 'new' } },
  };

  it('creates the item when the key does not exist (upsert)', async () => {
    const id = newId();
    await update(id, { UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'hello' } } });
    expect(await get(id)).toEqual({ id: { S: id }, v: { S: 'hello' } });
  });

  it('ReturnValues NONE returns no attributes', async () => {
    const id = newId();
    await put(base(id));
    expect((await update(id, { ...change, ReturnValues: 'NONE' })).Attributes).toBeUndefined();
  });

  it('ReturnValues ALL_OLD returns the whole item as it was', async () => {
    const id = newId();
    await put(base(id));
    expect((await update(id, { ...change, ReturnValues: 'ALL_OLD' })).Attributes).toEqual(base(id));
  });

  it('ReturnValues ALL_NEW returns the whole item as it is now', async () => {
    const id = newId();
    await put(base(id));
    const out = await update(id, { ...change, ReturnValues: 'ALL_NEW' });
    const expected = { id: { S: id }, a: { N: '2' }, c: base(id).c, d: { S: 'new' } };
    expect(out.Attributes).toEqual(expected);
    expect(await get(id)).toEqual(expected);
  });

  it('ReturnValues UPDATED_OLD returns the old values of the attributes the update set or removed', async () => {
    const id = newId();
    await put(base(id));
    const out = await update(id, { ...change, ReturnValues: 'UPDATED_OLD' });
    // d did not exist before: it has no old value to return
    expect(out.Attributes).toEqual({ a: { N: '1' }, b: { S: 'x' } });
  });

  it('an update that only removes attributes does not create a missing item', async () => {
    const id = newId();
    const out = await update(id, { UpdateExpression: 'REMOVE b', ReturnValues: 'ALL_NEW' });
    expect(out.Attributes).toBeUndefined();
    expect(await get(id)).toBeUndefined();
  });

  it('ReturnValues UPDATED_NEW returns the new values of the attributes the update set', async () => {
    const id = newId();
    await put(base(id));
    const out = await update(id, { ...change, ReturnValues: 'UPDATED_NEW' });
    expect(out.Attributes).toEqual({ a: { N: '2' }, d: { S: 'new' } });
  });

  it('UPDATED_NEW on a nested path returns only that path inside its parents', async () => {
    const id = newId();
    await put({ id: { S: id }, info: { M: { rating: { N: '5' }, plot: { S: 'p' }, year: { N: '2015' } } } });
    const out = await update(id, {
      UpdateExpression: 'SET info.rating = :r, info.plot = :p',
      ExpressionAttributeValues: { ':r': { N: '5.5' }, ':p': { S: 'new plot' } },
      ReturnValues: 'UPDATED_NEW',
    });
    expect(out.Attributes).toEqual({ info: { M: { rating: { N: '5.5' }, plot: { S: 'new plot' } } } });
  });

  it('refuses to update a key attribute', async () => {
    const id = newId();
    await put({ id: { S: id } });
    await expectValidation(
      update(id, { UpdateExpression: 'SET id = :v', ExpressionAttributeValues: { ':v': { S: 'other' } } }),
      enveloped(
        'One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key',
      ),
    );
  });

  it('fails the update when its condition is false and changes nothing', async () => {
    const id = newId();
    await put({ id: { S: id }, stock: { N: '0' } });
    await expectError(
      update(id, {
        UpdateExpression: 'SET stock = stock - :one',
        ConditionExpression: 'stock >= :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    expect(await get(id)).toEqual({ id: { S: id }, stock: { N: '0' } });
  });

  it('evaluates every action against the item as it was before the update', async () => {
    const id = newId();
    await put({ id: { S: id }, a: { N: '1' } });
    await update(id, {
      UpdateExpression: 'SET a = :two, b = a',
      ExpressionAttributeValues: { ':two': { N: '2' } },
    });
    expect(await get(id)).toEqual({ id: { S: id }, a: { N: '2' }, b: { N: '1' } });
  });

  it('SET with if_not_exists initialises a counter, then increments it', async () => {
    const id = newId();
    const bump = {
      UpdateExpression: 'SET hits = if_not_exists(hits, :zero) + :one',
      ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' } },
      ReturnValues: 'UPDATED_NEW' as const,
    };
    expect((await update(id, bump)).Attributes).toEqual({ hits: { N: '1' } });
    expect((await update(id, bump)).Attributes).toEqual({ hits: { N: '2' } });
  });

  it('SET on a nested map path changes only that member', async () => {
    const id = newId();
    await put({ id: { S: id }, m: { M: { n: { M: { keep: { S: 'k' } } } } } });
    await update(id, { UpdateExpression: 'SET m.n.o = :v', ExpressionAttributeValues: { ':v': { N: '7' } } });
    expect(await get(id)).toEqual({
      id: { S: id },
      m: { M: { n: { M: { keep: { S: 'k' }, o: { N: '7' } } } } },
    });
  });

  it('refuses SET under a map member that does not exist', async () => {
    const id = newId();
    await put({ id: { S: id }, m: { M: {} } });
    await expectValidation(
      update(id, {
        UpdateExpression: 'SET m.absent.o = :v',
        ExpressionAttributeValues: { ':v': { N: '7' } },
      }),
      'The document path provided in the update expression is invalid for update',
    );
  });

  it('SET of an attribute to another that does not exist is refused', async () => {
    const id = newId();
    await put({ id: { S: id } });
    await expectValidation(
      update(id, { UpdateExpression: 'SET c = b' }),
      'The provided expression refers to an attribute that does not exist in the item',
    );
  });

  it('refuses arithmetic on a value that is not a number', async () => {
    const id = newId();
    await put({ id: { S: id }, a: { S: 'text' } });
    await expectValidation(
      update(id, { UpdateExpression: 'SET b = a + :one', ExpressionAttributeValues: { ':one': { N: '1' } } }),
      'An operand in the update expression has an incorrect data type',
    );
  });

  it('fails an UpdateItem that would grow the item past 400 KB', async () => {
    const id = newId();
    await put({ id: { S: id }, big: { S: 'a'.repeat(300_000) } });
    await expectValidation(
      update(id, {
        UpdateExpression: 'SET more = :v',
        ExpressionAttributeValues: { ':v': { S: 'b'.repeat(200_000) } },
      }),
      'Item size to update has exceeded the maximum allowed size',
    );
  });
});

describe('lists', () => {
  it('list_append adds at either end', async () => {
    const id = newId();
    await put({ id: { S: id }, l: { L: [{ N: '2' }] } });
    await update(id, {
      UpdateExpression: 'SET l = list_append(:front, l)',
      ExpressionAttributeValues: { ':front': { L: [{ N: '1' }] } },
    });
    await update(id, {
      UpdateExpression: 'SET l = list_append(l, :back)',
      ExpressionAttributeValues: { ':back': { L: [{ N: '3' }, { N: '4' }] } },
    });
    expect((await get(id))?.l).toEqual({ L: [{ N: '1' }, { N: '2' }, { N: '3' }, { N: '4' }] });
  });

  it('REMOVE of list elements shifts the rest down', async () => {
    const id = newId();
    await put({ id: { S: id }, l: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'd' }] } });
    await update(id, { UpdateExpression: 'REMOVE l[0], l[2]' });
    expect((await get(id))?.l).toEqual({ L: [{ S: 'b' }, { S: 'd' }] });
  });

  it('SET of an index past the end appends the element', async () => {
    const id = newId();
    await put({ id: { S: id }, l: { L: [{ S: 'a' }] } });
    await update(id, { UpdateExpression: 'SET l[10] = :v', ExpressionAttributeValues: { ':v': { S: 'z' } } });
    expect((await get(id))?.l).toEqual({ L: [{ S: 'a' }, { S: 'z' }] });
  });

  it('appends several elements past the end in the order of their indexes', async () => {
    const id = newId();
    await put({ id: { S: id }, l: { L: [{ S: 'a' }] } });
    await update(id, {
      UpdateExpression: 'SET l[9] = :late, l[5] = :early',
      ExpressionAttributeValues: { ':late': { S: 'late' }, ':early': { S: 'early' } },
    });
    expect((await get(id))?.l).toEqual({ L: [{ S: 'a' }, { S: 'early' }, { S: 'late' }] });
  });

  it('SET of an element inside a nested list changes that element', async () => {
    const id = newId();
    await put({
      id: { S: id },
      m: { M: { l: { L: [{ M: { x: { N: '1' } } }, { M: { x: { N: '2' } } }] } } },
    });
    await update(id, {
      UpdateExpression: 'SET m.l[1].x = :v',
      ExpressionAttributeValues: { ':v': { N: '20' } },
    });
    expect((await get(id))?.m).toEqual({
      M: { l: { L: [{ M: { x: { N: '1' } } }, { M: { x: { N: '20' } } }] } },
    });
  });
});

describe('sets and ADD/DELETE', () => {
  it('ADD to a number that does not exist starts from 0', async () => {
    const id = newId();
    await update(id, { UpdateExpression: 'ADD n :v', ExpressionAttributeValues: { ':v': { N: '5' } } });
    await update(id, { UpdateExpression: 'ADD n :v', ExpressionAttributeValues: { ':v': { N: '-2' } } });
    expect(await get(id)).toEqual({ id: { S: id }, n: { N: '3' } });
  });

  it('ADD adds members to a set without duplicating them; DELETE removes members', async () => {
    const id = newId();
    await put({ id: { S: id }, tags: { SS: ['a', 'b'] }, nums: { NS: ['1', '2'] } });
    await update(id, {
      UpdateExpression: 'ADD tags :t, nums :n',
      ExpressionAttributeValues: { ':t': { SS: ['b', 'c'] }, ':n': { NS: ['2', '3'] } },
    });
    expect(sortedSets(await get(id))).toEqual({
      id: { S: id },
      tags: { SS: ['a', 'b', 'c'] },
      nums: { NS: ['1', '2', '3'] },
    });
    await update(id, {
      UpdateExpression: 'DELETE tags :t',
      ExpressionAttributeValues: { ':t': { SS: ['a', 'z'] } },
    });
    expect(sortedSets(await get(id))?.tags).toEqual({ SS: ['b', 'c'] });
  });

  it('DELETE of every member removes the set attribute', async () => {
    const id = newId();
    await put({ id: { S: id }, tags: { SS: ['a', 'b'] } });
    await update(id, {
      UpdateExpression: 'DELETE tags :t',
      ExpressionAttributeValues: { ':t': { SS: ['a', 'b'] } },
    });
    expect(await get(id)).toEqual({ id: { S: id } });
  });

  it('ADD of a set to a missing attribute creates the set', async () => {
    const id = newId();
    await update(id, {
      UpdateExpression: 'ADD bs :v',
      ExpressionAttributeValues: { ':v': { BS: [bytes(9)] } },
    });
    expect(await get(id)).toEqual({ id: { S: id }, bs: { BS: [bytes(9)] } });
  });

  it('ADD of a set of another type is an incorrect data type', async () => {
    const id = newId();
    await put({ id: { S: id }, tags: { SS: ['a'] } });
    await expectValidation(
      update(id, { UpdateExpression: 'ADD tags :v', ExpressionAttributeValues: { ':v': { NS: ['1'] } } }),
      'An operand in the update expression has an incorrect data type',
    );
  });
});

describe('DeleteItem', () => {
  it('deletes and returns the item with ReturnValues ALL_OLD', async () => {
    const id = newId();
    await put({ id: { S: id }, v: { S: 'bye' } });
    const out = await t.ddb.send(
      new DeleteItemCommand({ TableName: TABLE, Key: { id: { S: id } }, ReturnValues: 'ALL_OLD' }),
    );
    expect(out.Attributes).toEqual({ id: { S: id }, v: { S: 'bye' } });
    expect(await get(id)).toBeUndefined();
  });

  it('succeeds for a key that does not exist, returning no attributes', async () => {
    const out = await t.ddb.send(
      new DeleteItemCommand({ TableName: TABLE, Key: { id: { S: 'never-there' } }, ReturnValues: 'ALL_OLD' }),
    );
    expect(out.Attributes).toBeUndefined();
  });

  it('deletes only when the condition holds', async () => {
    const id = newId();
    await put({ id: { S: id }, state: { S: 'active' } });
    const conditional = (state: string) =>
      t.ddb.send(
        new DeleteItemCommand({
          TableName: TABLE,
          Key: { id: { S: id } },
          ConditionExpression: '#s = :s',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':s': { S: state } },
        }),
      );
    await expectError(
      conditional('archived'),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
    expect(await get(id)).toBeDefined();
    await conditional('active');
    expect(await get(id)).toBeUndefined();
  });
});
