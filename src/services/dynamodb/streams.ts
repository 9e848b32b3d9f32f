/**
 * The streams of DynamoDB tables: a row per stream, opened when a table enables its stream
 * (CreateTable, UpdateTable) and closed when the table disables it or is deleted. A closed
 * stream stays readable for 24 hours, as AWS keeps it, then goes with its records. Each
 * stream has one shard, whose sequence numbers count the stream's records from 1.
 */
import { randomBytes } from 'node:crypto';
import type { KeySchemaElement, StreamViewType } from '@aws-sdk/client-dynamodb';
import type { Db } from '../../storage/database.js';
import { type TableStream, tableArn } from './catalog.js';
import { statement } from './store.js';

/** How long records, and a disabled stream, stay readable. */
export const RETENTION_MS = 24 * 3600 * 1000;

export interface StreamRow {
  id: number;
  account_id: string;
  region: string;
  table_name: string;
  arn: string;
  label: string;
  view_type: StreamViewType;
  key_schema: string;
  shard_id: string;
  created_at: number;
  disabled_at: number | null;
  /** the sequence number of the stream's last record (0: none yet) */
  last_seq: number;
  /** every record up to this one has been deleted */
  trimmed_seq: number;
}

const LIVE = '(disabled_at IS NULL OR disabled_at > ?)';
const BY_ARN = `SELECT * FROM dynamodb_streams WHERE arn = ? AND ${LIVE}`;
const BY_ID = `SELECT * FROM dynamodb_streams WHERE id = ? AND ${LIVE}`;

export function streamArn(tableArn: string, label: string): string {
  return `${tableArn}/stream/${label}`;
}

/** The table a stream is opened for. */
export interface StreamOwner {
  accountId: string;
  region: string;
  name: string;
  keySchema: KeySchemaElement[];
}

/** Opens a stream for the table. Its label is the opening time, made later than that of any
 * earlier stream of the same table name, so that stream ARNs never repeat. */
export function openStream(db: Db, owner: StreamOwner, viewType: StreamViewType, now: number): TableStream {
  const { accountId, region, name } = owner;
  const previous = statement(
    db,
    'SELECT MAX(created_at) FROM dynamodb_streams WHERE account_id = ? AND region = ? AND table_name = ?',
  )
    .pluck()
    .get(accountId, region, name) as number | null;
  const at = previous === null ? now : Math.max(now, previous + 1);
  const label = new Date(at).toISOString().replace('Z', '');
  const shardId = `shardId-${String(at).padStart(20, '0')}-${randomBytes(4).toString('hex')}`;
  const { lastInsertRowid } = statement(
    db,
    'INSERT INTO dynamodb_streams (account_id, region, table_name, arn, label, view_type, key_schema, shard_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    accountId,
    region,
    name,
    streamArn(tableArn(region, accountId, name), label),
    label,
    viewType,
    JSON.stringify(owner.keySchema),
    shardId,
    at,
  );
  return { StreamEnabled: true, StreamViewType: viewType, label, streamId: Number(lastInsertRowid) };
}

/** Closes a stream: it takes no more records, and is readable for another 24 hours. */
export function closeStream(db: Db, streamId: number, now: number): void {
  statement(db, 'UPDATE dynamodb_streams SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL').run(
    now,
    streamId,
  );
}

/** The stream of that ARN, unless it was disabled more than 24 hours ago. */
export function findStream(db: Db, arn: string, now: number): StreamRow | undefined {
  return statement(db, BY_ARN).get(arn, now - RETENTION_MS) as StreamRow | undefined;
}

export function streamById(db: Db, id: number, now: number): StreamRow | undefined {
  return statement(db, BY_ID).get(id, now - RETENTION_MS) as StreamRow | undefined;
}

/** The streams of an account and region after `afterArn`, in ARN order, optionally of one
 * table name only. */
export function listStreams(
  db: Db,
  where: { accountId: string; region: string; tableName?: string; afterArn: string; limit: number },
  now: number,
): StreamRow[] {
  const cutoff = now - RETENTION_MS;
  const { accountId, region, afterArn, limit } = where;
  if (where.tableName === undefined) {
    return statement(
      db,
      `SELECT * FROM dynamodb_streams WHERE account_id = ? AND region = ? AND arn > ? AND ${LIVE} ORDER BY arn LIMIT ?+0`,
    ).all(accountId, region, afterArn, cutoff, limit) as StreamRow[];
  }
  return statement(
    db,
    `SELECT * FROM dynamodb_streams WHERE account_id = ? AND region = ? AND arn > ? AND table_name = ? AND ${LIVE} ORDER BY arn LIMIT ?+0`,
  ).all(accountId, region, afterArn, where.tableName, cutoff, limit) as StreamRow[];
}

/** Sequence numbers on the wire: decimal, at least 21 digits (the model's minimum length). */
const SEQUENCE_BASE = 10n ** 20n;
const DECIMAL = /^\d+$/;

export function formatSequence(seq: number): string {
  return (SEQUENCE_BASE + BigInt(seq)).toString();
}

/** The stream position a SequenceNumber names: 0 for any number before the first, undefined
 * for text that is no sequence number. */
export function parseSequence(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const offset = BigInt(text) - SEQUENCE_BASE;
  if (offset < 0n) return 0;
  return offset > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(offset);
}

/** Whether the text has a stream ARN's form: arn:aws:dynamodb:region:account:table/name/stream/label. */
export function isStreamArn(text: string): boolean {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== 'dynamodb') return false;
  const resource = parts.slice(5).join(':').split('/');
  const [kind, name, stream, label] = resource;
  return resource.length === 4 && kind === 'table' && name !== '' && stream === 'stream' && label !== '';
}
