/** Multipart uploads in progress and their parts, as rows. */
import type { Db } from '../../storage/database.js';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import type { Bucket } from './bucket-lookup.js';
import { noSuchUpload } from './errors.js';

export interface UploadRow {
  seq: number;
  id: string;
  bucket_id: number;
  key: string;
  initiated_at: number;
  meta: string;
  checksum_algorithm: string | null;
  checksum_type: string | null;
  tags: string | null;
  storage_class: string;
  owner: string;
  existed: number;
}

export interface PartRow {
  upload_id: string;
  part_number: number;
  size: number;
  etag: string;
  blob_id: string;
  modified_at: number;
  checksum: string | null;
}

const statements = perDb((db) => ({
  insert: db.prepare(
    `INSERT INTO s3_uploads (id, bucket_id, key, initiated_at, meta, checksum_algorithm, checksum_type, tags,
       storage_class, owner, existed)
     VALUES (@id, @bucket_id, @key, @initiated_at, @meta, @checksum_algorithm, @checksum_type, @tags,
       @storage_class, @owner, @existed)`,
  ),
  byId: db.prepare<[string], UploadRow>('SELECT * FROM s3_uploads WHERE id = ?'),
  delete: db.prepare<[string]>('DELETE FROM s3_uploads WHERE id = ?'),
  part: db.prepare<[string, number], PartRow>(
    'SELECT * FROM s3_parts WHERE upload_id = ? AND part_number = ?',
  ),
  parts: db.prepare<[string], PartRow>('SELECT * FROM s3_parts WHERE upload_id = ? ORDER BY part_number'),
  partsAfter: db.prepare<[string, number, number], PartRow>(
    'SELECT * FROM s3_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?+0',
  ),
  putPart: db.prepare(
    `INSERT INTO s3_parts (upload_id, part_number, size, etag, blob_id, modified_at, checksum)
     VALUES (@upload_id, @part_number, @size, @etag, @blob_id, @modified_at, @checksum)
     ON CONFLICT (upload_id, part_number) DO UPDATE SET size = excluded.size, etag = excluded.etag,
       blob_id = excluded.blob_id, modified_at = excluded.modified_at, checksum = excluded.checksum`,
  ),
  deleteParts: db.prepare<[string], { blob_id: string }>(
    'DELETE FROM s3_parts WHERE upload_id = ? RETURNING blob_id',
  ),
}));

export function insertUpload(db: Db, row: Omit<UploadRow, 'seq'>): void {
  statements(db).insert.run(row);
}

/** The upload a part or completion names: it must be of this bucket and key. */
export function requireUpload(
  ctx: RequestContext,
  bucket: Bucket,
  key: string,
  uploadId: string | undefined,
): UploadRow {
  const row = uploadId === undefined ? undefined : statements(ctx.db).byId.get(uploadId);
  if (!row || row.bucket_id !== bucket.id || row.key !== key) throw noSuchUpload(uploadId ?? '');
  return row;
}

export function partsOf(db: Db, uploadId: string): PartRow[] {
  return statements(db).parts.all(uploadId);
}

export function partsPage(db: Db, uploadId: string, after: number, limit: number): PartRow[] {
  return statements(db).partsAfter.all(uploadId, after, limit);
}

/** Stores a part; returns the blob of the part it replaced, if any. */
export function putPart(db: Db, part: PartRow): string | undefined {
  const s = statements(db);
  const old = s.part.get(part.upload_id, part.part_number);
  s.putPart.run(part);
  return old?.blob_id;
}

/** Removes an upload and its parts; returns the parts' blob ids. */
export function dropUpload(db: Db, uploadId: string): string[] {
  const s = statements(db);
  const blobs = s.deleteParts.all(uploadId).map((r) => r.blob_id);
  s.delete.run(uploadId);
  return blobs;
}
