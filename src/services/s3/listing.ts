/** ListObjectsV2 and ListObjects (v1): the current objects of a bucket, a page at a time. */
import type {
  _Object,
  ListObjectsOutput,
  ListObjectsRequest,
  ListObjectsV2Output,
  ListObjectsV2Request,
} from '@aws-sdk/client-s3';
import type { Db } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { requireBucket } from './bucket-lookup.js';
import { invalidArgument } from './errors.js';
import { isCommonPrefix, type KeyPage, urlEncodeKey, walkKeys } from './key-walk.js';
import { ownerOf } from './names.js';
import { perDb } from './store.js';

const MAX_KEYS = 1000;

interface ListedRow {
  key: string;
  modified_at: number;
  size: number;
  etag: string;
  storage_class: string;
  owner: string;
  checksum_algorithm: string | null;
  checksum_type: string | null;
}

const COLUMNS = 'key, modified_at, size, etag, storage_class, owner, checksum_algorithm, checksum_type';
// `latest = 1 AND delete_marker = 0` spelled out lets SQLite range-scan the partial index
const statements = perDb((db) => ({
  from: db.prepare<[number, string, number], ListedRow>(
    `SELECT ${COLUMNS} FROM s3_objects WHERE bucket_id = ? AND latest = 1 AND delete_marker = 0 AND key >= ?
     ORDER BY key LIMIT ?`,
  ),
  after: db.prepare<[number, string, number], ListedRow>(
    `SELECT ${COLUMNS} FROM s3_objects WHERE bucket_id = ? AND latest = 1 AND delete_marker = 0 AND key > ?
     ORDER BY key LIMIT ?`,
  ),
}));

interface ListOptions {
  prefix: string;
  delimiter?: string;
  after: string;
  max: number;
}

/** Batches after a jump past a common prefix start small: the next one may come soon. */
const FIRST_BATCH = 16;

/**
 * Rows in key order from `key`, read in batches that grow (reading a batch whole is much
 * cheaper per row than stepping a cursor): a page reads about what it lists, plus one short
 * read per common prefix.
 */
function* rowsFrom(
  db: Db,
  bucketId: number,
  key: string,
  inclusive: boolean,
  first: number,
): Generator<ListedRow> {
  const s = statements(db);
  let limit = first;
  for (;;) {
    const rows = (inclusive ? s.from : s.after).all(bucketId, key, limit);
    yield* rows;
    if (rows.length < limit) return;
    key = (rows[rows.length - 1] as ListedRow).key;
    inclusive = false;
    limit = Math.min(limit * 4, MAX_KEYS + 1);
  }
}

function listCurrent(db: Db, bucketId: number, o: ListOptions): KeyPage<ListedRow> {
  const start = o.prefix > o.after;
  return walkKeys<ListedRow>({
    ...o,
    marker: o.after,
    start: rowsFrom(db, bucketId, start ? o.prefix : o.after, start, o.max + 1),
    from: (key, inclusive) => rowsFrom(db, bucketId, key, inclusive, FIRST_BATCH),
    keyOf: (row) => row.key,
  });
}

export function maxKeysOf(value: number | undefined): number {
  if (value === undefined) return MAX_KEYS;
  if (value < 0)
    throw invalidArgument('Argument maxKeys must be an integer between 0 and 2147483647', 'maxKeys', value);
  return Math.min(value, MAX_KEYS);
}

/** The encoding a listing answers with: none, or S3's url form. */
export function keyEncoder(encodingType: string | undefined): (key: string) => string {
  if (encodingType === undefined) return (key) => key;
  if (encodingType !== 'url')
    throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  return urlEncodeKey;
}

