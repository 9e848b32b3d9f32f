/**
 * Query: sort key order for N, S and B (numbers numerically, strings and binaries by unsigned
 * bytes), key conditions, ScanIndexForward, Limit and paging, filters with Count and
 * ScannedCount, Select, and queries on global (sparse, projected) and local secondary
 * indexes. Behaviour from the API reference (Query) and the developer guide.
 */
import {
  type AttributeValue,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bytes,
  createTable,
  enveloped,
  expectValidation,
  startsWith,
  uniqueName,
  useDynamoDB,
} from './setup.js';

const t = useDynamoDB();
const SORT_S = uniqueName('sort-s');
const SORT_N = uniqueName('sort-n');
const SORT_B = uniqueName('sort-b');
const INDEXED = uniqueName('indexed');
type Item = Record<string, AttributeValue>;

const putIn = (TableName: string, Item: Item) => t.ddb.send(new PutItemCommand({ TableName, Item }));
const query = (TableName: string, input: Omit<QueryCommandInput, 'TableName'>) =>
  t.ddb.send(new QueryCommand({ TableName, ...input }));
const inPartition = (pk: string) => ({
  KeyConditionExpression: 'pk = :pk',
  ExpressionAttributeValues: { ':pk': { S: pk } },
});

const numbers = ['100', '-2.5', '1E3', '0', '-10', '2', '-0.5', '10', '1'];
const strings = ['a', 'B', 'aa', '\u{1F600}', 'ab', 'Z', '~', 'é', '\uFF21'];
const binaries = [bytes(0xff), bytes(0x00), bytes(0x80), bytes(0x01), bytes(0x00, 0x01), bytes(0x7f)];

beforeAll(async () => {
  await createTable(t.ddb, { name: SORT_S, attributes: { pk: 'S', sk: 'S' }, key: ['pk', 'sk'] });
  await createTable(t.ddb, { name: SORT_N, attributes: { pk: 'S', sk: 'N' }, key: ['pk', 'sk'] });
  await createTable(t.ddb, { name: SORT_B, attributes: { pk: 'S', sk: 'B' }, key: ['pk', 'sk'] });
  await createTable(t.ddb, {
    name: INDEXED,
    attributes: { pk: 'S', sk: 'S', email: 'S', status: 'S', created: 'N', amount: 'N' },
    key: ['pk', 'sk'],
    gsis: [
      { name: 'byEmail', key: ['email'], projection: { ProjectionType: 'KEYS_ONLY' } },
      {
        name: 'byStatus',
        key: ['status', 'created'],
        projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
      },
    ],
    lsis: [{ name: 'byAmount', key: ['pk', 'amount'], projection: { ProjectionType: 'KEYS_ONLY' } }],
  });

  for (const n of numbers) await putIn(SORT_N, { pk: { S: 'order' }, sk: { N: n } });
  for (const s of strings) await putIn(SORT_S, { pk: { S: 'order' }, sk: { S: s } });
  for (const b of binaries) await putIn(SORT_B, { pk: { S: 'order' }, sk: { B: b } });
  for (const sk of ['a#1', 'a#2', 'a#3', 'b#1', 'b#2', 'c'])
    await putIn(SORT_S, { pk: { S: 'kc' }, sk: { S: sk } });
  await putIn(SORT_S, { pk: { S: 'kc-other' }, sk: { S: 'a#9' } });
  for (let i = 1; i <= 7; i++) await putIn(SORT_N, { pk: { S: 'page' }, sk: { N: String(i) } });
  for (let i = 1; i <= 6; i++) {
    await putIn(SORT_N, { pk: { S: 'filter' }, sk: { N: String(i) }, odd: { BOOL: i % 2 === 1 } });
  }

  const user = (n: number, extra: Item) =>
    putIn(INDEXED, { pk: { S: `USER#${n}` }, sk: { S: 'PROFILE' }, ...extra });
  await user(1, {
    email: { S: 'ann@example.com' },
    status: { S: 'active' },
    created: { N: '3' },
    total: { N: '30' },
    note: { S: 'n1' },
  });
  await user(2, {
    email: { S: 'bob@example.com' },
    status: { S: 'active' },
    created: { N: '1' },
    total: { N: '10' },
  });
  await user(3, {
    email: { S: 'cy@example.com' },
    status: { S: 'closed' },
    created: { N: '2' },
    total: { N: '20' },
  });
  await user(4, { note: { S: 'in no index' } });
  await user(5, { email: { S: 'ann@example.com' } });
  for (const [sk, amount] of [
    ['o1', '30'],
    ['o2', '10'],
    ['o3', '20'],
  ]) {
    await putIn(INDEXED, {
      pk: { S: 'ORDERS' },
      sk: { S: sk },
      amount: { N: amount },
      note: { S: `note ${sk}` },
    });
  }
});

