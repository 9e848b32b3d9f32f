/**
 * S3 objects: put, get, head and delete with metadata and content headers, ETags, keys that
 * stress encoding and paths, empty and large bodies, batch deletes, copies, tags and
 * GetObjectAttributes. Behaviour from the S3 API reference for each operation.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedRequest } from './raw-http.js';
import {
  bodyOf,
  etagOf,
  httpStatus,
  MiB,
  md5Hex,
  NO_SUCH_KEY,
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

beforeAll(async () => {
  bucket = await newBucket(s3(), 'objects');
});

/** A CopySource value: bucket and key, URL-encoded as S3 requires. */
function copySource(Bucket: string, Key: string): string {
  return `${Bucket}/${Key.split('/').map(encodeURIComponent).join('/')}`;
}

describe('PutObject, GetObject and HeadObject', () => {
  it('stores the body and returns it with the MD5 ETag, length, type and whole-second Last-Modified', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const body = 'hello, object store';
    const etag = await put(s3(), bucket, 'plain.txt', body, { ContentType: 'text/plain; charset=utf-8' });
    expect(etag).toBe(etagOf(body));
    const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'plain.txt' }));
    expect((await bodyOf(got)).toString()).toBe(body);
    expect(got.ETag).toBe(etag);
    expect(got.ContentLength).toBe(body.length);
    expect(got.ContentType).toBe('text/plain; charset=utf-8');
    expect(got.AcceptRanges).toBe('bytes');
    expect(got.LastModified?.getTime()).toBeGreaterThanOrEqual(before);
    expect(got.LastModified?.getTime()).toBeLessThanOrEqual(Date.now());
    expect((got.LastModified?.getTime() ?? 1) % 1000).toBe(0);
  });

  it('keeps user metadata (names lower-cased) and every content header, and HEAD returns them without a body', async () => {
    const Expires = new Date('2031-05-06T07:08:09Z');
    await put(s3(), bucket, 'described.bin', 'payload', {
      ContentType: 'application/x-custom',
      ContentEncoding: 'identity',
      ContentDisposition: 'attachment; filename="report.bin"',
      ContentLanguage: 'en-GB',
      CacheControl: 'max-age=3600, must-revalidate',
      Expires,
      Metadata: { color: 'blue', 'Mixed-Case': 'Value With Spaces' },
    });
    const expected = {
      ContentType: 'application/x-custom',
      ContentEncoding: 'identity',
      ContentDisposition: 'attachment; filename="report.bin"',
      ContentLanguage: 'en-GB',
      CacheControl: 'max-age=3600, must-revalidate',
      Metadata: { color: 'blue', 'mixed-case': 'Value With Spaces' },
      ContentLength: 7,
      ETag: etagOf('payload'),
    };
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'described.bin' }));
    expect(head).toMatchObject(expected);
    expect(head.Expires?.toISOString()).toBe(Expires.toISOString());
    const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'described.bin' }));
    expect(got).toMatchObject(expected);
    expect(got.Expires?.toISOString()).toBe(Expires.toISOString());
  });

  it('stores objects without a Content-Type as binary/octet-stream', async () => {
    const res = await signedRequest(t.h.url, {
      method: 'PUT',
      path: `/${bucket}/untyped`,
      body: Buffer.from([1, 2, 3]),
    });
    expect(res.status).toBe(200);
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'untyped' }));
    expect(head.ContentType).toBe('binary/octet-stream');
  });

  it('reports a storage class other than STANDARD, and omits STANDARD', async () => {
    await put(s3(), bucket, 'infrequent', 'x', { StorageClass: 'STANDARD_IA' });
    await put(s3(), bucket, 'standard', 'x');
    expect((await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'infrequent' }))).StorageClass).toBe(
      'STANDARD_IA',
    );
    expect(
      (await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'standard' }))).StorageClass,
    ).toBeUndefined();
  });

  it('overwrites an object in an unversioned bucket', async () => {
    await put(s3(), bucket, 'overwritten', 'first', { Metadata: { generation: '1' } });
    await put(s3(), bucket, 'overwritten', 'second');
    const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'overwritten' }));
    expect((await bodyOf(got)).toString()).toBe('second');
    expect(got.Metadata).toEqual({});
  });

  it('stores a 0-byte object with the empty MD5 as ETag', async () => {
    const etag = await put(s3(), bucket, 'empty', '');
    expect(etag).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
    const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'empty' }));
    expect(got.ContentLength).toBe(0);
    expect((await bodyOf(got)).length).toBe(0);
  });

  it('stores and returns a 10 MB body byte for byte', async () => {
    const body = randomBody(10 * MiB);
    const etag = await put(s3(), bucket, 'ten-megabytes', body);
    expect(etag).toBe(etagOf(body));
    const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'ten-megabytes' }));
    expect(got.ContentLength).toBe(body.length);
    const back = await bodyOf(got);
    expect(back.length).toBe(body.length);
    expect(md5Hex(back)).toBe(md5Hex(body));
  });

  it('answers a missing key with NoSuchKey naming the key on GET, and a bare 404 on HEAD', async () => {
    await expect(
      s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'nothing/here' })),
    ).rejects.toMatchObject({
      ...NO_SUCH_KEY,
      Key: 'nothing/here',
    });
    await expect(
      s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'nothing/here' })),
    ).rejects.toMatchObject({ name: 'NotFound', ...httpStatus(404) });
  });
});

