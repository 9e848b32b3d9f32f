/**
 * "Listing cost must grow with the page, not the bucket": every statement a listing runs
 * (objects v1 and v2, versions, multipart uploads, parts, buckets) must range-scan an index,
 * never scan a table or sort rows. Each statement is captured as the handlers run it, with
 * its arguments, and SQLite is asked how it plans it.
 */
import type { Statement } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { Runtime } from '../../src/runtime.js';
import type { RequestContext, ServiceDefinition } from '../../src/services/types.js';

let rt: Runtime;
let s3: ServiceDefinition;
let ctx: RequestContext;
let uploadId: string;

const call = (operation: string, input: Record<string, unknown>) =>
  Promise.resolve(rt.inTransaction(s3.handlers[operation] as never, input, ctx));

beforeAll(async () => {
  rt = new Runtime(resolveConfig({ logLevel: 'error' }));
  s3 = (await rt.service('s3')) as ServiceDefinition;
  ctx = {
    requestId: 'plan',
    endpoint: 'http://localhost',
    accountId: '000000000000',
    region: 'us-east-1',
    caller: { accessKeyId: 'test' },
    service: 's3',
    operation: 'plan',
    config: rt.config,
    db: rt.db,
    blobs: rt.blobs,
    now: () => Date.now(),
  } as unknown as RequestContext;
  await call('CreateBucket', { Bucket: 'plans' });
  await call('PutBucketVersioning', { Bucket: 'plans', VersioningConfiguration: { Status: 'Enabled' } });
  for (const Key of ['a.txt', 'dir/one', 'dir/sub/two', 'dir/sub/three', 'z']) {
    await s3.handlers.PutObject?.({ Bucket: 'plans', Key, Body: Key, ContentLength: Key.length }, ctx);
  }
  const upload = (await call('CreateMultipartUpload', { Bucket: 'plans', Key: 'dir/big' })) as {
    UploadId: string;
  };
  uploadId = upload.UploadId;
  await s3.handlers.UploadPart?.(
    { Bucket: 'plans', Key: 'dir/big', UploadId: uploadId, PartNumber: 1, Body: 'x', ContentLength: 1 },
    ctx,
  );
});

afterAll(() => rt.close());

type Run = { sql: string; args: unknown[] };

/** The statements `work` runs, with their arguments. */
async function statementsOf(work: () => Promise<unknown>): Promise<Run[]> {
  const proto = Object.getPrototypeOf(rt.db.prepare('SELECT 1')) as Statement;
  const runs: Run[] = [];
  const methods = ['get', 'all', 'iterate', 'run'] as const;
  const originals = methods.map((m) => proto[m]);
  methods.forEach((m, i) => {
    const original = originals[i] as (...args: unknown[]) => unknown;
    (proto as unknown as Record<string, unknown>)[m] = function (this: Statement, ...args: unknown[]) {
      runs.push({ sql: this.source, args });
      return original.apply(this, args);
    };
  });
  try {
    await work();
  } finally {
    methods.forEach((m, i) => {
      (proto as unknown as Record<string, unknown>)[m] = originals[i];
    });
  }
  return runs;
}

/** SQLite's plan for a statement, one line per step. */
function planOf(run: Run): string[] {
  const rows = rt.db.prepare(`EXPLAIN QUERY PLAN ${run.sql}`).all(...run.args) as { detail: string }[];
  return rows.map((r) => r.detail);
}

const TABLE_SCAN = /\bSCAN (TABLE )?s3_\w+/;

const listings: [string, string, Record<string, unknown>][] = [
  ['ListObjectsV2', 'every key', { Bucket: 'plans' }],
  [
    'ListObjectsV2',
    'a prefix, a delimiter and the owner',
    { Bucket: 'plans', Prefix: 'dir/', Delimiter: '/', FetchOwner: true },
  ],
  ['ListObjectsV2', 'after a key, a page of one', { Bucket: 'plans', StartAfter: 'dir/one', MaxKeys: 1 }],
  ['ListObjects', 'a delimiter from a marker', { Bucket: 'plans', Delimiter: '/', Marker: 'a.txt' }],
  ['ListObjectVersions', 'a prefix and a delimiter', { Bucket: 'plans', Prefix: 'dir/', Delimiter: '/' }],
  ['ListObjectVersions', 'a page of one', { Bucket: 'plans', MaxKeys: 1, KeyMarker: 'a.txt' }],
  ['ListMultipartUploads', 'a prefix', { Bucket: 'plans', Prefix: 'dir/' }],
  ['ListBuckets', 'a prefix', { Prefix: 'pl', MaxBuckets: 1 }],
];

describe('listing statements', () => {
  for (const [operation, what, input] of listings) {
    it(`${operation} (${what}) reads through indexes only`, async () => {
      const runs = await statementsOf(() => call(operation, input));
      const reads = runs.filter(
        (r) => /^\s*SELECT/i.test(r.sql) && /s3_(objects|uploads|parts|buckets)\b/.test(r.sql),
      );
      expect(reads.length).toBeGreaterThan(0);
      for (const run of reads) {
        const plan = planOf(run);
        expect(plan.join('\n'), run.sql).not.toMatch(TABLE_SCAN);
        expect(plan.join('\n'), run.sql).not.toMatch(/USE TEMP B-TREE/);
        expect(
          plan.some((step) => /\bSEARCH\b.*\bUSING\b/.test(step)),
          run.sql,
        ).toBe(true);
      }
    });
  }

  it('ListParts reads through indexes only', async () => {
    const runs = await statementsOf(() =>
      call('ListParts', { Bucket: 'plans', Key: 'dir/big', UploadId: uploadId }),
    );
    const reads = runs.filter((r) => /^\s*SELECT/i.test(r.sql));
    expect(reads.length).toBeGreaterThan(0);
    for (const run of reads) expect(planOf(run).join('\n'), run.sql).not.toMatch(TABLE_SCAN);
  });

  it('finds a table scan when there is one (the check can fail)', () => {
    const plan = planOf({ sql: 'SELECT key FROM s3_objects WHERE size > ?', args: [0] });
    expect(plan.join('\n')).toMatch(TABLE_SCAN);
  });
});
