/**
 * One page of a Query or Scan: rows are read in order until Limit items were evaluated or
 * 1 MB was read (before the filter, as DynamoDB counts it); then the filter keeps what it
 * matches and the last evaluated item's key says where the next page starts.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { answerItem, decodeItem, type Item } from './item-json.js';
import type { Row } from './read-plans.js';

const PAGE_BYTES = 1024 * 1024;

export interface PageOptions {
  limit?: number;
  filter?: (item: Item) => boolean;
  /** what a returned item becomes (index projection, ProjectionExpression) */
  shape?: (item: Item) => Item;
  countOnly: boolean;
  /** the attributes of LastEvaluatedKey */
  keyNames: string[];
}

export interface Page {
  items: Item[];
  count: number;
  scanned: number;
  /** bytes read, for capacity */
  bytes: number;
  lastEvaluatedKey?: Item;
}

function keyOf(item: Item, names: string[]): Item {
  const out: Item = Object.create(null);
  for (const n of names) {
    const v = item[n];
    if (v) out[n] = v as AttributeValue;
  }
  return out;
}

export function readPage(rows: Iterable<Row>, opts: PageOptions): Page {
  const page: Page = { items: [], count: 0, scanned: 0, bytes: 0 };
  let last: Row | undefined;
  let lastItem: Item | undefined;
  let stopped = false;
  for (const row of rows) {
    page.scanned++;
    page.bytes += row.size;
    last = row;
    // parsed only for what reads it: an item answered whole goes out as its stored text
    const item = opts.filter || (opts.shape && !opts.countOnly) ? decodeItem(row.item) : undefined;
    lastItem = item;
    if (!opts.filter || opts.filter(item as Item)) {
      page.count++;
      if (!opts.countOnly) page.items.push(item && opts.shape ? opts.shape(item) : answerItem(row.item));
    }
    if (page.scanned === opts.limit || page.bytes >= PAGE_BYTES) {
      stopped = true;
      break;
    }
  }
  if (stopped && last) page.lastEvaluatedKey = keyOf(lastItem ?? decodeItem(last.item), opts.keyNames);
  return page;
}
