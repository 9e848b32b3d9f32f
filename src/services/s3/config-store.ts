/** A bucket's configurations (tagging, CORS, lifecycle, policy...), one JSON document per kind. */
import type { Db } from '../../storage/database.js';
import { perDb } from '../../storage/database.js';

export type ConfigKind =
  | 'tagging'
  | 'cors'
  | 'lifecycle'
  | 'policy'
  | 'notification'
  | 'encryption'
  | 'ownership'
  | 'public-access-block'
  | 'website'
  | 'accelerate'
  | 'request-payment'
  | 'logging'
  | 'acl'
  | 'replication'
  | 'object-lock';

const statements = perDb((db) => ({
  get: db.prepare<[number, string], { value: string }>(
    'SELECT value FROM s3_bucket_configs WHERE bucket_id = ? AND kind = ?',
  ),
  set: db.prepare<[number, string, string]>(
    `INSERT INTO s3_bucket_configs (bucket_id, kind, value) VALUES (?, ?, ?)
     ON CONFLICT (bucket_id, kind) DO UPDATE SET value = excluded.value`,
  ),
  delete: db.prepare<[number, string]>('DELETE FROM s3_bucket_configs WHERE bucket_id = ? AND kind = ?'),
}));

export function getBucketConfig<T>(db: Db, bucketId: number, kind: ConfigKind): T | undefined {
  const row = statements(db).get.get(bucketId, kind);
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export function setBucketConfig(db: Db, bucketId: number, kind: ConfigKind, value: unknown): void {
  statements(db).set.run(bucketId, kind, JSON.stringify(value));
}

export function deleteBucketConfig(db: Db, bucketId: number, kind: ConfigKind): void {
  statements(db).delete.run(bucketId, kind);
}
