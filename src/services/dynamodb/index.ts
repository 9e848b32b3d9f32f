/** DynamoDB: tables, items, queries, scans, batches, transactions and TTL, on SQLite. */
import type { ServiceDefinition } from '../types.js';
import { accountHandlers } from './account.js';
import { batchHandlers } from './batch.js';
import { readingIntegers } from './integers.js';
import { itemHandlers } from './items.js';
import { partiqlHandlers } from './partiql.js';
import { queryHandlers } from './query.js';
import { scanHandlers } from './scan.js';
import { DYNAMODB_MIGRATIONS } from './store.js';
import { tableUpdateHandlers } from './table-updates.js';
import { tableHandlers } from './tables.js';
import { tagHandlers } from './tags.js';
import { transactionHandlers } from './transactions.js';
import { startTtlSweep, ttlHandlers } from './ttl.js';

export const dynamodb: ServiceDefinition = {
  id: 'dynamodb',
  migrations: DYNAMODB_MIGRATIONS,
  handlers: readingIntegers({
    ...tableHandlers,
    ...itemHandlers,
    ...queryHandlers,
    ...scanHandlers,
    ...batchHandlers,
    ...transactionHandlers,
    ...partiqlHandlers,
    ...tableUpdateHandlers,
    ...tagHandlers,
    ...accountHandlers,
    ...ttlHandlers,
  }),
  // handlers run synchronously on the one connection, so a read sees no other write mid-way
  readOnly: new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']),
  start: startTtlSweep,
};
