/**
 * S3's integer arguments as the SDK sends whatever number it is given: a page size or marker
 * that is not a 32-bit integer is refused with 400 InvalidArgument "Provided <name> not an
 * integer or within integer range" (never a 500), a negative one with the argument's range,
 * and a partNumber outside 1 to 10000 with "Part number must be an integer between 1 and 10000,
 * inclusive" whether it reads or uploads a part.
 */
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  ListPartsCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpStatus, newBucket, put, s3Error, useS3 } from './setup.js';

const t = useS3();
const s3 = () => t.s3;
let Bucket: string;
let UploadId: string;

beforeAll(async () => {
  Bucket = await newBucket(s3(), 'arguments');
  await put(s3(), Bucket, 'k', 'body');
  UploadId = (await s3().send(new CreateMultipartUploadCommand({ Bucket, Key: 'k' }))).UploadId as string;
  const parted = await s3().send(new CreateMultipartUploadCommand({ Bucket, Key: 'parted' }));
  const part = await s3().send(
    new UploadPartCommand({ Bucket, Key: 'parted', UploadId: parted.UploadId, PartNumber: 1, Body: 'one' }),
  );
  await s3().send(
    new CompleteMultipartUploadCommand({
      Bucket,
      Key: 'parted',
      UploadId: parted.UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
    }),
  );
});

function notInteger(name: string, value: number) {
  return s3Error('InvalidArgument', 400, {
    message: `Provided ${name} not an integer or within integer range`,
    fields: { ArgumentName: name, ArgumentValue: String(value) },
  });
}

const PART_NUMBER = 'Part number must be an integer between 1 and 10000, inclusive';

describe('page sizes that are not 32-bit integers', () => {
  for (const value of [2.5, 2 ** 31]) {
    it(`refuses max-keys=${value} in ListObjectsV2, ListObjects and ListObjectVersions`, async () => {
      for (const command of [
        new ListObjectsV2Command({ Bucket, MaxKeys: value }),
        new ListObjectsCommand({ Bucket, MaxKeys: value }),
        new ListObjectVersionsCommand({ Bucket, MaxKeys: value }),
      ]) {
        await expect(s3().send(command as never)).rejects.toMatchObject(notInteger('max-keys', value));
      }
    });

    it(`refuses max-uploads=${value}, max-parts=${value} and max-buckets=${value}`, async () => {
      await expect(
        s3().send(new ListMultipartUploadsCommand({ Bucket, MaxUploads: value })),
      ).rejects.toMatchObject(notInteger('max-uploads', value));
      await expect(
        s3().send(new ListPartsCommand({ Bucket, Key: 'k', UploadId, MaxParts: value })),
      ).rejects.toMatchObject(notInteger('max-parts', value));
      await expect(s3().send(new ListBucketsCommand({ MaxBuckets: value }))).rejects.toMatchObject(
        notInteger('max-buckets', value),
      );
    });
  }

  it('refuses a part-number-marker that is not an integer or past 2147483647', async () => {
    for (const PartNumberMarker of ['2.5', '2147483648', '-1']) {
      await expect(
        s3().send(new ListPartsCommand({ Bucket, Key: 'k', UploadId, PartNumberMarker })),
      ).rejects.toMatchObject(
        s3Error('InvalidArgument', 400, {
          message: 'Argument part-number-marker must be an integer between 0 and 2147483647',
          fields: { ArgumentName: 'part-number-marker', ArgumentValue: PartNumberMarker },
        }),
      );
    }
    await expect(
      s3().send(
        new GetObjectAttributesCommand({
          Bucket,
          Key: 'parted',
          ObjectAttributes: ['ObjectParts'],
          PartNumberMarker: '2.5',
        }),
      ),
    ).rejects.toMatchObject(
      s3Error('InvalidArgument', 400, { fields: { ArgumentName: 'part-number-marker' } }),
    );
  });

  it('refuses a negative max-parts in GetObjectAttributes as ListParts does', async () => {
    const attributes = (MaxParts: number) =>
      s3().send(
        new GetObjectAttributesCommand({
          Bucket,
          Key: 'parted',
          ObjectAttributes: ['ObjectParts'],
          MaxParts,
        }),
      );
    await expect(attributes(-1)).rejects.toMatchObject(
      s3Error('InvalidArgument', 400, {
        message: 'Argument max-parts must be an integer between 0 and 2147483647',
      }),
    );
    await expect(attributes(2.5)).rejects.toMatchObject(notInteger('max-parts', 2.5));
    const listed = await attributes(5000);
    expect(listed.ObjectParts?.MaxParts).toBe(1000);
    expect(listed.ObjectParts?.Parts?.map((p) => p.PartNumber)).toEqual([1]);
  });

  it('still takes an integer page size, capped at 1000', async () => {
    const out = await s3().send(new ListObjectsV2Command({ Bucket, MaxKeys: 2 ** 31 - 1 }));
    expect(out.MaxKeys).toBe(1000);
    expect(out.Contents?.map((o) => o.Key)).toEqual(['k', 'parted']);
  });
});

describe('partNumber', () => {
  for (const PartNumber of [0, -1, 2.5, 10001]) {
    it(`refuses partNumber=${PartNumber} on GET, HEAD and UploadPart with InvalidArgument`, async () => {
      await expect(s3().send(new GetObjectCommand({ Bucket, Key: 'k', PartNumber }))).rejects.toMatchObject(
        s3Error('InvalidArgument', 400, {
          message: PART_NUMBER,
          fields: { ArgumentName: 'partNumber', ArgumentValue: String(PartNumber) },
        }),
      );
      await expect(s3().send(new HeadObjectCommand({ Bucket, Key: 'k', PartNumber }))).rejects.toMatchObject(
        httpStatus(400),
      );
      await expect(
        s3().send(new UploadPartCommand({ Bucket, Key: 'k', UploadId, PartNumber, Body: 'x' })),
      ).rejects.toMatchObject(s3Error('InvalidArgument', 400, { message: PART_NUMBER }));
    });
  }

  it('answers a part number past the object’s parts with 416 InvalidPartNumber', async () => {
    await expect(s3().send(new GetObjectCommand({ Bucket, Key: 'k', PartNumber: 2 }))).rejects.toMatchObject(
      s3Error('InvalidPartNumber', 416, {
        fields: { PartNumberRequested: '2', ActualPartCount: '1' },
      }),
    );
  });
});
