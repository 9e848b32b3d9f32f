/**
 * CORS ("Using cross-origin resource sharing"): the bucket's rules are stored and returned;
 * an OPTIONS preflight is answered from the first rule matching origin, method and requested
 * headers, and with 403 AccessForbidden when none does or the bucket has no configuration;
 * actual requests carrying Origin get the matching rule's headers. Raw HTTP, as a browser.
 */
import {
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RawResponse, send, signedRequest } from './raw-http.js';
import { newBucket, put, s3Error, useS3, xmlError } from './setup.js';

const t = useS3();
const s3 = () => t.s3;
let bucket: string;

const APP = 'https://app.example.com';
const RULES = [
  {
    ID: 'app-uploads',
    AllowedOrigins: [APP],
    AllowedMethods: ['GET', 'PUT'],
    AllowedHeaders: ['content-type', 'x-amz-*'],
    ExposeHeaders: ['ETag', 'x-amz-version-id'],
    MaxAgeSeconds: 600,
  },
  { ID: 'public-reads', AllowedOrigins: ['*'], AllowedMethods: ['GET', 'HEAD'] },
];

beforeAll(async () => {
  bucket = await newBucket(s3(), 'cors');
  await s3().send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: RULES } }));
  await put(s3(), bucket, 'asset.txt', 'asset');
});

function preflight(path: string, origin: string | undefined, method: string, headers?: string) {
  return send(t.h.url, {
    method: 'OPTIONS',
    path,
    headers: {
      ...(origin ? { origin } : {}),
      'access-control-request-method': method,
      ...(headers ? { 'access-control-request-headers': headers } : {}),
    },
  });
}

const header = (res: RawResponse, name: string) => {
  const value = res.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};
const list = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim().toLowerCase());

describe('bucket CORS configuration', () => {
  it('returns the rules as they were put', async () => {
    const out = await s3().send(new GetBucketCorsCommand({ Bucket: bucket }));
    expect(out.CORSRules).toEqual(RULES);
  });

  it('deletes the configuration, after which GetBucketCors is NoSuchCORSConfiguration', async () => {
    const Bucket = await newBucket(s3(), 'cors-deleted');
    await s3().send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: RULES } }));
    const out = await s3().send(new DeleteBucketCorsCommand({ Bucket }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expect(s3().send(new GetBucketCorsCommand({ Bucket }))).rejects.toMatchObject(
      s3Error('NoSuchCORSConfiguration', 404, { message: 'The CORS configuration does not exist' }),
    );
  });
});

