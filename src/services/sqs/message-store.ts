/** Message rows: inserting, finding and removing them, keeping FIFO group heads right. */
import { type Db, perDb } from '../../storage/database.js';
import { refreshGroup } from './fifo.js';
import type { Queue } from './queue-lookup.js';

export interface MessageRow {
  seq: number;
  queueId: number;
  messageId: string;
  body: string;
  md5Body: string;
  /** JSON of StoredAttributes, or null */
  attributes: string | null;
  md5Attributes: string | null;
  traceHeader: string | null;
  senderId: string;
  sentAt: number;
  visibleAt: number;
  /** the last receive in this queue; null while never received here */
  receivedAt: number | null;
  firstReceivedAt: number | null;
  receiveCount: number;
  groupId: string | null;
  dedupId: string | null;
  dlqSourceArn: string | null;
}

export interface MessageCounts {
  visible: number;
  hidden: number;
  delayed: number;
}

export type NewMessage = Omit<MessageRow, 'seq' | 'receivedAt' | 'firstReceivedAt' | 'receiveCount'>;

export const MESSAGE_COLUMNS = `seq, queue_id AS queueId, message_id AS messageId, body, md5_body AS md5Body,
  attributes, md5_attributes AS md5Attributes, trace_header AS traceHeader, sender_id AS senderId,
  sent_at AS sentAt, visible_at AS visibleAt, received_at AS receivedAt,
  first_received_at AS firstReceivedAt, receive_count AS receiveCount, group_id AS groupId,
  dedup_id AS dedupId, dlq_source_arn AS dlqSourceArn`;

const statements = perDb((db) => ({
  insert: db.prepare<NewMessage>(
    `INSERT INTO sqs_messages (queue_id, message_id, body, md5_body, attributes, md5_attributes, trace_header,
       sender_id, sent_at, visible_at, group_id, dedup_id, dlq_source_arn)
     VALUES (@queueId, @messageId, @body, @md5Body, @attributes, @md5Attributes, @traceHeader, @senderId,
       @sentAt, @visibleAt, @groupId, @dedupId, @dlqSourceArn)`,
  ),
  bySeq: db.prepare<[number], MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM sqs_messages WHERE seq = ?`),
  delete: db.prepare<[number]>('DELETE FROM sqs_messages WHERE seq = ?'),
  setVisibleAt: db.prepare<[number, number]>('UPDATE sqs_messages SET visible_at = ? WHERE seq = ?'),
  deleteQueue: db.prepare<[number]>('DELETE FROM sqs_messages WHERE queue_id = ?'),
  counts: db.prepare<{ queueId: number; now: number }, MessageCounts>(
    `SELECT
       (SELECT count(*) FROM sqs_messages WHERE queue_id = @queueId AND visible_at <= @now) AS visible,
       (SELECT count(*) FROM sqs_messages WHERE queue_id = @queueId AND visible_at > @now
          AND received_at IS NOT NULL) AS hidden,
       (SELECT count(*) FROM sqs_messages WHERE queue_id = @queueId AND visible_at > @now
          AND received_at IS NULL) AS delayed`,
  ),
  nextVisible: db.prepare<[number, number], { at: number | null }>(
    'SELECT min(visible_at) AS at FROM sqs_messages WHERE queue_id = ? AND visible_at > ?',
  ),
}));

/** Inserts a message; returns its seq. */
export function insertMessage(db: Db, message: NewMessage): number {
  return Number(statements(db).insert.run(message).lastInsertRowid);
}

export function messageBySeq(db: Db, seq: number): MessageRow | undefined {
  return statements(db).bySeq.get(seq);
}

/** Deletes one message of a queue; a FIFO queue's group then may move on to its next one. */
export function removeMessage(db: Db, queue: Queue, message: Pick<MessageRow, 'seq' | 'groupId'>): void {
  statements(db).delete.run(message.seq);
  if (queue.fifo && message.groupId !== null) refreshGroup(db, queue.id, message.groupId);
}

export function setVisibleAt(db: Db, queue: Queue, message: MessageRow, visibleAt: number): void {
  statements(db).setVisibleAt.run(visibleAt, message.seq);
  if (queue.fifo && message.groupId !== null) refreshGroup(db, queue.id, message.groupId);
}

export function deleteQueueMessages(db: Db, queueId: number): void {
  statements(db).deleteQueue.run(queueId);
}

/** ApproximateNumberOfMessages, ...NotVisible and ...Delayed. */
export function messageCounts(db: Db, queueId: number, now: number): MessageCounts {
  return statements(db).counts.get({ queueId, now }) as MessageCounts;
}

/** When the queue's next hidden message becomes visible (server clock), if any is hidden. */
export function nextVisibleAt(db: Db, queueId: number, now: number): number | undefined {
  return statements(db).nextVisible.get(queueId, now)?.at ?? undefined;
}
