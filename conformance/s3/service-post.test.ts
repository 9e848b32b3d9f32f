/**
 * Browser form uploads (POST Object, "Browser-based uploads using POST"): a multipart/form-data
 * POST to the bucket with a policy signed by SigV4 (or SigV2), as an HTML form sends it. The
 * policy's expiry and conditions hold, every field needs a condition, the file streams to disk,
 * and the answer is 204, 200, 201 with a PostResponse document, or a 303 redirect.
 */
import { createHmac } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, etagOf, newBucket, useS3, xmlError } from './setup.js';

const t = useS3({ strictAuth: true });
/** The variable a key field names the uploaded file by. */
const FILENAME = '$' + '{filename}';
let bucket: string;

beforeAll(async () => {
  bucket = await newBucket(t.s3, 'form-uploads');
});

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** The fields of a SigV4-signed POST policy, built as the AWS documentation describes. */
function signedFields(conditions: unknown[], options: { expiresIn?: number; secret?: string } = {}) {
  const now = new Date();
  const amzDate = `${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
  const day = amzDate.slice(0, 8);
  const credential = `test/${day}/us-east-1/s3/aws4_request`;
  const expiration = new Date(now.getTime() + (options.expiresIn ?? 600) * 1000).toISOString();
  const policy = Buffer.from(
    JSON.stringify({
      expiration,
      conditions: [
        ...conditions,
        { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
        { 'x-amz-credential': credential },
        { 'x-amz-date': amzDate },
      ],
    }),
  ).toString('base64');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${options.secret ?? 'test'}`, day), 'us-east-1'), 's3'),
    'aws4_request',
  );
  return {
    'x-amz-algorithm': 'AWS4-HMAC-SHA256',
    'x-amz-credential': credential,
    'x-amz-date': amzDate,
    policy,
    'x-amz-signature': createHmac('sha256', key).update(policy).digest('hex'),
  };
}

async function post(fields: Record<string, string>, file: string, filename = 'photo.png') {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([file], { type: 'image/png' }), filename);
  const res = await fetch(`${t.h.url}/${bucket}`, { method: 'POST', body: form, redirect: 'manual' });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The policy conditions of a form to the test bucket. */
const conditions = (...more: unknown[]) => [{ bucket }, ...more];

