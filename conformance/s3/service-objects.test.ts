/**
 * Object behaviour beside the main suites: copies of multipart objects, GetObjectAttributes of
 * their parts, conditional and versioned deletes, the configurations a new bucket starts with,
 * and deep listings paged with a delimiter. From the S3 API reference of each operation.
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, etagOf, MiB, newBucket, put, randomBody, s3Error, useS3 } from './setup.js';

const t = useS3();
let bucket: string;

beforeAll(async () => {
  bucket = await newBucket(t.s3, 'service-objects');
});

async function multipartObject(Key: string, bodies: Buffer[]): Promise<void> {
  const { UploadId } = await t.s3.send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key, ChecksumAlgorithm: 'CRC32' }),
  );
  const Parts = [];
  for (const [i, Body] of bodies.entries()) {
    const out = await t.s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key,
        UploadId,
        PartNumber: i + 1,
        Body,
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    Parts.push({ PartNumber: i + 1, ETag: out.ETag, ChecksumCRC32: out.ChecksumCRC32 });
  }
  await t.s3.send(
    new CompleteMultipartUploadCommand({ Bucket: bucket, Key, UploadId, MultipartUpload: { Parts } }),
  );
}

describe('multipart objects', () => {
  const bodies = [randomBody(5 * MiB), randomBody(5 * MiB), randomBody(1234)];

  beforeAll(async () => {
    await multipartObject('three-parts', bodies);
  });

  it('lists the parts with GetObjectAttributes, a page at a time, and the checksum without its part count', async () => {
    const first = await t.s3.send(
      new GetObjectAttributesCommand({
        Bucket: bucket,
        Key: 'three-parts',
        ObjectAttributes: ['ObjectParts', 'Checksum', 'ObjectSize'],
        MaxParts: 2,
      }),
    );
    expect(first.ObjectSize).toBe(10 * MiB + 1234);
    expect(first.ObjectParts).toMatchObject({
      TotalPartsCount: 3,
      IsTruncated: true,
      NextPartNumberMarker: '2',
    });
    expect(first.ObjectParts?.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, 5 * MiB],
      [2, 5 * MiB],
    ]);
    expect(first.ObjectParts?.Parts?.[0]?.ChecksumCRC32).toMatch(/^[A-Za-z0-9+/]{6}==$/);
    expect(first.Checksum?.ChecksumType).toBe('COMPOSITE');
    expect(first.Checksum?.ChecksumCRC32).not.toContain('-');
    const rest = await t.s3.send(
      new GetObjectAttributesCommand({
        Bucket: bucket,
        Key: 'three-parts',
        ObjectAttributes: ['ObjectParts'],
        PartNumberMarker: '2',
      }),
    );
    expect(rest.ObjectParts?.Parts?.map((p) => p.PartNumber)).toEqual([3]);
  });

  it('reads a range that crosses part boundaries', async () => {
    const whole = Buffer.concat(bodies);
    const [from, to] = [5 * MiB - 10, 10 * MiB + 9];
    const got = await t.s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'three-parts', Range: `bytes=${from}-${to}` }),
    );
    expect(got.ContentRange).toBe(`bytes ${from}-${to}/${whole.length}`);
    expect((await bodyOf(got)).equals(whole.subarray(from, to + 1))).toBe(true);
  });

  it('copies a multipart object into a single-part one, with the MD5 of its bytes as ETag', async () => {
    const out = await t.s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: 'flattened', CopySource: `${bucket}/three-parts` }),
    );
    expect(out.CopyObjectResult?.ETag).toBe(etagOf(Buffer.concat(bodies)));
    const attributes = await t.s3.send(
      new GetObjectAttributesCommand({ Bucket: bucket, Key: 'flattened', ObjectAttributes: ['ObjectParts'] }),
    );
    expect(attributes.ObjectParts).toBeUndefined();
  });
});

describe('deletes', () => {
  it('holds a DeleteObject to If-Match: 412 for another ETag, 404 for a missing key', async () => {
    const etag = await put(t.s3, bucket, 'guarded', 'keep me');
    await expect(
      t.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'guarded', IfMatch: '"0000"' })),
    ).rejects.toMatchObject(s3Error('PreconditionFailed', 412));
    await expect(
      t.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'never-there', IfMatch: etag })),
    ).rejects.toMatchObject(s3Error('NoSuchKey', 404));
    const out = await t.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'guarded', IfMatch: etag }));
    expect(out.$metadata.httpStatusCode).toBe(204);
  });

  it('refuses a version id an unversioned bucket never gave with InvalidArgument', async () => {
    await put(t.s3, bucket, 'plain');
    await expect(
      t.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'plain', VersionId: 'no-such-version' })),
    ).rejects.toMatchObject(s3Error('InvalidArgument', 400, { message: 'Invalid version id specified' }));
  });

  it('deletes given versions in a batch and reports a marker deleted by id as a marker', async () => {
    const Bucket = await newBucket(t.s3, 'versioned-batch');
    await t.s3.send(
      new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const v1 = await t.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: '1' }));
    const marker = await t.s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    const out = await t.s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: {
          Objects: [
            { Key: 'k', VersionId: v1.VersionId },
            { Key: 'k', VersionId: marker.VersionId },
          ],
        },
      }),
    );
    expect(out.Deleted).toEqual([
      { Key: 'k', VersionId: v1.VersionId },
      { Key: 'k', VersionId: marker.VersionId, DeleteMarker: true, DeleteMarkerVersionId: marker.VersionId },
    ]);
    expect((await t.s3.send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(0);
  });
});

describe('a new bucket', () => {
  it('starts with SSE-S3 encryption, BucketOwnerEnforced and every public access blocked', async () => {
    const Bucket = await newBucket(t.s3, 'defaults');
    const encryption = await t.s3.send(new GetBucketEncryptionCommand({ Bucket }));
    expect(
      encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault
        ?.SSEAlgorithm,
    ).toBe('AES256');
    const ownership = await t.s3.send(new GetBucketOwnershipControlsCommand({ Bucket }));
    expect(ownership.OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    const block = await t.s3.send(new GetPublicAccessBlockCommand({ Bucket }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
  });
});

describe('deep listings', () => {
  it('pages a folder tree with a delimiter, each folder once, in order', async () => {
    const Bucket = await newBucket(t.s3, 'tree');
    const keys: string[] = [];
    for (let d = 0; d < 30; d++)
      for (let f = 0; f < 5; f++) keys.push(`dir-${String(d).padStart(2, '0')}/file-${f}`);
    for (let f = 0; f < 25; f++) keys.push(`top-${String(f).padStart(2, '0')}`);
    await Promise.all(keys.map((Key) => put(t.s3, Bucket, Key, 'x')));
    const seen: string[] = [];
    let ContinuationToken: string | undefined;
    let page: ListObjectsV2CommandOutput;
    do {
      page = await t.s3.send(
        new ListObjectsV2Command({ Bucket, Delimiter: '/', MaxKeys: 7, ContinuationToken }),
      );
      seen.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix as string));
      seen.push(...(page.Contents ?? []).map((o) => o.Key as string));
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
    const expected = [
      ...Array.from({ length: 30 }, (_, d) => `dir-${String(d).padStart(2, '0')}/`),
      ...Array.from({ length: 25 }, (_, f) => `top-${String(f).padStart(2, '0')}`),
    ];
    expect(seen.sort()).toEqual(expected);
  });
});
