/**
 * Dead-letter queues: a RedrivePolicy's target must exist, be of the source's type, live in
 * its account and region, and allow the source (its RedriveAllowPolicy). A receive that
 * would take a message past maxReceiveCount moves it to the target instead: same message
 * id, body and attributes; the enqueue time stays for standard queues and restarts for FIFO
 * ones, as AWS documents.
 */
import type {
  ListDeadLetterSourceQueuesRequest,
  ListDeadLetterSourceQueuesResult,
} from '@aws-sdk/client-sqs';
import { type Db, perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { queueArn, queueUrl } from './addressing.js';
import { type AttributeMap, parseRedriveAllowPolicy, parseRedrivePolicy } from './attributes.js';
import { invalidValue } from './errors.js';
import { addToGroup, refreshGroup } from './fifo.js';
import { longPolls } from './long-poll.js';
import type { MessageRow } from './message-store.js';
import { pageOf } from './pages.js';
import { type Queue, queueByArn, requireQueue } from './queue-lookup.js';

const statements = perDb((db) => ({
  move: db.prepare<{ seq: number; dlq: number; now: number; sentAt: number; source: string; count: number }>(
    `UPDATE sqs_messages SET queue_id = @dlq, visible_at = @now, received_at = NULL, sent_at = @sentAt,
       dlq_source_arn = @source, receive_count = @count WHERE seq = @seq`,
  ),
  sources: db.prepare<[string, string, number], { name: string; accountId: string }>(
    `SELECT name, account_id AS accountId FROM sqs_queues WHERE dlq_arn = ? AND name > ? ORDER BY name LIMIT ?+0`,
  ),
}));

export interface QueueIdentity {
  accountId: string;
  region: string;
  name: string;
  fifo: boolean;
}

/** Checks a RedrivePolicy's target against the source queue (`raw` is the value as sent). */
export function checkRedriveTarget(db: Db, source: QueueIdentity, raw: string): void {
  const policy = parseRedrivePolicy(raw);
  const bad = (reason: string) => invalidValue('RedrivePolicy', raw, reason);
  const dlq = queueByArn(db, policy.deadLetterTargetArn);
  if (!dlq || dlq.accountId !== source.accountId || dlq.region !== source.region) {
    throw bad('Dead letter target does not exist.');
  }
  if ((dlq.fifo === 1) !== source.fifo) {
    throw bad('Dead-letter queue must be same type of queue as the source.');
  }
  const allow = (JSON.parse(dlq.attributes) as AttributeMap).RedriveAllowPolicy;
  if (!allow) return;
  const { redrivePermission, sourceQueueArns } = parseRedriveAllowPolicy(allow);
  const sourceArn = queueArn(source.region, source.accountId, source.name);
  const allowed =
    redrivePermission === 'allowAll' ||
    (redrivePermission === 'byQueue' && (sourceQueueArns ?? []).includes(sourceArn));
  if (!allowed) {
    throw bad(
      `Queue ${policy.deadLetterTargetArn} does not allow this queue to use it as a dead-letter queue.`,
    );
  }
}

/** Moves messages whose receive count passed the source's maxReceiveCount to its dead-letter
 * queue. Returns false when the target is gone (the messages then stay, as AWS keeps them). */
export function moveToDeadLetterQueue(
  db: Db,
  source: Queue,
  rows: MessageRow[],
  now: number,
  clock: () => number,
): boolean {
  const dlq = source.dlqArn ? queueByArn(db, source.dlqArn) : undefined;
  if (!dlq) return false;
  const sourceArn = queueArn(source.region, source.accountId, source.name);
  const move = statements(db).move;
  for (const row of rows) {
    move.run({
      seq: row.seq,
      dlq: dlq.id,
      now,
      sentAt: dlq.fifo ? now : row.sentAt,
      source: sourceArn,
      count: source.maxReceiveCount ?? row.receiveCount,
    });
    if (source.fifo && row.groupId !== null) refreshGroup(db, source.id, row.groupId);
    if (dlq.fifo && row.groupId !== null) addToGroup(db, dlq.id, row.groupId, row.seq, now);
  }
  longPolls(db, clock).notify(dlq.id, rows.length);
  return true;
}

export function listDeadLetterSourceQueues(
  input: ListDeadLetterSourceQueuesRequest,
  ctx: RequestContext,
): ListDeadLetterSourceQueuesResult {
  const queue = requireQueue(ctx, input.QueueUrl);
  const arn = queueArn(queue.region, queue.accountId, queue.name);
  const page = pageOf(input, (after, limit) => statements(ctx.db).sources.all(arn, after, limit));
  return {
    queueUrls: page.items.map((q) => queueUrl(ctx.endpoint, q.accountId, q.name)),
    NextToken: page.nextToken,
  };
}
