/** What Query and Scan answer once they have their rows: one page, shaped and counted. */
import type { ReturnConsumedCapacity, Select } from '@aws-sdk/client-dynamodb';
import { consumedCapacity, noUnits, readUnits } from './capacity.js';
import type { IndexDef, Table } from './catalog.js';
import type { Item } from './item-json.js';
import { readPage } from './pages.js';
import { indexShape, keyNames } from './read-options.js';
import type { Row } from './read-plans.js';

export interface PageRequest {
  table: Table;
  index: IndexDef | undefined;
  input: {
    Select?: Select | string;
    Limit?: number;
    ConsistentRead?: boolean;
    ReturnConsumedCapacity?: ReturnConsumedCapacity | string;
  };
  filter?: (item: Item) => boolean;
  project?: (item: Item) => Item;
  countOnly: boolean;
}

export function answerPage(rows: Iterable<Row>, req: PageRequest) {
  const { table, index, input, project } = req;
  const shape = indexShape(table, index, input.Select, project !== undefined);
  const page = readPage(rows, {
    limit: input.Limit,
    filter: req.filter,
    shape: shape && project ? (item) => project(shape(item)) : (shape ?? project),
    countOnly: req.countOnly,
    keyNames: keyNames(table, index),
  });
  const units = noUnits();
  const read = readUnits(page.bytes, input.ConsistentRead);
  if (index) units.indexes.set(index, read);
  else units.table = read;
  return {
    Items: req.countOnly ? undefined : page.items,
    Count: page.count,
    ScannedCount: page.scanned,
    LastEvaluatedKey: page.lastEvaluatedKey,
    ConsumedCapacity: consumedCapacity(
      input.ReturnConsumedCapacity as ReturnConsumedCapacity,
      table.meta.name,
      units,
    ),
  };
}
