/**
 * ReceiveMessage. A standard queue claims up to N visible, unexpired messages in one
 * statement that range-scans (queue, visible_at): the cost grows with N, not with the queue.
 * A FIFO queue takes deliverable groups from sqs_groups, as many messages of each group as
 * it may, oldest first. Claiming sets visible_at to now + visibility timeout, which makes the
 * message in flight; a message received more than maxReceiveCount times goes to the
 * dead-letter queue instead. With WaitTimeSeconds the receive waits (long-poll.ts) and
 * tries again when woken.
 */
import type { Message, ReceiveMessageRequest, ReceiveMessageResult } from '@aws-sdk/client-sqs';
import { type Db, perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { invalidValue } from './errors.js';
import { nextGroupReadyAt, readyGroups, refreshGroup } from './fifo.js';
import { longPolls } from './long-poll.js';
import { MESSAGE_COLUMNS, type MessageRow, nextVisibleAt, removeMessage } from './message-store.js';
import { type Queue, queueById, requireQueue } from './queue-lookup.js';
import { encodeReceiptHandle } from './receipt-handle.js';
import { findAttempt, rememberAttempt } from './receive-attempts.js';
import { type ReceiveOptions, toMessage } from './received-message.js';
import { moveToDeadLetterQueue } from './redrive.js';

const MAX_VISIBILITY = 43_200;
const FIFO_ID = /^[\x21-\x7E]{1,128}$/;

const CLAIM = `SET visible_at = @until, received_at = @now, receive_count = receive_count + 1,
  first_received_at = coalesce(first_received_at, @now)`;

interface ClaimParams {
  queueId: number;
  now: number;
  until: number;
  expiredBefore: number;
  limit: number;
}

const statements = perDb((db) => ({
  // +sent_at keeps the planner on the (queue, visible_at) index, which also gives the order
  claimVisible: db.prepare<ClaimParams, MessageRow>(
    `UPDATE sqs_messages ${CLAIM} WHERE seq IN (
       SELECT seq FROM sqs_messages WHERE queue_id = @queueId AND visible_at <= @now AND +sent_at > @expiredBefore
       ORDER BY visible_at LIMIT @limit)
     RETURNING ${MESSAGE_COLUMNS}`,
  ),
  claimOne: db.prepare<{ seq: number; now: number; until: number }, MessageRow>(
    `UPDATE sqs_messages ${CLAIM} WHERE seq = @seq RETURNING ${MESSAGE_COLUMNS}`,
  ),
  groupMessages: db.prepare<[number, string, number, number], MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM sqs_messages WHERE queue_id = ? AND group_id = ? AND seq >= ?
     ORDER BY seq LIMIT ?+0`,
  ),
}));

interface Request extends ReceiveOptions {
  max: number;
  visibilityTimeout: number;
  wait: number;
  attemptId?: string;
}

function checkRequest(input: ReceiveMessageRequest, queue: Queue): Request {
  const max = input.MaxNumberOfMessages ?? 1;
  if (!Number.isInteger(max) || max < 1 || max > 10) {
    throw invalidValue('MaxNumberOfMessages', max, 'Must be between 1 and 10, if provided.');
  }
  const visibilityTimeout = input.VisibilityTimeout ?? queue.visibilityTimeout;
  if (!Number.isInteger(visibilityTimeout) || visibilityTimeout < 0 || visibilityTimeout > MAX_VISIBILITY) {
    throw invalidValue(
      'VisibilityTimeout',
      visibilityTimeout,
      `Must be >= 0 and <= ${MAX_VISIBILITY}, if provided.`,
    );
  }
  const wait = input.WaitTimeSeconds ?? queue.waitTime;
  if (!Number.isInteger(wait) || wait < 0 || wait > 20) {
    throw invalidValue('WaitTimeSeconds', wait, 'Must be >= 0 and <= 20, if provided.');
  }
  const attemptId = queue.fifo ? input.ReceiveRequestAttemptId : undefined;
  if (attemptId !== undefined && !FIFO_ID.test(attemptId)) {
    throw invalidValue(
      'ReceiveRequestAttemptId',
      attemptId,
      'ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
    );
  }
  return {
    max,
    visibilityTimeout,
    wait,
    attemptId,
    systemAttributeNames: [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])],
    messageAttributeNames: input.MessageAttributeNames ?? [],
  };
}

/** What one receive attempt works with. */
interface Claim {
  db: Db;
  queue: Queue;
  request: Request;
  now: number;
  /** the server clock, for the long polls a dead-letter move wakes */
  clock: () => number;
}

/** Claims up to `max` messages of a standard queue; those past maxReceiveCount go to the DLQ. */
function claimStandard({ db, queue, request, now, clock }: Claim): MessageRow[] {
  const rows = statements(db).claimVisible.all({
    queueId: queue.id,
    now,
    until: now + request.visibilityTimeout * 1000,
    expiredBefore: now - queue.retention * 1000,
    limit: request.max,
  });
  const limit = queue.maxReceiveCount;
  if (limit === null || rows.every((r) => r.receiveCount <= limit)) return rows;
  const dead = rows.filter((r) => r.receiveCount > limit);
  if (!moveToDeadLetterQueue(db, queue, dead, now, clock)) return rows;
  return rows.filter((r) => r.receiveCount <= limit);
}

/** Claims the next messages of one FIFO group, oldest first, stopping at one still hidden. */
function claimGroup(c: Claim, group: { groupId: string; headSeq: number }, room: number): MessageRow[] {
  const { db, queue, now } = c;
  const s = statements(db);
  const claimed: MessageRow[] = [];
  const expiredBefore = now - queue.retention * 1000;
  const until = now + c.request.visibilityTimeout * 1000;
  for (const row of s.groupMessages.all(queue.id, group.groupId, group.headSeq, room)) {
    if (row.sentAt <= expiredBefore) {
      removeMessage(db, queue, row);
      continue;
    }
    if (row.visibleAt > now) break;
    const receives = row.receiveCount + 1;
    const dead = queue.maxReceiveCount !== null && receives > queue.maxReceiveCount;
    if (dead && moveToDeadLetterQueue(db, queue, [{ ...row, receiveCount: receives }], now, c.clock))
      continue;
    claimed.push(s.claimOne.get({ seq: row.seq, now, until }) as MessageRow);
  }
  refreshGroup(db, queue.id, group.groupId);
  return claimed;
}

/** Claims up to `max` messages of a FIFO queue, filling from one group before the next. */
function claimFifo(c: Claim): MessageRow[] {
  const claimed: MessageRow[] = [];
  // a group whose visible messages had all expired yields nothing; look again, a bounded number of times
  for (let round = 0; round < 3 && claimed.length < c.request.max; round++) {
    const wanted = c.request.max - claimed.length;
    const groups = readyGroups(c.db, c.queue.id, c.now, wanted);
    for (const group of groups) {
      claimed.push(...claimGroup(c, group, c.request.max - claimed.length));
      if (claimed.length >= c.request.max) break;
    }
    if (groups.length < wanted) break;
  }
  return claimed;
}

function toMessages(queue: Queue, rows: MessageRow[], request: Request): Message[] {
  return rows.map((row) =>
    toMessage(
      row,
      encodeReceiptHandle({ queueId: queue.id, seq: row.seq, receives: row.receiveCount }),
      queue.fifo === 1,
      request,
    ),
  );
}

/** One attempt to receive, in one transaction. */
const receiveNow = perDb((db) =>
  db.transaction((ctx: RequestContext, queue: Queue, request: Request): Message[] => {
    const now = ctx.now();
    if (request.attemptId !== undefined) {
      const repeated = findAttempt(db, queue, request.attemptId, now, request);
      if (repeated) return repeated;
    }
    const claim: Claim = { db, queue, request, now, clock: ctx.now };
    const rows = queue.fifo ? claimFifo(claim) : claimStandard(claim);
    const messages = toMessages(queue, rows, request);
    if (request.attemptId !== undefined && messages.length > 0) {
      rememberAttempt(db, queue.id, request.attemptId, rows, messages, now);
    }
    return messages;
  }),
);

/** When the queue next has something to receive, for a waiting receiver's wake-up. */
function nextReadyAt(db: Db, queue: Queue, now: number): number | undefined {
  return queue.fifo ? nextGroupReadyAt(db, queue.id, now) : nextVisibleAt(db, queue.id, now);
}

export async function receiveMessage(
  input: ReceiveMessageRequest,
  ctx: RequestContext,
): Promise<ReceiveMessageResult> {
  let queue = requireQueue(ctx, input.QueueUrl);
  const request = checkRequest(input, queue);
  const deadline = ctx.now() + request.wait * 1000;
  const polls = longPolls(ctx.db, ctx.now);
  for (;;) {
    const messages = receiveNow(ctx.db)(ctx, queue, request);
    if (messages.length > 0) return { Messages: messages };
    const now = ctx.now();
    if (now >= deadline) return {};
    const reason = await polls.wait(queue.id, deadline, nextReadyAt(ctx.db, queue, now));
    const current = reason === 'ended' ? undefined : queueById(ctx.db, queue.id);
    if (!current) return {};
    queue = current;
  }
}
