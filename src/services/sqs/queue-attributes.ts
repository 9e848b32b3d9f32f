/** GetQueueAttributes and SetQueueAttributes. */
import type {
  GetQueueAttributesRequest,
  GetQueueAttributesResult,
  SetQueueAttributesRequest,
} from '@aws-sdk/client-sqs';
import { type Db, perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { queueArn } from './addressing.js';
import {
  type AttributeMap,
  applyAttributes,
  attributeColumns,
  normalizeAttributes,
  QUEUE_ATTRIBUTE_NAMES,
} from './attributes.js';
import { invalidAttributeName } from './errors.js';
import { messageCounts } from './message-store.js';
import { type Queue, requireQueue } from './queue-lookup.js';
import { checkRedriveTarget } from './redrive.js';

const statements = perDb((db) =>
  db.prepare(
    `UPDATE sqs_queues SET modified_at = @modifiedAt, visibility_timeout = @visibilityTimeout,
       delay_seconds = @delaySeconds, max_message_size = @maxMessageSize, retention = @retention,
       wait_time = @waitTime, content_dedup = @contentDedup, dedup_by_group = @dedupByGroup,
       dlq_arn = @dlqArn, max_receive_count = @maxReceiveCount, attributes = @attributes
     WHERE id = @id`,
  ),
);

/** Stores a queue's new attribute values and the columns derived from them. */
export function saveAttributes(db: Db, queue: Queue, attributes: AttributeMap, now: number): void {
  statements(db).run({
    id: queue.id,
    modifiedAt: now,
    ...attributeColumns(attributes),
    attributes: JSON.stringify(attributes),
  });
}

/** Checks requested attributes for a queue, including the redrive target; returns them normalized. */
export function checkQueueAttributes(
  db: Db,
  queue: { accountId: string; region: string; name: string; fifo: boolean },
  requested: Record<string, string> | undefined,
): AttributeMap {
  const changes = normalizeAttributes(requested, queue.fifo);
  if (changes.RedrivePolicy)
    checkRedriveTarget(db, queue, (requested as Record<string, string>).RedrivePolicy as string);
  return changes;
}

export function setQueueAttributes(input: SetQueueAttributesRequest, ctx: RequestContext): void {
  const queue = requireQueue(ctx, input.QueueUrl);
  const identity = {
    accountId: queue.accountId,
    region: queue.region,
    name: queue.name,
    fifo: queue.fifo === 1,
  };
  const changes = checkQueueAttributes(ctx.db, identity, input.Attributes);
  if (Object.keys(changes).length === 0) return;
  const current = JSON.parse(queue.attributes) as AttributeMap;
  saveAttributes(ctx.db, queue, applyAttributes(current, changes), ctx.now());
}

function wantedNames(names: string[] | undefined): Set<string> | 'all' {
  const wanted = new Set<string>();
  for (const name of names ?? []) {
    if (name === 'All') return 'all';
    if (!QUEUE_ATTRIBUTE_NAMES.has(name)) throw invalidAttributeName(`Unknown Attribute ${name}.`);
    wanted.add(name);
  }
  return wanted;
}

export function getQueueAttributes(
  input: GetQueueAttributesRequest,
  ctx: RequestContext,
): GetQueueAttributesResult {
  const queue = requireQueue(ctx, input.QueueUrl);
  const wanted = wantedNames(input.AttributeNames);
  if (wanted !== 'all' && wanted.size === 0) return {};
  const has = (name: string) => wanted === 'all' || wanted.has(name);
  const all: AttributeMap = {};
  if (has('QueueArn')) all.QueueArn = queueArn(queue.region, queue.accountId, queue.name);
  if (
    has('ApproximateNumberOfMessages') ||
    has('ApproximateNumberOfMessagesNotVisible') ||
    has('ApproximateNumberOfMessagesDelayed')
  ) {
    const counts = messageCounts(ctx.db, queue.id, ctx.now());
    all.ApproximateNumberOfMessages = String(counts.visible);
    all.ApproximateNumberOfMessagesNotVisible = String(counts.hidden);
    all.ApproximateNumberOfMessagesDelayed = String(counts.delayed);
  }
  all.CreatedTimestamp = String(Math.floor(queue.createdAt / 1000));
  all.LastModifiedTimestamp = String(Math.floor(queue.modifiedAt / 1000));
  Object.assign(all, JSON.parse(queue.attributes) as AttributeMap);
  const Attributes: AttributeMap = {};
  for (const [name, value] of Object.entries(all)) if (has(name)) Attributes[name] = value;
  return Object.keys(Attributes).length ? { Attributes } : {};
}
