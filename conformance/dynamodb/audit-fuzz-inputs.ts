/**
 * Garbage for the DynamoDB and DynamoDB Streams operations, to prove none answers a 5xx: inputs
 * generated from each operation's input shape (test/protocol/samples.ts), with members swapped,
 * mostly, for real table, index, attribute and stream names, enum values of the model (which
 * it types as plain strings) and expressions and statements near enough to valid ones to reach
 * the parser's and evaluator's corners; and the same requests on the wire with values of the
 * wrong JSON type.
 */
import type { Sampler } from '../../test/protocol/samples.js';

/** What exists on the server for the inputs to name. */
export interface FuzzPool {
  tables: string[];
  indexes: string[];
  attributes: string[];
  streamArns: string[];
  shardIds: string[];
  iterators: string[];
  sequences: string[];
}

const ENUMS: Record<string, string[]> = {
  AttributeType: ['S', 'N', 'B', 'X'],
  KeyType: ['HASH', 'RANGE', 'hash'],
  ProjectionType: ['ALL', 'KEYS_ONLY', 'INCLUDE', 'NONE'],
  BillingMode: ['PAY_PER_REQUEST', 'PROVISIONED', 'FREE'],
  ReturnValues: ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW', 'SOME'],
  ReturnValuesOnConditionCheckFailure: ['ALL_OLD', 'NONE', 'ALL_NEW'],
  ReturnConsumedCapacity: ['TOTAL', 'INDEXES', 'NONE', 'ALL'],
  ReturnItemCollectionMetrics: ['SIZE', 'NONE', 'BIG'],
  Select: ['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT', 'SOME'],
  ConditionalOperator: ['AND', 'OR', 'XOR'],
  ComparisonOperator: [
    'EQ',
    'NE',
    'LE',
    'LT',
    'GE',
    'GT',
    'NOT_NULL',
    'NULL',
    'CONTAINS',
    'NOT_CONTAINS',
    'BEGINS_WITH',
    'IN',
    'BETWEEN',
    'LIKE',
  ],
  Action: ['PUT', 'ADD', 'DELETE', 'MERGE'],
  StreamViewType: ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY', 'ALL'],
  ShardIteratorType: ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER', 'NOW'],
  TableClass: ['STANDARD', 'STANDARD_INFREQUENT_ACCESS', 'GLACIER'],
  SSEType: ['KMS', 'AES256', 'XOR'],
  Type: ['CHILD_SHARDS', 'PARENT'],
};

const CONDITIONS = [
  'attribute_exists(pk)',
  'attribute_not_exists(#n) AND size(x) > :v',
  'x.y[2] = :v OR NOT contains(g, :v)',
  'begins_with(g, :v)',
  'a BETWEEN :v AND :w',
  'a IN (:v, :w)',
  'attribute_type(x, :v)',
  'size(:v) < size(x[0])',
  '#n.#n[0] <> :w',
  'contains(x, x) AND x = x',
  'NOT NOT NOT a = :v',
  'x[99999999999] = :v',
  '((a = :v)',
  'a = = :v',
  'x[-1] = :v',
  ':v = :w',
  'size(size(x)) = :v',
  'a < :v AND (b > :w OR (c <= :v AND d >= :w))',
  '',
  ' ',
  'pk IN ()',
  'attribute_type(x, :w)',
];
const UPDATES = [
  'SET x = :v',
  'SET x = x + :v, n = if_not_exists(n, :w) - :v',
  'SET x = list_append(x, :v)',
  'SET x = list_append(:v, :w)',
  'REMOVE x[0], g',
  'ADD s :v DELETE t :w',
  'SET x[5] = :v',
  'SET #n = :v',
  'SET pk = :v',
  'SET a.b = :v REMOVE a',
  'ADD n :v',
  'DELETE s :v',
  'SET x = :v SET y = :w',
  'SET x[0].y[1] = :v',
  'SET x = if_not_exists(x.y, list_append(:v, x))',
  'SET a = :v + :w',
  'SET a = size(x)',
  'REMOVE',
  'SET a[0] = :v, a.b = :w',
  'ADD x[1] :v',
];
const KEYS = [
  'pk = :v',
  'pk = :v AND sk > :w',
  'pk = :v AND sk BETWEEN :v AND :w',
  'pk = :v AND begins_with(sk, :w)',
  'g = :v',
  'g = :v AND pk <= :w',
  '#n = :v AND g < :w',
  'pk = :v OR sk = :w',
  'sk = :v',
  'pk = :v AND sk = :w AND g = :v',
  'begins_with(pk, :v)',
  'pk = pk',
];
const PROJECTIONS = ['pk, sk', 'x[0].y, #n', 'x[1][2]', 'a, a', 'a.b, a', 'pk,', '', 'g, x.y.z'];

