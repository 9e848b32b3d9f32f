/**
 * Multipart uploads: lib-storage's Upload (what applications use), the ETag md5-of-md5s-N and
 * composite checksums, ListParts and ListMultipartUploads, the part rules (EntityTooSmall,
 * InvalidPart, InvalidPartOrder, part numbers 1-10000), abort, and UploadPartCopy with ranges.
 * From the S3 API reference (CompleteMultipartUpload, UploadPartCopy) and "Checking object
 * integrity" for the checksum of checksums.
 */
import {
  AbortMultipartUploadCommand,
  ChecksumAlgorithm,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { beforeAll, describe, expect, it } from 'vitest';
import { compositeChecksum, multipartEtag } from './checksums.js';
import { bodyOf, etagOf, MiB, md5Hex, newBucket, put, randomBody, s3Error, useS3 } from './setup.js';

const t = useS3();
const s3 = () => t.s3;
let bucket: string;

beforeAll(async () => {
  bucket = await newBucket(s3(), 'multipart');
});

async function create(Key: string, more: Record<string, unknown> = {}): Promise<string> {
  const out = await s3().send(new CreateMultipartUploadCommand({ Bucket: bucket, Key, ...more }));
  expect(out.UploadId).toBeTruthy();
  return out.UploadId as string;
}

async function uploadParts(Key: string, UploadId: string, bodies: Uint8Array[]): Promise<CompletedPart[]> {
  const parts: CompletedPart[] = [];
  for (const [i, Body] of bodies.entries()) {
    const PartNumber = i + 1;
    const out = await s3().send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber, Body }));
    expect(out.ETag).toBe(etagOf(Body));
    parts.push({ PartNumber, ETag: out.ETag });
  }
  return parts;
}

const complete = (Key: string, UploadId: string, Parts: CompletedPart[]) =>
  s3().send(
    new CompleteMultipartUploadCommand({ Bucket: bucket, Key, UploadId, MultipartUpload: { Parts } }),
  );

async function contentMd5(Key: string): Promise<string> {
  return md5Hex(await bodyOf(await s3().send(new GetObjectCommand({ Bucket: bucket, Key }))));
}

describe('lib-storage Upload', () => {
  it('uploads 12 MiB in three parts to an object with the md5-of-md5s-3 ETag and a composite CRC32', async () => {
    const body = randomBody(12 * MiB);
    const parts = [body.subarray(0, 5 * MiB), body.subarray(5 * MiB, 10 * MiB), body.subarray(10 * MiB)];
    const upload = new Upload({
      client: s3(),
      params: { Bucket: bucket, Key: 'lib-storage.bin', Body: body, ContentType: 'application/octet-stream' },
      partSize: 5 * MiB,
      queueSize: 2,
    });
    const out = await upload.done();
    expect(out.ETag).toBe(multipartEtag(parts));
    const head = await s3().send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'lib-storage.bin', ChecksumMode: 'ENABLED' }),
    );
    expect(head.ContentLength).toBe(12 * MiB);
    expect(head.ETag).toBe(multipartEtag(parts));
    expect(head.ContentType).toBe('application/octet-stream');
    expect(head.ChecksumCRC32).toBe(compositeChecksum('CRC32', parts));
    expect(head.ChecksumType).toBe('COMPOSITE');
    expect(await contentMd5('lib-storage.bin')).toBe(md5Hex(body));
    const attributes = await s3().send(
      new GetObjectAttributesCommand({
        Bucket: bucket,
        Key: 'lib-storage.bin',
        ObjectAttributes: ['ObjectParts'],
      }),
    );
    expect(attributes.ObjectParts?.TotalPartsCount).toBe(3);
  });

  it('uploads a body under one part size with a single PutObject', async () => {
    const body = randomBody(1024);
    const out = await new Upload({
      client: s3(),
      params: { Bucket: bucket, Key: 'small-upload', Body: body },
    }).done();
    expect(out.ETag).toBe(etagOf(body));
  });
});

