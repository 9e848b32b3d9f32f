/**
 * Listings page by page against a model of S3's: for many prefixes, delimiters (one and
 * several characters) and page sizes, ListObjectsV2 paged with ContinuationToken and
 * ListObjects (v1) paged with Marker/NextMarker give, page after page, exactly the model's
 * entries (keys in UTF-8 byte order, keys holding the delimiter after the prefix rolled up into
 * one common prefix), each page full but the last. The keys cross every boundary the listing
 * reads in batches: more than 1000 under one prefix, runs of common prefixes between plain
 * keys, and prefixes whose last character cannot be incremented (U+10FFFF) or jumps the
 * surrogate range (U+D7FF).
 */
import {
  ListObjectsCommand,
  type ListObjectsCommandOutput,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { newBucket, put, useS3 } from './setup.js';

const t = useS3();
let bucket: string;

const KEYS = [
  ...Array.from({ length: 1050 }, (_, i) => `deep/${String(i).padStart(5, '0')}`),
  ...Array.from({ length: 30 }, (_, j) => [0, 1, 2].map((k) => `dir/sub${j}/file${k}`)).flat(),
  // '.' sorts just before '/': plain keys between the common prefixes
  ...Array.from({ length: 30 }, (_, j) => `dir/sub${j}.txt`),
  'dir/plain',
  'uni/a b+c%d',
  'uni/\u00e9',
  'uni/\u00e9/x',
  'uni/\u00e9/y/z',
  'uni/\u{1f600}',
  'uni/\u{1f600}/inner',
  'uni/\ud7ff',
  'uni/\ud7ffa',
  'uni/\ue000',
  'uni/\u{10ffff}',
  'uni/\u{10ffff}/x',
  'uni/\u{10ffff}\u{10ffff}',
  'uni0',
  'z',
];

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const SORTED = [...KEYS].sort(utf8Order);

type Entry = string;
/** A common prefix in an entry list, told apart from a key. */
const rolled = (prefix: string): Entry => `[${prefix}]`;

/** Every entry of a listing, unpaged, as S3 defines it. */
function modelListing(prefix: string, delimiter: string | undefined): Entry[] {
  const entries: Entry[] = [];
  for (const key of SORTED) {
    if (!key.startsWith(prefix)) continue;
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const entry = cut < 0 ? key : rolled(key.slice(0, cut + (delimiter as string).length));
    if (entries.at(-1) !== entry) entries.push(entry);
  }
  return entries;
}

const entriesOf = (out: ListObjectsV2CommandOutput | ListObjectsCommandOutput): Entry[] =>
  [
    ...(out.Contents ?? []).map((o) => o.Key as string),
    ...(out.CommonPrefixes ?? []).map((p) => rolled(p.Prefix as string)),
  ].sort((a, b) => utf8Order(a.startsWith('[') ? a.slice(1, -1) : a, b.startsWith('[') ? b.slice(1, -1) : b));

async function pagesV2(prefix: string, delimiter: string | undefined, max: number): Promise<Entry[][]> {
  const pages: Entry[][] = [];
  let token: string | undefined;
  do {
    const out = await t.s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix || undefined,
        Delimiter: delimiter,
        MaxKeys: max,
        ContinuationToken: token,
      }),
    );
    const entries = entriesOf(out);
    expect(out.KeyCount).toBe(entries.length);
    expect(out.IsTruncated).toBe(out.NextContinuationToken !== undefined);
    pages.push(entries);
    token = out.NextContinuationToken;
  } while (token !== undefined);
  return pages;
}

async function pagesV1(prefix: string, delimiter: string | undefined, max: number): Promise<Entry[][]> {
  const pages: Entry[][] = [];
  let marker: string | undefined;
  for (;;) {
    const out = await t.s3.send(
      new ListObjectsCommand({
        Bucket: bucket,
        Prefix: prefix || undefined,
        Delimiter: delimiter,
        MaxKeys: max,
        Marker: marker,
      }),
    );
    const entries = entriesOf(out);
    pages.push(entries);
    if (!out.IsTruncated) return pages;
    // without a delimiter the next marker is the last key listed
    marker = delimiter ? out.NextMarker : out.Contents?.at(-1)?.Key;
    expect(marker).toBeDefined();
  }
}

/** Pages of `max` entries, every one full but the last; one empty page for an empty listing. */
function expectPaged(pages: Entry[][], expected: Entry[], max: number) {
  expect(pages.flat()).toEqual(expected);
  const sizes = pages.map((p) => p.length);
  const full = Math.max(1, Math.ceil(expected.length / max));
  expect(sizes).toEqual(Array.from({ length: full }, (_, i) => Math.min(max, expected.length - i * max)));
}

beforeAll(async () => {
  bucket = await newBucket(t.s3, 'pages');
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < KEYS.length) await put(t.s3, bucket, KEYS[next++] as string, new Uint8Array(0));
    }),
  );
}, 120_000);

const PREFIXES = [
  '',
  'deep/',
  'dir/',
  'dir/sub1',
  'uni/',
  'uni/\u00e9',
  'uni/\u{10ffff}',
  'uni/\ud7ff',
  'nothing/',
  'd',
];
const DELIMITERS = [undefined, '/', 'sub', '\u00e9'];

describe('ListObjectsV2 pages against the model', () => {
  for (const prefix of PREFIXES) {
    for (const delimiter of DELIMITERS) {
      it(`prefix ${JSON.stringify(prefix)}, delimiter ${JSON.stringify(delimiter)}`, async () => {
        const expected = modelListing(prefix, delimiter);
        const sizes = expected.length > 60 ? [1000, 251] : [1, 4, 1000];
        for (const max of sizes) expectPaged(await pagesV2(prefix, delimiter, max), expected, max);
      });
    }
  }

  it('caps a page at 1000 keys even when more are asked for', async () => {
    const out = await t.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'deep/', MaxKeys: 5000 }));
    expect(out.MaxKeys).toBe(1000);
    expect(out.KeyCount).toBe(1000);
    expect(out.IsTruncated).toBe(true);
    expect(out.Contents?.at(-1)?.Key).toBe('deep/00999');
  });

  it('starts after StartAfter, which need not be a key, in the middle of a batch', async () => {
    const out = await t.s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: 'dir/',
        Delimiter: '/',
        StartAfter: 'dir/sub12.txt!',
      }),
    );
    const expected = modelListing('dir/', '/').filter(
      (e) => utf8Order(e.replace(/^\[|\]$/g, ''), 'dir/sub12.txt!') > 0,
    );
    expect(expected[0]).toBe('[dir/sub12/]');
    expect(entriesOf(out)).toEqual(expected);
  });
});

describe('ListObjects (v1) pages against the model', () => {
  for (const [prefix, delimiter] of [
    ['', '/'],
    ['dir/', '/'],
    ['uni/', undefined],
    ['uni/', '/'],
    ['deep/', undefined],
  ] as const) {
    it(`prefix ${JSON.stringify(prefix)}, delimiter ${JSON.stringify(delimiter)}`, async () => {
      const expected = modelListing(prefix, delimiter);
      const max = expected.length > 60 ? 333 : 3;
      expectPaged(await pagesV1(prefix, delimiter, max), expected, max);
    });
  }
});