function statements(table: string): string[] {
  return [
    `SELECT * FROM "${table}"`,
    `SELECT * FROM "${table}"."gix" WHERE g = ?`,
    `SELECT * FROM "${table}"."lix" WHERE pk = ? AND g > ?`,
    `INSERT INTO "${table}" VALUE {'pk': ?, 'sk': 1}`,
    `UPDATE "${table}" SET x = ? WHERE pk = 'a' AND sk = 1`,
    `DELETE FROM "${table}" WHERE pk = ? AND sk = ?`,
    `EXISTS(SELECT * FROM "${table}" WHERE pk = 'a' AND sk = 1)`,
    `SELECT x[0], g FROM "${table}" WHERE pk = ? AND sk > 0 ORDER BY sk DESC`,
    `UPDATE "${table}" SET x = list_append(x, [1]) REMOVE g WHERE pk = 'a' AND sk = 1 RETURNING ALL OLD *`,
    `INSERT INTO "${table}" VALUE {'pk': 'b', 'sk': 2, 's': <<1, 2>>}`,
    `SELECT * FROM "${table}" WHERE pk IN [?, ?] AND contains(x, ?)`,
    `UPDATE "${table}" SET n = n + ? WHERE pk = ? AND sk = ? AND attribute_exists(n)`,
    'SELECT',
    `SELECT * FROM "${table}" WHERE`,
    `INSERT INTO "${table}" VALUE {'pk': [1, {'a': <<'x'>>}]}`,
    `DELETE FROM "${table}" WHERE pk = 'a' AND sk = 'not a number'`,
    `SELECT * FROM "${table}" WHERE sk BETWEEN 1 AND ?`,
  ];
}

/** AttributeValues the server must accept, mixed with the sampler's (mostly invalid) ones. */
const VALUES: unknown[] = [
  { S: 'a' },
  { N: '1' },
  { N: '-0.5e3' },
  { N: '1E+126' },
  { B: new Uint8Array([1, 2]) },
  { SS: ['a', 'b'] },
  { NS: ['1', '01'] },
  { L: [{ N: '1' }, { M: { y: { S: 'z' } } }] },
  { M: { y: { L: [{ S: 'q' }] } } },
  { NULL: true },
  { BOOL: false },
  { S: '' },
];

type Swap = (value: unknown, s: Sampler, pool: FuzzPool) => unknown;

function renameKeys(value: unknown, s: Sampler, names: string[], swapValue?: Swap, pool?: FuzzPool) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const name = s.int(5) === 0 ? k : s.pick(names);
    out[name] = swapValue && pool ? swapValue(v, s, pool) : v;
  }
  return out;
}

const attributeValue: Swap = (v, s) => (s.int(2) === 0 ? structuredClone(s.pick(VALUES)) : v);
const attributeMap: Swap = (v, s, pool) => renameKeys(v, s, pool.attributes, attributeValue, pool);

