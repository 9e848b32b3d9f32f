/**
 * CreateTable, DescribeTable, ListTables, DeleteTable. Tables are ACTIVE as soon as they
 * exist (the CREATING answer of CreateTable is only what AWS says at that moment), so
 * waiters finish on their first poll.
 */
import { createHash, randomUUID } from 'node:crypto';
import type {
  CreateTableInput,
  CreateTableOutput,
  DeleteTableInput,
  DeleteTableOutput,
  DescribeTableInput,
  DescribeTableOutput,
  GlobalSecondaryIndexDescription,
  IndexStatus,
  KeySchemaElement,
  ListTablesInput,
  ListTablesOutput,
  LocalSecondaryIndexDescription,
  ProvisionedThroughput,
  ProvisionedThroughputDescription,
  TableClass,
  TableDescription,
  TableStatus,
} from '@aws-sdk/client-dynamodb';
import { AwsError } from '../../errors.js';
import { checkString, throwIfViolations, valueAtLeast, valueAtMost } from '../constraints.js';
import type { RequestContext } from '../types.js';
import {
  findTable,
  type IndexMeta,
  resolveTableName,
  type Table,
  type TableMeta,
  type Throughput,
  tableNotFound,
} from './catalog.js';
import { statement } from './store.js';
import { closeStream, openStream, streamArn } from './streams.js';
import { requireTableName, tableNameViolations, validateCreateTable } from './table-validation.js';
import { insertTags } from './tags.js';

function throughputOf(t: ProvisionedThroughput | undefined): Throughput {
  return { read: t?.ReadCapacityUnits ?? 0, write: t?.WriteCapacityUnits ?? 0, decreasesToday: 0 };
}

function throughputDescription(t: Throughput | undefined): ProvisionedThroughputDescription {
  return {
    LastIncreaseDateTime: t?.lastIncrease === undefined ? undefined : new Date(t.lastIncrease),
    LastDecreaseDateTime: t?.lastDecrease === undefined ? undefined : new Date(t.lastDecrease),
    NumberOfDecreasesToday: t?.decreasesToday ?? 0,
    ReadCapacityUnits: t?.read ?? 0,
    WriteCapacityUnits: t?.write ?? 0,
  };
}

function metaFromInput(input: CreateTableInput, now: number): TableMeta {
  const ppr = input.BillingMode === 'PAY_PER_REQUEST';
  let no = 1;
  const index = (i: {
    IndexName?: string;
    KeySchema?: KeySchemaElement[];
    Projection?: object;
  }): IndexMeta => ({
    no: no++,
    name: i.IndexName as string,
    keySchema: i.KeySchema as KeySchemaElement[],
    projection: i.Projection as IndexMeta['projection'],
  });
  return {
    name: input.TableName as string,
    tableId: randomUUID(),
    createdAt: now,
    attributeDefinitions: input.AttributeDefinitions ?? [],
    keySchema: input.KeySchema ?? [],
    billingMode: ppr ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    payPerRequestSince: ppr ? now : undefined,
    throughput: throughputOf(input.ProvisionedThroughput),
    onDemand: input.OnDemandThroughput,
    lsis: (input.LocalSecondaryIndexes ?? []).map(index),
    gsis: (input.GlobalSecondaryIndexes ?? []).map((g) => ({
      ...index(g),
      throughput: ppr ? undefined : throughputOf(g.ProvisionedThroughput),
      onDemand: g.OnDemandThroughput,
    })),
    nextIndexNo: no,
    sse: input.SSESpecification,
    tableClass: input.TableClass,
    deletionProtection: input.DeletionProtectionEnabled ?? false,
  };
}

interface Counts {
  items: number;
  bytes: number;
}

function countsOf(ctx: RequestContext, table: Table): Map<number, Counts> {
  const rows = statement(
    ctx.db,
    'SELECT index_no, item_count, size_bytes FROM dynamodb_counts WHERE table_id = ?',
  ).all(table.id) as { index_no: number; item_count: number; size_bytes: number }[];
  return new Map(rows.map((r) => [r.index_no, { items: r.item_count, bytes: r.size_bytes }]));
}

