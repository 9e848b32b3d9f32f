/**
 * Table definitions: what CreateTable and UpdateTable stored (one JSON row per table),
 * parsed once and cached while the row is unchanged, with what the item path needs
 * precomputed (key attributes and types, indexes by name).
 */
import type {
  AttributeDefinition,
  KeySchemaElement,
  OnDemandThroughput,
  Projection,
  SSESpecification,
  StreamViewType,
} from '@aws-sdk/client-dynamodb';
import { AwsError } from '../../errors.js';
import { type Db, perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import type { KeyType } from './key-encoding.js';
import { statement } from './store.js';

export interface Throughput {
  read: number;
  write: number;
  lastIncrease?: number;
  lastDecrease?: number;
  decreasesToday: number;
}

export interface IndexMeta {
  /** the index's number in its table's rows (0 is the table itself) */
  no: number;
  name: string;
  keySchema: KeySchemaElement[];
  projection: Projection;
  /** GSIs only */
  throughput?: Throughput;
  onDemand?: OnDemandThroughput;
}

/** The table's latest stream. A disabled one is still its LatestStreamArn (and readable for a day). */
export interface TableStream {
  StreamEnabled: boolean;
  StreamViewType: StreamViewType;
  label: string;
  /** its row in dynamodb_streams */
  streamId: number;
}

/** What is stored per table. Times are milliseconds since the epoch. */
export interface TableMeta {
  name: string;
  tableId: string;
  createdAt: number;
  attributeDefinitions: AttributeDefinition[];
  keySchema: KeySchemaElement[];
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  /** set when the table was ever switched to on-demand */
  payPerRequestSince?: number;
  throughput: Throughput;
  onDemand?: OnDemandThroughput;
  gsis: IndexMeta[];
  lsis: IndexMeta[];
  nextIndexNo: number;
  stream?: TableStream;
  sse?: SSESpecification;
  tableClass?: string;
  deletionProtection: boolean;
  ttl?: { attribute: string; enabled: boolean };
}

export interface KeyAttribute {
  name: string;
  type: KeyType;
}

export interface IndexDef {
  no: number;
  name: string;
  local: boolean;
  hash: KeyAttribute;
  range?: KeyAttribute;
  projection: Projection;
  /** INCLUDE: the non-key attributes projected */
  include?: ReadonlySet<string>;
}

export interface Table {
  id: number;
  accountId: string;
  region: string;
  meta: TableMeta;
  arn: string;
  hash: KeyAttribute;
  range?: KeyAttribute;
  indexes: IndexDef[];
  indexByName: ReadonlyMap<string, IndexDef>;
  /** the indexes in name order: the order DynamoDB reports index key problems in */
  indexesInNameOrder: IndexDef[];
}

interface TableRow {
  id: number;
  meta: string;
}

const parsed = perDb(() => new Map<number, { text: string; table: Table }>());

export function tableArn(region: string, accountId: string, name: string): string {
  return `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
}

/** The account, region and name a TableName parameter means: a name, or a table ARN. */
export function resolveTableName(ctx: RequestContext, nameOrArn: string): [string, string, string] {
  if (nameOrArn.startsWith('arn:')) {
    const parts = nameOrArn.split(':');
    const resource = parts.slice(5).join(':');
    if (parts.length >= 6 && resource.startsWith('table/')) {
      return [parts[4] as string, parts[3] as string, resource.slice(6).split('/')[0] as string];
    }
  }
  return [ctx.accountId, ctx.region, nameOrArn];
}

function keyAttribute(
  meta: TableMeta,
  schema: KeySchemaElement[],
  keyType: string,
): KeyAttribute | undefined {
  const name = schema.find((k) => k.KeyType === keyType)?.AttributeName;
  if (name === undefined) return undefined;
  const type = meta.attributeDefinitions.find((d) => d.AttributeName === name)?.AttributeType as KeyType;
  return { name, type };
}

function indexDef(meta: TableMeta, index: IndexMeta, local: boolean): IndexDef {
  const nonKey =
    index.projection.ProjectionType === 'INCLUDE' ? index.projection.NonKeyAttributes : undefined;
  return {
    no: index.no,
    name: index.name,
    local,
    hash: keyAttribute(meta, index.keySchema, 'HASH') as KeyAttribute,
    range: keyAttribute(meta, index.keySchema, 'RANGE'),
    projection: index.projection,
    include: nonKey ? new Set(nonKey) : undefined,
  };
}

export function buildTable(id: number, accountId: string, region: string, meta: TableMeta): Table {
  const indexes = [
    ...meta.lsis.map((i) => indexDef(meta, i, true)),
    ...meta.gsis.map((i) => indexDef(meta, i, false)),
  ];
  return {
    id,
    accountId,
    region,
    meta,
    arn: tableArn(region, accountId, meta.name),
    hash: keyAttribute(meta, meta.keySchema, 'HASH') as KeyAttribute,
    range: keyAttribute(meta, meta.keySchema, 'RANGE'),
    indexes,
    indexByName: new Map(indexes.map((i) => [i.name, i])),
    indexesInNameOrder: [...indexes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

const SELECT_TABLE = 'SELECT id, meta FROM dynamodb_tables WHERE account_id = ? AND region = ? AND name = ?';

/** The table, or undefined when the caller's account has none of that name there. */
export function findTable(ctx: RequestContext, nameOrArn: string): Table | undefined {
  const [accountId, region, name] = resolveTableName(ctx, nameOrArn);
  const row = statement(ctx.db, SELECT_TABLE).get(accountId, region, name) as TableRow | undefined;
  return row && tableOfRow(ctx.db, row.id, accountId, region, row.meta);
}

/** The table a row holds, parsed again only when the row's meta text changed. */
function tableOfRow(db: Db, id: number, accountId: string, region: string, text: string): Table {
  const byId = parsed(db);
  const hit = byId.get(id);
  if (hit && hit.text === text && hit.table.accountId === accountId && hit.table.region === region) {
    return hit.table;
  }
  const table = buildTable(id, accountId, region, JSON.parse(text) as TableMeta);
  byId.set(id, { text, table });
  return table;
}

/** A table by its row id (the TTL sweep's view), or undefined once it is gone. */
export function tableById(db: Db, id: number): Table | undefined {
  const row = statement(db, 'SELECT account_id, region, meta FROM dynamodb_tables WHERE id = ?').get(id) as
    | { account_id: string; region: string; meta: string }
    | undefined;
  return row && tableOfRow(db, id, row.account_id, row.region, row.meta);
}

/** The item operations' answer for a missing table. */
export function requireTable(ctx: RequestContext, nameOrArn: string): Table {
  const table = findTable(ctx, nameOrArn);
  if (!table) throw new AwsError('ResourceNotFoundException', 'Requested resource not found', 400);
  return table;
}

/** The control-plane operations' answer for a missing table names it. */
export function tableNotFound(name: string): AwsError {
  return new AwsError(
    'ResourceNotFoundException',
    `Requested resource not found: Table: ${name} not found`,
    400,
  );
}

export function saveMeta(db: Db, table: { id: number }, meta: TableMeta): void {
  statement(db, 'UPDATE dynamodb_tables SET meta = ? WHERE id = ?').run(JSON.stringify(meta), table.id);
}
