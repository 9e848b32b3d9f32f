/**
 * The one write path for items: every put and delete (PutItem, UpdateItem, batches,
 * transactions, TTL) goes through here, so index entries, ItemCount/TableSizeBytes
 * counters, TTL expiry and stream records stay in step with the item row, in the same
 * SQLite transaction.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Db } from '../../storage/database.js';
import type { IndexDef, KeyAttribute, Table } from './catalog.js';
import { decodeItem, encodeItem, type Item } from './item-json.js';
import { valueSize } from './item-size.js';
import { encodeKeyValue, NO_RANGE, shardOf } from './key-encoding.js';
import type { Row } from './read-plans.js';
import { statement } from './store.js';
import { recordChange } from './streams-records.js';

export interface ItemKey {
  shard: number;
  hash: Buffer;
  range: Buffer;
}

export interface StoredItem {
  item: Item;
  size: number;
}

/** Who writes: the database, the clock that stamps stream records, and whether the write is
 * the TTL sweep's (whose REMOVE records name the DynamoDB service as their author). */
export interface WriteContext {
  readonly db: Db;
  now(): number;
  readonly byTtl?: boolean;
}

const SELECT_ITEM =
  'SELECT item, size FROM dynamodb_items WHERE table_id = ? AND shard = ? AND hash_key = ? AND range_key = ?';
const INSERT_ITEM =
  'INSERT INTO dynamodb_items (item, size, expires_at, table_id, shard, hash_key, range_key) VALUES (?, ?, ?, ?, ?, ?, ?)';
const UPDATE_ITEM =
  'UPDATE dynamodb_items SET item = ?, size = ?, expires_at = ? WHERE table_id = ? AND shard = ? AND hash_key = ? AND range_key = ?';
const DELETE_ITEM =
  'DELETE FROM dynamodb_items WHERE table_id = ? AND shard = ? AND hash_key = ? AND range_key = ?';
const INSERT_ENTRY =
  'INSERT OR REPLACE INTO dynamodb_index_entries (table_id, index_no, shard, hash_key, range_key, t_shard, t_hash, t_range) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const DELETE_ENTRY =
  'DELETE FROM dynamodb_index_entries WHERE table_id = ? AND index_no = ? AND shard = ? AND hash_key = ? AND range_key = ? AND t_hash = ? AND t_range = ?';
const BUMP =
  'UPDATE dynamodb_counts SET item_count = item_count + ?, size_bytes = size_bytes + ? WHERE table_id = ? AND index_no = ?';

function keyBytes(attr: KeyAttribute, item: Item): Buffer | undefined {
  return encodeKeyValue(item[attr.name], attr.type);
}

/** The primary key of a validated item (or key). */
export function tableKey(table: Table, item: Item): ItemKey {
  const hash = keyBytes(table.hash, item) as Buffer;
  const range = table.range ? (keyBytes(table.range, item) as Buffer) : NO_RANGE;
  return { shard: shardOf(hash), hash, range };
}

/** Where an item sits in an index; undefined when it lacks the index's keys (sparse). */
export function indexKey(index: IndexDef, item: Item): ItemKey | undefined {
  const hash = keyBytes(index.hash, item);
  if (!hash) return undefined;
  let range = NO_RANGE;
  if (index.range) {
    const r = keyBytes(index.range, item);
    if (!r) return undefined;
    range = r;
  }
  return { shard: shardOf(hash), hash, range };
}

/** An item's row: its stored text, unparsed, and its size. */
export function readRow(db: Db, table: Table, key: ItemKey): Row | undefined {
  return statement(db, SELECT_ITEM).get(table.id, key.shard, key.hash, key.range) as Row | undefined;
}

export function readItem(db: Db, table: Table, key: ItemKey): StoredItem | undefined {
  const row = readRow(db, table, key);
  return row ? { item: decodeItem(row.item), size: row.size } : undefined;
}

/** The attributes an index holds of an item: its keys, the table's, and the projection's. */
export function projectedNames(table: Table, index: IndexDef): string[] | undefined {
  if (index.projection.ProjectionType === 'ALL') return undefined;
  const names = new Set([table.hash.name, index.hash.name]);
  if (table.range) names.add(table.range.name);
  if (index.range) names.add(index.range.name);
  for (const n of index.include ?? []) names.add(n);
  return [...names];
}

function projectedSize(table: Table, index: IndexDef, stored: StoredItem): number {
  const names = projectedNames(table, index);
  if (!names) return stored.size;
  let size = 0;
  for (const n of names) {
    const v = stored.item[n];
    if (v) size += Buffer.byteLength(n, 'utf8') + valueSize(v as AttributeValue);
  }
  return size;
}

