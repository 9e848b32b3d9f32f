/**
 * Integrity checks on upload and their return on download, as "Checking object integrity"
 * documents them: Content-MD5 (BadDigest, InvalidDigest), each x-amz-checksum-* algorithm
 * verified, stored and returned with ChecksumMode ENABLED, the aws-chunked body with a
 * trailing checksum that SDK v3 sends for streams, and the CRC64NVME S3 adds by default.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  type ChecksumAlgorithm,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALGORITHMS, type Algorithm, checksum } from './checksums.js';
import { signedRequest } from './raw-http.js';
import { bodyOf, etagOf, MiB, md5Hex, newBucket, randomBody, s3Error, useS3 } from './setup.js';

const t = useS3();
const s3 = () => t.s3;
let bucket: string;

beforeAll(async () => {
  bucket = await newBucket(s3(), 'checksums');
});

const FIELD = {
  CRC32: 'ChecksumCRC32',
  CRC32C: 'ChecksumCRC32C',
  CRC64NVME: 'ChecksumCRC64NVME',
  SHA1: 'ChecksumSHA1',
  SHA256: 'ChecksumSHA256',
} as const;

/** Records the headers of the last request the client put on the wire. */
function recordHeaders(client: S3Client): () => Record<string, string> {
  let last: Record<string, string> = {};
  client.middlewareStack.add(
    (next) => async (args) => {
      last = { ...(args.request as { headers: Record<string, string> }).headers };
      return next(args);
    },
    { step: 'deserialize', name: 'recordRequestHeaders' },
  );
  return () => last;
}

const md5Base64 = (data: string | Buffer) => createHash('md5').update(data).digest('base64');

describe('Content-MD5', () => {
  it('accepts a body whose Content-MD5 matches', async () => {
    const out = await s3().send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'md5-ok',
        Body: 'checked',
        ContentMD5: md5Base64('checked'),
      }),
    );
    expect(out.ETag).toBe(etagOf('checked'));
  });

  it('refuses a body whose Content-MD5 differs with BadDigest, storing nothing', async () => {
    await expect(
      s3().send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'md5-bad',
          Body: 'checked',
          ContentMD5: md5Base64('other'),
        }),
      ),
    ).rejects.toMatchObject(
      s3Error('BadDigest', 400, { message: 'The Content-MD5 you specified did not match what we received.' }),
    );
    await expect(s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'md5-bad' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('refuses a Content-MD5 that is not a base64 MD5 with InvalidDigest', async () => {
    await expect(
      s3().send(
        new PutObjectCommand({ Bucket: bucket, Key: 'md5-invalid', Body: 'x', ContentMD5: 'not-an-md5' }),
      ),
    ).rejects.toMatchObject(
      // the reference says "is not valid", S3 itself answers "was invalid": hold to the subject
      s3Error('InvalidDigest', 400, { message: expect.stringContaining('The Content-MD5 you specified') }),
    );
  });
});

