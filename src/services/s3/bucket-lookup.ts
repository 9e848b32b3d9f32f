/** Finding the bucket a request names: it must exist, and belong to the caller's account. */
import type { Db } from '../../storage/database.js';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { accessDenied, noSuchBucket } from './errors.js';

export interface Bucket {
  id: number;
  name: string;
  account_id: string;
  region: string;
  created_at: number;
  /** null until versioning is first configured, then Enabled or Suspended */
  versioning: 'Enabled' | 'Suspended' | null;
  object_lock: number;
}

const statements = perDb((db) => ({
  byName: db.prepare<[string], Bucket>('SELECT * FROM s3_buckets WHERE name = ?'),
}));

export function findBucket(db: Db, name: string): Bucket | undefined {
  return statements(db).byName.get(name);
}

/** The caller's bucket; another account's is AccessDenied (names are global, buckets are not),
 * and so is one whose owner is not the x-amz-expected-bucket-owner the caller named. */
export function requireBucket(ctx: RequestContext, name: string, expectedOwner?: string): Bucket {
  const bucket = findBucket(ctx.db, name);
  if (!bucket) throw noSuchBucket(name);
  if (bucket.account_id !== ctx.accountId) throw accessDenied();
  if (expectedOwner !== undefined && expectedOwner !== bucket.account_id) throw accessDenied();
  return bucket;
}