describe('POST Object with a SigV4 policy', () => {
  it('stores the file under the key, with the form’s headers, and answers 204 with the ETag', async () => {
    const fields = {
      key: `uploads/${FILENAME}`,
      'Content-Type': 'image/png',
      'x-amz-meta-album': 'holidays',
      ...signedFields(
        conditions(['starts-with', '$key', 'uploads/'], ['eq', '$Content-Type', 'image/png'], {
          'x-amz-meta-album': 'holidays',
        }),
      ),
    };
    const res = await post(fields, 'png bytes', 'beach.png');
    expect(res.status).toBe(204);
    expect(res.headers.get('etag')).toBe(etagOf('png bytes'));
    const got = await t.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'uploads/beach.png' }));
    expect((await bodyOf(got)).toString()).toBe('png bytes');
    expect(got.ContentType).toBe('image/png');
    expect(got.Metadata).toEqual({ album: 'holidays' });
  });

  it('answers success_action_status 201 with a PostResponse document', async () => {
    const fields = {
      key: 'created.txt',
      success_action_status: '201',
      ...signedFields(conditions({ key: 'created.txt' }, { success_action_status: '201' })),
    };
    const res = await post(fields, 'created');
    expect(res.status).toBe(201);
    // XML text carries the ETag's quotes as entities, as S3 writes them
    const etag = etagOf('created').replaceAll('"', '&quot;');
    expect(res.text).toContain(`<Bucket>${bucket}</Bucket><Key>created.txt</Key><ETag>${etag}</ETag>`);
  });

  it('redirects to success_action_redirect with bucket, key and ETag', async () => {
    const fields = {
      key: 'redirected.txt',
      success_action_redirect: 'https://app.example.com/done?x=1',
      ...signedFields(
        conditions({ key: 'redirected.txt' }, [
          'starts-with',
          '$success_action_redirect',
          'https://app.example.com/',
        ]),
      ),
    };
    const res = await post(fields, 'moved');
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe('https://app.example.com/done');
    expect(Object.fromEntries(location.searchParams)).toEqual({
      x: '1',
      bucket,
      key: 'redirected.txt',
      etag: etagOf('moved'),
    });
  });

  it('refuses a field the policy does not cover, a failed condition and an expired policy with AccessDenied', async () => {
    const extra = await post(
      { key: 'extra.txt', 'x-amz-meta-unlisted': 'x', ...signedFields(conditions({ key: 'extra.txt' })) },
      'x',
    );
    expect(extra.status).toBe(403);
    expect(xmlError(extra.text)).toEqual({
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Extra input fields: x-amz-meta-unlisted',
    });
    const failed = await post(
      { key: 'elsewhere/x.txt', ...signedFields(conditions(['starts-with', '$key', 'uploads/'])) },
      'x',
    );
    expect(xmlError(failed.text).message).toBe(
      'Invalid according to Policy: Policy Condition failed: [&quot;starts-with&quot;, &quot;$key&quot;, &quot;uploads/&quot;]',
    );
    const expired = await post(
      { key: 'late.txt', ...signedFields(conditions({ key: 'late.txt' }), { expiresIn: -60 }) },
      'x',
    );
    expect(xmlError(expired.text)).toEqual({
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Policy expired.',
    });
    await expect(t.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'late.txt' }))).rejects.toMatchObject(
      {
        $metadata: { httpStatusCode: 404 },
      },
    );
  });

  it('holds the file to content-length-range with EntityTooLarge, storing nothing', async () => {
    const fields = {
      key: 'bounded.txt',
      ...signedFields(conditions({ key: 'bounded.txt' }, ['content-length-range', 1, 5])),
    };
    const res = await post(fields, 'far too long');
    expect(res.status).toBe(400);
    expect(xmlError(res.text).code).toBe('EntityTooLarge');
    expect((await post(fields, 'short')).status).toBe(204);
  });

  it('refuses a policy signed with another secret with SignatureDoesNotMatch', async () => {
    const res = await post(
      { key: 'forged.txt', ...signedFields(conditions({ key: 'forged.txt' }), { secret: 'not-the-secret' }) },
      'x',
    );
    expect(res.status).toBe(403);
    expect(xmlError(res.text).code).toBe('SignatureDoesNotMatch');
  });

  it('refuses an unsigned form on a strict server, and a form without a key', async () => {
    const unsigned = await post({ key: 'anonymous.txt' }, 'x');
    expect(unsigned.status).toBe(403);
    const keyless = await post({ ...signedFields(conditions()) }, 'x');
    expect(keyless.status).toBe(400);
    expect(xmlError(keyless.text).code).toBe('InvalidArgument');
  });
});

describe('POST Object with a SigV2 policy', () => {
  it('verifies the HMAC-SHA1 signature of the policy', async () => {
    const policy = Buffer.from(
      JSON.stringify({
        expiration: new Date(Date.now() + 600_000).toISOString(),
        conditions: [{ bucket }, { key: 'legacy.txt' }],
      }),
    ).toString('base64');
    const sign = (secret: string) => createHmac('sha1', secret).update(policy).digest('base64');
    const good = await post(
      { key: 'legacy.txt', AWSAccessKeyId: 'test', policy, signature: sign('test') },
      'old sdk',
    );
    expect(good.status).toBe(204);
    const bad = await post(
      { key: 'legacy.txt', AWSAccessKeyId: 'test', policy, signature: sign('wrong') },
      'x',
    );
    expect(xmlError(bad.text).code).toBe('SignatureDoesNotMatch');
  });
});