describe('keys', () => {
  const keys = [
    'with space.txt',
    'plus+sign',
    'percent%41literal%',
    'unicodé/日本語/🚀.txt',
    'dots/../escape',
    '../../outside-the-bucket',
    'a/./b',
    '/leading-slash',
    '//double-leading',
    'trailing/',
    'query?and#hash&x=1;y',
    "~tilde!*()'$@,=:",
  ];

  it('stores and finds every key exactly as given, never as a path', async () => {
    const Bucket = await newBucket(s3(), 'keys');
    for (const Key of keys) await put(s3(), Bucket, Key, `content of ${Key}`);
    for (const Key of keys) {
      const got = await s3().send(new GetObjectCommand({ Bucket, Key }));
      expect((await bodyOf(got)).toString()).toBe(`content of ${Key}`);
    }
    const listed = await s3().send(new ListObjectsV2Command({ Bucket }));
    // S3 lists keys in UTF-8 binary order
    const utf8Order = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(utf8Order);
  });

  it('accepts a key of 1024 bytes and refuses 1025 with KeyTooLongError', async () => {
    const Bucket = await newBucket(s3(), 'long-keys');
    const longest = 'k'.repeat(1024);
    await put(s3(), Bucket, longest, 'x');
    expect((await s3().send(new HeadObjectCommand({ Bucket, Key: longest }))).ContentLength).toBe(1);
    await expect(
      s3().send(new PutObjectCommand({ Bucket, Key: 'k'.repeat(1025), Body: 'x' })),
    ).rejects.toMatchObject(s3Error('KeyTooLongError', 400, { message: 'Your key is too long' }));
  });
});

describe('DeleteObject and DeleteObjects', () => {
  it('deletes an object with 204, and answers 204 for a key that does not exist', async () => {
    await put(s3(), bucket, 'doomed');
    const out = await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'doomed' }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    await expect(s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'doomed' }))).rejects.toMatchObject(
      NO_SUCH_KEY,
    );
    const again = await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'doomed' }));
    expect(again.$metadata.httpStatusCode).toBe(204);
  });

  it('deletes a batch and reports every key, existing or not, as Deleted', async () => {
    const Bucket = await newBucket(s3(), 'batch');
    await put(s3(), Bucket, 'one');
    await put(s3(), Bucket, 'two words');
    const out = await s3().send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: { Objects: [{ Key: 'one' }, { Key: 'two words' }, { Key: 'never-existed' }] },
      }),
    );
    expect(out.Deleted?.map((d) => d.Key).sort()).toEqual(['never-existed', 'one', 'two words']);
    expect(out.Errors ?? []).toEqual([]);
    expect((await s3().send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(0);
  });

  it('reports per-key errors, and in Quiet mode only the errors', async () => {
    const Bucket = await newBucket(s3(), 'quiet');
    await put(s3(), Bucket, 'gone');
    await put(s3(), Bucket, 'kept');
    const out = await s3().send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: {
          Quiet: true,
          Objects: [{ Key: 'gone' }, { Key: 'kept', VersionId: 'not-a-version-of-an-unversioned-bucket' }],
        },
      }),
    );
    expect(out.Deleted ?? []).toEqual([]);
    expect(out.Errors).toEqual([
      {
        Key: 'kept',
        VersionId: 'not-a-version-of-an-unversioned-bucket',
        Code: 'NoSuchVersion',
        Message: 'The specified version does not exist.',
      },
    ]);
    const left = await s3().send(new ListObjectsV2Command({ Bucket }));
    expect(left.Contents?.map((o) => o.Key)).toEqual(['kept']);
  });

  it('refuses a batch with no objects with MalformedXML', async () => {
    await expect(
      s3().send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [] } })),
    ).rejects.toMatchObject(s3Error('MalformedXML', 400));
  });
});