describe('preflight OPTIONS', () => {
  it('allows a matching origin, method and headers with the rule’s headers', async () => {
    const res = await preflight(`/${bucket}/uploads/new.png`, APP, 'PUT', 'Content-Type, X-Amz-Meta-Owner');
    expect(res.status).toBe(200);
    expect(header(res, 'access-control-allow-origin')).toBe(APP);
    expect(list(header(res, 'access-control-allow-methods'))).toEqual(['get', 'put']);
    expect(list(header(res, 'access-control-allow-headers'))).toEqual(['content-type', 'x-amz-meta-owner']);
    expect(list(header(res, 'access-control-expose-headers'))).toEqual(['etag', 'x-amz-version-id']);
    expect(header(res, 'access-control-max-age')).toBe('600');
    expect(header(res, 'access-control-allow-credentials')).toBe('true');
    expect(list(header(res, 'vary'))).toContain('origin');
  });

  it('answers a wildcard origin rule with Access-Control-Allow-Origin: *', async () => {
    const res = await preflight(`/${bucket}/asset.txt`, 'https://anyone.example', 'GET');
    expect(res.status).toBe(200);
    expect(header(res, 'access-control-allow-origin')).toBe('*');
    expect(list(header(res, 'access-control-allow-methods'))).toEqual(['get', 'head']);
    expect(header(res, 'access-control-allow-credentials')).toBeUndefined();
  });

  it("matches an origin against a rule's one wildcard", async () => {
    const Bucket = await newBucket(s3(), 'cors-wildcard');
    await s3().send(
      new PutBucketCorsCommand({
        Bucket,
        CORSConfiguration: {
          CORSRules: [{ AllowedOrigins: ['https://*.example.com'], AllowedMethods: ['GET'] }],
        },
      }),
    );
    const sub = await preflight(`/${Bucket}/k`, 'https://shop.example.com', 'GET');
    expect(sub.status).toBe(200);
    expect(header(sub, 'access-control-allow-origin')).toBe('https://shop.example.com');
    const deeper = await preflight(`/${Bucket}/k`, 'https://a.b.example.com', 'GET');
    expect(deeper.status).toBe(200);
    for (const origin of ['https://example.com', 'http://shop.example.com', 'https://shop.example.org']) {
      const refused = await preflight(`/${Bucket}/k`, origin, 'GET');
      expect(refused.status).toBe(403);
      expect(header(refused, 'access-control-allow-origin')).toBeUndefined();
    }
  });

  it('answers preflights for the bucket itself as well as for keys', async () => {
    const res = await preflight(`/${bucket}`, APP, 'GET');
    expect(res.status).toBe(200);
    expect(header(res, 'access-control-allow-origin')).toBe(APP);
  });

  const refused: [string, string, string, string?][] = [
    ['an origin no rule allows', 'https://evil.example', 'PUT'],
    ['a method no rule allows', APP, 'DELETE'],
    ['a header no rule allows', APP, 'PUT', 'authorization-extra'],
  ];
  for (const [what, origin, method, headers] of refused) {
    it(`refuses ${what} with 403 AccessForbidden and no CORS headers`, async () => {
      const res = await preflight(`/${bucket}/asset.txt`, origin, method, headers);
      expect(res.status).toBe(403);
      const error = xmlError(res.body.toString());
      expect(error.code).toBe('AccessForbidden');
      expect(error.message).toMatch(/^CORSResponse: /);
      expect(header(res, 'access-control-allow-origin')).toBeUndefined();
    });
  }

  it('refuses every preflight to a bucket without CORS configuration with 403 AccessForbidden', async () => {
    const Bucket = await newBucket(s3(), 'no-cors');
    const res = await preflight(`/${Bucket}/x`, APP, 'GET');
    expect(res.status).toBe(403);
    expect(xmlError(res.body.toString())).toEqual({
      code: 'AccessForbidden',
      message: 'CORSResponse: CORS is not enabled for this bucket.',
    });
  });

  it('refuses a preflight without Origin with 400', async () => {
    const res = await preflight(`/${bucket}/asset.txt`, undefined, 'GET');
    expect(res.status).toBe(400);
  });
});

describe('actual cross-origin requests', () => {
  it('adds the matching rule’s headers to a GET with Origin', async () => {
    const res = await signedRequest(t.h.url, {
      method: 'GET',
      path: `/${bucket}/asset.txt`,
      headers: { origin: APP },
    });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('asset');
    expect(header(res, 'access-control-allow-origin')).toBe(APP);
    expect(list(header(res, 'access-control-expose-headers'))).toEqual(['etag', 'x-amz-version-id']);
  });

  it('adds no CORS headers without Origin, nor for an origin no rule allows for the method', async () => {
    const plain = await signedRequest(t.h.url, { method: 'GET', path: `/${bucket}/asset.txt` });
    expect(plain.status).toBe(200);
    expect(header(plain, 'access-control-allow-origin')).toBeUndefined();
    const url = await getSignedUrl(
      t.client({ requestChecksumCalculation: 'WHEN_REQUIRED' }),
      new PutObjectCommand({ Bucket: bucket, Key: 'foreign.txt' }),
    );
    const { pathname, search } = new URL(url);
    const foreign = await send(t.h.url, {
      method: 'PUT',
      path: `${pathname}${search}`,
      headers: { origin: 'https://evil.example', 'content-length': '1' },
      body: 'x',
    });
    // S3 does not block the request itself: the browser withholds the response
    expect(foreign.status).toBe(200);
    expect(header(foreign, 'access-control-allow-origin')).toBeUndefined();
  });

  it('lets a browser page PUT to a presigned URL: preflight, then the upload with CORS headers', async () => {
    const url = await getSignedUrl(
      t.client({ requestChecksumCalculation: 'WHEN_REQUIRED' }),
      new PutObjectCommand({ Bucket: bucket, Key: 'browser-upload.txt' }),
    );
    const { pathname, search } = new URL(url);
    const allowed = await preflight(`${pathname}${search}`, APP, 'PUT', 'content-type');
    expect(allowed.status).toBe(200);
    const upload = await send(t.h.url, {
      method: 'PUT',
      path: `${pathname}${search}`,
      headers: { origin: APP, 'content-type': 'text/plain', 'content-length': '13' },
      body: 'from the page',
    });
    expect(upload.status).toBe(200);
    expect(header(upload, 'access-control-allow-origin')).toBe(APP);
    expect(header(upload, 'etag')).toBeTruthy();
  });
});
