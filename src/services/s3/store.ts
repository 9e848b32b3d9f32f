/**
 * S3's tables. Bucket names are global (one row per name, whatever the account); everything
 * else hangs off a bucket's id, never reused, so nothing of a deleted bucket reaches a new one
 * of the same name. Every version of every key is one row of s3_objects (the only one when
 * versioning is off); `latest` marks the current one, so a listing range-scans a partial
 * index of current objects by key: its cost grows with the page, not the bucket. Bodies up to
 * a few KiB sit inline; larger ones are blob files named by ids, listed in `blobs` (one per
 * part for a multipart object, never concatenated).
 */

export const S3_MIGRATIONS = [
  `CREATE TABLE s3_buckets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    versioning TEXT,
    object_lock INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX s3_buckets_account ON s3_buckets (account_id, name);
  CREATE TABLE s3_bucket_configs (
    bucket_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (bucket_id, kind)
  ) WITHOUT ROWID;
  CREATE TABLE s3_objects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bucket_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    version_id TEXT NOT NULL,
    latest INTEGER NOT NULL,
    delete_marker INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    body BLOB,
    blobs TEXT,
    parts TEXT,
    meta TEXT NOT NULL,
    checksum_algorithm TEXT,
    checksum TEXT,
    checksum_type TEXT,
    tags TEXT,
    storage_class TEXT NOT NULL,
    owner TEXT NOT NULL
  );
  CREATE UNIQUE INDEX s3_objects_version ON s3_objects (bucket_id, key, version_id);
  CREATE INDEX s3_objects_history ON s3_objects (bucket_id, key, id DESC);
  CREATE INDEX s3_objects_current ON s3_objects (bucket_id, key, modified_at, size, etag, storage_class, owner,
    checksum_algorithm, checksum_type) WHERE latest = 1 AND delete_marker = 0;
  CREATE TABLE s3_uploads (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    bucket_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    initiated_at INTEGER NOT NULL,
    meta TEXT NOT NULL,
    checksum_algorithm TEXT,
    checksum_type TEXT,
    tags TEXT,
    storage_class TEXT NOT NULL,
    owner TEXT NOT NULL,
    existed INTEGER NOT NULL
  );
  CREATE INDEX s3_uploads_key ON s3_uploads (bucket_id, key, seq);
  CREATE TABLE s3_parts (
    upload_id TEXT NOT NULL,
    part_number INTEGER NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    blob_id TEXT NOT NULL,
    modified_at INTEGER NOT NULL,
    checksum TEXT,
    PRIMARY KEY (upload_id, part_number)
  ) WITHOUT ROWID;`,
];