function bump(db: Db, table: Table, indexNo: number, count: number, size: number): void {
  if (count !== 0 || size !== 0) statement(db, BUMP).run(count, size, table.id, indexNo);
}

function expiresAt(table: Table, item: Item): number | null {
  const ttl = table.meta.ttl;
  if (!ttl?.enabled) return null;
  const n = item[ttl.attribute]?.N;
  if (n === undefined) return null;
  const seconds = Number(n);
  return Number.isFinite(seconds) ? Math.floor(seconds) : null;
}

const sameKey = (a: ItemKey | undefined, b: ItemKey | undefined) =>
  a !== undefined && b !== undefined && a.hash.equals(b.hash) && a.range.equals(b.range);

function updateIndexes(db: Db, table: Table, key: ItemKey, old?: StoredItem, next?: StoredItem): void {
  for (const index of table.indexes) {
    const before = old && indexKey(index, old.item);
    const after = next && indexKey(index, next.item);
    if (!before && !after) continue;
    const sizeBefore = before ? projectedSize(table, index, old as StoredItem) : 0;
    const sizeAfter = after ? projectedSize(table, index, next as StoredItem) : 0;
    if (!sameKey(before, after)) {
      if (before) {
        statement(db, DELETE_ENTRY).run(
          table.id,
          index.no,
          before.shard,
          before.hash,
          before.range,
          key.hash,
          key.range,
        );
      }
      if (after) {
        statement(db, INSERT_ENTRY).run(
          table.id,
          index.no,
          after.shard,
          after.hash,
          after.range,
          key.shard,
          key.hash,
          key.range,
        );
      }
    }
    bump(db, table, index.no, (after ? 1 : 0) - (before ? 1 : 0), sizeAfter - sizeBefore);
  }
}

/** Writes an item over whatever was at its key (`old`, as read in the same transaction). */
export function storeItem(
  w: WriteContext,
  table: Table,
  key: ItemKey,
  next: StoredItem,
  old?: StoredItem,
): void {
  const { db } = w;
  statement(db, old ? UPDATE_ITEM : INSERT_ITEM).run(
    encodeItem(next.item),
    next.size,
    expiresAt(table, next.item),
    table.id,
    key.shard,
    key.hash,
    key.range,
  );
  bump(db, table, 0, old ? 0 : 1, next.size - (old?.size ?? 0));
  if (table.indexes.length > 0) updateIndexes(db, table, key, old, next);
  if (table.meta.stream?.StreamEnabled) recordChange(w, table, old, next);
}

export function removeItem(w: WriteContext, table: Table, key: ItemKey, old: StoredItem): void {
  const { db } = w;
  statement(db, DELETE_ITEM).run(table.id, key.shard, key.hash, key.range);
  bump(db, table, 0, -1, -old.size);
  if (table.indexes.length > 0) updateIndexes(db, table, key, old, undefined);
  if (table.meta.stream?.StreamEnabled) recordChange(w, table, old, undefined);
}

/** Builds one index's entries and counters from every item of its table (a new GSI). */
export function backfillIndex(db: Db, table: Table, index: IndexDef): void {
  const rows = statement(
    db,
    'SELECT shard, hash_key, range_key, item, size FROM dynamodb_items WHERE table_id = ?',
  ).iterate(table.id) as IterableIterator<{
    shard: number;
    hash_key: Buffer;
    range_key: Buffer;
    item: string;
    size: number;
  }>;
  let count = 0;
  let size = 0;
  const pending: [ItemKey, ItemKey][] = [];
  for (const row of rows) {
    const stored = { item: decodeItem(row.item), size: row.size };
    const at = indexKey(index, stored.item);
    // an empty string or binary cannot be a key: DynamoDB leaves such an item out of the
    // index (an index key violation), as it does one whose key has the wrong type
    if (!at || at.hash.length === 0 || (index.range && at.range.length === 0)) continue;
    pending.push([at, { shard: row.shard, hash: row.hash_key, range: row.range_key }]);
    count++;
    size += projectedSize(table, index, stored);
  }
  // written after the read: SQLite does not allow writes while a statement iterates
  for (const [at, key] of pending) {
    statement(db, INSERT_ENTRY).run(
      table.id,
      index.no,
      at.shard,
      at.hash,
      at.range,
      key.shard,
      key.hash,
      key.range,
    );
  }
  bump(db, table, index.no, count, size);
}