describe('sort key order', () => {
  it('orders numbers numerically and returns them normalised', async () => {
    const out = await query(SORT_N, inPartition('order'));
    expect(out.Items?.map((i) => i.sk.N)).toEqual([
      '-10',
      '-2.5',
      '-0.5',
      '0',
      '1',
      '2',
      '10',
      '100',
      '1000',
    ]);
  });

  it('reverses the order with ScanIndexForward false', async () => {
    const out = await query(SORT_N, { ...inPartition('order'), ScanIndexForward: false });
    expect(out.Items?.map((i) => i.sk.N)).toEqual([
      '1000',
      '100',
      '10',
      '2',
      '1',
      '0',
      '-0.5',
      '-2.5',
      '-10',
    ]);
  });

  it('orders strings by their UTF-8 bytes', async () => {
    const out = await query(SORT_S, inPartition('order'));
    // UTF-8 byte order is code point order: U+FF21 sorts before U+1F600, unlike UTF-16 code units
    expect(out.Items?.map((i) => i.sk.S)).toEqual([
      'B',
      'Z',
      'a',
      'aa',
      'ab',
      '~',
      'é',
      '\uFF21',
      '\u{1F600}',
    ]);
  });

  it('orders binaries by unsigned bytes, a prefix first', async () => {
    const out = await query(SORT_B, inPartition('order'));
    expect(out.Items?.map((i) => [...(i.sk.B ?? [])])).toEqual([
      [0x00],
      [0x00, 0x01],
      [0x01],
      [0x7f],
      [0x80],
      [0xff],
    ]);
  });
});

describe('key conditions', () => {
  it.each([
    ['sk = :a', { ':a': 'a#2' }, ['a#2']],
    ['sk < :a', { ':a': 'b' }, ['a#1', 'a#2', 'a#3']],
    ['sk <= :a', { ':a': 'b#1' }, ['a#1', 'a#2', 'a#3', 'b#1']],
    ['sk > :a', { ':a': 'b#1' }, ['b#2', 'c']],
    ['sk >= :a', { ':a': 'b#1' }, ['b#1', 'b#2', 'c']],
    ['sk BETWEEN :a AND :b', { ':a': 'a#2', ':b': 'b#1' }, ['a#2', 'a#3', 'b#1']],
    ['begins_with(sk, :a)', { ':a': 'a#' }, ['a#1', 'a#2', 'a#3']],
  ])(
    'pk = :pk AND %s selects the matching sort keys of the partition only',
    async (condition, vals, expected) => {
      const values: Item = { ':pk': { S: 'kc' } };
      for (const [k, v] of Object.entries(vals)) values[k] = { S: v as string };
      const out = await query(SORT_S, {
        KeyConditionExpression: `pk = :pk AND ${condition}`,
        ExpressionAttributeValues: values,
      });
      expect(out.Items?.map((i) => i.sk.S)).toEqual(expected);
      expect(out.Count).toBe((expected as string[]).length);
    },
  );

  it('accepts attribute names and values through placeholders', async () => {
    const out = await query(SORT_S, {
      KeyConditionExpression: '#p = :pk and begins_with(#s, :prefix)',
      ExpressionAttributeNames: { '#p': 'pk', '#s': 'sk' },
      ExpressionAttributeValues: { ':pk': { S: 'kc' }, ':prefix': { S: 'b' } },
    });
    expect(out.Items?.map((i) => i.sk.S)).toEqual(['b#1', 'b#2']);
  });

  it('requires equality on the partition key', async () => {
    await expectValidation(
      query(SORT_S, {
        KeyConditionExpression: 'pk > :pk',
        ExpressionAttributeValues: { ':pk': { S: 'kc' } },
      }),
      'Query key condition not supported',
    );
    await expectValidation(
      query(SORT_S, {
        KeyConditionExpression: 'sk = :sk',
        ExpressionAttributeValues: { ':sk': { S: 'a#1' } },
      }),
      'Query condition missed key schema element: pk',
    );
  });

  it('rejects OR in a key condition', async () => {
    await expectValidation(
      query(SORT_S, {
        KeyConditionExpression: 'pk = :pk OR sk = :sk',
        ExpressionAttributeValues: { ':pk': { S: 'kc' }, ':sk': { S: 'c' } },
      }),
      'Invalid operator used in KeyConditionExpression: OR',
    );
  });

  it('rejects key attributes in the filter expression', async () => {
    await expectValidation(
      query(SORT_S, {
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'sk = :sk',
        ExpressionAttributeValues: { ':pk': { S: 'kc' }, ':sk': { S: 'c' } },
      }),
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk',
    );
  });
});

