/**
 * UpdateTable: throughput and billing mode, GSIs created (backfilled at once) and deleted,
 * streams, SSE, table class and deletion protection.
 */
import type {
  AttributeDefinition,
  CreateGlobalSecondaryIndexAction,
  GlobalSecondaryIndexUpdate,
  KeySchemaElement,
  ProvisionedThroughput,
  StreamViewType,
  UpdateTableInput,
  UpdateTableOutput,
} from '@aws-sdk/client-dynamodb';
import { AwsError } from '../../errors.js';
import { throwIfViolations, type Violation } from '../constraints.js';
import type { RequestContext } from '../types.js';
import {
  buildTable,
  findTable,
  type IndexDef,
  type IndexMeta,
  saveMeta,
  type Table,
  type TableMeta,
  type Throughput,
  tableNotFound,
} from './catalog.js';
import { validationError } from './expressions/validation-error.js';
import { backfillIndex } from './item-rows.js';
import { statement } from './store.js';
import { closeStream, openStream } from './streams.js';
import {
  BILLING_MODES,
  billingProblem,
  definitionViolations,
  enumViolation,
  gsiProblem,
  INVALID,
  indexNameViolations,
  keySchemaViolations,
  projectionViolations,
  requireTableName,
  streamViolations,
  TABLE_CLASSES,
  tableNameViolations,
  throughputBoundsProblem,
  throughputViolations,
} from './table-validation.js';
import { describeTable } from './tables.js';

function updateViolations(input: UpdateTableInput): Violation[] {
  const out = tableNameViolations(input.TableName);
  out.push(...definitionViolations(input.AttributeDefinitions));
  out.push(...enumViolation(input.BillingMode, 'billingMode', BILLING_MODES));
  out.push(...enumViolation(input.TableClass, 'tableClass', TABLE_CLASSES));
  out.push(...throughputViolations(input.ProvisionedThroughput, 'provisionedThroughput'));
  input.GlobalSecondaryIndexUpdates?.forEach((u, i) => {
    const base = `globalSecondaryIndexUpdates.${i + 1}.member`;
    const action = u.Create ?? u.Update ?? u.Delete;
    const kind = u.Create ? 'create' : u.Update ? 'update' : 'delete';
    if (action) out.push(...indexNameViolations(action.IndexName, `${base}.${kind}.indexName`));
    if (u.Update) {
      out.push(
        ...throughputViolations(u.Update.ProvisionedThroughput, `${base}.update.provisionedThroughput`),
      );
    }
    if (u.Create) {
      out.push(
        ...keySchemaViolations(u.Create.KeySchema, `${base}.create.keySchema`),
        ...projectionViolations(u.Create.Projection, `${base}.create.projection`),
        ...throughputViolations(u.Create.ProvisionedThroughput, `${base}.create.provisionedThroughput`),
      );
    }
  });
  out.push(...streamViolations(input.StreamSpecification));
  return out.slice(0, 10);
}

function nothingToUpdate(input: UpdateTableInput): boolean {
  return (
    !input.ProvisionedThroughput &&
    !input.BillingMode &&
    !input.StreamSpecification &&
    !input.GlobalSecondaryIndexUpdates?.length &&
    !input.SSESpecification &&
    !input.ReplicaUpdates?.length &&
    input.DeletionProtectionEnabled === undefined &&
    !input.TableClass &&
    !input.OnDemandThroughput &&
    !input.WarmThroughput
  );
}

function changedThroughput(current: Throughput, next: ProvisionedThroughput, now: number): Throughput {
  const read = next.ReadCapacityUnits as number;
  const write = next.WriteCapacityUnits as number;
  const up = read > current.read || write > current.write;
  const down = read < current.read || write < current.write;
  return {
    read,
    write,
    lastIncrease: up ? now : current.lastIncrease,
    lastDecrease: down ? now : current.lastDecrease,
    decreasesToday: current.decreasesToday + (down ? 1 : 0),
  };
}