describe('x-amz-checksum-* on PutObject', () => {
  const body = Buffer.from('The quick brown fox jumps over the lazy dog');

  for (const algorithm of ALGORITHMS) {
    it(`verifies, stores and returns ${algorithm} with ChecksumMode ENABLED`, async () => {
      const Key = `algorithm-${algorithm}`;
      const expected = checksum(algorithm, body);
      const put = await s3().send(
        new PutObjectCommand({
          Bucket: bucket,
          Key,
          Body: body,
          ChecksumAlgorithm: algorithm as ChecksumAlgorithm,
        }),
      );
      expect(put[FIELD[algorithm]]).toBe(expected);
      const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key, ChecksumMode: 'ENABLED' }));
      expect(head[FIELD[algorithm]]).toBe(expected);
      expect(head.ChecksumType).toBe('FULL_OBJECT');
      const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key, ChecksumMode: 'ENABLED' }));
      expect(got[FIELD[algorithm]]).toBe(expected);
      expect((await bodyOf(got)).equals(body)).toBe(true);
    });

    it(`refuses a wrong ${algorithm} with BadDigest`, async () => {
      const input = {
        Bucket: bucket,
        Key: `wrong-${algorithm}`,
        Body: body,
        [FIELD[algorithm]]: checksum(algorithm, Buffer.from('a different body')),
      } as PutObjectCommandInput;
      await expect(s3().send(new PutObjectCommand(input))).rejects.toMatchObject(
        s3Error('BadDigest', 400, {
          message: `The ${algorithm} you specified did not match the calculated checksum.`,
        }),
      );
    });
  }

  it('does not return checksums unless ChecksumMode is ENABLED', async () => {
    await s3().send(
      new PutObjectCommand({ Bucket: bucket, Key: 'mode-off', Body: body, ChecksumAlgorithm: 'SHA256' }),
    );
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'mode-off' }));
    expect(head.ChecksumSHA256).toBeUndefined();
  });

  it('adds a CRC64NVME checksum to an object uploaded without one', async () => {
    const bytes = Buffer.from('uploaded with no checksum at all');
    const res = await signedRequest(t.h.url, { method: 'PUT', path: `/${bucket}/no-checksum`, body: bytes });
    expect(res.status).toBe(200);
    const head = await s3().send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'no-checksum', ChecksumMode: 'ENABLED' }),
    );
    expect(head.ChecksumCRC64NVME).toBe(checksum('CRC64NVME', bytes));
  });
});

describe("SDK v3's aws-chunked uploads with a trailing checksum", () => {
  const streamed = async (Key: string, bytes: Buffer, more: Partial<PutObjectCommandInput> = {}) => {
    const client = t.client();
    const sent = recordHeaders(client);
    const out = await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key,
        Body: Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
        ContentLength: bytes.length,
        ...more,
      }),
    );
    return { out, headers: sent() };
  };

  it('decodes the chunks, verifies the trailing CRC32 and stores exactly the bytes', async () => {
    const bytes = randomBody(MiB + 3);
    const { out, headers } = await streamed('chunked-crc32', bytes);
    // the SDK really sent the encoding this test is about
    expect(headers['x-amz-content-sha256']).toBe('STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    expect(headers['content-encoding']).toContain('aws-chunked');
    expect(headers['x-amz-trailer']).toBe('x-amz-checksum-crc32');
    expect(headers['x-amz-decoded-content-length']).toBe(String(bytes.length));
    expect(out.ETag).toBe(etagOf(bytes));
    expect(out.ChecksumCRC32).toBe(checksum('CRC32', bytes));
    const got = await s3().send(
      new GetObjectCommand({ Bucket: bucket, Key: 'chunked-crc32', ChecksumMode: 'ENABLED' }),
    );
    expect(got.ContentLength).toBe(bytes.length);
    expect(got.ChecksumCRC32).toBe(checksum('CRC32', bytes));
    expect(md5Hex(await bodyOf(got))).toBe(md5Hex(bytes));
  });

  for (const algorithm of ['SHA256', 'CRC64NVME'] as Algorithm[]) {
    it(`carries a trailing ${algorithm} when asked for one`, async () => {
      const bytes = randomBody(70_000);
      const { out, headers } = await streamed(`chunked-${algorithm}`, bytes, {
        ChecksumAlgorithm: algorithm as ChecksumAlgorithm,
      });
      expect(headers['x-amz-trailer']).toBe(`x-amz-checksum-${algorithm.toLowerCase()}`);
      expect(out[FIELD[algorithm]]).toBe(checksum(algorithm, bytes));
    });
  }

  it('keeps a Content-Encoding sent beside aws-chunked, without aws-chunked', async () => {
    const bytes = randomBody(5000);
    const { headers } = await streamed('chunked-gzip', bytes, { ContentEncoding: 'gzip' });
    expect(headers['content-encoding']).toContain('aws-chunked');
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'chunked-gzip' }));
    expect(head.ContentEncoding).toBe('gzip');
    expect(head.ContentLength).toBe(bytes.length);
  });
});
