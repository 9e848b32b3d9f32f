/**
 * The SQL of every read of many items: Query and Scan, on a table or an index. Each is one
 * range scan of a primary key (O(log n + k)); an index read joins each entry to its item.
 * Statements are built from a small set of shapes, so the statement cache stays small.
 */
import type { Db } from '../../storage/database.js';
import type { IndexDef, Table } from './catalog.js';
import type { ItemKey } from './item-rows.js';
import { statement } from './store.js';

/** A bound on sort-key bytes. */
export interface Bound {
  bytes: Buffer;
  inclusive: boolean;
}

export interface RangeBounds {
  low?: Bound;
  high?: Bound;
}

/** Where a paged read resumes: the sort key bytes of the last item it returned and, for an
 * index read, that item's table key (index entries with equal keys are ordered by it). */
export interface Resume {
  at: ItemKey;
  table?: ItemKey;
}

/** One partition: its shard and hash key bytes. */
export interface Partition {
  shard: number;
  hash: Buffer;
}

export interface Row {
  item: string;
  size: number;
}

const ITEM_COLUMNS = 'SELECT i.item AS item, i.size AS size';
const INDEX_FROM =
  'FROM dynamodb_index_entries e JOIN dynamodb_items i ON i.table_id = e.table_id AND i.shard = e.t_shard AND i.hash_key = e.t_hash AND i.range_key = e.t_range';

function boundSql(column: string, bounds: RangeBounds): string {
  let sql = '';
  if (bounds.low) sql += ` AND ${column} ${bounds.low.inclusive ? '>=' : '>'} ?`;
  if (bounds.high) sql += ` AND ${column} ${bounds.high.inclusive ? '<=' : '<'} ?`;
  return sql;
}

function boundParams(bounds: RangeBounds): Buffer[] {
  const out: Buffer[] = [];
  if (bounds.low) out.push(bounds.low.bytes);
  if (bounds.high) out.push(bounds.high.bytes);
  return out;
}

/** Whether a resume point lies beyond the bound on its side (as it does when it came from
 * a previous page): then it replaces that bound, so the scan seeks straight to it. */
function resumeBeyond(bounds: RangeBounds, resume: Buffer, forward: boolean): boolean {
  const bound = forward ? bounds.low : bounds.high;
  if (!bound) return true;
  const c = Buffer.compare(resume, bound.bytes);
  return forward ? c >= 0 : c <= 0;
}

function withResume(bounds: RangeBounds, resume: Buffer | undefined, forward: boolean): RangeBounds {
  if (!resume || !resumeBeyond(bounds, resume, forward)) return bounds;
  const after: Bound = { bytes: resume, inclusive: false };
  return forward ? { low: after, high: bounds.high } : { low: bounds.low, high: after };
}

/** The rows of one partition of a table, in sort-key order. */
export function queryTableRows(
  db: Db,
  table: Table,
  hash: Partition,
  bounds: RangeBounds,
  forward: boolean,
  resume: Resume | undefined,
): IterableIterator<Row> {
  const b = withResume(bounds, resume?.at.range, forward);
  const sql = `SELECT item, size FROM dynamodb_items WHERE table_id = ? AND shard = ? AND hash_key = ?${boundSql('range_key', b)} ORDER BY range_key ${forward ? 'ASC' : 'DESC'}`;
  return statement(db, sql).iterate(
    table.id,
    hash.shard,
    hash.hash,
    ...boundParams(b),
  ) as IterableIterator<Row>;
}

/** The items of one partition of an index, in index sort-key order (then table key). */
export function queryIndexRows(
  db: Db,
  table: Table,
  index: IndexDef,
  hash: Partition,
  bounds: RangeBounds,
  forward: boolean,
  resume: Resume | undefined,
): IterableIterator<Row> {
  const dir = forward ? 'ASC' : 'DESC';
  let sql = `${ITEM_COLUMNS} ${INDEX_FROM} WHERE e.table_id = ? AND e.index_no = ? AND e.shard = ? AND e.hash_key = ?`;
  const params: unknown[] = [table.id, index.no, hash.shard, hash.hash];
  if (resume?.table) {
    const other: RangeBounds = resumeBeyond(bounds, resume.at.range, forward)
      ? forward
        ? { high: bounds.high }
        : { low: bounds.low }
      : bounds;
    sql += `${boundSql('e.range_key', other)} AND (e.range_key, e.t_hash, e.t_range) ${forward ? '>' : '<'} (?, ?, ?)`;
    params.push(...boundParams(other), resume.at.range, resume.table.hash, resume.table.range);
  } else {
    sql += boundSql('e.range_key', bounds);
    params.push(...boundParams(bounds));
  }
  sql += ` ORDER BY e.range_key ${dir}, e.t_hash ${dir}, e.t_range ${dir}`;
  return statement(db, sql).iterate(...params) as IterableIterator<Row>;
}

/** The rows of a table between two shards (a parallel-scan segment), in stored order. */
export function scanTableRows(
  db: Db,
  table: Table,
  shards: [number, number],
  resume: Resume | undefined,
): IterableIterator<Row> {
  if (resume) {
    const sql =
      'SELECT item, size FROM dynamodb_items WHERE table_id = ? AND (shard, hash_key, range_key) > (?, ?, ?) AND shard < ? ORDER BY shard, hash_key, range_key';
    return statement(db, sql).iterate(
      table.id,
      resume.at.shard,
      resume.at.hash,
      resume.at.range,
      shards[1],
    ) as IterableIterator<Row>;
  }
  const sql =
    'SELECT item, size FROM dynamodb_items WHERE table_id = ? AND shard >= ? AND shard < ? ORDER BY shard, hash_key, range_key';
  return statement(db, sql).iterate(table.id, shards[0], shards[1]) as IterableIterator<Row>;
}

/** The items of an index between two shards, in index order. */
export function scanIndexRows(
  db: Db,
  table: Table,
  index: IndexDef,
  shards: [number, number],
  resume: Resume | undefined,
): IterableIterator<Row> {
  const order = 'ORDER BY e.shard, e.hash_key, e.range_key, e.t_hash, e.t_range';
  if (resume?.table) {
    const sql = `${ITEM_COLUMNS} ${INDEX_FROM} WHERE e.table_id = ? AND e.index_no = ? AND (e.shard, e.hash_key, e.range_key, e.t_hash, e.t_range) > (?, ?, ?, ?, ?) AND e.shard < ? ${order}`;
    return statement(db, sql).iterate(
      table.id,
      index.no,
      resume.at.shard,
      resume.at.hash,
      resume.at.range,
      resume.table.hash,
      resume.table.range,
      shards[1],
    ) as IterableIterator<Row>;
  }
  const sql = `${ITEM_COLUMNS} ${INDEX_FROM} WHERE e.table_id = ? AND e.index_no = ? AND e.shard >= ? AND e.shard < ? ${order}`;
  return statement(db, sql).iterate(table.id, index.no, shards[0], shards[1]) as IterableIterator<Row>;
}
