/**
 * Capacity units as DynamoDB counts them: a write is 1 unit per KB of the larger of the
 * old and new item, a read 1 unit per 4 KB (half when eventually consistent). An index is
 * charged only when what it stores of the item changes: a key move is a delete plus an
 * insert. The per-table and per-index arms appear only with ReturnConsumedCapacity INDEXES.
 */
import type { Capacity, ConsumedCapacity, ReturnConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { IndexDef, Table } from './catalog.js';
import { encodeItem, type Item } from './item-json.js';
import { indexKey, projectedNames, type StoredItem } from './item-rows.js';
import { itemSize } from './item-size.js';

export interface Units {
  table: number;
  indexes: Map<IndexDef, number>;
}

export const noUnits = (): Units => ({ table: 0, indexes: new Map() });

/** A table's running units in a request that spans tables, started at none. */
export function unitsOf(byTable: Map<Table, Units>, table: Table): Units {
  let units = byTable.get(table);
  if (!units) {
    units = noUnits();
    byTable.set(table, units);
  }
  return units;
}

/** Whether a request asked for ConsumedCapacity (counting costs only then). */
export const wantsCapacity = (mode: string | undefined): boolean => mode === 'TOTAL' || mode === 'INDEXES';

export function readUnits(bytes: number, consistent: boolean | undefined): number {
  return Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
}

function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

interface IndexView {
  text: string;
  size: number;
}

/** What an index holds of an item, comparable between two versions; undefined if absent. */
function indexView(table: Table, index: IndexDef, stored: StoredItem | undefined): IndexView | undefined {
  if (!stored || !indexKey(index, stored.item)) return undefined;
  const names = projectedNames(table, index);
  if (!names) return { text: encodeItem(stored.item), size: stored.size };
  const projected: Item = Object.create(null);
  for (const n of names) if (stored.item[n]) projected[n] = stored.item[n];
  return { text: encodeItem(projected), size: itemSize(projected) };
}

/** The units one item write costs, the table's and each touched index's. */
export function itemWriteUnits(
  table: Table,
  old: StoredItem | undefined,
  next: StoredItem | undefined,
): Units {
  const units: Units = { table: writeUnits(Math.max(old?.size ?? 0, next?.size ?? 0)), indexes: new Map() };
  for (const index of table.indexes) {
    const before = indexView(table, index, old);
    const after = indexView(table, index, next);
    if (before?.text === after?.text) continue;
    const keysBefore = old && indexKey(index, old.item);
    const keysAfter = next && indexKey(index, next.item);
    const moved =
      keysBefore &&
      keysAfter &&
      !(keysBefore.hash.equals(keysAfter.hash) && keysBefore.range.equals(keysAfter.range));
    let n = 0;
    if (before && (moved || !after)) n += writeUnits(before.size);
    if (after) n += writeUnits(after.size);
    units.indexes.set(index, n);
  }
  return units;
}

export function addUnits(into: Units, more: Units, factor = 1): void {
  into.table += more.table * factor;
  for (const [index, n] of more.indexes) into.indexes.set(index, (into.indexes.get(index) ?? 0) + n * factor);
}

/** The ConsumedCapacity member of a response, when the request asked for it. */
export function consumedCapacity(
  mode: ReturnConsumedCapacity | string | undefined,
  tableName: string,
  units: Units,
): ConsumedCapacity | undefined {
  if (!wantsCapacity(mode)) return undefined;
  let total = units.table;
  for (const n of units.indexes.values()) total += n;
  if (mode === 'TOTAL') return { TableName: tableName, CapacityUnits: total };
  const gsis: Record<string, Capacity> = {};
  const lsis: Record<string, Capacity> = {};
  for (const [index, n] of units.indexes) (index.local ? lsis : gsis)[index.name] = { CapacityUnits: n };
  return {
    TableName: tableName,
    CapacityUnits: total,
    Table: { CapacityUnits: units.table },
    GlobalSecondaryIndexes: Object.keys(gsis).length > 0 ? gsis : undefined,
    LocalSecondaryIndexes: Object.keys(lsis).length > 0 ? lsis : undefined,
  };
}