/** Replacements by member name, each applied most of the time (the sampler's value otherwise). */
const SWAPS: Partial<Record<string, Swap>> = {
  TableName: (_v, s, p) => s.pick(p.tables),
  ResourceArn: (_v, s, p) => s.pick(p.tables),
  ExclusiveStartTableName: (_v, s, p) => s.pick(p.tables),
  IndexName: (_v, s, p) => s.pick(p.indexes),
  AttributeName: (_v, s, p) => s.pick(p.attributes),
  NonKeyAttributes: (_v, s, p) => [s.pick(p.attributes), s.pick(p.attributes)],
  AttributesToGet: (_v, s, p) => [s.pick(p.attributes), s.pick(p.attributes)],
  Key: attributeMap,
  Item: attributeMap,
  ExclusiveStartKey: attributeMap,
  Keys: (v, s, p) => (Array.isArray(v) ? v.map((k) => attributeMap(k, s, p)) : v),
  Expected: (v, s, p) => renameKeys(v, s, p.attributes),
  AttributeUpdates: (v, s, p) => renameKeys(v, s, p.attributes),
  KeyConditions: (v, s, p) => renameKeys(v, s, p.attributes),
  QueryFilter: (v, s, p) => renameKeys(v, s, p.attributes),
  ScanFilter: (v, s, p) => renameKeys(v, s, p.attributes),
  Value: attributeValue,
  AttributeValueList: (v, s) => (Array.isArray(v) ? v.map((x) => attributeValue(x, s, {} as FuzzPool)) : v),
  Parameters: (v, s) => (Array.isArray(v) ? v.map((x) => attributeValue(x, s, {} as FuzzPool)) : v),
  ExpressionAttributeValues: (v, s) =>
    renameKeys(v, s, [':v', ':w', ':unused'], attributeValue, {} as FuzzPool),
  ExpressionAttributeNames: (_v, s, p) =>
    s.int(3) === 0 ? { '#n': s.pick(p.attributes), '#m': 'x' } : { '#n': s.pick(p.attributes) },
  ConditionExpression: (_v, s) => s.pick(CONDITIONS),
  FilterExpression: (_v, s) => s.pick(CONDITIONS),
  KeyConditionExpression: (_v, s) => s.pick(KEYS),
  UpdateExpression: (_v, s) => s.pick(UPDATES),
  ProjectionExpression: (_v, s) => s.pick(PROJECTIONS),
  Statement: (_v, s, p) => s.pick(statements(s.pick(p.tables))),
  RequestItems: (v, s, p) => renameKeys(v, s, p.tables),
  StreamArn: (_v, s, p) => s.pick(p.streamArns),
  ExclusiveStartStreamArn: (_v, s, p) => s.pick(p.streamArns),
  ShardId: (_v, s, p) => s.pick(p.shardIds),
  ExclusiveStartShardId: (_v, s, p) => s.pick(p.shardIds),
  ShardIterator: (_v, s, p) => s.pick(p.iterators),
  SequenceNumber: (_v, s, p) => s.pick(p.sequences),
  Limit: (v, s) => s.pick([v, 1, 2, 0, 1000, 101]),
  Segment: (v, s) => s.pick([v, 0, 1, 3]),
  TotalSegments: (v, s) => s.pick([v, 1, 4, 1000001]),
  ReadCapacityUnits: (v, s) => s.pick([v, 1, 5, 0]),
  WriteCapacityUnits: (v, s) => s.pick([v, 1, 5, 0]),
  ClientRequestToken: (v, s) => s.pick([v, 'token-1', 'token-2']),
};
for (const [name, values] of Object.entries(ENUMS)) SWAPS[name] = (_v, s) => s.pick(values);

/** The sampled value with its members swapped as SWAPS says, three times in four. */
export function fuzzValue(value: unknown, s: Sampler, pool: FuzzPool): unknown {
  if (Array.isArray(value)) return value.map((v) => fuzzValue(v, s, pool));
  if (!value || typeof value !== 'object' || value instanceof Uint8Array || value instanceof Date)
    return value;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    const swap = SWAPS[name];
    const next = fuzzValue(v, s, pool);
    out[name] = swap && s.int(4) !== 0 ? swap(next, s, pool) : next;
  }
  return out;
}

const WRONG_TYPES: unknown[] = [
  null,
  0,
  -1,
  1e300,
  'x',
  '',
  true,
  [],
  {},
  [{}],
  { S: 1 },
  'A'.repeat(70_000),
];

/** The JSON body with one value (or a whole member) of the wrong type, or a member dropped. */
export function mutateJson(body: string, s: Sampler): string {
  const root = JSON.parse(body) as unknown;
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        nodes.push({ parent: v, key: i });
        walk(x);
      });
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      nodes.push({ parent: v as Record<string, unknown>, key: k });
      walk(x);
    }
  };
  walk(root);
  if (nodes.length === 0) return JSON.stringify(s.pick(WRONG_TYPES));
  const { parent, key } = s.pick(nodes);
  if (s.int(5) === 0 && !Array.isArray(parent)) delete parent[key as string];
  else (parent as Record<string, unknown>)[key] = s.pick(WRONG_TYPES);
  return JSON.stringify(root);
}

