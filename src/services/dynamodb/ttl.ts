/**
 * Time to Live: UpdateTimeToLive/DescribeTimeToLive, and the sweep that deletes an item
 * once the server clock passes the epoch seconds in its TTL attribute. AWS takes up to days;
 * the sweep runs several times a second and right after the clock is advanced, so tests
 * see an item go within about a second. Each item row keeps its expiry (`expires_at`,
 * indexed), so a sweep costs what it deletes.
 */
import type {
  DescribeTimeToLiveInput,
  DescribeTimeToLiveOutput,
  UpdateTimeToLiveInput,
  UpdateTimeToLiveOutput,
} from '@aws-sdk/client-dynamodb';
import type { Db } from '../../storage/database.js';
import { checkString, NOT_NULL, throwIfViolations } from '../constraints.js';
import type { RequestContext, ServiceEnvironment } from '../types.js';
import { startPeriodic } from './background.js';
import { findTable, saveMeta, type Table, type TableMeta, tableById, tableNotFound } from './catalog.js';
import { validationError } from './expressions/validation-error.js';
import { decodeItem } from './item-json.js';
import { removeItem } from './item-rows.js';
import { statement } from './store.js';
import { requireTableName, tableNameViolations } from './table-validation.js';

const SWEEP_MS = 250;
const BATCH = 500;
/** DynamoDB leaves alone items whose expiry is more than five years in the past. */
const MAX_AGE_SECONDS = 5 * 365 * 24 * 3600;

function describeTtl(input: DescribeTimeToLiveInput, ctx: RequestContext): DescribeTimeToLiveOutput {
  requireTableName(input.TableName);
  throwIfViolations(tableNameViolations(input.TableName));
  const table = findTable(ctx, input.TableName as string);
  if (!table) throw tableNotFound(input.TableName as string);
  const ttl = table.meta.ttl;
  return {
    TimeToLiveDescription: ttl?.enabled
      ? { TimeToLiveStatus: 'ENABLED', AttributeName: ttl.attribute }
      : { TimeToLiveStatus: 'DISABLED' },
  };
}

/** Sets (or clears) every item's expiry from its TTL attribute. */
function refreshExpiry(db: Db, table: Table, attribute: string | undefined): void {
  if (!attribute) {
    statement(
      db,
      'UPDATE dynamodb_items SET expires_at = NULL WHERE table_id = ? AND expires_at IS NOT NULL',
    ).run(table.id);
    return;
  }
  const rows = statement(
    db,
    'SELECT shard, hash_key, range_key, item FROM dynamodb_items WHERE table_id = ?',
  ).iterate(table.id) as IterableIterator<{
    shard: number;
    hash_key: Buffer;
    range_key: Buffer;
    item: string;
  }>;
  const expiring: [number, Buffer, Buffer, number][] = [];
  for (const row of rows) {
    const n = decodeItem(row.item)[attribute]?.N;
    const seconds = n === undefined ? Number.NaN : Math.floor(Number(n));
    if (Number.isFinite(seconds)) expiring.push([row.shard, row.hash_key, row.range_key, seconds]);
  }
  const set = statement(
    db,
    'UPDATE dynamodb_items SET expires_at = ? WHERE table_id = ? AND shard = ? AND hash_key = ? AND range_key = ?',
  );
  for (const [shard, hash, range, seconds] of expiring) set.run(seconds, table.id, shard, hash, range);
}

function updateTtl(input: UpdateTimeToLiveInput, ctx: RequestContext): UpdateTimeToLiveOutput {
  requireTableName(input.TableName);
  const spec = input.TimeToLiveSpecification;
  const violations = tableNameViolations(input.TableName);
  if (!spec) violations.push({ value: undefined, at: 'timeToLiveSpecification', constraint: NOT_NULL });
  else {
    violations.push(
      ...checkString(spec.AttributeName, 'timeToLiveSpecification.attributeName', {
        min: 1,
        max: 255,
        required: true,
      }),
    );
    if (spec.Enabled === undefined) {
      violations.push({ value: undefined, at: 'timeToLiveSpecification.enabled', constraint: NOT_NULL });
    }
  }
  throwIfViolations(violations);
  const table = findTable(ctx, input.TableName as string);
  if (!table) throw tableNotFound(input.TableName as string);
  const { Enabled: enabled, AttributeName: attribute } = spec as { Enabled: boolean; AttributeName: string };
  const current = table.meta.ttl;
  if (enabled && current?.enabled) throw validationError('TimeToLive is already enabled');
  if (!enabled && !current?.enabled) throw validationError('TimeToLive is already disabled');
  if (!enabled && current?.attribute !== attribute) {
    throw validationError(
      `TimeToLive is active on a different AttributeName: current AttributeName is ${current?.attribute}`,
    );
  }
  refreshExpiry(ctx.db, table, enabled ? attribute : undefined);
  const meta: TableMeta = { ...table.meta, ttl: { attribute, enabled } };
  saveMeta(ctx.db, table, meta);
  return { TimeToLiveSpecification: { Enabled: enabled, AttributeName: attribute } };
}

interface ExpiredRow {
  table_id: number;
  shard: number;
  hash_key: Buffer;
  range_key: Buffer;
  item: string;
  size: number;
}

/** Deletes the items expired at `nowMs`, through the same path as DeleteItem; their REMOVE
 * stream records say the TTL process deleted them. */
export function sweepExpired(db: Db, nowMs: number): number {
  const now = Math.floor(nowMs / 1000);
  const writer = { db, now: () => nowMs, byTtl: true };
  const rows = statement(
    db,
    'SELECT table_id, shard, hash_key, range_key, item, size FROM dynamodb_items WHERE expires_at IS NOT NULL AND expires_at <= ? AND expires_at >= ? LIMIT ?+0',
  ).all(now, now - MAX_AGE_SECONDS, BATCH) as ExpiredRow[];
  const tables = new Map<number, Table | undefined>();
  for (const row of rows) {
    if (!tables.has(row.table_id)) tables.set(row.table_id, tableById(db, row.table_id));
    const table = tables.get(row.table_id);
    if (!table?.meta.ttl?.enabled) {
      // not to be swept again: its table no longer expires items
      statement(
        db,
        'UPDATE dynamodb_items SET expires_at = NULL WHERE table_id = ? AND shard = ? AND hash_key = ? AND range_key = ?',
      ).run(row.table_id, row.shard, row.hash_key, row.range_key);
      continue;
    }
    removeItem(
      writer,
      table,
      { shard: row.shard, hash: row.hash_key, range: row.range_key },
      { item: decodeItem(row.item), size: row.size },
    );
  }
  return rows.length;
}

/** The background sweep: on a timer and right after each clock advance. */
export function startTtlSweep(env: ServiceEnvironment): () => void {
  const sweep = env.db.transaction((nowMs: number) => sweepExpired(env.db, nowMs));
  return startPeriodic(env, 'TTL sweep', SWEEP_MS, (now) => {
    while (sweep(now) === BATCH);
  });
}

export const ttlHandlers = {
  DescribeTimeToLive: describeTtl,
  UpdateTimeToLive: updateTtl,
};
