/**
 * Presigned URLs as applications use them ("Sharing objects with presigned URLs"): made by
 * the SDK's getSignedUrl, used with fetch. GET, HEAD, PUT and DELETE work; a PUT stores exactly
 * the bytes sent; a changed key, method or signed header fails with SignatureDoesNotMatch,
 * whether the server is strict or only knows the secret; X-Amz-Expires above 7 days is
 * refused. The SigV2 query form boto3 still produces is verified the same way.
 * Expiry against the server clock is in presigned-expiry.test.ts (it moves the clock).
 */
import { createHmac } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, etagOf, newBucket, put, randomBody, type S3Harness, useS3, xmlError } from './setup.js';

/** What a client sees from a presigned URL used with fetch. */
async function use(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, ...xmlError(text) };
}

/** The same URL with one query parameter changed. */
function withParam(url: string, name: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.toString();
}

/**
 * A presigning client as browser-upload code configures one: without the default checksum,
 * which would sign the CRC32 of an empty body into a PUT URL (aws-sdk-js-v3#6994).
 */
function presigner(t: S3Harness, credentials?: { accessKeyId: string; secretAccessKey: string }): S3Client {
  return t.client({ requestChecksumCalculation: 'WHEN_REQUIRED', ...(credentials ? { credentials } : {}) });
}

function presignedBehaviour(t: S3Harness) {
  let bucket: string;
  const s3 = () => t.s3;

  beforeAll(async () => {
    bucket = await newBucket(s3(), 'presigned');
  });

  it('GET returns the object', async () => {
    await put(s3(), bucket, 'shared.txt', 'shared content', { ContentType: 'text/plain' });
    const url = await getSignedUrl(
      presigner(t),
      new GetObjectCommand({ Bucket: bucket, Key: 'shared.txt' }),
      {
        expiresIn: 300,
      },
    );
    const res = await use(url);
    expect(res.status).toBe(200);
    expect(res.text).toBe('shared content');
    expect(res.headers.get('etag')).toBe(etagOf('shared content'));
    expect(res.headers.get('content-type')).toBe('text/plain');
  });

  it('HEAD returns the headers without a body', async () => {
    await put(s3(), bucket, 'headed', '12345');
    const url = await getSignedUrl(presigner(t), new HeadObjectCommand({ Bucket: bucket, Key: 'headed' }));
    const res = await use(url, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('5');
    expect(res.text).toBe('');
  });

  it('PUT stores exactly the bytes sent, with the unsigned Content-Type the client adds', async () => {
    const bytes = randomBody(256 * 1024);
    const url = await getSignedUrl(
      presigner(t),
      new PutObjectCommand({ Bucket: bucket, Key: 'uploads/photo.png' }),
    );
    const res = await use(url, {
      method: 'PUT',
      body: new Uint8Array(bytes),
      headers: { 'content-type': 'image/png' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(etagOf(bytes));
    const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'uploads/photo.png' }));
    expect((await bodyOf(got)).equals(bytes)).toBe(true);
    expect(got.ContentType).toBe('image/png');
  });

  it('DELETE removes the object', async () => {
    await put(s3(), bucket, 'to-delete');
    const url = await getSignedUrl(
      presigner(t),
      new DeleteObjectCommand({ Bucket: bucket, Key: 'to-delete' }),
    );
    expect((await use(url, { method: 'DELETE' })).status).toBe(204);
    await expect(
      s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'to-delete' })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('works for keys that need encoding', async () => {
    const Key = 'folder with space/ünïcode+plus.txt';
    await put(s3(), bucket, Key, 'encoded key');
    const url = await getSignedUrl(presigner(t), new GetObjectCommand({ Bucket: bucket, Key }));
    const res = await use(url);
    expect(res.status).toBe(200);
    expect(res.text).toBe('encoded key');
  });

  it('refuses a URL whose key was changed with SignatureDoesNotMatch', async () => {
    await put(s3(), bucket, 'signed-for', 'a');
    await put(s3(), bucket, 'other-key', 'b');
    const url = await getSignedUrl(presigner(t), new GetObjectCommand({ Bucket: bucket, Key: 'signed-for' }));
    const res = await use(url.replace('/signed-for?', '/other-key?'));
    expect(res.status).toBe(403);
    expect(res.code).toBe('SignatureDoesNotMatch');
  });

  it('refuses a URL used with another method with SignatureDoesNotMatch, and changes nothing', async () => {
    await put(s3(), bucket, 'read-only', 'still here');
    const url = await getSignedUrl(presigner(t), new GetObjectCommand({ Bucket: bucket, Key: 'read-only' }));
    const res = await use(url, { method: 'DELETE' });
    expect(res.status).toBe(403);
    expect(res.code).toBe('SignatureDoesNotMatch');
    const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'read-only' }));
    expect((await bodyOf(got)).toString()).toBe('still here');
  });

  it('refuses a PUT whose signed Content-Type was changed with SignatureDoesNotMatch', async () => {
    const url = await getSignedUrl(
      presigner(t),
      new PutObjectCommand({ Bucket: bucket, Key: 'typed', ContentType: 'text/csv' }),
      { signableHeaders: new Set(['content-type']) },
    );
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toContain('content-type');
    const ok = await use(url, { method: 'PUT', body: 'a,b', headers: { 'content-type': 'text/csv' } });
    expect(ok.status).toBe(200);
    const changed = await use(url, { method: 'PUT', body: 'a,b', headers: { 'content-type': 'text/html' } });
    expect(changed.status).toBe(403);
    expect(changed.code).toBe('SignatureDoesNotMatch');
  });

  it('refuses a tampered X-Amz-Expires with SignatureDoesNotMatch', async () => {
    await put(s3(), bucket, 'short-lived');
    const url = await getSignedUrl(
      presigner(t),
      new GetObjectCommand({ Bucket: bucket, Key: 'short-lived' }),
      {
        expiresIn: 60,
      },
    );
    const res = await use(withParam(url, 'X-Amz-Expires', '3600'));
    expect(res.status).toBe(403);
    expect(res.code).toBe('SignatureDoesNotMatch');
  });

  it('refuses X-Amz-Expires above 7 days with AuthorizationQueryParametersError', async () => {
    await put(s3(), bucket, 'week');
    const url = await getSignedUrl(presigner(t), new GetObjectCommand({ Bucket: bucket, Key: 'week' }), {
      expiresIn: 604800,
    });
    expect((await use(url)).status).toBe(200);
    const res = await use(withParam(url, 'X-Amz-Expires', '604801'));
    expect(res.status).toBe(400);
    expect(res.code).toBe('AuthorizationQueryParametersError');
    expect(res.message).toContain('X-Amz-Expires must be less than a week (in seconds)');
  });

  describe('SigV2 query authentication (AWSAccessKeyId, Expires, Signature)', () => {
    const sigV2Url = (method: string, Key: string, expires: number, secret = 'test') => {
      const resource = `/${bucket}/${Key}`;
      const signature = createHmac('sha1', secret)
        .update(`${method}\n\n\n${expires}\n${resource}`)
        .digest('base64');
      const query = new URLSearchParams({
        AWSAccessKeyId: 'test',
        Expires: String(expires),
        Signature: signature,
      });
      return `${t.h.url}${resource}?${query}`;
    };
    const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

    it('accepts a correctly signed GET', async () => {
      await put(s3(), bucket, 'v2-shared', 'legacy signature');
      const res = await use(sigV2Url('GET', 'v2-shared', inAnHour()));
      expect(res.status).toBe(200);
      expect(res.text).toBe('legacy signature');
    });

    it('refuses a wrong signature with SignatureDoesNotMatch', async () => {
      await put(s3(), bucket, 'v2-guarded');
      const res = await use(sigV2Url('GET', 'v2-guarded', inAnHour(), 'not-the-secret'));
      expect(res.status).toBe(403);
      expect(res.code).toBe('SignatureDoesNotMatch');
    });

    it('refuses an Expires in the past with AccessDenied', async () => {
      await put(s3(), bucket, 'v2-expired');
      const res = await use(sigV2Url('GET', 'v2-expired', Math.floor(Date.now() / 1000) - 60));
      expect(res.status).toBe(403);
      expect(res.code).toBe('AccessDenied');
      expect(res.message).toBe('Request has expired');
    });
  });
}

