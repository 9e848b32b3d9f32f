/**
 * Object versions as rows: finding the one a request names, and writing a new one the way the
 * bucket's versioning state says (replace the null version, or add a version on top). Every
 * write returns the blob ids of the bodies it dropped, for removal once the commit is done.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../storage/database.js';
import { perDb } from '../../storage/database.js';
import type { Bucket } from './bucket-lookup.js';
import { deleteMarkerError, invalidArgument, noSuchKey, noSuchVersion } from './errors.js';
import type { BodyLocation } from './object-store.js';

export const NULL_VERSION = 'null';

export interface ObjectRow {
  id: number;
  bucket_id: number;
  key: string;
  version_id: string;
  latest: number;
  delete_marker: number;
  modified_at: number;
  size: number;
  etag: string;
  body: Buffer | null;
  blobs: string | null;
  parts: string | null;
  meta: string;
  checksum_algorithm: string | null;
  checksum: string | null;
  checksum_type: string | null;
  tags: string | null;
  storage_class: string;
  owner: string;
}

/** What a new version holds; the row's id, version and latest flag come from the write. */
export type NewObject = Omit<ObjectRow, 'id' | 'bucket_id' | 'key' | 'version_id' | 'latest'>;

/** The stored headers of an object: what PutObject took and GetObject gives back. */
export interface ObjectMeta {
  ContentType?: string;
  ContentEncoding?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  CacheControl?: string;
  /** epoch milliseconds */
  Expires?: number;
  WebsiteRedirectLocation?: string;
  ServerSideEncryption?: string;
  SSEKMSKeyId?: string;
  BucketKeyEnabled?: boolean;
  SSECustomerAlgorithm?: string;
  SSECustomerKeyMD5?: string;
  ObjectLockMode?: string;
  /** epoch milliseconds */
  ObjectLockRetainUntilDate?: number;
  ObjectLockLegalHoldStatus?: string;
  Metadata?: Record<string, string>;
}

/** One part of a multipart object: its size, and its checksum when the upload had one. */
export interface StoredPart {
  size: number;
  checksum?: string;
}

const statements = perDb((db) => ({
  latest: db.prepare<[number, string], ObjectRow>(
    'SELECT * FROM s3_objects WHERE bucket_id = ? AND key = ? ORDER BY id DESC LIMIT 1',
  ),
  version: db.prepare<[number, string, string], ObjectRow>(
    'SELECT * FROM s3_objects WHERE bucket_id = ? AND key = ? AND version_id = ?',
  ),
  deleteNull: db.prepare<[number, string], { blobs: string | null }>(
    `DELETE FROM s3_objects WHERE bucket_id = ? AND key = ? AND version_id = 'null' RETURNING blobs`,
  ),
  unlatest: db.prepare<[number, string]>(
    'UPDATE s3_objects SET latest = 0 WHERE bucket_id = ? AND key = ? AND latest = 1',
  ),
  relatest: db.prepare<[number, string]>(
    `UPDATE s3_objects SET latest = 1 WHERE id = (
       SELECT id FROM s3_objects WHERE bucket_id = ? AND key = ? ORDER BY id DESC LIMIT 1
     )`,
  ),
  deleteId: db.prepare<[number]>('DELETE FROM s3_objects WHERE id = ?'),
  insert: db.prepare(
    `INSERT INTO s3_objects (bucket_id, key, version_id, latest, delete_marker, modified_at, size, etag, body,
       blobs, parts, meta, checksum_algorithm, checksum, checksum_type, tags, storage_class, owner)
     VALUES (@bucket_id, @key, @version_id, 1, @delete_marker, @modified_at, @size, @etag, @body, @blobs, @parts,
       @meta, @checksum_algorithm, @checksum, @checksum_type, @tags, @storage_class, @owner)`,
  ),
  setTags: db.prepare<[string | null, number]>('UPDATE s3_objects SET tags = ? WHERE id = ?'),
}));

function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

export function blobIdsOf(blobs: string | null): string[] {
  return blobs ? blobs.split(' ') : [];
}

export function bodyLocation(row: Pick<ObjectRow, 'body' | 'blobs' | 'parts' | 'size'>): BodyLocation {
  const blobIds = blobIdsOf(row.blobs);
  const sizes = row.parts ? (JSON.parse(row.parts) as StoredPart[]).map((p) => p.size) : [row.size];
  return { inline: row.body, blobIds, sizes };
}

export function metaOf(row: Pick<ObjectRow, 'meta'>): ObjectMeta {
  return JSON.parse(row.meta) as ObjectMeta;
}

/** The current version of a key, delete markers included. */
export function latestVersion(db: Db, bucket: Bucket, key: string): ObjectRow | undefined {
  return statements(db).latest.get(bucket.id, key);
}

/** The current object of a key: no object, or a delete marker on top, is undefined. */
export function currentObject(db: Db, bucket: Bucket, key: string): ObjectRow | undefined {
  const row = statements(db).latest.get(bucket.id, key);
  return row && !row.delete_marker ? row : undefined;
}

export function findVersion(db: Db, bucket: Bucket, key: string, versionId: string): ObjectRow | undefined {
  return statements(db).version.get(bucket.id, key, versionId);
}

/**
 * The object a read names, as GET and HEAD find it: a missing key or version, or a delete
 * marker, is the error S3 gives for it.
 */
export function readableVersion(
  db: Db,
  bucket: Bucket,
  key: string,
  versionId: string | undefined,
  method = 'GET',
): ObjectRow {
  if (versionId === undefined) {
    const row = latestVersion(db, bucket, key);
    if (!row) throw noSuchKey(key);
    if (row.delete_marker) throw deleteMarkerError(key, row, false, method);
    return row;
  }
  const row = findVersion(db, bucket, key, versionId);
  if (!row) {
    if (bucket.versioning === null && versionId !== NULL_VERSION) throw invalidVersionId(versionId);
    throw noSuchVersion(key, versionId);
  }
  if (row.delete_marker) throw deleteMarkerError(key, row, true, method);
  return row;
}

export function invalidVersionId(versionId: string) {
  return invalidArgument('Invalid version id specified', 'versionId', versionId);
}

/**
 * Writes a new current version of `key`: it replaces the null version when versioning is off
 * or suspended, and goes on top of the others when it is enabled. Returns its version id and
 * the blob ids of the body it replaced.
 */
export function writeVersion(
  db: Db,
  bucket: Bucket,
  key: string,
  object: NewObject,
): { versionId: string; dropped: string[] } {
  const s = statements(db);
  const versionId = bucket.versioning === 'Enabled' ? newVersionId() : NULL_VERSION;
  const dropped: string[] = [];
  if (versionId === NULL_VERSION) {
    for (const row of s.deleteNull.all(bucket.id, key)) dropped.push(...blobIdsOf(row.blobs));
  }
  if (bucket.versioning !== null) s.unlatest.run(bucket.id, key);
  s.insert.run({ ...object, bucket_id: bucket.id, key, version_id: versionId });
  return { versionId, dropped };
}

/** Removes one version; the newest remaining one becomes current. Returns its blob ids. */
export function deleteVersionRow(db: Db, row: ObjectRow): string[] {
  const s = statements(db);
  s.deleteId.run(row.id);
  if (row.latest) s.relatest.run(row.bucket_id, row.key);
  return blobIdsOf(row.blobs);
}

export function setObjectTags(db: Db, row: ObjectRow, tags: string | null): void {
  statements(db).setTags.run(tags, row.id);
}
