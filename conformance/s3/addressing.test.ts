/**
 * Addressing: virtual-hosted style (the bucket in the Host, "Virtual hosting of buckets") as
 * well as path style, from raw signed requests and from the SDK itself with forcePathStyle
 * off; and Expect: 100-continue, which the SDK and the AWS CLI send before large bodies.
 */
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedRequest } from './raw-http.js';
import { bodyOf, etagOf, newBucket, put, randomBody, useS3 } from './setup.js';

const t = useS3();
const s3 = () => t.s3;
let bucket: string;

beforeAll(async () => {
  bucket = await newBucket(s3(), 'addressed');
});

const port = () => new URL(t.h.url).port;

/** Resolves every name to the loopback address, since *.localhost need not resolve here. */
const loopback: LookupFunction = (_hostname, options, callback) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

describe('virtual-hosted style', () => {
  for (const suffix of ['localhost', 's3.localhost.localstack.cloud']) {
    it(`puts, gets and lists with Host: <bucket>.${suffix}:<port>`, async () => {
      const host = `${bucket}.${suffix}:${port()}`;
      const Key = `via-${suffix}/file.txt`;
      const putRes = await signedRequest(t.h.url, { method: 'PUT', path: `/${Key}`, host, body: 'virtual' });
      expect(putRes.status).toBe(200);
      expect(putRes.headers.etag).toBe(etagOf('virtual'));
      const got = await signedRequest(t.h.url, { method: 'GET', path: `/${Key}`, host });
      expect(got.status).toBe(200);
      expect(got.body.toString()).toBe('virtual');
      const listed = await signedRequest(t.h.url, {
        method: 'GET',
        path: `/?list-type=2&prefix=via-${suffix}`,
        host,
      });
      expect(listed.status).toBe(200);
      expect(listed.body.toString()).toContain(`<Key>${Key}</Key>`);
      // the same object by path style
      const byPath = await s3().send(new GetObjectCommand({ Bucket: bucket, Key }));
      expect((await bodyOf(byPath)).toString()).toBe('virtual');
    });
  }

  it('keeps a leading slash of a key in the virtual-hosted path', async () => {
    const host = `${bucket}.localhost:${port()}`;
    const res = await signedRequest(t.h.url, { method: 'PUT', path: '//rooted', host, body: 'slash' });
    expect(res.status).toBe(200);
    const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: '/rooted' }));
    expect((await bodyOf(got)).toString()).toBe('slash');
  });

  it('serves the SDK configured for virtual-hosted style', async () => {
    const virtual = new S3Client(
      t.h.clientConfig({
        endpoint: `http://localhost:${port()}`,
        forcePathStyle: false,
        requestHandler: { httpAgent: new Agent({ lookup: loopback }) },
      }),
    );
    await virtual.send(new PutObjectCommand({ Bucket: bucket, Key: 'from-virtual-sdk', Body: 'sdk' }));
    const listed = await virtual.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'from-virtual' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['from-virtual-sdk']);
    const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'from-virtual-sdk' }));
    expect((await bodyOf(got)).toString()).toBe('sdk');
  });
});

describe('Expect: 100-continue', () => {
  it('answers 100 Continue, then takes the body', async () => {
    const body = randomBody(2 * 1024 * 1024);
    const res = await signedRequest(t.h.url, {
      method: 'PUT',
      path: `/${bucket}/continued`,
      headers: { expect: '100-continue' },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(etagOf(body));
    await put(s3(), bucket, 'after-continue', 'still serving');
  });
});
