/** CreateQueue, GetQueueUrl, ListQueues, DeleteQueue and PurgeQueue. */
import type {
  CreateQueueRequest,
  CreateQueueResult,
  DeleteQueueRequest,
  GetQueueUrlRequest,
  GetQueueUrlResult,
  ListQueuesRequest,
  ListQueuesResult,
  PurgeQueueRequest,
} from '@aws-sdk/client-sqs';
import { AwsError } from '../../errors.js';
import { type Db, perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { queueUrl } from './addressing.js';
import { type AttributeMap, applyAttributes, attributeColumns, defaultAttributes } from './attributes.js';
import { invalidParameterValue, missingParameter, queueDoesNotExist } from './errors.js';
import { dropQueueGroups } from './fifo.js';
import { longPolls } from './long-poll.js';
import { deleteQueueMessages } from './message-store.js';
import { pageOf } from './pages.js';
import { checkQueueAttributes } from './queue-attributes.js';
import { findQueue, type Queue, requireQueue } from './queue-lookup.js';
import { checkTags } from './tags.js';

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_SUFFIX = '.fifo';
const PURGE_INTERVAL_MS = 60_000;
/** above every character a queue name may hold, so `prefix + this` bounds a prefix range */
const AFTER_NAME_CHARACTERS = '\u007f';

const statements = perDb((db) => ({
  insert: db.prepare(
    `INSERT INTO sqs_queues (account_id, region, name, fifo, created_at, modified_at, visibility_timeout,
       delay_seconds, max_message_size, retention, wait_time, content_dedup, dedup_by_group, dlq_arn,
       max_receive_count, attributes, tags)
     VALUES (@accountId, @region, @name, @fifo, @now, @now, @visibilityTimeout, @delaySeconds, @maxMessageSize,
       @retention, @waitTime, @contentDedup, @dedupByGroup, @dlqArn, @maxReceiveCount, @attributes, @tags)`,
  ),
  list: db.prepare<[string, string, string, string, string, number], { name: string }>(
    `SELECT name FROM sqs_queues WHERE account_id = ? AND region = ? AND name >= ? AND name < ? AND name > ?
     ORDER BY name LIMIT ?+0`,
  ),
  delete: db.prepare<[number]>('DELETE FROM sqs_queues WHERE id = ?'),
  deleteAttempts: db.prepare<[number]>('DELETE FROM sqs_receive_attempts WHERE queue_id = ?'),
  deleteTasks: db.prepare<[number]>('DELETE FROM sqs_move_tasks WHERE source_queue_id = ?'),
  purged: db.prepare<[number, number]>('UPDATE sqs_queues SET purged_at = ? WHERE id = ?'),
}));

function checkQueueName(name: string, fifo: boolean): void {
  if (fifo) {
    const base = name.endsWith(FIFO_SUFFIX) ? name.slice(0, -FIFO_SUFFIX.length) : '';
    if (!QUEUE_NAME.test(base) || name.length > 80) {
      throw invalidParameterValue(
        'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
      );
    }
  } else if (!QUEUE_NAME.test(name)) {
    throw invalidParameterValue(
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
  }
}

/** An existing queue may be "created" again with the attribute values it has. */
function checkSameAttributes(existing: Queue, requested: AttributeMap): void {
  const current = JSON.parse(existing.attributes) as AttributeMap;
  for (const [name, value] of Object.entries(requested)) {
    if ((current[name] ?? '') !== value) {
      throw new AwsError(
        'QueueNameExists',
        `A queue already exists with the same name and a different value for attribute ${name}`,
        400,
      );
    }
  }
}

export function createQueue(input: CreateQueueRequest, ctx: RequestContext): CreateQueueResult {
  const name = input.QueueName;
  if (!name) throw missingParameter('QueueName');
  const fifo = input.Attributes?.FifoQueue?.toLowerCase() === 'true';
  checkQueueName(name, fifo);
  const identity = { accountId: ctx.accountId, region: ctx.region, name, fifo };
  const requested = checkQueueAttributes(ctx.db, identity, input.Attributes);
  const existing = findQueue(ctx.db, ctx.accountId, ctx.region, name);
  if (existing) {
    checkSameAttributes(existing, requested);
    return { QueueUrl: queueUrl(ctx.endpoint, ctx.accountId, name) };
  }
  const tags = checkTags(input.tags, {}, name);
  const attributes = applyAttributes(defaultAttributes(fifo), requested);
  statements(ctx.db).insert.run({
    accountId: ctx.accountId,
    region: ctx.region,
    name,
    fifo: fifo ? 1 : 0,
    now: ctx.now(),
    ...attributeColumns(attributes),
    attributes: JSON.stringify(attributes),
    tags: JSON.stringify(tags),
  });
  return { QueueUrl: queueUrl(ctx.endpoint, ctx.accountId, name) };
}

export function getQueueUrl(input: GetQueueUrlRequest, ctx: RequestContext): GetQueueUrlResult {
  if (!input.QueueName) throw missingParameter('QueueName');
  const owner = input.QueueOwnerAWSAccountId || ctx.accountId;
  const queue = findQueue(ctx.db, owner, ctx.region, input.QueueName);
  if (!queue) throw queueDoesNotExist();
  return { QueueUrl: queueUrl(ctx.endpoint, owner, queue.name) };
}

export function listQueues(input: ListQueuesRequest, ctx: RequestContext): ListQueuesResult {
  const prefix = input.QueueNamePrefix ?? '';
  const page = pageOf(input, (after, limit) =>
    statements(ctx.db).list.all(
      ctx.accountId,
      ctx.region,
      prefix,
      prefix + AFTER_NAME_CHARACTERS,
      after,
      limit,
    ),
  );
  if (page.items.length === 0) return {};
  return {
    QueueUrls: page.items.map((q) => queueUrl(ctx.endpoint, ctx.accountId, q.name)),
    NextToken: page.nextToken,
  };
}

/** Drops every message of a queue and what depends on them. */
function dropMessages(db: Db, queueId: number): void {
  deleteQueueMessages(db, queueId);
  dropQueueGroups(db, queueId);
  statements(db).deleteAttempts.run(queueId);
}

export function deleteQueue(input: DeleteQueueRequest, ctx: RequestContext): void {
  const queue = requireQueue(ctx, input.QueueUrl);
  dropMessages(ctx.db, queue.id);
  statements(ctx.db).deleteTasks.run(queue.id);
  statements(ctx.db).delete.run(queue.id);
  longPolls(ctx.db, ctx.now).end(queue.id);
}

export function purgeQueue(input: PurgeQueueRequest, ctx: RequestContext): void {
  const queue = requireQueue(ctx, input.QueueUrl);
  const now = ctx.now();
  if (queue.purgedAt !== null && now - queue.purgedAt < PURGE_INTERVAL_MS) {
    throw new AwsError(
      'PurgeQueueInProgress',
      `Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`,
      403,
    );
  }
  dropMessages(ctx.db, queue.id);
  statements(ctx.db).purged.run(now, queue.id);
  longPolls(ctx.db, ctx.now).end(queue.id);
}
