/**
 * How localaws keeps S3 bodies on disk (a property of this server, not of S3): small bodies in
 * the database, larger ones in blob files named by ids the store makes, whatever the key; a
 * file goes when nothing references it (overwrite, delete, abort, unused parts, failed
 * upload); and a reset followed by new uploads works.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { bodyOf, MiB, md5Hex, newBucket, put, randomBody, useS3 } from './setup.js';

const dataDir = mkdtempSync(join(tmpdir(), 'localaws-s3-storage-'));
const t = useS3({ dataDir });
const blobDir = join(dataDir, 'blobs', 's3');

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The blob files, once removals scheduled after the last commit have run. */
async function blobFiles(): Promise<string[]> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  try {
    return readdirSync(blobDir).sort();
  } catch {
    return [];
  }
}

describe('blob files', () => {
  it('keeps small bodies out of files and large ones in one file each, named by id', async () => {
    const Bucket = await newBucket(t.s3, 'files');
    const before = await blobFiles();
    await put(t.s3, Bucket, '../../escape/attempt', 'small');
    expect(await blobFiles()).toEqual(before);
    await put(t.s3, Bucket, '/leading/../slash', randomBody(100_000));
    const after = await blobFiles();
    expect(after.length).toBe(before.length + 1);
    for (const name of after) expect(name).toMatch(/^[0-9a-f]{32}$/);
    expect(readdirSync(dataDir).sort()).toEqual(expect.arrayContaining(['blobs', 'localaws.db']));
    expect(readdirSync(dataDir).every((n) => n === 'blobs' || n.startsWith('localaws.db'))).toBe(true);
  });

  it('removes the file of an overwritten, then of a deleted object', async () => {
    const Bucket = await newBucket(t.s3, 'replaced');
    const before = await blobFiles();
    await put(t.s3, Bucket, 'big', randomBody(50_000));
    const first = await blobFiles();
    await put(t.s3, Bucket, 'big', randomBody(60_000));
    const second = await blobFiles();
    expect(second.length).toBe(first.length);
    expect(second).not.toEqual(first);
    await t.s3.send(new DeleteObjectCommand({ Bucket, Key: 'big' }));
    expect(await blobFiles()).toEqual(before);
  });

  it('leaves nothing behind when an upload is refused after its body was read', async () => {
    const Bucket = await newBucket(t.s3, 'refused');
    const before = await blobFiles();
    await expect(
      t.s3.send(
        new PutObjectCommand({
          Bucket,
          Key: 'bad-digest',
          Body: randomBody(200_000),
          ContentMD5: Buffer.alloc(16).toString('base64'),
        }),
      ),
    ).rejects.toMatchObject({ name: 'BadDigest' });
    expect(await blobFiles()).toEqual(before);
  });

  it('keeps the used parts as the object’s files and removes the others, and an aborted upload’s', async () => {
    const Bucket = await newBucket(t.s3, 'parts');
    const before = await blobFiles();
    const { UploadId } = await t.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'assembled' }));
    const bodies = [randomBody(5 * MiB), randomBody(1000), randomBody(2000)];
    const etags: string[] = [];
    for (const [i, Body] of bodies.entries()) {
      const out = await t.s3.send(
        new UploadPartCommand({ Bucket, Key: 'assembled', UploadId, PartNumber: i + 1, Body }),
      );
      etags.push(out.ETag as string);
    }
    expect((await blobFiles()).length).toBe(before.length + 3);
    await t.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key: 'assembled',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: etags[0] },
            { PartNumber: 3, ETag: etags[2] },
          ],
        },
      }),
    );
    expect((await blobFiles()).length).toBe(before.length + 2);
    const got = await t.s3.send(
      new GetObjectCommand({ Bucket, Key: 'assembled', Range: 'bytes=5242870-5242889' }),
    );
    const joined = Buffer.concat([bodies[0] as Buffer, bodies[2] as Buffer]);
    expect((await bodyOf(got)).equals(joined.subarray(5242870, 5242890))).toBe(true);
    expect(md5Hex(await bodyOf(await t.s3.send(new GetObjectCommand({ Bucket, Key: 'assembled' }))))).toBe(
      md5Hex(joined),
    );

    const aborted = await t.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'dropped' }));
    await t.s3.send(
      new UploadPartCommand({ Bucket, Key: 'dropped', UploadId: aborted.UploadId, PartNumber: 1, Body: 'x' }),
    );
    await t.s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'dropped', UploadId: aborted.UploadId }));
    expect((await blobFiles()).length).toBe(before.length + 2);
  });

  it('works again after a reset, which drops every file', async () => {
    await newBucket(t.s3, 'before-reset');
    t.h.server.reset('s3');
    expect(await blobFiles()).toEqual([]);
    const Bucket = await newBucket(t.s3, 'after-reset');
    const body = randomBody(80_000);
    await put(t.s3, Bucket, 'fresh', body);
    expect((await bodyOf(await t.s3.send(new GetObjectCommand({ Bucket, Key: 'fresh' })))).equals(body)).toBe(
      true,
    );
  });
});