describe('CreateMultipartUpload, UploadPart, ListParts, CompleteMultipartUpload', () => {
  it('assembles the parts, lists them while in progress, and keeps the metadata given at creation', async () => {
    const Key = 'manual.bin';
    const UploadId = await create(Key, { ContentType: 'video/mp4', Metadata: { camera: 'front' } });
    const bodies = [randomBody(5 * MiB), randomBody(1024)];
    const parts = await uploadParts(Key, UploadId, bodies);

    const listed = await s3().send(new ListPartsCommand({ Bucket: bucket, Key, UploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([
      [1, etagOf(bodies[0] as Buffer), 5 * MiB],
      [2, etagOf(bodies[1] as Buffer), 1024],
    ]);
    const uploads = await s3().send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: Key }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([[Key, UploadId]]);

    const done = await complete(Key, UploadId, parts);
    expect(done.ETag).toBe(multipartEtag(bodies));
    expect(done.Key).toBe(Key);
    expect(done.Bucket).toBe(bucket);
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key }));
    expect(head).toMatchObject({ ContentType: 'video/mp4', Metadata: { camera: 'front' } });
    expect(await contentMd5(Key)).toBe(md5Hex(Buffer.concat(bodies)));
    const after = await s3().send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: Key }));
    expect(after.Uploads ?? []).toEqual([]);
  });

  it('keeps the last upload of a part number, and completes with any ascending subset of parts', async () => {
    const Key = 'subset.bin';
    const UploadId = await create(Key);
    const [first, , third] = await uploadParts(Key, UploadId, [
      randomBody(5 * MiB),
      randomBody(10),
      randomBody(10),
    ]);
    const replacement = randomBody(5 * MiB);
    const again = await s3().send(
      new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: 1, Body: replacement }),
    );
    expect(again.ETag).toBe(etagOf(replacement));
    const done = await complete(Key, UploadId, [{ PartNumber: 1, ETag: again.ETag }, third as CompletedPart]);
    expect(done.ETag).toMatch(/-2"$/);
    expect(first?.ETag).not.toBe(again.ETag);
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key }));
    expect(head.ContentLength).toBe(5 * MiB + 10);
  });

  it('refuses a part under 5 MiB that is not the last with EntityTooSmall', async () => {
    const Key = 'too-small.bin';
    const UploadId = await create(Key);
    const parts = await uploadParts(Key, UploadId, [randomBody(1024), randomBody(1024)]);
    await expect(complete(Key, UploadId, parts)).rejects.toMatchObject(
      s3Error('EntityTooSmall', 400, {
        message: 'Your proposed upload is smaller than the minimum allowed object size.',
      }),
    );
  });

  it('refuses an unknown part or a wrong ETag with InvalidPart', async () => {
    const Key = 'invalid-part.bin';
    const UploadId = await create(Key);
    const [part] = await uploadParts(Key, UploadId, [randomBody(100)]);
    const invalidPart = s3Error('InvalidPart', 400, {
      message: expect.stringContaining('One or more of the specified parts could not be found.'),
    });
    await expect(
      complete(Key, UploadId, [{ PartNumber: 1, ETag: '"0123456789abcdef0123456789abcdef"' }]),
    ).rejects.toMatchObject(invalidPart);
    await expect(
      complete(Key, UploadId, [part as CompletedPart, { PartNumber: 7, ETag: part?.ETag }]),
    ).rejects.toMatchObject(invalidPart);
  });

  it('refuses parts out of ascending order with InvalidPartOrder', async () => {
    const Key = 'disorder.bin';
    const UploadId = await create(Key);
    // both parts large enough that only their order is wrong
    const [one, two] = await uploadParts(Key, UploadId, [randomBody(5 * MiB), randomBody(5 * MiB)]);
    await expect(complete(Key, UploadId, [two as CompletedPart, one as CompletedPart])).rejects.toMatchObject(
      s3Error('InvalidPartOrder', 400, {
        message:
          'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
      }),
    );
  });

  it('refuses part numbers outside 1 to 10000 with InvalidArgument', async () => {
    const Key = 'part-numbers.bin';
    const UploadId = await create(Key);
    for (const PartNumber of [0, 10001]) {
      await expect(
        s3().send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber, Body: 'x' })),
      ).rejects.toMatchObject(s3Error('InvalidArgument', 400));
    }
  });
});

