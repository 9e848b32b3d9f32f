/**
 * Reading objects: byte ranges (206, Content-Range, suffix and open ranges, 416 InvalidRange),
 * conditional GET and HEAD (304/412 with the precedence the GetObject reference documents),
 * response-* overrides, and PartNumber reads of multipart objects.
 */
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  type GetObjectCommandInput,
  HeadObjectCommand,
  type HeadObjectCommandInput,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bodyOf,
  etagOf,
  httpStatus,
  MiB,
  newBucket,
  PRECONDITION_FAILED,
  put,
  randomBody,
  s3Error,
  useS3,
} from './setup.js';

const t = useS3();
const s3 = () => t.s3;
let bucket: string;
const CONTENT = 'contentData'; // 11 bytes, as in the S3 range examples

beforeAll(async () => {
  bucket = await newBucket(s3(), 'reads');
  await put(s3(), bucket, 'eleven', CONTENT);
  await put(s3(), bucket, 'empty', '');
});

const get = (input: Partial<GetObjectCommandInput>, Key = 'eleven') =>
  s3().send(new GetObjectCommand({ Bucket: bucket, Key, ...input }));
const head = (input: Partial<HeadObjectCommandInput>, Key = 'eleven') =>
  s3().send(new HeadObjectCommand({ Bucket: bucket, Key, ...input }));

describe('Range', () => {
  const cases: [string, string, string][] = [
    ['bytes=4-7', 'entD', 'bytes 4-7/11'],
    ['bytes=4-', 'entData', 'bytes 4-10/11'],
    ['bytes=-7', 'entData', 'bytes 4-10/11'],
    ['bytes=0-0', 'c', 'bytes 0-0/11'],
    ['bytes=3-1000', 'tentData', 'bytes 3-10/11'],
    ['bytes=-100', CONTENT, 'bytes 0-10/11'],
  ];
  for (const [Range, body, contentRange] of cases) {
    it(`answers ${Range} with 206, ${contentRange} and the bytes`, async () => {
      const out = await get({ Range });
      expect(out.$metadata.httpStatusCode).toBe(206);
      expect(out.ContentRange).toBe(contentRange);
      expect(out.ContentLength).toBe(body.length);
      expect((await bodyOf(out)).toString()).toBe(body);
    });
  }

  it('answers a range starting past the end with 416 InvalidRange', async () => {
    await expect(get({ Range: 'bytes=40-50' })).rejects.toMatchObject(
      s3Error('InvalidRange', 416, {
        message: 'The requested range is not satisfiable',
        fields: { RangeRequested: 'bytes=40-50', ActualObjectSize: '11' },
      }),
    );
  });

  it('answers any range on an empty object with 416 InvalidRange', async () => {
    await expect(get({ Range: 'bytes=0-10' }, 'empty')).rejects.toMatchObject(s3Error('InvalidRange', 416));
  });

  it('ignores a syntactically invalid Range and returns the whole object with 200', async () => {
    const out = await get({ Range: 'bytes=7-3' });
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect((await bodyOf(out)).toString()).toBe(CONTENT);
  });

  it('answers a list of ranges with the whole object, 200 and no Content-Range, as S3 does', async () => {
    const out = await get({ Range: 'bytes=0-1,4-5' });
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.ContentRange).toBeUndefined();
    expect(out.ContentLength).toBe(CONTENT.length);
    expect((await bodyOf(out)).toString()).toBe(CONTENT);
  });

  it('answers HEAD with a Range with 206 and the range length', async () => {
    const out = await head({ Range: 'bytes=2-5' });
    expect(out.$metadata.httpStatusCode).toBe(206);
    expect(out.ContentLength).toBe(4);
    expect(out.ContentRange).toBe('bytes 2-5/11');
  });
});

