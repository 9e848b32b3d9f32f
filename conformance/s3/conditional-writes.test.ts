/**
 * Conditional writes, as S3 documents them ("How to prevent object overwrites with
 * conditional writes"): If-None-Match: * creates only, If-Match: <etag> replaces only the
 * version the writer read, on PutObject, CompleteMultipartUpload and CopyObject; a failed
 * condition is 412 PreconditionFailed and leaves the object as it was, and a create-only
 * completion whose key was deleted while the upload was open is 409 ConditionalRequestConflict.
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, etagOf, newBucket, PRECONDITION_FAILED, put, s3Error, useS3 } from './setup.js';

const t = useS3();
const s3 = () => t.s3;
let bucket: string;

beforeAll(async () => {
  bucket = await newBucket(s3(), 'conditional');
});

async function content(Key: string): Promise<string> {
  return (await bodyOf(await s3().send(new GetObjectCommand({ Bucket: bucket, Key })))).toString();
}

/** A one-part multipart upload of `body`, ready to complete. */
async function openUpload(Key: string, body: string) {
  const { UploadId } = await s3().send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }));
  const part = await s3().send(
    new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: 1, Body: body }),
  );
  return { Bucket: bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } };
}

describe('PutObject with If-None-Match: *', () => {
  it('creates a new key, then refuses to overwrite it with 412 and keeps the first body', async () => {
    const first = await s3().send(
      new PutObjectCommand({ Bucket: bucket, Key: 'create-only', Body: 'first', IfNoneMatch: '*' }),
    );
    expect(first.ETag).toBe(etagOf('first'));
    await expect(
      s3().send(
        new PutObjectCommand({ Bucket: bucket, Key: 'create-only', Body: 'second', IfNoneMatch: '*' }),
      ),
    ).rejects.toMatchObject({ ...PRECONDITION_FAILED, Condition: 'If-None-Match' });
    expect(await content('create-only')).toBe('first');
  });
});

describe('PutObject with If-Match', () => {
  it('replaces the object when the ETag is current, and refuses a stale ETag with 412', async () => {
    const v1 = await put(s3(), bucket, 'compare-and-swap', 'v1');
    const v2 = await s3().send(
      new PutObjectCommand({ Bucket: bucket, Key: 'compare-and-swap', Body: 'v2', IfMatch: v1 }),
    );
    expect(v2.ETag).toBe(etagOf('v2'));
    await expect(
      s3().send(new PutObjectCommand({ Bucket: bucket, Key: 'compare-and-swap', Body: 'v3', IfMatch: v1 })),
    ).rejects.toMatchObject({ ...PRECONDITION_FAILED, Condition: 'If-Match' });
    expect(await content('compare-and-swap')).toBe('v2');
  });

  it('writes nothing when the key does not exist', async () => {
    await expect(
      s3().send(
        new PutObjectCommand({ Bucket: bucket, Key: 'never-written', Body: 'x', IfMatch: etagOf('x') }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: expect.any(Number) } });
    await expect(
      s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'never-written' })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
  });
});

describe('CompleteMultipartUpload with conditions', () => {
  it('completes with If-None-Match: * on a new key, and refuses it with 412 on an existing key', async () => {
    const fresh = await openUpload('multipart-create-only', 'assembled');
    await s3().send(new CompleteMultipartUploadCommand({ ...fresh, IfNoneMatch: '*' }));
    expect(await content('multipart-create-only')).toBe('assembled');
    const again = await openUpload('multipart-create-only', 'replacement');
    await expect(
      s3().send(new CompleteMultipartUploadCommand({ ...again, IfNoneMatch: '*' })),
    ).rejects.toMatchObject(PRECONDITION_FAILED);
    expect(await content('multipart-create-only')).toBe('assembled');
  });

  it('completes with If-Match only while the ETag is current', async () => {
    const current = await put(s3(), bucket, 'multipart-swap', 'old');
    const stale = await openUpload('multipart-swap', 'new');
    await put(s3(), bucket, 'multipart-swap', 'changed meanwhile');
    await expect(
      s3().send(new CompleteMultipartUploadCommand({ ...stale, IfMatch: current })),
    ).rejects.toMatchObject(PRECONDITION_FAILED);
    expect(await content('multipart-swap')).toBe('changed meanwhile');
    const fresh = await openUpload('multipart-swap', 'newest');
    await s3().send(new CompleteMultipartUploadCommand({ ...fresh, IfMatch: etagOf('changed meanwhile') }));
    expect(await content('multipart-swap')).toBe('newest');
  });

  it('answers 409 ConditionalRequestConflict when the key is deleted while the upload is open', async () => {
    await put(s3(), bucket, 'deleted-meanwhile', 'there at creation');
    const upload = await openUpload('deleted-meanwhile', 'assembled later');
    await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'deleted-meanwhile' }));
    await expect(
      s3().send(new CompleteMultipartUploadCommand({ ...upload, IfNoneMatch: '*' })),
    ).rejects.toMatchObject(
      s3Error('ConditionalRequestConflict', 409, {
        message:
          'The conditional request cannot succeed due to a conflicting operation against this resource.',
      }),
    );
    await expect(
      s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'deleted-meanwhile' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    // a new upload, begun on no object, completes
    const again = await openUpload('deleted-meanwhile', 'second try');
    await s3().send(new CompleteMultipartUploadCommand({ ...again, IfNoneMatch: '*' }));
    expect(await content('deleted-meanwhile')).toBe('second try');
  });
});

describe('CopyObject with If-None-Match: *', () => {
  it('refuses to copy over an existing destination with 412', async () => {
    await put(s3(), bucket, 'copy-source', 'source');
    await put(s3(), bucket, 'copy-existing', 'existing');
    await expect(
      s3().send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: 'copy-existing',
          CopySource: `${bucket}/copy-source`,
          IfNoneMatch: '*',
        }),
      ),
    ).rejects.toMatchObject(PRECONDITION_FAILED);
    expect(await content('copy-existing')).toBe('existing');
    await s3().send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'copy-new',
        CopySource: `${bucket}/copy-source`,
        IfNoneMatch: '*',
      }),
    );
    expect(await content('copy-new')).toBe('source');
  });
});
