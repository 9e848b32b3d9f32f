/**
 * `Expect: 100-continue` as S3 answers it: a request it would refuse anyway (no such bucket,
 * a bad signature, a bad header, a failed precondition) gets its final answer at once,
 * without a 100, so the client never sends the body; one it takes gets `100 Continue`, then
 * the body, then its answer. Raw HTTP: the client waits for the 100 before it writes a byte
 * of the body, and records whether it ever did.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../harness.js';
import { bodyOf, etagOf, newBucket, put, randomBody, useS3, xmlError } from './setup.js';

interface ContinueExchange {
  status: number;
  text: string;
  etag?: string;
  /** the server sent 100 Continue */
  continued: boolean;
  /** the client wrote the body (it does only after a 100) */
  bodySent: boolean;
}

/** A signed PUT with `Expect: 100-continue` whose body goes out only after a 100 Continue. */
async function putExpectingContinue(
  url: string,
  path: string,
  body: Buffer,
  options: { headers?: Record<string, string>; secret?: string } = {},
): Promise<ContinueExchange> {
  const { hostname, port, host } = new URL(url);
  const signer = new SignatureV4({
    service: 's3',
    region: 'us-east-1',
    credentials: { ...TEST_CREDENTIALS, secretAccessKey: options.secret ?? TEST_CREDENTIALS.secretAccessKey },
    sha256: Sha256,
    uriEscapePath: false,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'PUT',
      protocol: 'http:',
      hostname,
      port: Number(port),
      path,
      headers: {
        ...options.headers,
        host,
        expect: '100-continue',
        'content-length': String(body.length),
        'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
      },
    }),
  );
  return new Promise((resolve, reject) => {
    let continued = false;
    let bodySent = false;
    const out = request({ hostname, port, method: 'PUT', path, headers: signed.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (!bodySent) out.destroy();
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString(),
          etag: res.headers.etag,
          continued,
          bodySent,
        });
      });
    });
    out.on('continue', () => {
      continued = true;
      bodySent = true;
      out.end(body);
    });
    out.on('error', (err: NodeJS.ErrnoException) => {
      // destroyed once the answer came without a 100: not a failure
      if (err.code !== 'ECONNRESET') reject(err);
    });
    out.flushHeaders();
  });
}

describe('Expect: 100-continue', () => {
  const t = useS3();
  const body = randomBody(256 * 1024);

  it('answers a missing bucket with NoSuchBucket before the body', async () => {
    const res = await putExpectingContinue(t.h.url, '/no-such-bucket-here/k', body);
    expect(res).toMatchObject({ status: 404, continued: false, bodySent: false });
    expect(xmlError(res.text).code).toBe('NoSuchBucket');
  });

  it('sends 100 Continue to a bucket that exists, then takes the body', async () => {
    const bucket = await newBucket(t.s3, 'continue');
    const res = await putExpectingContinue(t.h.url, `/${bucket}/object`, body);
    expect(res).toMatchObject({ status: 200, continued: true, bodySent: true, etag: etagOf(body) });
    const got = await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'object' }));
    expect((await bodyOf(got)).equals(body)).toBe(true);
  });

  it('refuses a bad header (an unknown storage class) before the body', async () => {
    const bucket = await newBucket(t.s3, 'continue');
    const res = await putExpectingContinue(t.h.url, `/${bucket}/object`, body, {
      headers: { 'x-amz-storage-class': 'NOT_A_CLASS' },
    });
    expect(res).toMatchObject({ status: 400, continued: false, bodySent: false });
    expect(xmlError(res.text).code).toBe('InvalidStorageClass');
  });

  it('refuses a failed If-None-Match: * before the body', async () => {
    const bucket = await newBucket(t.s3, 'continue');
    await put(t.s3, bucket, 'taken', 'first');
    const res = await putExpectingContinue(t.h.url, `/${bucket}/taken`, body, {
      headers: { 'if-none-match': '*' },
    });
    expect(res).toMatchObject({ status: 412, continued: false, bodySent: false });
    expect(xmlError(res.text).code).toBe('PreconditionFailed');
  });

  it('keeps serving after a refusal: the connection the body was not sent on is closed', async () => {
    await putExpectingContinue(t.h.url, '/no-such-bucket-here/k', body);
    const bucket = await newBucket(t.s3, 'continue');
    expect(await put(t.s3, bucket, 'after', 'still serving')).toBe(etagOf('still serving'));
  });
});

describe('Expect: 100-continue with signatures checked', () => {
  const t = useS3({ strictAuth: true, credentials: { test: 'test' } });

  it('answers a wrong signature with SignatureDoesNotMatch before the body', async () => {
    const bucket = await newBucket(t.s3, 'continue');
    const res = await putExpectingContinue(t.h.url, `/${bucket}/object`, randomBody(1024), {
      secret: 'not-the-secret',
    });
    expect(res).toMatchObject({ status: 403, continued: false, bodySent: false });
    expect(xmlError(res.text).code).toBe('SignatureDoesNotMatch');
  });

  it('sends 100 Continue to a request signed right', async () => {
    const bucket = await newBucket(t.s3, 'continue');
    const small = randomBody(1024);
    const res = await putExpectingContinue(t.h.url, `/${bucket}/object`, small);
    expect(res).toMatchObject({ status: 200, continued: true, etag: etagOf(small) });
  });
});
