/**
 * Stream records: written by the item write path in the write's own transaction, read by
 * GetRecords, trimmed after 24 hours. A write that leaves the item as it was writes no record
 * (the DynamoDB developer guide: a PutItem or UpdateItem that changes no data writes none).
 * Records are trimmed by their age on the server clock when read; the sweep here only frees
 * their rows. Sequence numbers and times only grow, so the trimmed records of a stream are
 * always its first ones.
 */
import { createHash } from 'node:crypto';
import type { _Record, StreamViewType } from '@aws-sdk/client-dynamodb-streams';
import type { Db } from '../../storage/database.js';
import type { ServiceEnvironment } from '../types.js';
import { startPeriodic } from './background.js';
import type { Table } from './catalog.js';
import { valuesEqual } from './expressions/index.js';
import { decodeItem, encodeItem, type Item } from './item-json.js';
import type { StoredItem, WriteContext } from './item-rows.js';
import { itemSize } from './item-size.js';
import { statement } from './store.js';
import { formatSequence, RETENTION_MS, type StreamRow } from './streams.js';
import { keyOf } from './validation.js';

export interface RecordRow {
  seq: number;
  created_at: number;
  event_name: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys: string;
  new_image: string | null;
  old_image: string | null;
  size_bytes: number;
  by_ttl: number;
}

const NEXT_SEQ = 'UPDATE dynamodb_streams SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq';
const INSERT_RECORD =
  'INSERT INTO dynamodb_stream_records (stream_id, seq, created_at, event_name, keys, new_image, old_image, size_bytes, by_ttl) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
const FROM_SEQ =
  'SELECT seq, created_at, event_name, keys, new_image, old_image, size_bytes, by_ttl FROM dynamodb_stream_records WHERE stream_id = ? AND seq >= ? ORDER BY seq LIMIT ?+0';
const AGES_FROM =
  'SELECT seq, created_at FROM dynamodb_stream_records WHERE stream_id = ? AND seq > ? ORDER BY seq';

const NEW_IMAGES: ReadonlySet<string> = new Set(['NEW_IMAGE', 'NEW_AND_OLD_IMAGES']);
const OLD_IMAGES: ReadonlySet<string> = new Set(['OLD_IMAGE', 'NEW_AND_OLD_IMAGES']);
const TTL_IDENTITY = { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' };
const SWEEP_MS = 60_000;

const sameItem = (a: Item, b: Item) => valuesEqual({ M: a }, { M: b });

/** Appends the record of one item write to the table's stream (which the caller knows is on). */
export function recordChange(
  w: WriteContext,
  table: Table,
  old: StoredItem | undefined,
  next: StoredItem | undefined,
): void {
  if (old && next && sameItem(old.item, next.item)) return;
  const stream = table.meta.stream as NonNullable<Table['meta']['stream']>;
  const keys = keyOf(table, (next ?? (old as StoredItem)).item);
  const newImage = next && NEW_IMAGES.has(stream.StreamViewType) ? next : undefined;
  const oldImage = old && OLD_IMAGES.has(stream.StreamViewType) ? old : undefined;
  const size = itemSize(keys) + (newImage?.size ?? 0) + (oldImage?.size ?? 0);
  const seq = statement(w.db, NEXT_SEQ).pluck().get(stream.streamId) as number;
  statement(w.db, INSERT_RECORD).run(
    stream.streamId,
    seq,
    w.now(),
    old ? (next ? 'MODIFY' : 'REMOVE') : 'INSERT',
    encodeItem(keys),
    newImage ? encodeItem(newImage.item) : null,
    oldImage ? encodeItem(oldImage.item) : null,
    size,
    w.byTtl ? 1 : 0,
  );
}

/** The first sequence number a reader can still get: that of the oldest record younger than a
 * day, or the next one to be written. */
export function firstRetained(db: Db, stream: StreamRow, now: number): number {
  const cutoff = now - RETENTION_MS;
  const rows = statement(db, AGES_FROM).iterate(stream.id, stream.trimmed_seq) as IterableIterator<{
    seq: number;
    created_at: number;
  }>;
  for (const row of rows) {
    if (row.created_at >= cutoff) return row.seq;
  }
  return stream.last_seq + 1;
}

/** Up to `limit` records from sequence number `from` on, the first of them possibly trimmed
 * (the caller checks). */
export function readRecords(db: Db, stream: StreamRow, from: number, limit: number): RecordRow[] {
  return statement(db, FROM_SEQ).all(stream.id, from, limit) as RecordRow[];
}

/** A record as GetRecords returns it. Its eventID is derived from its stream and sequence
 * number, so every read of it gives the same one. */
export function toRecord(stream: StreamRow, row: RecordRow): _Record {
  const sequence = formatSequence(row.seq);
  return {
    eventID: createHash('md5').update(`${stream.arn}|${sequence}`).digest('hex'),
    eventName: row.event_name,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: stream.region,
    dynamodb: {
      // AWS rounds it down to the second
      ApproximateCreationDateTime: new Date(Math.floor(row.created_at / 1000) * 1000),
      Keys: decodeItem(row.keys),
      NewImage: row.new_image === null ? undefined : decodeItem(row.new_image),
      OldImage: row.old_image === null ? undefined : decodeItem(row.old_image),
      SequenceNumber: sequence,
      SizeBytes: row.size_bytes,
      StreamViewType: stream.view_type as StreamViewType,
    },
    userIdentity: row.by_ttl ? TTL_IDENTITY : undefined,
  } as _Record;
}

/** Frees the rows of records past retention and of streams closed more than a day ago. */
function trimStreams(db: Db, now: number): void {
  const cutoff = now - RETENTION_MS;
  const gone = statement(db, 'SELECT id FROM dynamodb_streams WHERE disabled_at <= ?')
    .pluck()
    .all(cutoff) as number[];
  for (const id of gone) {
    statement(db, 'DELETE FROM dynamodb_stream_records WHERE stream_id = ?').run(id);
    statement(db, 'DELETE FROM dynamodb_streams WHERE id = ?').run(id);
  }
  const streams = statement(db, 'SELECT id, trimmed_seq FROM dynamodb_streams').all() as Pick<
    StreamRow,
    'id' | 'trimmed_seq'
  >[];
  for (const stream of streams) {
    let through = stream.trimmed_seq;
    const rows = statement(db, AGES_FROM).iterate(stream.id, through) as IterableIterator<{
      seq: number;
      created_at: number;
    }>;
    for (const row of rows) {
      if (row.created_at >= cutoff) break;
      through = row.seq;
    }
    if (through === stream.trimmed_seq) continue;
    statement(db, 'DELETE FROM dynamodb_stream_records WHERE stream_id = ? AND seq <= ?').run(
      stream.id,
      through,
    );
    statement(db, 'UPDATE dynamodb_streams SET trimmed_seq = ? WHERE id = ?').run(through, stream.id);
  }
}

/** The background trim: once a minute and right after each clock advance. */
export function startStreamTrim(env: ServiceEnvironment): () => void {
  const trim = env.db.transaction((now: number) => trimStreams(env.db, now));
  return startPeriodic(env, 'stream trim', SWEEP_MS, trim);
}