/** The ARN of the KMS key a table is encrypted with: the key named (by ARN, id or alias), or
 * else DynamoDB's AWS managed key (alias/aws/dynamodb), one per account and region. */
function kmsKeyArn(table: Table, keyId: string | undefined): string {
  const prefix = `arn:aws:kms:${table.region}:${table.accountId}:`;
  if (keyId?.startsWith('arn:')) return keyId;
  if (keyId?.startsWith('alias/')) return prefix + keyId;
  if (keyId) return `${prefix}key/${keyId}`;
  const h = createHash('sha256').update(`${table.accountId}/${table.region}/aws/dynamodb`).digest('hex');
  return `${prefix}key/${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** DescribeTable's view of a table; `status` overrides the state (CREATING, UPDATING...). */
export function describeTable(
  ctx: RequestContext,
  table: Table,
  status: TableStatus = 'ACTIVE',
  indexStatus: (name: string) => IndexStatus = () => 'ACTIVE',
): TableDescription {
  const { meta } = table;
  const counts = countsOf(ctx, table);
  const ppr = meta.billingMode === 'PAY_PER_REQUEST';
  const lsis: LocalSecondaryIndexDescription[] = meta.lsis.map((i) => ({
    IndexName: i.name,
    KeySchema: i.keySchema,
    Projection: i.projection,
    IndexSizeBytes: counts.get(i.no)?.bytes ?? 0,
    ItemCount: counts.get(i.no)?.items ?? 0,
    IndexArn: `${table.arn}/index/${i.name}`,
  }));
  const gsis: GlobalSecondaryIndexDescription[] = meta.gsis.map((i) => ({
    IndexName: i.name,
    KeySchema: i.keySchema,
    Projection: i.projection,
    IndexStatus: indexStatus(i.name),
    ProvisionedThroughput: throughputDescription(i.throughput),
    IndexSizeBytes: counts.get(i.no)?.bytes ?? 0,
    ItemCount: counts.get(i.no)?.items ?? 0,
    IndexArn: `${table.arn}/index/${i.name}`,
    OnDemandThroughput: i.onDemand,
  }));
  const stream = meta.stream;
  return {
    AttributeDefinitions: meta.attributeDefinitions,
    TableName: meta.name,
    KeySchema: meta.keySchema,
    TableStatus: status,
    CreationDateTime: new Date(meta.createdAt),
    ProvisionedThroughput: throughputDescription(ppr ? undefined : meta.throughput),
    TableSizeBytes: counts.get(0)?.bytes ?? 0,
    ItemCount: counts.get(0)?.items ?? 0,
    TableArn: table.arn,
    TableId: meta.tableId,
    BillingModeSummary:
      meta.payPerRequestSince === undefined
        ? undefined
        : {
            BillingMode: meta.billingMode,
            LastUpdateToPayPerRequestDateTime: new Date(meta.payPerRequestSince),
          },
    LocalSecondaryIndexes: lsis.length > 0 ? lsis : undefined,
    GlobalSecondaryIndexes: gsis.length > 0 ? gsis : undefined,
    // a disabled stream is still the latest, but the table no longer has a specification
    StreamSpecification: stream?.StreamEnabled
      ? { StreamEnabled: true, StreamViewType: stream.StreamViewType }
      : undefined,
    LatestStreamLabel: stream?.label,
    LatestStreamArn: stream ? streamArn(table.arn, stream.label) : undefined,
    SSEDescription: meta.sse?.Enabled
      ? { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: kmsKeyArn(table, meta.sse.KMSMasterKeyId) }
      : undefined,
    TableClassSummary: meta.tableClass ? { TableClass: meta.tableClass as TableClass } : undefined,
    DeletionProtectionEnabled: meta.deletionProtection,
    OnDemandThroughput: meta.onDemand,
  };
}

function createTable(input: CreateTableInput, ctx: RequestContext): CreateTableOutput {
  validateCreateTable(input);
  const [accountId, region, name] = resolveTableName(ctx, input.TableName as string);
  if (findTable(ctx, input.TableName as string)) {
    throw new AwsError('ResourceInUseException', `Table already exists: ${name}`, 400);
  }
  const now = ctx.now();
  const meta = metaFromInput(input, now);
  const spec = input.StreamSpecification;
  if (spec?.StreamEnabled && spec.StreamViewType) {
    const owner = { accountId, region, name, keySchema: meta.keySchema };
    meta.stream = openStream(ctx.db, owner, spec.StreamViewType, now);
  }
  const { lastInsertRowid } = statement(
    ctx.db,
    'INSERT INTO dynamodb_tables (account_id, region, name, meta) VALUES (?, ?, ?, ?)',
  ).run(accountId, region, name, JSON.stringify(meta));
  const id = Number(lastInsertRowid);
  const addCounts = statement(ctx.db, 'INSERT INTO dynamodb_counts (table_id, index_no) VALUES (?, ?)');
  for (const no of [0, ...meta.lsis.map((i) => i.no), ...meta.gsis.map((i) => i.no)]) addCounts.run(id, no);
  if (input.Tags?.length) insertTags(ctx, id, input.Tags);
  const table = findTable(ctx, input.TableName as string) as Table;
  return { TableDescription: describeTable(ctx, table, 'CREATING', () => 'CREATING') };
}

function checkTableName(name: string | undefined): void {
  requireTableName(name);
  throwIfViolations(tableNameViolations(name));
}

function describe(input: DescribeTableInput, ctx: RequestContext): DescribeTableOutput {
  checkTableName(input.TableName);
  const table = findTable(ctx, input.TableName as string);
  if (!table) throw tableNotFound(input.TableName as string);
  return { Table: describeTable(ctx, table) };
}

function listTables(input: ListTablesInput, ctx: RequestContext): ListTablesOutput {
  const violations = checkString(input.ExclusiveStartTableName, 'exclusiveStartTableName', {
    min: 3,
    max: 255,
  });
  if (input.Limit !== undefined && input.Limit < 1) {
    violations.push({ value: input.Limit, at: 'limit', constraint: valueAtLeast(1) });
  }
  if (input.Limit !== undefined && input.Limit > 100) {
    violations.push({ value: input.Limit, at: 'limit', constraint: valueAtMost(100) });
  }
  throwIfViolations(violations);
  const limit = input.Limit ?? 100;
  const names = statement(
    ctx.db,
    'SELECT name FROM dynamodb_tables WHERE account_id = ? AND region = ? AND name > ? ORDER BY name LIMIT ?+0',
  )
    .pluck()
    .all(ctx.accountId, ctx.region, input.ExclusiveStartTableName ?? '', limit + 1) as string[];
  const more = names.length > limit;
  if (more) names.pop();
  return { TableNames: names, LastEvaluatedTableName: more ? names[names.length - 1] : undefined };
}

/** Drops every row of a table: items, index entries, counters, tags, the table itself. Its
 * stream is closed, and stays readable for a day. */
function dropTable(ctx: RequestContext, table: Table): void {
  const stream = table.meta.stream;
  if (stream?.StreamEnabled) closeStream(ctx.db, stream.streamId, ctx.now());
  for (const sql of [
    'DELETE FROM dynamodb_items WHERE table_id = ?',
    'DELETE FROM dynamodb_index_entries WHERE table_id = ?',
    'DELETE FROM dynamodb_counts WHERE table_id = ?',
    'DELETE FROM dynamodb_tags WHERE table_id = ?',
    'DELETE FROM dynamodb_tables WHERE id = ?',
  ]) {
    statement(ctx.db, sql).run(table.id);
  }
}

function deleteTable(input: DeleteTableInput, ctx: RequestContext): DeleteTableOutput {
  checkTableName(input.TableName);
  const table = findTable(ctx, input.TableName as string);
  if (!table) throw tableNotFound(input.TableName as string);
  if (table.meta.deletionProtection) {
    throw new AwsError(
      'ValidationException',
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
      400,
    );
  }
  const description = describeTable(ctx, table, 'DELETING', () => 'DELETING');
  dropTable(ctx, table);
  return { TableDescription: description };
}

export const tableHandlers = {
  CreateTable: createTable,
  DescribeTable: describe,
  ListTables: listTables,
  DeleteTable: deleteTable,
};