function listedObject(row: ListedRow, encode: (key: string) => string, withOwner: boolean): _Object {
  return {
    Key: encode(row.key),
    LastModified: new Date(row.modified_at),
    ETag: row.etag,
    Size: row.size,
    StorageClass: row.storage_class as never,
    Owner: withOwner ? ownerOf(row.owner) : undefined,
    ChecksumAlgorithm: row.checksum_algorithm ? [row.checksum_algorithm as never] : undefined,
    ChecksumType: row.checksum_algorithm ? ((row.checksum_type ?? 'FULL_OBJECT') as never) : undefined,
  };
}

function splitPage(page: KeyPage<ListedRow>, encode: (key: string) => string, withOwner: boolean) {
  const contents: _Object[] = [];
  const prefixes: { Prefix: string }[] = [];
  for (const entry of page.entries) {
    if (isCommonPrefix(entry)) prefixes.push({ Prefix: encode(entry.commonPrefix) });
    else contents.push(listedObject(entry, encode, withOwner));
  }
  return { contents, prefixes };
}

function lastMarker(page: KeyPage<ListedRow>): string | undefined {
  const last = page.entries.at(-1);
  if (!last) return undefined;
  return isCommonPrefix(last) ? last.commonPrefix : last.key;
}

const TOKEN_TAG = 'k:';
const encodeToken = (marker: string) => Buffer.from(TOKEN_TAG + marker, 'utf8').toString('base64url');

/** A continuation token is the last key or common prefix listed, tagged so a stranger's is refused. */
function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(TOKEN_TAG) || Buffer.from(text, 'utf8').toString('base64url') !== token) {
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  }
  return text.slice(TOKEN_TAG.length);
}

export function listObjectsV2(input: ListObjectsV2Request, ctx: RequestContext): ListObjectsV2Output {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const encode = keyEncoder(input.EncodingType);
  const max = maxKeysOf(input.MaxKeys);
  const after =
    input.ContinuationToken !== undefined ? decodeToken(input.ContinuationToken) : (input.StartAfter ?? '');
  const prefix = input.Prefix ?? '';
  const page = listCurrent(ctx.db, bucket.id, {
    prefix,
    delimiter: input.Delimiter || undefined,
    after,
    max,
  });
  const { contents, prefixes } = splitPage(page, encode, input.FetchOwner === true);
  const next = page.truncated ? lastMarker(page) : undefined;
  return {
    Name: bucket.name,
    Prefix: encode(prefix),
    Delimiter: input.Delimiter ? encode(input.Delimiter) : undefined,
    MaxKeys: max,
    EncodingType: input.EncodingType as never,
    KeyCount: page.entries.length,
    IsTruncated: page.truncated,
    Contents: contents.length ? contents : undefined,
    CommonPrefixes: prefixes.length ? prefixes : undefined,
    ContinuationToken: input.ContinuationToken,
    NextContinuationToken: next === undefined ? undefined : encodeToken(next),
    StartAfter: input.StartAfter === undefined ? undefined : encode(input.StartAfter),
  };
}

export function listObjects(input: ListObjectsRequest, ctx: RequestContext): ListObjectsOutput {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const encode = keyEncoder(input.EncodingType);
  const max = maxKeysOf(input.MaxKeys);
  const prefix = input.Prefix ?? '';
  const delimiter = input.Delimiter || undefined;
  const page = listCurrent(ctx.db, bucket.id, { prefix, delimiter, after: input.Marker ?? '', max });
  const { contents, prefixes } = splitPage(page, encode, true);
  // v1 names the next marker only with a delimiter; without one it is the last key listed
  const next = page.truncated && delimiter ? lastMarker(page) : undefined;
  return {
    Name: bucket.name,
    Prefix: encode(prefix),
    Marker: encode(input.Marker ?? ''),
    Delimiter: delimiter ? encode(delimiter) : undefined,
    MaxKeys: max,
    EncodingType: input.EncodingType as never,
    IsTruncated: page.truncated,
    Contents: contents.length ? contents : undefined,
    CommonPrefixes: prefixes.length ? prefixes : undefined,
    NextMarker: next === undefined ? undefined : encode(next),
  };
}
