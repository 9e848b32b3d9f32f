import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/config.js';
import { Logger } from '../../src/logger.js';
import { sweepOrphanBlobs } from '../../src/services/s3/blob-sweep.js';
import { blobPath } from '../../src/services/s3/object-store.js';
import { S3_MIGRATIONS } from '../../src/services/s3/store.js';
import { BlobStore } from '../../src/storage/blobs.js';
import { Clock } from '../../src/storage/clock.js';
import { migrate, openDatabase } from '../../src/storage/database.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function environment() {
  const dir = mkdtempSync(join(tmpdir(), 'localaws-sweep-'));
  dirs.push(dir);
  const db = openDatabase();
  migrate(db, 's3', S3_MIGRATIONS);
  const blobs = new BlobStore(dir);
  return { db, blobs, config: DEFAULTS, clock: new Clock(), logger: new Logger('error') };
}

const id = (n: number) => n.toString(16).padStart(32, '0');

describe('sweepOrphanBlobs', () => {
  it('removes the files no object version or part names, and keeps the others', () => {
    const env = environment();
    mkdirSync(dirname(blobPath(env.blobs, id(0))), { recursive: true });
    for (const n of [1, 2, 3, 4]) writeFileSync(blobPath(env.blobs, id(n)), 'x');
    env.db
      .prepare(
        `INSERT INTO s3_objects (bucket_id, key, version_id, latest, delete_marker, modified_at, size, etag, blobs, meta,
           storage_class, owner) VALUES (1, 'k', 'null', 1, 0, 0, 2, '"e"', ?, '{}', 'STANDARD', 'a')`,
      )
      .run(`${id(1)} ${id(2)}`);
    env.db
      .prepare(
        `INSERT INTO s3_parts (upload_id, part_number, size, etag, blob_id, modified_at) VALUES ('u', 1, 1, '"e"', ?, 0)`,
      )
      .run(id(3));
    expect(sweepOrphanBlobs(env)).toBe(1);
    expect(readdirSync(dirname(blobPath(env.blobs, id(1)))).sort()).toEqual([id(1), id(2), id(3)]);
  });

  it('does nothing when there is no blob folder yet', () => {
    expect(sweepOrphanBlobs(environment())).toBe(0);
  });
});