function applyBilling(input: UpdateTableInput, meta: TableMeta, now: number): void {
  const mode = input.BillingMode ?? meta.billingMode;
  const switching = mode !== meta.billingMode;
  if (mode === 'PAY_PER_REQUEST') {
    const problem = billingProblem(mode, input.ProvisionedThroughput);
    if (problem) throw validationError(problem);
    if (switching) {
      meta.billingMode = mode;
      meta.payPerRequestSince = now;
      for (const g of meta.gsis) g.throughput = undefined;
    }
    return;
  }
  const requested = input.ProvisionedThroughput;
  if (switching) {
    const problem = billingProblem(mode, requested);
    if (problem) throw validationError(problem);
    meta.billingMode = 'PROVISIONED';
    // GSIs take the table's throughput unless an Update action gives their own
    for (const g of meta.gsis)
      g.throughput = changedThroughput(meta.throughput, requested as ProvisionedThroughput, now);
  }
  if (!requested) return;
  const bounds = throughputBoundsProblem(requested);
  if (bounds) throw validationError(bounds);
  const t = meta.throughput;
  if (!switching && requested.ReadCapacityUnits === t.read && requested.WriteCapacityUnits === t.write) {
    throw validationError(
      `The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: ${t.read}. Requested ReadCapacityUnits: ${requested.ReadCapacityUnits}. Current WriteCapacityUnits provisioned for the table: ${t.write}. Requested WriteCapacityUnits: ${requested.WriteCapacityUnits}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`,
    );
  }
  meta.throughput = changedThroughput(t, requested, now);
}

function indexNotFound(name: string): AwsError {
  return new AwsError(
    'ResourceNotFoundException',
    `Requested resource not found: Index: ${name} not found`,
    400,
  );
}

function checkGsiUpdates(updates: GlobalSecondaryIndexUpdate[]): void {
  const seen = new Set<string>();
  for (const u of updates) {
    const action = u.Create ?? u.Update ?? u.Delete;
    if (!action) {
      throw validationError(
        `${INVALID}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null`,
      );
    }
    const name = action.IndexName as string;
    if (seen.has(name)) {
      throw validationError(
        `${INVALID}Only one global secondary index update per index is allowed simultaneously. Index: ${name}`,
      );
    }
    seen.add(name);
  }
}

/** The table's definitions with the request's new ones added (a new GSI's keys). */
function mergeDefinitions(meta: TableMeta, added: AttributeDefinition[] | undefined): AttributeDefinition[] {
  const out = [...meta.attributeDefinitions];
  for (const d of added ?? []) {
    const existing = out.find((e) => e.AttributeName === d.AttributeName);
    if (!existing) out.push(d);
    else if (existing.AttributeType !== d.AttributeType) {
      throw validationError(
        `${INVALID}Attribute ${d.AttributeName} already exists in the AttributeDefinitions with a different type`,
      );
    }
  }
  return out;
}

/** Only the attributes some key uses stay defined (AWS drops a deleted index's). */
function pruneDefinitions(meta: TableMeta): void {
  const used = new Set<string>();
  for (const k of [
    meta.keySchema,
    ...meta.lsis.map((i) => i.keySchema),
    ...meta.gsis.map((i) => i.keySchema),
  ]) {
    for (const e of k) used.add(e.AttributeName as string);
  }
  meta.attributeDefinitions = meta.attributeDefinitions.filter((d) => used.has(d.AttributeName as string));
}

function createGsi(
  meta: TableMeta,
  create: CreateGlobalSecondaryIndexAction,
  defs: AttributeDefinition[],
): IndexMeta {
  const name = create.IndexName as string;
  if (meta.gsis.some((g) => g.name === name) || meta.lsis.some((l) => l.name === name)) {
    throw validationError('Attempting to create an index which already exists');
  }
  const defined = defs.map((d) => d.AttributeName as string);
  const problem = gsiProblem(create, defined, meta.billingMode);
  if (problem) throw validationError(problem);
  const t = create.ProvisionedThroughput;
  return {
    no: meta.nextIndexNo++,
    name,
    keySchema: create.KeySchema as KeySchemaElement[],
    projection: create.Projection ?? {},
    throughput: t
      ? { read: t.ReadCapacityUnits ?? 0, write: t.WriteCapacityUnits ?? 0, decreasesToday: 0 }
      : undefined,
    onDemand: create.OnDemandThroughput,
  };
}

/** Opens a new stream (a new ARN each time) or closes the table's; a closed stream stays the
 * table's latest, and readable for a day. */