const KEY = { pk: { S: 'a' }, sk: { N: '1' } };
const ITEM = { ...KEY, g: { S: 'g1' }, x: { L: [{ M: { y: { L: [{ N: '1' }] } } }] }, s: { SS: ['p'] } };

/** Values for the statement's `?` placeholders: a string, then numbers. */
function parameters(statement: string): unknown[] | undefined {
  const n = statement.split('?').length - 1;
  return n === 0 ? undefined : Array.from({ length: n }, (_, i) => (i === 0 ? { S: 'a' } : { N: String(i) }));
}

/** A valid input for each operation, for the mutations to start from. */
export function templates(table: string, pool: FuzzPool): Record<string, Record<string, unknown>[]> {
  const values = { ':v': { S: 'a' }, ':w': { N: '2' } };
  const stream = pool.streamArns[0];
  return {
    PutItem: [
      {
        TableName: table,
        Item: ITEM,
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValues: 'ALL_OLD',
      },
      {
        TableName: table,
        Item: ITEM,
        Expected: { g: { Value: { S: 'g1' } } },
        ReturnConsumedCapacity: 'INDEXES',
      },
    ],
    GetItem: [
      {
        TableName: table,
        Key: KEY,
        ProjectionExpression: 'x[0].y, #n',
        ExpressionAttributeNames: { '#n': 'g' },
      },
    ],
    UpdateItem: [
      {
        TableName: table,
        Key: KEY,
        UpdateExpression: 'SET x[1] = :v, n = if_not_exists(n, :w) + :w ADD s :s REMOVE g',
        ConditionExpression: 'attribute_exists(pk) OR size(x) > :w',
        ExpressionAttributeValues: { ...values, ':s': { SS: ['q'] } },
        ReturnValues: 'UPDATED_NEW',
        ReturnItemCollectionMetrics: 'SIZE',
      },
      { TableName: table, Key: KEY, AttributeUpdates: { n: { Action: 'ADD', Value: { N: '1' } } } },
    ],
    DeleteItem: [
      {
        TableName: table,
        Key: KEY,
        ConditionExpression: 'attribute_exists(pk) OR g IN (:v, :w)',
        ReturnValues: 'ALL_OLD',
        ExpressionAttributeValues: values,
      },
    ],
    Query: [
      {
        TableName: table,
        KeyConditionExpression: 'pk = :v AND sk BETWEEN :w AND :w',
        FilterExpression: 'contains(s, :v)',
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: 2,
        ExclusiveStartKey: KEY,
      },
      {
        TableName: table,
        IndexName: 'lix',
        KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] } },
        QueryFilter: { x: { ComparisonOperator: 'NOT_NULL' } },
        Select: 'ALL_ATTRIBUTES',
      },
      {
        TableName: table,
        IndexName: 'gix',
        KeyConditionExpression: 'g = :v',
        ExpressionAttributeValues: values,
      },
    ],
    Scan: [
      {
        TableName: table,
        Segment: 1,
        TotalSegments: 3,
        Limit: 2,
        FilterExpression: 'begins_with(g, :v) OR n < :w',
        ExpressionAttributeValues: values,
      },
      {
        TableName: table,
        IndexName: 'gix',
        ScanFilter: { g: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'g' }] } },
      },
    ],
    BatchWriteItem: [
      {
        RequestItems: {
          [table]: [
            { PutRequest: { Item: ITEM } },
            { DeleteRequest: { Key: { pk: { S: 'b' }, sk: { N: '2' } } } },
          ],
        },
      },
    ],
    BatchGetItem: [
      {
        RequestItems: {
          [table]: { Keys: [KEY, { pk: { S: 'c' }, sk: { N: '3' } }], ProjectionExpression: 'pk, x[0]' },
        },
      },
    ],
    TransactWriteItems: [
      {
        TransactItems: [
          { Put: { TableName: table, Item: { ...ITEM, pk: { S: 'p' } } } },
          {
            ConditionCheck: {
              TableName: table,
              Key: { pk: { S: 'z' }, sk: { N: '1' } },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: table,
              Key: KEY,
              UpdateExpression: 'SET a = :v',
              ExpressionAttributeValues: { ':v': { S: 'b' } },
            },
          },
          {
            Delete: {
              TableName: table,
              Key: { pk: { S: 'c' }, sk: { N: '3' } },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
        ClientRequestToken: 'tok',
      },
    ],
    TransactGetItems: [
      { TransactItems: [{ Get: { TableName: table, Key: KEY, ProjectionExpression: 'g' } }] },
    ],
    CreateTable: [
      {
        TableName: 'fuzz-new',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'g', KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'lsi1',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'g', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['q'] },
          },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi1',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
            ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
          },
        ],
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        SSESpecification: { Enabled: true },
        Tags: [{ Key: 'k', Value: 'v' }],
      },
    ],
    UpdateTable: [
      {
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'sk', AttributeType: 'N' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'gsi2',
              KeySchema: [{ AttributeName: 'sk', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          },
        ],
      },
      {
        TableName: table,
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
      },
      { TableName: table, StreamSpecification: { StreamEnabled: false }, DeletionProtectionEnabled: true },
      { TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'gix' } }] },
    ],
    DescribeTable: [{ TableName: table }],
    DeleteTable: [{ TableName: 'fuzz-new' }],
    ListTables: [{ Limit: 1, ExclusiveStartTableName: table }],
    UpdateTimeToLive: [{ TableName: table, TimeToLiveSpecification: { Enabled: false, AttributeName: 'n' } }],
    DescribeTimeToLive: [{ TableName: table }],
    TagResource: [
      {
        ResourceArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`,
        Tags: [{ Key: 'a', Value: 'b' }],
      },
    ],
    UntagResource: [
      { ResourceArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`, TagKeys: ['a'] },
    ],
    ListTagsOfResource: [{ ResourceArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${table}` }],
    DescribeEndpoints: [{}],
    DescribeLimits: [{}],
    ExecuteStatement: statements(table).map((Statement) => ({
      Statement,
      Parameters: parameters(Statement),
      Limit: 3,
    })),
    BatchExecuteStatement: [
      {
        Statements: statements(table)
          .slice(3, 8)
          .map((Statement) => ({ Statement, Parameters: parameters(Statement) })),
      },
    ],
    ExecuteTransaction: [
      {
        TransactStatements: [
          { Statement: `EXISTS(SELECT * FROM "${table}" WHERE pk = 'a' AND sk = 1)` },
          { Statement: `UPDATE "${table}" SET n = 5 WHERE pk = 'b' AND sk = 2` },
        ],
      },
    ],
    ListStreams: [{ TableName: table, Limit: 1 }],
    DescribeStream: [{ StreamArn: stream, Limit: 1 }],
    GetShardIterator: [
      { StreamArn: stream, ShardId: pool.shardIds[0], ShardIteratorType: 'TRIM_HORIZON' },
      {
        StreamArn: stream,
        ShardId: pool.shardIds[0],
        ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
        SequenceNumber: pool.sequences[0],
      },
    ],
    GetRecords: [{ ShardIterator: pool.iterators[0], Limit: 2 }],
  };
}

/** A copy of the input with up to two members, at any depth, changed to garbage or to
 * another value of the kind SWAPS knows. */
export function mutateInput(input: Record<string, unknown>, s: Sampler, pool: FuzzPool): unknown {
  const root = structuredClone(input) as Record<string, unknown>;
  const times = s.int(3);
  for (let i = 0; i < times; i++) {
    const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
    const walk = (v: unknown) => {
      if (!v || typeof v !== 'object' || v instanceof Uint8Array) return;
      for (const [k, x] of Object.entries(v)) {
        nodes.push({ parent: v as Record<string, unknown>, key: Array.isArray(v) ? Number(k) : k });
        walk(x);
      }
    };
    walk(root);
    if (nodes.length === 0) break;
    const { parent, key } = s.pick(nodes);
    const swap = typeof key === 'string' ? SWAPS[key] : undefined;
    const current = (parent as Record<string, unknown>)[key];
    (parent as Record<string, unknown>)[key] =
      swap && s.int(2) === 0
        ? swap(current, s, pool)
        : structuredClone(s.pick([...VALUES, ...WRONG_TYPES.slice(0, 9), undefined]));
  }
  return root;
}
