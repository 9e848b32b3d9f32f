/**
 * "A 2 GiB upload and download must work with the server's memory staying flat": one
 * PutObject of 2 GiB and 1 MiB (past 2^31 bytes) streamed by SDK v3 (aws-chunked, trailing
 * CRC32), read back whole and by a range past 2^31, against a server in its own process so
 * that its peak resident memory (VmHWM) is its own. The peak may not grow by more than
 * 128 MiB over the server's resident memory before the transfer: a body held whole would
 * add 2 GiB. Linux only (it reads /proc); LOCALAWS_LARGE_BODY_MIB sets another size.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStatus } from '../../bench/process-stats.js';
import { TEST_CREDENTIALS } from '../harness.js';
import { MiB, randomBody } from './setup.js';

/** The object is written to the server's data dir: on a machine short of disk the transfer
 * shrinks (with a warning) rather than failing for want of space. */
function transferSize(): number {
  if (process.env.LOCALAWS_LARGE_BODY_MIB) return Number(process.env.LOCALAWS_LARGE_BODY_MIB) * MiB;
  const wanted = 2049 * MiB;
  const { bavail, bsize } = statfsSync(tmpdir());
  if (bavail * bsize >= wanted + 1024 * MiB) return wanted;
  console.warn(
    'conformance/s3/audit-large-bodies.test.ts: under 3 GiB free in the temp dir, moving 256 MiB, not 2 GiB',
  );
  return 256 * MiB;
}

const SIZE = transferSize();
const MAX_GROWTH = 128 * MiB;
const PROC = existsSync('/proc/self/status');
if (!PROC) console.warn('conformance/s3/audit-large-bodies.test.ts: no /proc, skipping the 2 GiB transfer');

const dataDir = mkdtempSync(join(tmpdir(), 'localaws-s3-large-'));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** The CLI in its own process, on a data dir; resolves with its URL once it listens. */
function startServer(): Promise<string> {
  const cli = join(import.meta.dirname, '../../src/cli.ts');
  child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, '--port', '0', '--log-level', 'warn', '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const out = child.stdout as Readable;
  return new Promise((resolve, reject) => {
    let text = '';
    out.on('data', (d) => {
      text += d;
      const m = /listening on (http:\/\/\S+)/.exec(text);
      if (m) resolve(m[1] as string);
    });
    child?.on('exit', () => reject(new Error('the server exited before it listened')));
  });
}

function memory() {
  return parseStatus(readFileSync(`/proc/${child?.pid}/status`, 'utf8'));
}

/** The body: 1 MiB of random bytes over and over, each copy stamped with its index, so a
 * chunk out of place changes the digest. */
function body(block: Buffer): { stream: Readable; md5: () => string; byteAt: (i: number) => number } {
  const md5 = createHash('md5');
  const count = SIZE / block.length;
  const stamped = (n: number) => {
    const copy = Buffer.from(block);
    copy.writeUInt32BE(n, 0);
    return copy;
  };
  function* chunks() {
    for (let n = 0; n < count; n++) {
      const chunk = stamped(n);
      md5.update(chunk);
      yield chunk;
    }
  }
  return {
    stream: Readable.from(chunks()),
    md5: () => md5.digest('hex'),
    byteAt: (i) => stamped(Math.floor(i / block.length))[i % block.length] as number,
  };
}

describe.skipIf(!PROC)('a body larger than 2 GiB', () => {
  it('goes up and comes back byte for byte, the server’s memory staying flat', async () => {
    const url = await startServer();
    const s3 = new S3Client({
      endpoint: url,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      forcePathStyle: true,
      maxAttempts: 1,
    });
    const Bucket = 'large-bodies';
    await s3.send(new CreateBucketCommand({ Bucket }));
    // warm the paths the transfer takes before measuring from where they leave memory
    await s3.send(new PutObjectCommand({ Bucket, Key: 'warm', Body: randomBody(8 * MiB) }));
    const warm = await s3.send(new GetObjectCommand({ Bucket, Key: 'warm' }));
    await warm.Body?.transformToByteArray();
    const before = memory().rssBytes;

    const sent = body(randomBody(MiB));
    const put = await s3.send(
      new PutObjectCommand({ Bucket, Key: 'large.bin', Body: sent.stream, ContentLength: SIZE }),
    );
    const md5 = sent.md5();
    expect(put.ETag).toBe(`"${md5}"`);
    expect(memory().peakRssBytes - before).toBeLessThan(MAX_GROWTH);

    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'large.bin' }));
    expect(got.ContentLength).toBe(SIZE);
    const back = createHash('md5');
    let received = 0;
    for await (const chunk of got.Body as Readable) {
      back.update(chunk);
      received += chunk.length;
    }
    expect(received).toBe(SIZE);
    expect(back.digest('hex')).toBe(md5);

    // across 2^31 when the body reaches past it
    const start = Math.min(2 ** 31 - 8, SIZE - 16);
    const range = await s3.send(
      new GetObjectCommand({ Bucket, Key: 'large.bin', Range: `bytes=${start}-${start + 15}` }),
    );
    expect(range.ContentRange).toBe(`bytes ${start}-${start + 15}/${SIZE}`);
    const bytes = Buffer.from((await range.Body?.transformToByteArray()) as Uint8Array);
    expect([...bytes]).toEqual(Array.from({ length: 16 }, (_, i) => sent.byteAt(start + i)));

    expect(memory().peakRssBytes - before).toBeLessThan(MAX_GROWTH);
  }, 600_000);
});
