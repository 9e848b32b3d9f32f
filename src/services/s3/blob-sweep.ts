/**
 * A process that stops in the middle of an upload leaves a blob file no row references. On
 * start, before any request is served, such files are removed: every file of the S3 blob
 * folder that no object version or uploaded part names.
 */
import { readdirSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ServiceEnvironment } from '../types.js';
import { blobPath } from './object-store.js';

const ANY_ID = '0'.repeat(32);

function referenced(env: ServiceEnvironment): Set<string> {
  const ids = new Set<string>();
  const objects = env.db.prepare('SELECT blobs FROM s3_objects WHERE blobs IS NOT NULL').pluck().iterate();
  for (const blobs of objects as Iterable<string>) for (const id of blobs.split(' ')) ids.add(id);
  const parts = env.db.prepare('SELECT blob_id FROM s3_parts').pluck().iterate();
  for (const id of parts as Iterable<string>) ids.add(id);
  return ids;
}

/** Removes the files nothing references; returns how many. */
export function sweepOrphanBlobs(env: ServiceEnvironment): number {
  let names: string[];
  try {
    names = readdirSync(dirname(blobPath(env.blobs, ANY_ID)));
  } catch {
    return 0;
  }
  if (names.length === 0) return 0;
  const keep = referenced(env);
  let removed = 0;
  for (const name of names) {
    if (keep.has(name)) continue;
    try {
      unlinkSync(blobPath(env.blobs, name));
      removed++;
    } catch {
      // not a blob this store made (pathOf refuses the name), or gone already: leave it
    }
  }
  if (removed) env.logger.log('info', `s3: removed ${removed} blob files no object referenced`);
  return removed;
}
