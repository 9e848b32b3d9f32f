/**
 * Committing a new object version once its body is safely on disk: one transaction that finds
 * the bucket again (it may have gone meanwhile), checks the write's conditions again (another
 * writer may have won), writes the row and announces it (notification-events.ts: commitObject
 * awaits eventsReady first). Made once per database: building a transaction function costs more
 * than running one.
 */

import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { requireBucket } from './bucket-lookup.js';
import { announceCreated, eventsReady } from './notification-events.js';
import { blobIdsOf, type NewObject, writeVersion } from './object-rows.js';
import { discardBlobs, removeBlobs } from './object-store.js';
import { checkWriteConditions, type WriteConditions } from './write-conditions.js';

const commit = perDb((db) =>
  db.transaction(
    (
      ctx: RequestContext,
      bucketName: string,
      key: string,
      conditions: WriteConditions | undefined,
      object: NewObject,
      eventName: string,
    ) => {
      const bucket = requireBucket(ctx, bucketName);
      if (conditions) checkWriteConditions(ctx.db, bucket, key, conditions);
      const written = writeVersion(ctx.db, bucket, key, object);
      announceCreated(ctx, bucket, key, eventName, object, written.versionId);
      return written;
    },
  ),
);

/** Writes the version and announces it as `eventName` (e.g. ObjectCreated:Put); returns its id.
 * The delivery code is loaded first when the bucket sends events; the body's files are removed
 * if the commit fails, the replaced body's once it succeeded. */
export async function commitObject(
  ctx: RequestContext,
  bucketName: string,
  key: string,
  conditions: WriteConditions | undefined,
  object: NewObject,
  eventName: string,
): Promise<string> {
  let written: { versionId: string; dropped: string[] };
  try {
    const ready = eventsReady(ctx, bucketName);
    if (ready) await ready;
    written = commit(ctx.db)(ctx, bucketName, key, conditions, object, eventName);
  } catch (err) {
    await removeBlobs(ctx.blobs, blobIdsOf(object.blobs));
    throw err;
  }
  discardBlobs(ctx.blobs, written.dropped);
  return written.versionId;
}
