/**
 * Bodies in signed aws-chunked encoding (x-amz-content-sha256:
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD), as older SDKs and many S3 tools send them: each
 * chunk carries a signature chained from the request's. The server stores the decoded bytes;
 * a strict server verifies every chunk signature ("Signature calculations for the
 * Authorization header: transferring payload in multiple chunks").
 */
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { signedChunkedPut } from './raw-http.js';
import { bodyOf, etagOf, md5Hex, newBucket, randomBody, type S3Harness, useS3, xmlError } from './setup.js';

const CHUNKS = [randomBody(64 * 1024), randomBody(64 * 1024), randomBody(1000)];
const WHOLE = Buffer.concat(CHUNKS);

function storesDecodedBytes(t: S3Harness) {
  it('stores the decoded bytes, with their MD5 as ETag', async () => {
    const Bucket = await newBucket(t.s3, 'chunked');
    const res = await signedChunkedPut(t.h.url, `/${Bucket}/signed-chunks.bin`, CHUNKS, {
      headers: { 'content-type': 'application/x-chunked-test' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(etagOf(WHOLE));
    const got = await t.s3.send(new GetObjectCommand({ Bucket, Key: 'signed-chunks.bin' }));
    expect(got.ContentLength).toBe(WHOLE.length);
    expect(got.ContentType).toBe('application/x-chunked-test');
    expect(got.ContentEncoding).toBeUndefined();
    expect(md5Hex(await bodyOf(got))).toBe(md5Hex(WHOLE));
  });
}

describe('signed aws-chunked bodies, lenient server', () => {
  storesDecodedBytes(useS3());
});

describe('signed aws-chunked bodies, strict server', () => {
  const t = useS3({ strictAuth: true, credentials: { test: 'test' } });
  storesDecodedBytes(t);

  it('refuses a chunk whose bytes do not match its signature with SignatureDoesNotMatch, storing nothing', async () => {
    const Bucket = await newBucket(t.s3, 'tampered');
    const res = await signedChunkedPut(t.h.url, `/${Bucket}/tampered.bin`, CHUNKS, { tamper: true });
    expect(res.status).toBe(403);
    expect(xmlError(res.body.toString()).code).toBe('SignatureDoesNotMatch');
    await expect(t.s3.send(new HeadObjectCommand({ Bucket, Key: 'tampered.bin' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
  });
});
