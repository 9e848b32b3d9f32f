/**
 * DynamoDB's SQLite schema. Every row hangs off a table id, and the table row is keyed by
 * account, region and name. Items are keyed (table, shard, hash bytes, range bytes): a Query
 * is a range scan of one partition, a Scan walks shards in order (so a parallel-scan
 * segment is a shard range). Index entries point back at the item's key the same way.
 * Stream records are keyed (stream, sequence number): a GetRecords is a range scan.
 */
import type Sqlite from 'better-sqlite3';
import { type Db, perDb } from '../../storage/database.js';

export const DYNAMODB_MIGRATIONS = [
  `CREATE TABLE dynamodb_tables (
    id INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    meta TEXT NOT NULL,
    UNIQUE (account_id, region, name)
  );
  CREATE TABLE dynamodb_counts (
    table_id INTEGER NOT NULL,
    index_no INTEGER NOT NULL,
    item_count INTEGER NOT NULL DEFAULT 0,
    size_bytes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (table_id, index_no)
  ) WITHOUT ROWID;
  CREATE TABLE dynamodb_items (
    table_id INTEGER NOT NULL,
    shard INTEGER NOT NULL,
    hash_key BLOB NOT NULL,
    range_key BLOB NOT NULL,
    item TEXT NOT NULL,
    size INTEGER NOT NULL,
    expires_at INTEGER,
    PRIMARY KEY (table_id, shard, hash_key, range_key)
  ) WITHOUT ROWID;
  CREATE INDEX dynamodb_items_expiry ON dynamodb_items (expires_at) WHERE expires_at IS NOT NULL;
  CREATE TABLE dynamodb_index_entries (
    table_id INTEGER NOT NULL,
    index_no INTEGER NOT NULL,
    shard INTEGER NOT NULL,
    hash_key BLOB NOT NULL,
    range_key BLOB NOT NULL,
    t_shard INTEGER NOT NULL,
    t_hash BLOB NOT NULL,
    t_range BLOB NOT NULL,
    PRIMARY KEY (table_id, index_no, shard, hash_key, range_key, t_hash, t_range)
  ) WITHOUT ROWID;
  CREATE TABLE dynamodb_tags (
    table_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (table_id, key)
  ) WITHOUT ROWID;
  CREATE TABLE dynamodb_client_tokens (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    token TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, region, token)
  ) WITHOUT ROWID;`,
  // streams outlive their tables (24 hours after disabling), so they are keyed by ARN, not table
  `CREATE TABLE dynamodb_streams (
    id INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    table_name TEXT NOT NULL,
    arn TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    view_type TEXT NOT NULL,
    key_schema TEXT NOT NULL,
    shard_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    disabled_at INTEGER,
    last_seq INTEGER NOT NULL DEFAULT 0,
    trimmed_seq INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX dynamodb_streams_listing ON dynamodb_streams (account_id, region, arn);
  CREATE TABLE dynamodb_stream_records (
    stream_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    event_name TEXT NOT NULL,
    keys TEXT NOT NULL,
    new_image TEXT,
    old_image TEXT,
    size_bytes INTEGER NOT NULL,
    by_ttl INTEGER NOT NULL,
    PRIMARY KEY (stream_id, seq)
  ) WITHOUT ROWID;`,
  // the per-transaction purge of expired idempotency tokens must not scan every live token
  'CREATE INDEX dynamodb_client_tokens_created ON dynamodb_client_tokens (created_at)',
];

/** A prepared statement per query text, per database: the request path never prepares. */
export type Statement = Sqlite.Statement<unknown[], unknown>;

const statementsOf = perDb(() => new Map<string, Statement>());

export function statement(db: Db, sql: string): Statement {
  const byText = statementsOf(db);
  let stmt = byText.get(sql);
  if (!stmt) {
    stmt = db.prepare<unknown[]>(sql);
    byText.set(sql, stmt);
  }
  return stmt;
}
