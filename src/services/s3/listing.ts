/** ListObjectsV2 and ListObjects (v1): the current objects of a bucket, a page at a time. */
import type {
  _Object,
  ChecksumAlgorithm,
  ChecksumType,
  ListObjectsOutput,
  ListObjectsRequest,
  ListObjectsV2Output,
  ListObjectsV2Request,
  ObjectStorageClass,
} from '@aws-sdk/client-s3';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../storage/database.js';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { requireBucket } from './bucket-lookup.js';
import { invalidArgument } from './errors.js';
import { int32Argument } from './integer-arguments.js';
import { afterPrefix, isCommonPrefix, type KeyPage, urlEncodeKey, walkKeys } from './key-walk.js';
import { ownerOf } from './names.js';

const MAX_KEYS = 1000;

/** A listed object as its batch's JSON holds it. */
type ListedRow = [
  key: string,
  modifiedAt: number,
  size: number,
  etag: string,
  storageClass: string,
  checksumAlgorithm: string | null,
  checksumType: string | null,
  /** only when the listing shows owners */
  owner?: string,
];

const EXCLUSIVE = 1;
const BOUNDED = 2;
const WITH_OWNER = 4;

const COLUMNS = 'key, modified_at, size, etag, storage_class, checksum_algorithm, checksum_type';

/**
 * One statement per variant (start inclusive or not, an upper bound for a prefix or none, the
 * owner or not), indexed by those bits. A batch comes back as one JSON array of rows: a third
 * cheaper than better-sqlite3 handing over each row and value apart. The subquery (a
 * co-routine reading the index) feeds the aggregate in its ORDER BY order. `latest = 1 AND
 * delete_marker = 0` spelled out lets SQLite range-scan the partial covering index; `LIMIT
 * ?+0`, because with a bare `LIMIT ?` SQLite prepares the statement again on every run (its
 * planner reads the value).
 */
const statements = perDb((db) =>
  Array.from({ length: 8 }, (_, variant) => {
    const columns = variant & WITH_OWNER ? `${COLUMNS}, owner` : COLUMNS;
    return db
      .prepare(
        `SELECT json_group_array(json_array(${columns})) FROM (
           SELECT ${columns} FROM s3_objects WHERE bucket_id = ? AND latest = 1 AND delete_marker = 0
             AND key ${variant & EXCLUSIVE ? '>' : '>='} ? ${variant & BOUNDED ? 'AND key < ?' : ''}
           ORDER BY key LIMIT ?+0)`,
      )
      .pluck(true);
  }),
);

interface ListOptions {
  prefix: string;
  delimiter?: string;
  after: string;
  max: number;
}

interface Scan {
  db: Db;
  bucketId: number;
  /** The first key past the prefix; none for the empty prefix. */
  end?: string;
  withOwner: boolean;
}

function readBatch(scan: Scan, key: string, inclusive: boolean, limit: number): ListedRow[] {
  const variant =
    (inclusive ? 0 : EXCLUSIVE) | (scan.end === undefined ? 0 : BOUNDED) | (scan.withOwner ? WITH_OWNER : 0);
  const statement = statements(scan.db)[variant] as Statement;
  const json =
    scan.end === undefined
      ? statement.get(scan.bucketId, key, limit)
      : statement.get(scan.bucketId, key, scan.end, limit);
  return JSON.parse(json as string) as ListedRow[];
}

/** With a delimiter, batches start at one row: any row may be a common prefix, which ends the
 * batch (its keys are skipped by a seek); they grow while the rows are keys. */
const DELIMITED_BATCH = 1;

/**
 * Rows in key order from `key`, read in batches that grow (reading a batch whole is much
 * cheaper per row than stepping a cursor): a page reads about what it lists, plus a short read
 * per common prefix.
 */
function* rowsFrom(scan: Scan, key: string, inclusive: boolean, first: number): Generator<ListedRow> {
  let limit = first;
  for (;;) {
    const rows = readBatch(scan, key, inclusive, limit);
    yield* rows;
    if (rows.length < limit) return;
    key = (rows[rows.length - 1] as ListedRow)[0];
    inclusive = false;
    limit = Math.min(limit * 4, MAX_KEYS + 1);
  }
}

function listCurrent(scan: Scan, o: ListOptions): KeyPage<ListedRow> {
  const start = o.prefix > o.after;
  const first = o.delimiter ? DELIMITED_BATCH : o.max + 1;
  return walkKeys<ListedRow>({
    ...o,
    marker: o.after,
    start: rowsFrom(scan, start ? o.prefix : o.after, start, first),
    from: (key, inclusive) => rowsFrom(scan, key, inclusive, DELIMITED_BATCH),
    keyOf: (row) => row[0],
  });
}

function scanOf(db: Db, bucketId: number, prefix: string, withOwner: boolean): Scan {
  return { db, bucketId, end: prefix ? afterPrefix(prefix) : undefined, withOwner };
}

export function maxKeysOf(given: number | undefined): number {
  const value = int32Argument(given, 'max-keys');
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

/** One array per checksum algorithm, shared by every object that has it. */
const checksumLists = new Map<string, ChecksumAlgorithm[]>();

function checksumList(algorithm: string): ChecksumAlgorithm[] {
  let list = checksumLists.get(algorithm);
  if (!list) {
    list = [algorithm as ChecksumAlgorithm];
    checksumLists.set(algorithm, list);
  }
  return list;
}

function listedObject(row: ListedRow, encode: (key: string) => string): _Object {
  const [key, modifiedAt, size, etag, storageClass, algorithm, checksumType, owner] = row;
  return {
    Key: encode(key),
    LastModified: new Date(modifiedAt),
    ETag: etag,
    Size: size,
    StorageClass: storageClass as ObjectStorageClass,
    Owner: owner === undefined ? undefined : ownerOf(owner),
    ChecksumAlgorithm: algorithm ? checksumList(algorithm) : undefined,
    ChecksumType: algorithm ? ((checksumType ?? 'FULL_OBJECT') as ChecksumType) : undefined,
  };
}

function splitPage(page: KeyPage<ListedRow>, encode: (key: string) => string) {
  const contents: _Object[] = [];
  const prefixes: { Prefix: string }[] = [];
  for (const entry of page.entries) {
    if (isCommonPrefix(entry)) prefixes.push({ Prefix: encode(entry.commonPrefix) });
    else contents.push(listedObject(entry, encode));
  }
  return { contents, prefixes };
}

function lastMarker(page: KeyPage<ListedRow>): string | undefined {
  const last = page.entries.at(-1);
  if (!last) return undefined;
  return isCommonPrefix(last) ? last.commonPrefix : last[0];
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
  const scan = scanOf(ctx.db, bucket.id, prefix, input.FetchOwner === true);
  const page = listCurrent(scan, { prefix, delimiter: input.Delimiter || undefined, after, max });
  const { contents, prefixes } = splitPage(page, encode);
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
  const scan = scanOf(ctx.db, bucket.id, prefix, true);
  const page = listCurrent(scan, { prefix, delimiter, after: input.Marker ?? '', max });
  const { contents, prefixes } = splitPage(page, encode);
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
