/**
 * Presigned URL expiry against the server clock: a URL works until X-Amz-Expires seconds after
 * it was signed, then S3 answers 403 AccessDenied "Request has expired" with the expiry and
 * the server time. The clock is moved with the admin API rather than by sleeping; this file
 * has its own server because the move is for good.
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { newBucket, put, useS3, xmlError } from './setup.js';

const t = useS3();

describe('presigned URL expiry', () => {
  it('honours a URL until it expires, then refuses GET and PUT with AccessDenied "Request has expired"', async () => {
    const Bucket = await newBucket(t.s3, 'expiring');
    await put(t.s3, Bucket, 'report.csv', 'a,b,c');
    const presigner = t.client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
    const getUrl = await getSignedUrl(presigner, new GetObjectCommand({ Bucket, Key: 'report.csv' }), {
      expiresIn: 120,
    });
    const putUrl = await getSignedUrl(presigner, new PutObjectCommand({ Bucket, Key: 'upload.csv' }), {
      expiresIn: 120,
    });
    expect((await fetch(getUrl)).status).toBe(200);

    t.h.server.advanceClock(60);
    expect((await fetch(getUrl)).status).toBe(200);

    t.h.server.advanceClock(61);
    const expired = await fetch(getUrl);
    const text = await expired.text();
    expect(expired.status).toBe(403);
    expect(xmlError(text)).toEqual({ code: 'AccessDenied', message: 'Request has expired' });
    expect(text).toContain('<X-Amz-Expires>120</X-Amz-Expires>');
    expect(text).toMatch(/<Expires>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/Expires>/);
    expect(text).toMatch(/<ServerTime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/ServerTime>/);

    const upload = await fetch(putUrl, { method: 'PUT', body: 'late' });
    expect(upload.status).toBe(403);
    expect(xmlError(await upload.text()).code).toBe('AccessDenied');
  });
});