describe('CopyObject', () => {
  it('copies body, content type and metadata by default (COPY), with the source ETag', async () => {
    const etag = await put(s3(), bucket, 'copy/source', 'copied bytes', {
      ContentType: 'text/csv',
      Metadata: { origin: 'source' },
    });
    const out = await s3().send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'copy/target',
        CopySource: copySource(bucket, 'copy/source'),
      }),
    );
    expect(out.CopyObjectResult?.ETag).toBe(etag);
    expect(out.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'copy/target' }));
    expect((await bodyOf(got)).toString()).toBe('copied bytes');
    expect(got).toMatchObject({ ContentType: 'text/csv', Metadata: { origin: 'source' }, ETag: etag });
  });

  it('replaces content type and metadata with MetadataDirective REPLACE', async () => {
    await put(s3(), bucket, 'replace/source', 'data', { ContentType: 'text/csv', Metadata: { old: 'yes' } });
    await s3().send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'replace/target',
        CopySource: copySource(bucket, 'replace/source'),
        MetadataDirective: 'REPLACE',
        ContentType: 'application/json',
        Metadata: { fresh: 'yes' },
      }),
    );
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'replace/target' }));
    expect(head.ContentType).toBe('application/json');
    expect(head.Metadata).toEqual({ fresh: 'yes' });
  });

  it('refuses a copy onto itself that changes nothing with InvalidRequest, and allows one with REPLACE', async () => {
    await put(s3(), bucket, 'self', 'same', { Metadata: { v: '1' } });
    const CopySource = copySource(bucket, 'self');
    await expect(
      s3().send(new CopyObjectCommand({ Bucket: bucket, Key: 'self', CopySource })),
    ).rejects.toMatchObject(
      s3Error('InvalidRequest', 400, {
        message:
          "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      }),
    );
    await s3().send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'self',
        CopySource,
        MetadataDirective: 'REPLACE',
        Metadata: { v: '2' },
      }),
    );
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'self' }));
    expect(head.Metadata).toEqual({ v: '2' });
  });

  it('copies between buckets and from keys that need URL-encoding', async () => {
    const target = await newBucket(s3(), 'copy-target');
    const Key = 'dir with space/ünï+code.txt';
    await put(s3(), bucket, Key, 'far away');
    await s3().send(
      new CopyObjectCommand({ Bucket: target, Key: 'copied', CopySource: copySource(bucket, Key) }),
    );
    const got = await s3().send(new GetObjectCommand({ Bucket: target, Key: 'copied' }));
    expect((await bodyOf(got)).toString()).toBe('far away');
  });

  it('answers a missing source with NoSuchKey', async () => {
    await expect(
      s3().send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: 'to',
          CopySource: copySource(bucket, 'no-such-source'),
        }),
      ),
    ).rejects.toMatchObject(NO_SUCH_KEY);
  });

  it('checks x-amz-copy-source-if-* conditions with 412 PreconditionFailed', async () => {
    const etag = await put(s3(), bucket, 'conditional/source', 'v1');
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket, Key: 'conditional/source' }));
    // not modified since its own Last-Modified (a date in the future is one HTTP says to ignore)
    const lastModified = head.LastModified as Date;
    const CopySource = copySource(bucket, 'conditional/source');
    const copy = (more: Record<string, unknown>) =>
      s3().send(new CopyObjectCommand({ Bucket: bucket, Key: 'conditional/target', CopySource, ...more }));
    await expect(copy({ CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"' })).rejects.toMatchObject(
      PRECONDITION_FAILED,
    );
    await expect(copy({ CopySourceIfNoneMatch: etag })).rejects.toMatchObject(PRECONDITION_FAILED);
    await expect(
      copy({ CopySourceIfUnmodifiedSince: new Date(Date.now() - 3600_000) }),
    ).rejects.toMatchObject(PRECONDITION_FAILED);
    await expect(copy({ CopySourceIfModifiedSince: lastModified })).rejects.toMatchObject(
      PRECONDITION_FAILED,
    );
    const ok = await copy({ CopySourceIfMatch: etag });
    expect(ok.CopyObjectResult?.ETag).toBe(etag);
  });

  it('weighs copy conditions as the CopyObject reference orders them', async () => {
    const etag = await put(s3(), bucket, 'precedence/source', 'v1');
    const CopySource = copySource(bucket, 'precedence/source');
    const copy = (more: Record<string, unknown>) =>
      s3().send(new CopyObjectCommand({ Bucket: bucket, Key: 'precedence/target', CopySource, ...more }));
    const hourAgo = new Date(Date.now() - 3600_000);
    // a true if-match wins over a false if-unmodified-since: the copy is made
    const made = await copy({ CopySourceIfMatch: etag, CopySourceIfUnmodifiedSince: hourAgo });
    expect(made.CopyObjectResult?.ETag).toBe(etag);
    // a false if-none-match wins over a true if-modified-since: 412
    await expect(
      copy({ CopySourceIfNoneMatch: etag, CopySourceIfModifiedSince: hourAgo }),
    ).rejects.toMatchObject(PRECONDITION_FAILED);
  });

  it('copies tags by default and replaces them with TaggingDirective REPLACE', async () => {
    await put(s3(), bucket, 'tagged/source', 'x', { Tagging: 'stage=raw' });
    const CopySource = copySource(bucket, 'tagged/source');
    await s3().send(new CopyObjectCommand({ Bucket: bucket, Key: 'tagged/copy', CopySource }));
    await s3().send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'tagged/replaced',
        CopySource,
        TaggingDirective: 'REPLACE',
        Tagging: 'stage=clean',
      }),
    );
    const tags = async (Key: string) =>
      (await s3().send(new GetObjectTaggingCommand({ Bucket: bucket, Key }))).TagSet;
    expect(await tags('tagged/copy')).toEqual([{ Key: 'stage', Value: 'raw' }]);
    expect(await tags('tagged/replaced')).toEqual([{ Key: 'stage', Value: 'clean' }]);
  });
});

