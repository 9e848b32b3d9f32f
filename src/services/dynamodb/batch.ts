/**
 * BatchGetItem (up to 100 keys, 16 MB of items per response, the rest unprocessed) and
 * BatchWriteItem (up to 25 puts and deletes, no key twice). Everything is validated before
 * anything is read or written; nothing is ever throttled, so UnprocessedItems stays empty.
 */
import type {
  AttributeValue,
  BatchGetItemInput,
  BatchGetItemOutput,
  BatchWriteItemInput,
  BatchWriteItemOutput,
  ConsumedCapacity,
  ItemCollectionMetrics,
  KeysAndAttributes,
  WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { throwIfViolations } from '../constraints.js';
import type { RequestContext } from '../types.js';
import {
  addUnits,
  consumedCapacity,
  itemWriteUnits,
  readUnits,
  type Units,
  unitsOf,
  wantsCapacity,
} from './capacity.js';
import { requireTable, type Table } from './catalog.js';
import { validationError } from './expressions/validation-error.js';
import { itemCollectionMetrics } from './item-collections.js';
import { answerItem, type Item } from './item-json.js';
import { type ItemKey, readItem, readRow, removeItem, storeItem, tableKey } from './item-rows.js';
import { itemSize, MAX_ITEM_SIZE } from './item-size.js';
import { requiredMembers, returnsViolations } from './parameters.js';
import { requestExpressions } from './request-expressions.js';
import { checkIndexKeys, checkItemValues, checkKey, checkKeyAttributes } from './validation.js';

const MAX_GET_KEYS = 100;
const MAX_WRITES = 25;
const MAX_GET_BYTES = 16 * 1024 * 1024;

function checkReturns(input: {
  ReturnConsumedCapacity?: string;
  ReturnItemCollectionMetrics?: string;
}): void {
  throwIfViolations(returnsViolations(input));
}

const keyId = (table: Table, key: ItemKey) =>
  `${table.id}:${key.hash.toString('hex')}:${key.range.toString('hex')}`;

interface TableRead {
  name: string;
  table: Table;
  request: KeysAndAttributes;
  project?: (item: Item) => Item;
}

function batchGetItem(input: BatchGetItemInput, ctx: RequestContext): BatchGetItemOutput {
  checkReturns(input);
  const requested = input.RequestItems;
  if (!requested || Object.keys(requested).length === 0) {
    throw validationError('The requestItems parameter is required for BatchGetItem');
  }
  let total = 0;
  for (const [name, r] of Object.entries(requested)) {
    const n = r.Keys?.length ?? 0;
    if (n > MAX_GET_KEYS) {
      throw validationError(
        `1 validation error detected: Value at 'RequestItems.${name}.member.Keys' failed to satisfy constraint: Member must have length less than or equal to ${MAX_GET_KEYS}`,
      );
    }
    total += n;
  }
  if (total > MAX_GET_KEYS) throw validationError('Too many items requested for the BatchGetItem call');
  throwIfViolations(
    Object.entries(requested).flatMap(([name, r]) =>
      requiredMembers(r, ['Keys'], `requestItems.${name}.member`),
    ),
  );
  const reads: TableRead[] = Object.entries(requested).map(([name, request]) => {
    for (const key of request.Keys ?? []) checkItemValues(key);
    const { project } = requestExpressions(request, { projection: true });
    return { name, table: requireTable(ctx, name), request, project };
  });
  const responses: Record<string, Item[]> = {};
  const unprocessed: Record<string, KeysAndAttributes> = {};
  const capacity: ConsumedCapacity[] = [];
  let bytes = 0;
  for (const { name, table, request, project } of reads) {
    const seen = new Set<string>();
    const keys = (request.Keys ?? []).map((k) => {
      checkKey(table, k);
      const key = tableKey(table, k);
      const id = keyId(table, key);
      if (seen.has(id)) throw validationError('Provided list of item keys contains duplicates');
      seen.add(id);
      return key;
    });
    const found: Item[] = [];
    const left: Record<string, AttributeValue>[] = [];
    let units = 0;
    let full = false;
    keys.forEach((key, i) => {
      const row = full ? undefined : readRow(ctx.db, table, key);
      // an item that would take the response past 16 MB waits, with every key after it
      if (full || (row && bytes + row.size > MAX_GET_BYTES)) {
        full = true;
        left.push((request.Keys as Item[])[i] as Item);
        return;
      }
      units += readUnits(row?.size ?? 0, request.ConsistentRead);
      if (!row) return;
      bytes += row.size;
      found.push(answerItem(row.item, project));
    });
    responses[name] = found;
    if (left.length > 0) unprocessed[name] = { ...request, Keys: left };
    const cc = consumedCapacity(input.ReturnConsumedCapacity, table.meta.name, {
      table: units,
      indexes: new Map(),
    });
    if (cc) capacity.push(cc);
  }
  return {
    Responses: responses,
    UnprocessedKeys: unprocessed,
    ConsumedCapacity: capacity.length > 0 ? capacity : undefined,
  };
}

/** The (schema-free) Java rendering AWS echoes a too-long request list in. */
function describeWrites(items: Record<string, WriteRequest[]>): string {
  const value = (v: AttributeValue) =>
    Object.entries(v)
      .map(([k, x]) => `${k.length === 1 ? k.toLowerCase() : k[0]?.toLowerCase() + k.slice(1)}=${String(x)}`)
      .join(', ');
  const item = (i: Item | undefined) =>
    `{${Object.entries(i ?? {})
      .map(([k, v]) => `${k}=AttributeValue(${value(v)})`)
      .join(', ')}}`;
  const request = (r: WriteRequest) =>
    `WriteRequest(putRequest=${r.PutRequest ? `PutRequest(item=${item(r.PutRequest.Item)})` : 'null'}, deleteRequest=${r.DeleteRequest ? `DeleteRequest(key=${item(r.DeleteRequest.Key)})` : 'null'})`;
  return `{${Object.entries(items)
    .map(([name, list]) => `${name}=[${list.map(request).join(', ')}]`)
    .join(', ')}}`;
}

interface PlannedWrite {
  table: Table;
  key: ItemKey;
  /** the item put, or the key deleted */
  keyItem: Item;
  put?: { item: Item; size: number };
}

function planWrites(ctx: RequestContext, requested: Record<string, WriteRequest[]>): PlannedWrite[] {
  throwIfViolations(
    Object.entries(requested).flatMap(([name, list]) =>
      list.flatMap((r, i) => [
        ...(r.PutRequest
          ? requiredMembers(r.PutRequest, ['Item'], `requestItems.${name}.member.${i + 1}.member.putRequest`)
          : []),
        ...(r.DeleteRequest
          ? requiredMembers(
              r.DeleteRequest,
              ['Key'],
              `requestItems.${name}.member.${i + 1}.member.deleteRequest`,
            )
          : []),
      ]),
    ),
  );
  for (const list of Object.values(requested)) {
    for (const r of list) {
      if (r.PutRequest?.Item) checkItemValues(r.PutRequest.Item);
      if (r.DeleteRequest?.Key) checkItemValues(r.DeleteRequest.Key);
    }
  }
  const planned: PlannedWrite[] = [];
  const seen = new Set<string>();
  for (const [name, list] of Object.entries(requested)) {
    const table = requireTable(ctx, name);
    for (const r of list) {
      if (!r.PutRequest === !r.DeleteRequest) {
        throw validationError(
          'Supplied WriteRequest must contain exactly one of PutRequest or DeleteRequest',
        );
      }
      let write: PlannedWrite;
      if (r.PutRequest) {
        const item = (r.PutRequest.Item ?? {}) as Item;
        checkKeyAttributes(table, item);
        checkIndexKeys(table, item);
        const size = itemSize(item);
        if (size > MAX_ITEM_SIZE) throw validationError('Item size has exceeded the maximum allowed size');
        write = { table, key: tableKey(table, item), keyItem: item, put: { item, size } };
      } else {
        const key = r.DeleteRequest?.Key as Item;
        checkKey(table, key);
        write = { table, key: tableKey(table, key), keyItem: key };
      }
      const id = keyId(table, write.key);
      if (seen.has(id)) throw validationError('Provided list of item keys contains duplicates');
      seen.add(id);
      planned.push(write);
    }
  }
  return planned;
}

function batchWriteItem(input: BatchWriteItemInput, ctx: RequestContext): BatchWriteItemOutput {
  checkReturns(input);
  const requested = input.RequestItems;
  if (!requested || Object.keys(requested).length === 0) {
    throw validationError('The requestItems parameter is required for BatchWriteItem');
  }
  const lists = Object.values(requested);
  const total = lists.reduce((n, l) => n + l.length, 0);
  if (total > MAX_WRITES || lists.some((l) => l.length === 0)) {
    throw validationError(
      `1 validation error detected: Value '${describeWrites(requested)}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to ${MAX_WRITES}, Member must have length greater than or equal to 1]`,
    );
  }
  const byTable = new Map<Table, Units>();
  const metrics: Record<string, ItemCollectionMetrics[]> = {};
  for (const w of planWrites(ctx, requested)) {
    const old = readItem(ctx.db, w.table, w.key);
    if (w.put) storeItem(ctx, w.table, w.key, w.put, old);
    else if (old) removeItem(ctx, w.table, w.key, old);
    if (wantsCapacity(input.ReturnConsumedCapacity)) {
      addUnits(unitsOf(byTable, w.table), itemWriteUnits(w.table, old, w.put));
    }
    const m = itemCollectionMetrics(ctx.db, input.ReturnItemCollectionMetrics, w.table, w.key, w.keyItem);
    if (m) metrics[w.table.meta.name] = [...(metrics[w.table.meta.name] ?? []), m];
  }
  const capacity = [...byTable].flatMap(([table, units]) => {
    const cc = consumedCapacity(input.ReturnConsumedCapacity, table.meta.name, units);
    return cc ? [cc] : [];
  });
  return {
    UnprocessedItems: {},
    ConsumedCapacity: capacity.length > 0 ? capacity : undefined,
    ItemCollectionMetrics: input.ReturnItemCollectionMetrics === 'SIZE' ? metrics : undefined,
  };
}

export const batchHandlers = {
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
};
