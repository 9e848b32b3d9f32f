/**
 * FIFO ReceiveRequestAttemptId: a retried receive within five minutes gets the same
 * messages with the same receipt handles, and their visibility timeout starts again, as
 * long as none of them was deleted, received again or made visible since.
 */
import type { Message } from '@aws-sdk/client-sqs';
import { type Db, perDb } from '../../storage/database.js';
import { DEDUP_INTERVAL_MS } from './fifo.js';
import { type MessageRow, messageBySeq, setVisibleAt } from './message-store.js';
import type { Queue } from './queue-lookup.js';
import { type ReceiveOptions, toMessage } from './received-message.js';

type Receipts = [seq: number, receives: number, handle: string][];

const statements = perDb((db) => ({
  find: db.prepare<[number, string, number], { receipts: string }>(
    'SELECT receipts FROM sqs_receive_attempts WHERE queue_id = ? AND attempt_id = ? AND expires_at > ?',
  ),
  remember: db.prepare<[number, string, number, string]>(
    'INSERT OR REPLACE INTO sqs_receive_attempts (queue_id, attempt_id, expires_at, receipts) VALUES (?, ?, ?, ?)',
  ),
  expire: db.prepare<[number]>('DELETE FROM sqs_receive_attempts WHERE expires_at <= ?'),
}));

/** The messages an earlier attempt with this id returned, if they are still as it left them. */
export function findAttempt(
  db: Db,
  queue: Queue,
  attemptId: string,
  now: number,
  request: ReceiveOptions & { visibilityTimeout: number },
): Message[] | undefined {
  const found = statements(db).find.get(queue.id, attemptId, now);
  if (!found) return undefined;
  const receipts = JSON.parse(found.receipts) as Receipts;
  const rows: MessageRow[] = [];
  for (const [seq, receives] of receipts) {
    const row = messageBySeq(db, seq);
    if (!row || row.queueId !== queue.id || row.receiveCount !== receives || row.visibleAt <= now)
      return undefined;
    rows.push(row);
  }
  const until = now + request.visibilityTimeout * 1000;
  for (const row of rows) setVisibleAt(db, queue, row, until);
  return rows.map((row, i) => toMessage(row, (receipts[i] as Receipts[number])[2], true, request));
}

export function rememberAttempt(
  db: Db,
  queueId: number,
  attemptId: string,
  rows: MessageRow[],
  messages: Message[],
  now: number,
): void {
  const receipts: Receipts = rows.map((row, i) => [
    row.seq,
    row.receiveCount,
    messages[i]?.ReceiptHandle as string,
  ]);
  statements(db).remember.run(queueId, attemptId, now + DEDUP_INTERVAL_MS, JSON.stringify(receipts));
}

export function expireAttempts(db: Db, now: number): void {
  statements(db).expire.run(now);
}