describe('Limit and paging', () => {
  it('pages with Limit, LastEvaluatedKey and ExclusiveStartKey, in order, until no key is returned', async () => {
    const first = await query(SORT_N, { ...inPartition('page'), Limit: 3 });
    expect(first.Items?.map((i) => i.sk.N)).toEqual(['1', '2', '3']);
    expect(first.LastEvaluatedKey).toEqual({ pk: { S: 'page' }, sk: { N: '3' } });

    const seen = [...(first.Items ?? [])];
    let key = first.LastEvaluatedKey;
    let pages = 1;
    while (key) {
      const page = await query(SORT_N, { ...inPartition('page'), Limit: 3, ExclusiveStartKey: key });
      expect(page.Count).toBeLessThanOrEqual(3);
      seen.push(...(page.Items ?? []));
      key = page.LastEvaluatedKey;
      pages += 1;
      expect(pages).toBeLessThan(10);
    }
    expect(seen.map((i) => i.sk.N)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  });

  it('pages backwards with ScanIndexForward false', async () => {
    const first = await query(SORT_N, { ...inPartition('page'), Limit: 2, ScanIndexForward: false });
    expect(first.Items?.map((i) => i.sk.N)).toEqual(['7', '6']);
    const second = await query(SORT_N, {
      ...inPartition('page'),
      Limit: 2,
      ScanIndexForward: false,
      ExclusiveStartKey: first.LastEvaluatedKey,
    });
    expect(second.Items?.map((i) => i.sk.N)).toEqual(['5', '4']);
  });

  it('rejects a starting key that does not match the key schema', async () => {
    await expectValidation(
      query(SORT_N, { ...inPartition('page'), ExclusiveStartKey: { pk: { S: 'page' } } }),
      startsWith('The provided starting key is invalid'),
    );
  });

  it('rejects a Limit below 1', async () => {
    await expectValidation(
      query(SORT_N, { ...inPartition('page'), Limit: 0 }),
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });
});

describe('filters, Count and Select', () => {
  const odd = {
    FilterExpression: 'odd = :t',
    ExpressionAttributeValues: { ':pk': { S: 'filter' }, ':t': { BOOL: true } },
  };

  it('applies FilterExpression after the read: Count is what matched, ScannedCount what was read', async () => {
    const out = await query(SORT_N, { KeyConditionExpression: 'pk = :pk', ...odd });
    expect(out.Items?.map((i) => i.sk.N)).toEqual(['1', '3', '5']);
    expect(out.Count).toBe(3);
    expect(out.ScannedCount).toBe(6);
  });

  it('applies Limit to the items read, before the filter', async () => {
    const out = await query(SORT_N, { KeyConditionExpression: 'pk = :pk', ...odd, Limit: 4 });
    expect(out.Items?.map((i) => i.sk.N)).toEqual(['1', '3']);
    expect(out.ScannedCount).toBe(4);
    expect(out.LastEvaluatedKey).toEqual({ pk: { S: 'filter' }, sk: { N: '4' } });
  });

  it('Select COUNT returns the count without items', async () => {
    const out = await query(SORT_N, { KeyConditionExpression: 'pk = :pk', ...odd, Select: 'COUNT' });
    expect(out.Items).toBeUndefined();
    expect(out.Count).toBe(3);
    expect(out.ScannedCount).toBe(6);
  });

  it('ProjectionExpression returns only the named attributes', async () => {
    const out = await query(SORT_N, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'filter' } },
      ProjectionExpression: 'odd',
      Limit: 2,
    });
    expect(out.Items).toEqual([{ odd: { BOOL: true } }, { odd: { BOOL: false } }]);
  });
});

