/**
 * FIFO bookkeeping. A group is deliverable when its oldest message is visible: while that
 * message is in flight (or delayed) the whole group waits, which is FIFO's rule. sqs_groups
 * keeps, per group with messages, its oldest message and when that becomes visible, indexed
 * by that time, so a receive finds deliverable groups without scanning any. Deduplication
 * ids are remembered for five minutes, per queue or per group (DeduplicationScope).
 */
import { type Db, perDb } from '../../storage/database.js';

export const DEDUP_INTERVAL_MS = 5 * 60 * 1000;

const statements = perDb((db) => ({
  add: db.prepare<[number, string, number, number]>(
    `INSERT INTO sqs_groups (queue_id, group_id, head_seq, ready_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (queue_id, group_id) DO UPDATE SET head_seq = excluded.head_seq, ready_at = excluded.ready_at
     WHERE excluded.head_seq < sqs_groups.head_seq`,
  ),
  head: db.prepare<[number, string], { seq: number; visibleAt: number }>(
    `SELECT seq, visible_at AS visibleAt FROM sqs_messages WHERE queue_id = ? AND group_id = ?
     ORDER BY seq LIMIT 1`,
  ),
  setHead: db.prepare<[number, number, number, string]>(
    'UPDATE sqs_groups SET head_seq = ?, ready_at = ? WHERE queue_id = ? AND group_id = ?',
  ),
  drop: db.prepare<[number, string]>('DELETE FROM sqs_groups WHERE queue_id = ? AND group_id = ?'),
  ready: db.prepare<[number, number, number], { groupId: string; headSeq: number }>(
    `SELECT group_id AS groupId, head_seq AS headSeq FROM sqs_groups
     WHERE queue_id = ? AND ready_at <= ? ORDER BY ready_at LIMIT ?+0`,
  ),
  nextReady: db.prepare<[number, number], { at: number | null }>(
    'SELECT min(ready_at) AS at FROM sqs_groups WHERE queue_id = ? AND ready_at > ?',
  ),
  dropQueue: db.prepare<[number]>('DELETE FROM sqs_groups WHERE queue_id = ?'),
  findDedup: db.prepare<[number, string, string, number], { messageId: string; seq: number }>(
    `SELECT message_id AS messageId, seq FROM sqs_dedup
     WHERE queue_id = ? AND scope = ? AND dedup_id = ? AND expires_at > ?`,
  ),
  remember: db.prepare<[number, string, string, string, number, number]>(
    'INSERT OR REPLACE INTO sqs_dedup (queue_id, scope, dedup_id, message_id, seq, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
  ),
  dropDedup: db.prepare<[number]>('DELETE FROM sqs_dedup WHERE queue_id = ?'),
  expireDedup: db.prepare<[number]>('DELETE FROM sqs_dedup WHERE expires_at <= ?'),
}));

/** A message joined its group: it heads the group if the group was empty or it is older. */
export function addToGroup(db: Db, queueId: number, groupId: string, seq: number, visibleAt: number): void {
  statements(db).add.run(queueId, groupId, seq, visibleAt);
}

/** Re-reads a group's oldest message after it was deleted, moved or had its visibility changed. */
export function refreshGroup(db: Db, queueId: number, groupId: string): void {
  const s = statements(db);
  const head = s.head.get(queueId, groupId);
  if (head) s.setHead.run(head.seq, head.visibleAt, queueId, groupId);
  else s.drop.run(queueId, groupId);
}

/** Groups whose oldest message is visible, the longest-ready first. */
export function readyGroups(db: Db, queueId: number, now: number, limit: number) {
  return statements(db).ready.all(queueId, now, limit);
}

/** When the next waiting group becomes deliverable, if one waits. */
export function nextGroupReadyAt(db: Db, queueId: number, now: number): number | undefined {
  return statements(db).nextReady.get(queueId, now)?.at ?? undefined;
}

export function dropQueueGroups(db: Db, queueId: number): void {
  statements(db).dropQueue.run(queueId);
  statements(db).dropDedup.run(queueId);
}

/** The message an earlier send with this deduplication id made, within the interval. */
export function findDuplicate(db: Db, queueId: number, scope: string, dedupId: string, now: number) {
  return statements(db).findDedup.get(queueId, scope, dedupId, now);
}

export function rememberDedup(
  db: Db,
  queueId: number,
  scope: string,
  dedupId: string,
  sent: { messageId: string; seq: number },
  now: number,
): void {
  statements(db).remember.run(queueId, scope, dedupId, sent.messageId, sent.seq, now + DEDUP_INTERVAL_MS);
}

export function expireDedup(db: Db, now: number): void {
  statements(db).expireDedup.run(now);
}

/** FIFO SequenceNumber: large, increasing, not consecutive across a queue (AWS's are 20 digits). */
export function sequenceNumber(seq: number): string {
  return `1${String(seq).padStart(19, '0')}`;
}
