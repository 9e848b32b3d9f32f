/**
 * ItemCollectionMetrics: on tables with local secondary indexes, the size of the partition
 * a write touched (its items plus their LSI projections), as a range in gigabytes.
 */
import type { ItemCollectionMetrics, ReturnItemCollectionMetrics } from '@aws-sdk/client-dynamodb';
import type { Db } from '../../storage/database.js';
import type { Table } from './catalog.js';
import type { Item } from './item-json.js';
import type { ItemKey } from './item-rows.js';
import { statement } from './store.js';

const GB = 1024 ** 3;

export function itemCollectionMetrics(
  db: Db,
  mode: ReturnItemCollectionMetrics | string | undefined,
  table: Table,
  key: ItemKey,
  item: Item,
): ItemCollectionMetrics | undefined {
  if (mode !== 'SIZE' || !table.indexes.some((i) => i.local)) return undefined;
  const bytes = statement(
    db,
    'SELECT COALESCE(SUM(size), 0) FROM dynamodb_items WHERE table_id = ? AND shard = ? AND hash_key = ?',
  )
    .pluck()
    .get(table.id, key.shard, key.hash) as number;
  const low = Math.floor(bytes / GB);
  return {
    ItemCollectionKey: { [table.hash.name]: item[table.hash.name] as Item[string] },
    SizeEstimateRangeGB: [low, low + 1],
  };
}
