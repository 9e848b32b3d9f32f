/**
 * Listings: ListObjectsV2 and ListObjects (v1) with Prefix, Delimiter and CommonPrefixes,
 * MaxKeys and paging (ContinuationToken, StartAfter, Marker/NextMarker), encoding-type=url,
 * FetchOwner; and ListObjectVersions of an unversioned bucket. From the S3 API reference for
 * each operation (NextMarker only with a delimiter; KeyCount counts common prefixes).
 */
import {
  ListObjectsCommand,
  type ListObjectsCommandInput,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  type ListObjectsV2CommandOutput,
  ListObjectVersionsCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { etagOf, newBucket, put, s3Error, useS3 } from './setup.js';

const t = useS3();
const s3 = () => t.s3;
let bucket: string;

const KEYS = [
  'a.txt',
  'photos/2024/feb/2.jpg',
  'photos/2024/jan/1.jpg',
  'photos/2025/mar/3.jpg',
  'photos/index.html',
  'videos/clip.mp4',
  'z.txt',
];

beforeAll(async () => {
  bucket = await newBucket(s3(), 'listing');
  for (const key of KEYS) await put(s3(), bucket, key, key);
});

const v2 = (input: Partial<ListObjectsV2CommandInput> = {}) =>
  s3().send(new ListObjectsV2Command({ Bucket: bucket, ...input }));
const v1 = (input: Partial<ListObjectsCommandInput> = {}) =>
  s3().send(new ListObjectsCommand({ Bucket: bucket, ...input }));
const keysOf = (out: { Contents?: { Key?: string }[] }) => (out.Contents ?? []).map((o) => o.Key);
const prefixesOf = (out: { CommonPrefixes?: { Prefix?: string }[] }) =>
  (out.CommonPrefixes ?? []).map((p) => p.Prefix);

describe('ListObjectsV2', () => {
  it('lists every key in order with its size, ETag, date and storage class, and no owner', async () => {
    const out = await v2();
    expect(out.Name).toBe(bucket);
    expect(out.MaxKeys).toBe(1000);
    expect(out.KeyCount).toBe(KEYS.length);
    expect(out.IsTruncated).toBe(false);
    expect(keysOf(out)).toEqual(KEYS);
    const first = out.Contents?.[0];
    expect(first).toMatchObject({ Key: 'a.txt', Size: 5, ETag: etagOf('a.txt'), StorageClass: 'STANDARD' });
    expect(first?.LastModified).toBeInstanceOf(Date);
    expect(first?.Owner).toBeUndefined();
  });

  it('names the owner of each object with FetchOwner', async () => {
    const out = await v2({ FetchOwner: true, MaxKeys: 1 });
    expect(out.Contents?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  it('filters by Prefix', async () => {
    const out = await v2({ Prefix: 'photos/' });
    expect(out.Prefix).toBe('photos/');
    expect(keysOf(out)).toEqual(KEYS.filter((k) => k.startsWith('photos/')));
  });

  it('rolls keys up to CommonPrefixes at the Delimiter, and counts both in KeyCount', async () => {
    const out = await v2({ Delimiter: '/' });
    expect(out.Delimiter).toBe('/');
    expect(keysOf(out)).toEqual(['a.txt', 'z.txt']);
    expect(prefixesOf(out)).toEqual(['photos/', 'videos/']);
    expect(out.KeyCount).toBe(4);
  });

  it('combines Prefix and Delimiter to list one level of a folder', async () => {
    const out = await v2({ Prefix: 'photos/', Delimiter: '/' });
    expect(keysOf(out)).toEqual(['photos/index.html']);
    expect(prefixesOf(out)).toEqual(['photos/2024/', 'photos/2025/']);
  });

  it('returns nothing, not an error, for a prefix that matches no key', async () => {
    const out = await v2({ Prefix: 'nothing/' });
    expect(out.KeyCount).toBe(0);
    expect(out.Contents).toBeUndefined();
    expect(out.IsTruncated).toBe(false);
  });

  it('pages with MaxKeys and ContinuationToken through every key exactly once', async () => {
    const seen: (string | undefined)[] = [];
    let token: string | undefined;
    let pages = 0;
    let page: ListObjectsV2CommandOutput;
    do {
      page = await v2({ MaxKeys: 2, ContinuationToken: token });
      pages += 1;
      expect(page.ContinuationToken).toBe(token);
      expect(page.KeyCount).toBeLessThanOrEqual(2);
      seen.push(...keysOf(page));
      token = page.NextContinuationToken;
      expect(page.IsTruncated).toBe(token !== undefined);
    } while (token);
    expect(seen).toEqual(KEYS);
    expect(pages).toBe(4);
  });

  it('counts common prefixes against MaxKeys', async () => {
    const first = await v2({ Delimiter: '/', MaxKeys: 2 });
    expect(keysOf(first)).toEqual(['a.txt']);
    expect(prefixesOf(first)).toEqual(['photos/']);
    expect(first.IsTruncated).toBe(true);
    const second = await v2({ Delimiter: '/', MaxKeys: 2, ContinuationToken: first.NextContinuationToken });
    expect(prefixesOf(second)).toEqual(['videos/']);
    expect(keysOf(second)).toEqual(['z.txt']);
    expect(second.IsTruncated).toBe(false);
  });

  it('starts after StartAfter, which need not be a key', async () => {
    const out = await v2({ StartAfter: 'photos/2025/mar/3.jpg' });
    expect(out.StartAfter).toBe('photos/2025/mar/3.jpg');
    expect(keysOf(out)).toEqual(['photos/index.html', 'videos/clip.mp4', 'z.txt']);
    expect(keysOf(await v2({ StartAfter: 'q' }))).toEqual(['videos/clip.mp4', 'z.txt']);
  });

  it('refuses a continuation token it did not issue with InvalidArgument', async () => {
    await expect(v2({ ContinuationToken: 'not-a-token-from-s3' })).rejects.toMatchObject(
      s3Error('InvalidArgument', 400),
    );
  });
});

describe('encoding-type=url', () => {
  let encoded: string;

  beforeAll(async () => {
    encoded = await newBucket(s3(), 'encoded');
    for (const key of ['foo+1/bar', 'foo/bar/xyzzy', 'quux ab/thud', 'asdf+b', 'é/x']) {
      await put(s3(), encoded, key, 'x');
    }
  });

  it('URL-encodes keys, common prefixes and the delimiter in ListObjectsV2', async () => {
    const out = await s3().send(
      new ListObjectsV2Command({ Bucket: encoded, Delimiter: '/', EncodingType: 'url' }),
    );
    expect(out.EncodingType).toBe('url');
    expect(keysOf(out)).toEqual(['asdf%2Bb']);
    expect(prefixesOf(out)).toEqual(['foo%2B1/', 'foo/', 'quux%20ab/', '%C3%A9/']);
  });

  it('URL-encodes keys in ListObjects (v1)', async () => {
    const out = await s3().send(new ListObjectsCommand({ Bucket: encoded, EncodingType: 'url' }));
    expect(keysOf(out)).toEqual(['asdf%2Bb', 'foo%2B1/bar', 'foo/bar/xyzzy', 'quux%20ab/thud', '%C3%A9/x']);
  });

  it('returns keys as stored without encoding-type', async () => {
    const out = await s3().send(new ListObjectsV2Command({ Bucket: encoded, Prefix: 'quux' }));
    expect(keysOf(out)).toEqual(['quux ab/thud']);
  });
});

describe('ListObjects (v1)', () => {
  it('lists keys with their owner', async () => {
    const out = await v1();
    expect(keysOf(out)).toEqual(KEYS);
    expect(out.Contents?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(out.IsTruncated).toBe(false);
  });

  it('starts after Marker', async () => {
    const out = await v1({ Marker: 'photos/index.html' });
    expect(out.Marker).toBe('photos/index.html');
    expect(keysOf(out)).toEqual(['videos/clip.mp4', 'z.txt']);
  });

  it('gives no NextMarker without a delimiter: the last key is the next marker', async () => {
    const first = await v1({ MaxKeys: 3 });
    expect(first.IsTruncated).toBe(true);
    expect(first.NextMarker).toBeUndefined();
    expect(keysOf(first)).toEqual(KEYS.slice(0, 3));
    const second = await v1({ MaxKeys: 3, Marker: KEYS[2] });
    expect(keysOf(second)).toEqual(KEYS.slice(3, 6));
  });

  it('gives NextMarker when a delimiter is used', async () => {
    const first = await v1({ Delimiter: '/', MaxKeys: 2 });
    expect(first.IsTruncated).toBe(true);
    expect(first.NextMarker).toBe('photos/');
    const second = await v1({ Delimiter: '/', MaxKeys: 2, Marker: first.NextMarker });
    expect(prefixesOf(second)).toEqual(['videos/']);
    expect(keysOf(second)).toEqual(['z.txt']);
    expect(second.IsTruncated).toBe(false);
  });
});

describe('ListObjectVersions of an unversioned bucket', () => {
  it('lists each object once as the latest version with the version id null', async () => {
    const out = await s3().send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'photos/2024/' }));
    expect(out.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest])).toEqual([
      ['photos/2024/feb/2.jpg', 'null', true],
      ['photos/2024/jan/1.jpg', 'null', true],
    ]);
    expect(out.DeleteMarkers).toBeUndefined();
  });
});