describe('presigned URLs, lenient server that knows the secret', () => {
  presignedBehaviour(useS3());
});

describe('presigned URLs, strict server', () => {
  const t = useS3({ strictAuth: true, credentials: { test: 'test' } });
  presignedBehaviour(t);

  it('refuses a URL signed with an unknown access key with InvalidAccessKeyId', async () => {
    const Bucket = await newBucket(t.s3, 'strict-unknown');
    await put(t.s3, Bucket, 'k');
    const url = await getSignedUrl(
      presigner(t, { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'whatever' }),
      new GetObjectCommand({ Bucket, Key: 'k' }),
    );
    const res = await use(url);
    expect(res.status).toBe(403);
    expect(res.code).toBe('InvalidAccessKeyId');
  });

  it('refuses a URL signed with the wrong secret with SignatureDoesNotMatch', async () => {
    const Bucket = await newBucket(t.s3, 'strict-wrong');
    await put(t.s3, Bucket, 'k');
    const url = await getSignedUrl(
      presigner(t, { accessKeyId: 'test', secretAccessKey: 'wrong' }),
      new GetObjectCommand({ Bucket, Key: 'k' }),
    );
    const res = await use(url);
    expect(res.status).toBe(403);
    expect(res.code).toBe('SignatureDoesNotMatch');
  });
});
