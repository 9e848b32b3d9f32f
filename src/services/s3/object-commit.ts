/**
 * Committing a new object version once its body is safely on disk: one transaction that finds
 * the bucket again (it may have gone meanwhile), checks the write's conditions again (another
 * writer may have won), and writes the row. Made once per database: building a transaction
 * function costs more than running one.
 */
import type { RequestContext } from '../types.js';
import { requireBucket } from './bucket-lookup.js';
import { type NewObject, writeVersion } from './object-rows.js';
import { perDb } from './store.js';
import { checkWriteConditions, type WriteConditions } from './write-conditions.js';

const commit = perDb((db) =>
  db.transaction(
    (
      ctx: RequestContext,
      bucketName: string,
      key: string,
      conditions: WriteConditions | undefined,
      object: NewObject,
    ) => {
      const bucket = requireBucket(ctx, bucketName);
      if (conditions) checkWriteConditions(ctx.db, bucket, key, conditions);
      return writeVersion(ctx.db, bucket, key, object);
    },
  ),
);

/** Writes the version; returns its id and the blobs of the body it replaced. */
export function commitObject(
  ctx: RequestContext,
  bucketName: string,
  key: string,
  conditions: WriteConditions | undefined,
  object: NewObject,
): { versionId: string; dropped: string[] } {
  return commit(ctx.db)(ctx, bucketName, key, conditions, object);
}