function applyStream(ctx: RequestContext, table: Table, input: UpdateTableInput, meta: TableMeta): void {
  const spec = input.StreamSpecification;
  if (!spec) return;
  if (spec.StreamEnabled && !spec.StreamViewType) {
    throw validationError(`${INVALID}If stream is being enabled then UpdateViewType is required`);
  }
  if (!spec.StreamEnabled && spec.StreamViewType) {
    throw validationError(`${INVALID}If stream is being disabled, then UpdateViewType must not be specified`);
  }
  const current = meta.stream?.StreamEnabled ? meta.stream : undefined;
  if (spec.StreamEnabled && current) {
    throw validationError(`Table already has an enabled stream: TableName: ${meta.name}`);
  }
  if (!spec.StreamEnabled && !current) {
    throw validationError(`Table has no stream to disable: TableName: ${meta.name}`);
  }
  if (current) {
    closeStream(ctx.db, current.streamId, ctx.now());
    meta.stream = { ...current, StreamEnabled: false };
    return;
  }
  const owner = {
    accountId: table.accountId,
    region: table.region,
    name: meta.name,
    keySchema: meta.keySchema,
  };
  meta.stream = openStream(ctx.db, owner, spec.StreamViewType as StreamViewType, ctx.now());
}

function updateTable(input: UpdateTableInput, ctx: RequestContext): UpdateTableOutput {
  requireTableName(input.TableName);
  throwIfViolations(updateViolations(input));
  const table = findTable(ctx, input.TableName as string);
  if (!table) throw tableNotFound(input.TableName as string);
  if (nothingToUpdate(input)) {
    throw validationError(
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required',
    );
  }
  const now = ctx.now();
  const meta: TableMeta = structuredClone(table.meta);
  applyBilling(input, meta, now);
  const updates = input.GlobalSecondaryIndexUpdates ?? [];
  checkGsiUpdates(updates);
  const defs = mergeDefinitions(meta, input.AttributeDefinitions);
  const created: IndexMeta[] = [];
  for (const u of updates) {
    if (u.Create) {
      const gsi = createGsi(meta, u.Create, defs);
      meta.attributeDefinitions = defs;
      meta.gsis.push(gsi);
      created.push(gsi);
    } else if (u.Update) {
      const gsi = meta.gsis.find((g) => g.name === u.Update?.IndexName);
      if (!gsi) throw indexNotFound(u.Update.IndexName as string);
      const t = u.Update.ProvisionedThroughput;
      if (t)
        gsi.throughput = changedThroughput(
          gsi.throughput ?? { read: 0, write: 0, decreasesToday: 0 },
          t,
          now,
        );
      if (u.Update.OnDemandThroughput) gsi.onDemand = u.Update.OnDemandThroughput;
    } else if (u.Delete) {
      const at = meta.gsis.findIndex((g) => g.name === u.Delete?.IndexName);
      if (at < 0) throw indexNotFound(u.Delete.IndexName as string);
      const [gone] = meta.gsis.splice(at, 1) as [IndexMeta];
      statement(ctx.db, 'DELETE FROM dynamodb_index_entries WHERE table_id = ? AND index_no = ?').run(
        table.id,
        gone.no,
      );
      statement(ctx.db, 'DELETE FROM dynamodb_counts WHERE table_id = ? AND index_no = ?').run(
        table.id,
        gone.no,
      );
    }
  }
  pruneDefinitions(meta);
  applyStream(ctx, table, input, meta);
  if (input.SSESpecification) meta.sse = input.SSESpecification;
  if (input.TableClass) meta.tableClass = input.TableClass;
  if (input.DeletionProtectionEnabled !== undefined)
    meta.deletionProtection = input.DeletionProtectionEnabled;
  if (input.OnDemandThroughput) meta.onDemand = input.OnDemandThroughput;
  saveMeta(ctx.db, table, meta);
  const next = buildTable(table.id, table.accountId, table.region, meta);
  for (const gsi of created) {
    statement(ctx.db, 'INSERT INTO dynamodb_counts (table_id, index_no) VALUES (?, ?)').run(table.id, gsi.no);
    backfillIndex(ctx.db, next, next.indexByName.get(gsi.name) as IndexDef);
  }
  const creating = new Set(created.map((g) => g.name));
  return {
    TableDescription: describeTable(ctx, next, 'UPDATING', (name) =>
      creating.has(name) ? 'CREATING' : 'ACTIVE',
    ),
  };
}

export const tableUpdateHandlers = { UpdateTable: updateTable };