describe('conditional GET and HEAD', () => {
  let etag: string;
  let lastModified: Date;
  const hourAgo = () => new Date(lastModified.getTime() - 3600_000);

  beforeAll(async () => {
    etag = etagOf(CONTENT);
    lastModified = (await head({})).LastModified as Date;
  });

  it('returns the object when If-Match names its ETag, and 412 PreconditionFailed otherwise', async () => {
    expect((await get({ IfMatch: etag })).$metadata.httpStatusCode).toBe(200);
    await expect(get({ IfMatch: '"ffffffffffffffffffffffffffffffff"' })).rejects.toMatchObject({
      ...PRECONDITION_FAILED,
      Condition: 'If-Match',
    });
  });

  it('answers If-None-Match with its ETag with 304, and returns the object for another ETag', async () => {
    await expect(get({ IfNoneMatch: etag })).rejects.toMatchObject(httpStatus(304));
    expect((await get({ IfNoneMatch: '"ffffffffffffffffffffffffffffffff"' })).$metadata.httpStatusCode).toBe(
      200,
    );
  });

  it('answers If-Modified-Since its Last-Modified with 304, and an earlier date with 200', async () => {
    await expect(get({ IfModifiedSince: lastModified })).rejects.toMatchObject(httpStatus(304));
    expect((await get({ IfModifiedSince: hourAgo() })).$metadata.httpStatusCode).toBe(200);
  });

  it('answers If-Unmodified-Since an earlier date with 412, and its Last-Modified with 200', async () => {
    await expect(get({ IfUnmodifiedSince: hourAgo() })).rejects.toMatchObject({
      ...PRECONDITION_FAILED,
      Condition: 'If-Unmodified-Since',
    });
    expect((await get({ IfUnmodifiedSince: lastModified })).$metadata.httpStatusCode).toBe(200);
  });

  it('lets a true If-Match override a false If-Unmodified-Since (200)', async () => {
    const out = await get({ IfMatch: etag, IfUnmodifiedSince: hourAgo() });
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect((await bodyOf(out)).toString()).toBe(CONTENT);
  });

  it('lets a false If-None-Match override a true If-Modified-Since (304)', async () => {
    await expect(get({ IfNoneMatch: etag, IfModifiedSince: hourAgo() })).rejects.toMatchObject(
      httpStatus(304),
    );
  });

  it('reports 412 before 304 when If-Match fails and If-None-Match matches', async () => {
    await expect(
      get({ IfMatch: '"ffffffffffffffffffffffffffffffff"', IfNoneMatch: etag }),
    ).rejects.toMatchObject(PRECONDITION_FAILED);
  });

  it('applies the same conditions to HEAD, with bare 304 and 412 statuses', async () => {
    await expect(head({ IfNoneMatch: etag })).rejects.toMatchObject(httpStatus(304));
    await expect(head({ IfMatch: '"ffffffffffffffffffffffffffffffff"' })).rejects.toMatchObject(
      httpStatus(412),
    );
    await expect(head({ IfModifiedSince: lastModified })).rejects.toMatchObject(httpStatus(304));
    await expect(head({ IfUnmodifiedSince: hourAgo() })).rejects.toMatchObject(httpStatus(412));
    expect((await head({ IfMatch: etag, IfUnmodifiedSince: hourAgo() })).$metadata.httpStatusCode).toBe(200);
  });

  it('answers If-Match on a missing key with 404 NoSuchKey, not 412', async () => {
    await expect(get({ IfMatch: etag }, 'absent')).rejects.toMatchObject(s3Error('NoSuchKey', 404));
  });
});

describe('response-* overrides', () => {
  it('sets the response headers GetObject asks for', async () => {
    const out = await get({
      ResponseContentType: 'application/pdf',
      ResponseContentDisposition: 'attachment; filename="override.pdf"',
      ResponseContentLanguage: 'fr',
      ResponseContentEncoding: 'identity',
      ResponseCacheControl: 'no-store',
      ResponseExpires: new Date('2032-01-02T03:04:05Z'),
    });
    expect(out).toMatchObject({
      ContentType: 'application/pdf',
      ContentDisposition: 'attachment; filename="override.pdf"',
      ContentLanguage: 'fr',
      ContentEncoding: 'identity',
      CacheControl: 'no-store',
    });
    expect(out.Expires?.toISOString()).toBe('2032-01-02T03:04:05.000Z');
    expect((await bodyOf(out)).toString()).toBe(CONTENT);
  });

  it('leaves the stored headers unchanged', async () => {
    await get({ ResponseContentType: 'image/png' });
    const out = await head({});
    expect(out.ContentType).not.toBe('image/png');
  });
});

describe('PartNumber', () => {
  const parts = [randomBody(5 * MiB), randomBody(5 * MiB), randomBody(1024)];
  const total = parts.reduce((n, p) => n + p.length, 0);

  beforeAll(async () => {
    const { UploadId } = await s3().send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'parted' }));
    const Parts = [];
    for (const [i, Body] of parts.entries()) {
      const PartNumber = i + 1;
      const out = await s3().send(
        new UploadPartCommand({ Bucket: bucket, Key: 'parted', UploadId, PartNumber, Body }),
      );
      Parts.push({ PartNumber, ETag: out.ETag });
    }
    await s3().send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'parted',
        UploadId,
        MultipartUpload: { Parts },
      }),
    );
  });

  it('returns one part of a multipart object with 206, its range and the parts count', async () => {
    const out = await get({ PartNumber: 2 }, 'parted');
    expect(out.$metadata.httpStatusCode).toBe(206);
    expect(out.PartsCount).toBe(3);
    expect(out.ContentLength).toBe(5 * MiB);
    expect(out.ContentRange).toBe(`bytes ${5 * MiB}-${10 * MiB - 1}/${total}`);
    expect((await bodyOf(out)).equals(parts[1] as Buffer)).toBe(true);
  });

  it('answers HEAD with PartNumber with the part length', async () => {
    const out = await head({ PartNumber: 3 }, 'parted');
    expect(out.ContentLength).toBe(1024);
    expect(out.PartsCount).toBe(3);
  });

  it('refuses a part number past the last part with 416 InvalidPartNumber', async () => {
    await expect(get({ PartNumber: 4 }, 'parted')).rejects.toMatchObject(s3Error('InvalidPartNumber', 416));
  });
});