describe('global secondary indexes', () => {
  const byEmail = (email: string) => ({
    IndexName: 'byEmail',
    KeyConditionExpression: 'email = :e',
    ExpressionAttributeValues: { ':e': { S: email } },
  });
  const byStatus = (status: string) => ({
    IndexName: 'byStatus',
    KeyConditionExpression: '#s = :s',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: { ':s': { S: status } },
  });

  it('finds every item with the index key, projecting KEYS_ONLY as table and index keys', async () => {
    const out = await query(INDEXED, byEmail('ann@example.com'));
    const items = [...(out.Items ?? [])].sort((a, b) => (a.pk.S ?? '').localeCompare(b.pk.S ?? ''));
    expect(items).toEqual([
      { pk: { S: 'USER#1' }, sk: { S: 'PROFILE' }, email: { S: 'ann@example.com' } },
      { pk: { S: 'USER#5' }, sk: { S: 'PROFILE' }, email: { S: 'ann@example.com' } },
    ]);
  });

  it('orders by the index sort key and projects INCLUDE attributes', async () => {
    const out = await query(INDEXED, byStatus('active'));
    expect(out.Items).toEqual([
      {
        pk: { S: 'USER#2' },
        sk: { S: 'PROFILE' },
        status: { S: 'active' },
        created: { N: '1' },
        total: { N: '10' },
      },
      {
        pk: { S: 'USER#1' },
        sk: { S: 'PROFILE' },
        status: { S: 'active' },
        created: { N: '3' },
        total: { N: '30' },
      },
    ]);
  });

  it('is sparse: items without the index key are not in it', async () => {
    const out = await t.ddb.send(new ScanCommand({ TableName: INDEXED, IndexName: 'byStatus' }));
    expect(out.Items?.map((i) => i.pk.S).sort()).toEqual(['USER#1', 'USER#2', 'USER#3']);
  });

  it('returns a LastEvaluatedKey made of the table key and the index key', async () => {
    const out = await query(INDEXED, { ...byStatus('active'), Limit: 1 });
    expect(out.LastEvaluatedKey).toEqual({
      pk: { S: 'USER#2' },
      sk: { S: 'PROFILE' },
      status: { S: 'active' },
      created: { N: '1' },
    });
    const next = await query(INDEXED, { ...byStatus('active'), ExclusiveStartKey: out.LastEvaluatedKey });
    expect(next.Items?.map((i) => i.pk.S)).toEqual(['USER#1']);
  });

  it('follows updates of the index key', async () => {
    await t.ddb.send(
      new UpdateItemCommand({
        TableName: INDEXED,
        Key: { pk: { S: 'USER#3' }, sk: { S: 'PROFILE' } },
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'reopened' } },
      }),
    );
    expect((await query(INDEXED, byStatus('closed'))).Items).toEqual([]);
    expect((await query(INDEXED, byStatus('reopened'))).Items?.map((i) => i.pk.S)).toEqual(['USER#3']);
  });

  it('rejects ConsistentRead on a global secondary index', async () => {
    await expectValidation(
      query(INDEXED, { ...byEmail('ann@example.com'), ConsistentRead: true }),
      'Consistent reads are not supported on global secondary indexes',
    );
  });

  it('rejects Select ALL_ATTRIBUTES on a GSI that does not project all attributes', async () => {
    await expectValidation(query(INDEXED, { ...byEmail('ann@example.com'), Select: 'ALL_ATTRIBUTES' }));
  });

  it('rejects an index that does not exist', async () => {
    await expectValidation(
      query(INDEXED, { ...byEmail('ann@example.com'), IndexName: 'nope' }),
      'The table does not have the specified index: nope',
    );
  });

  it('rejects an item whose index key has the wrong type', async () => {
    await expectValidation(
      putIn(INDEXED, { pk: { S: 'USER#9' }, sk: { S: 'PROFILE' }, email: { N: '1' } }),
      enveloped(
        'One or more parameter values were invalid: Type mismatch for Index Key email Expected: S Actual: N IndexName: byEmail',
      ),
    );
  });
});

describe('local secondary indexes', () => {
  const byAmount = { IndexName: 'byAmount', ...inPartition('ORDERS') };

  it('orders a partition by the index sort key, with ConsistentRead allowed', async () => {
    const out = await query(INDEXED, { ...byAmount, ConsistentRead: true });
    expect(out.Items).toEqual([
      { pk: { S: 'ORDERS' }, sk: { S: 'o2' }, amount: { N: '10' } },
      { pk: { S: 'ORDERS' }, sk: { S: 'o3' }, amount: { N: '20' } },
      { pk: { S: 'ORDERS' }, sk: { S: 'o1' }, amount: { N: '30' } },
    ]);
  });

  it('fetches unprojected attributes from the table with Select ALL_ATTRIBUTES', async () => {
    const out = await query(INDEXED, {
      ...byAmount,
      KeyConditionExpression: 'pk = :pk AND amount > :min',
      ExpressionAttributeValues: { ':pk': { S: 'ORDERS' }, ':min': { N: '15' } },
      Select: 'ALL_ATTRIBUTES',
      ScanIndexForward: false,
    });
    expect(out.Items).toEqual([
      { pk: { S: 'ORDERS' }, sk: { S: 'o1' }, amount: { N: '30' }, note: { S: 'note o1' } },
      { pk: { S: 'ORDERS' }, sk: { S: 'o3' }, amount: { N: '20' }, note: { S: 'note o3' } },
    ]);
  });
});
