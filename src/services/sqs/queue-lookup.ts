/** Finding a queue from what a request names: its URL, its ARN, or its name in an account. */
import { type Db, perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { parseQueueArn, parseQueueUrl } from './addressing.js';
import { missingParameter, queueDoesNotExist } from './errors.js';

/** A row of sqs_queues. Flags are SQLite integers (0 or 1). */
export interface Queue {
  id: number;
  accountId: string;
  region: string;
  name: string;
  fifo: number;
  createdAt: number;
  modifiedAt: number;
  visibilityTimeout: number;
  delaySeconds: number;
  maxMessageSize: number;
  /** seconds */
  retention: number;
  waitTime: number;
  contentDedup: number;
  dedupByGroup: number;
  dlqArn: string | null;
  maxReceiveCount: number | null;
  /** JSON: every settable attribute's current value, as GetQueueAttributes reports it */
  attributes: string;
  /** JSON map */
  tags: string;
  purgedAt: number | null;
}

export const QUEUE_COLUMNS = `id, account_id AS accountId, region, name, fifo, created_at AS createdAt,
  modified_at AS modifiedAt, visibility_timeout AS visibilityTimeout, delay_seconds AS delaySeconds,
  max_message_size AS maxMessageSize, retention, wait_time AS waitTime, content_dedup AS contentDedup,
  dedup_by_group AS dedupByGroup, dlq_arn AS dlqArn, max_receive_count AS maxReceiveCount, attributes,
  tags, purged_at AS purgedAt`;

const statements = perDb((db) => ({
  byName: db.prepare<[string, string, string], Queue>(
    `SELECT ${QUEUE_COLUMNS} FROM sqs_queues WHERE account_id = ? AND region = ? AND name = ?`,
  ),
  byId: db.prepare<[number], Queue>(`SELECT ${QUEUE_COLUMNS} FROM sqs_queues WHERE id = ?`),
}));

export function findQueue(db: Db, accountId: string, region: string, name: string): Queue | undefined {
  return statements(db).byName.get(accountId, region, name);
}

export function queueById(db: Db, id: number): Queue | undefined {
  return statements(db).byId.get(id);
}

export function queueByArn(db: Db, arn: string): Queue | undefined {
  const parts = parseQueueArn(arn);
  return parts && findQueue(db, parts.accountId, parts.region, parts.name);
}

/** The queue a request's QueueUrl names, in the request's region. */
export function requireQueue(ctx: RequestContext, url: string | undefined): Queue {
  if (url === undefined || url === '') throw missingParameter('QueueUrl');
  const address = parseQueueUrl(url, ctx.accountId);
  const queue = address && findQueue(ctx.db, address.accountId, ctx.region, address.name);
  if (!queue) throw queueDoesNotExist();
  return queue;
}