describe('AbortMultipartUpload', () => {
  it('discards the upload: its parts and the upload id are gone (NoSuchUpload)', async () => {
    const Key = 'aborted.bin';
    const UploadId = await create(Key);
    await uploadParts(Key, UploadId, [randomBody(100)]);
    const out = await s3().send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    const noSuchUpload = s3Error('NoSuchUpload', 404, {
      message:
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    });
    await expect(s3().send(new ListPartsCommand({ Bucket: bucket, Key, UploadId }))).rejects.toMatchObject(
      noSuchUpload,
    );
    await expect(
      s3().send(new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: 2, Body: 'x' })),
    ).rejects.toMatchObject(noSuchUpload);
    await expect(s3().send(new HeadObjectCommand({ Bucket: bucket, Key }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
  });
});

describe('ListMultipartUploads', () => {
  it('lists uploads in progress by key, with Prefix and Delimiter', async () => {
    const Bucket = await newBucket(s3(), 'uploads');
    const started: [string, string][] = [];
    for (const Key of ['logs/a', 'logs/b', 'media/c']) {
      const out = await s3().send(new CreateMultipartUploadCommand({ Bucket, Key }));
      started.push([Key, out.UploadId as string]);
    }
    const all = await s3().send(new ListMultipartUploadsCommand({ Bucket }));
    expect(all.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual(started);
    expect(all.Uploads?.[0]?.Initiated).toBeInstanceOf(Date);
    const logs = await s3().send(new ListMultipartUploadsCommand({ Bucket, Prefix: 'logs/' }));
    expect(logs.Uploads?.map((u) => u.Key)).toEqual(['logs/a', 'logs/b']);
    const folders = await s3().send(new ListMultipartUploadsCommand({ Bucket, Delimiter: '/' }));
    expect(folders.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['logs/', 'media/']);
    const paged = await s3().send(new ListMultipartUploadsCommand({ Bucket, MaxUploads: 2 }));
    expect(paged.IsTruncated).toBe(true);
    expect(paged.NextKeyMarker).toBe('logs/b');
    const rest = await s3().send(
      new ListMultipartUploadsCommand({
        Bucket,
        KeyMarker: paged.NextKeyMarker,
        UploadIdMarker: paged.NextUploadIdMarker,
      }),
    );
    expect(rest.Uploads?.map((u) => u.Key)).toEqual(['media/c']);
  });
});

describe('UploadPartCopy', () => {
  it('copies byte ranges of an object into parts that assemble into a copy of it', async () => {
    const source = randomBody(6 * MiB);
    await put(s3(), bucket, 'copy-source.bin', source);
    const Key = 'part-copy.bin';
    const UploadId = await create(Key);
    const ranges: [number, number][] = [
      [0, 5 * MiB - 1],
      [5 * MiB, 6 * MiB - 1],
    ];
    const Parts: CompletedPart[] = [];
    for (const [i, [from, to]] of ranges.entries()) {
      const out = await s3().send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key,
          UploadId,
          PartNumber: i + 1,
          CopySource: `${bucket}/copy-source.bin`,
          CopySourceRange: `bytes=${from}-${to}`,
        }),
      );
      expect(out.CopyPartResult?.ETag).toBe(etagOf(source.subarray(from, to + 1)));
      expect(out.CopyPartResult?.LastModified).toBeInstanceOf(Date);
      Parts.push({ PartNumber: i + 1, ETag: out.CopyPartResult?.ETag });
    }
    const done = await complete(Key, UploadId, Parts);
    expect(done.ETag).toBe(multipartEtag(ranges.map(([from, to]) => source.subarray(from, to + 1))));
    expect(await contentMd5(Key)).toBe(md5Hex(source));
  });

  it('refuses a range outside the source with InvalidArgument', async () => {
    await put(s3(), bucket, 'short-source', 'tiny');
    const Key = 'bad-range.bin';
    const UploadId = await create(Key);
    await expect(
      s3().send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key,
          UploadId,
          PartNumber: 1,
          CopySource: `${bucket}/short-source`,
          CopySourceRange: 'bytes=0-100',
        }),
      ),
    ).rejects.toMatchObject(s3Error('InvalidArgument', 400));
  });
});

describe('checksums of multipart uploads', () => {
  it('verifies part checksums and returns the composite SHA256 of a completed upload', async () => {
    const Key = 'sha-parts.bin';
    const UploadId = await create(Key, { ChecksumAlgorithm: ChecksumAlgorithm.SHA256 });
    const bodies = [randomBody(5 * MiB), randomBody(2048)];
    const Parts: CompletedPart[] = [];
    for (const [i, Body] of bodies.entries()) {
      const out = await s3().send(
        new UploadPartCommand({
          Bucket: bucket,
          Key,
          UploadId,
          PartNumber: i + 1,
          Body,
          ChecksumAlgorithm: ChecksumAlgorithm.SHA256,
        }),
      );
      expect(out.ChecksumSHA256).toBeTruthy();
      Parts.push({ PartNumber: i + 1, ETag: out.ETag, ChecksumSHA256: out.ChecksumSHA256 });
    }
    const done = await complete(Key, UploadId, Parts);
    expect(done.ChecksumSHA256).toBe(compositeChecksum('SHA256', bodies));
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key, ChecksumMode: 'ENABLED' }));
    expect(head.ChecksumSHA256).toBe(compositeChecksum('SHA256', bodies));
  });
});