describe('object tagging', () => {
  it('takes tags from x-amz-tagging on put and counts them on GET', async () => {
    await put(s3(), bucket, 'tags/on-put', 'x', { Tagging: 'project=alpha&note=two%20words' });
    const out = await s3().send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'tags/on-put' }));
    expect(out.TagSet).toEqual(
      expect.arrayContaining([
        { Key: 'project', Value: 'alpha' },
        { Key: 'note', Value: 'two words' },
      ]),
    );
    expect(out.TagSet).toHaveLength(2);
    const got = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: 'tags/on-put' }));
    expect(got.TagCount).toBe(2);
  });

  it('replaces tags with PutObjectTagging and removes them with DeleteObjectTagging', async () => {
    await put(s3(), bucket, 'tags/managed', 'x', { Tagging: 'a=1' });
    await s3().send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: 'tags/managed',
        Tagging: { TagSet: [{ Key: 'b', Value: '2' }] },
      }),
    );
    const replaced = await s3().send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'tags/managed' }));
    expect(replaced.TagSet).toEqual([{ Key: 'b', Value: '2' }]);
    const deleted = await s3().send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'tags/managed' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const none = await s3().send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'tags/managed' }));
    expect(none.TagSet).toEqual([]);
  });

  it('refuses duplicate tag keys with InvalidTag, and answers a missing object with NoSuchKey', async () => {
    await put(s3(), bucket, 'tags/strict', 'x');
    await expect(
      s3().send(
        new PutObjectTaggingCommand({
          Bucket: bucket,
          Key: 'tags/strict',
          Tagging: {
            TagSet: [
              { Key: 'k', Value: '1' },
              { Key: 'k', Value: '2' },
            ],
          },
        }),
      ),
    ).rejects.toMatchObject(s3Error('InvalidTag', 400));
    await expect(
      s3().send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'tags/absent' })),
    ).rejects.toMatchObject(NO_SUCH_KEY);
  });
});

describe('GetObjectAttributes', () => {
  it('returns the ETag unquoted, the size, the storage class and Last-Modified', async () => {
    const body = 'attributes body';
    await put(s3(), bucket, 'attributes', body);
    const out = await s3().send(
      new GetObjectAttributesCommand({
        Bucket: bucket,
        Key: 'attributes',
        ObjectAttributes: ['ETag', 'ObjectSize', 'StorageClass'],
      }),
    );
    expect(out.ETag).toBe(md5Hex(body));
    expect(out.ObjectSize).toBe(body.length);
    expect(out.StorageClass).toBe('STANDARD');
    expect(out.LastModified).toBeInstanceOf(Date);
    expect(out.ObjectParts).toBeUndefined();
  });

  it('returns only the attributes asked for', async () => {
    await put(s3(), bucket, 'attributes-some', 'abc');
    const out = await s3().send(
      new GetObjectAttributesCommand({
        Bucket: bucket,
        Key: 'attributes-some',
        ObjectAttributes: ['ObjectSize'],
      }),
    );
    expect(out.ObjectSize).toBe(3);
    expect(out.ETag).toBeUndefined();
    expect(out.StorageClass).toBeUndefined();
  });

  it('answers a missing key with NoSuchKey', async () => {
    await expect(
      s3().send(
        new GetObjectAttributesCommand({
          Bucket: bucket,
          Key: 'attributes-absent',
          ObjectAttributes: ['ETag'],
        }),
      ),
    ).rejects.toMatchObject(NO_SUCH_KEY);
  });
});
