/** Bucket versioning (Get/PutBucketVersioning) and ListObjectVersions. */
import type {
  DeleteMarkerEntry,
  GetBucketVersioningOutput,
  GetBucketVersioningRequest,
  ListObjectVersionsOutput,
  ListObjectVersionsRequest,
  ObjectVersion,
  PutBucketVersioningRequest,
} from '@aws-sdk/client-s3';
import { AwsError } from '../../errors.js';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { requireBucket } from './bucket-lookup.js';
import { invalidArgument, malformedXml } from './errors.js';
import { isCommonPrefix, walkAfterMarker } from './key-walk.js';
import { keyEncoder, maxKeysOf } from './listing.js';
import { ownerOf } from './names.js';
import { findVersion, type ObjectRow } from './object-rows.js';

type VersionRow = Pick<
  ObjectRow,
  | 'id'
  | 'key'
  | 'version_id'
  | 'latest'
  | 'delete_marker'
  | 'modified_at'
  | 'size'
  | 'etag'
  | 'storage_class'
  | 'owner'
  | 'checksum_algorithm'
  | 'checksum_type'
>;

const COLUMNS =
  'id, key, version_id, latest, delete_marker, modified_at, size, etag, storage_class, owner, checksum_algorithm, checksum_type';
const statements = perDb((db) => ({
  setVersioning: db.prepare<[string, number]>('UPDATE s3_buckets SET versioning = ? WHERE id = ?'),
  from: db.prepare<[number, string], VersionRow>(
    `SELECT ${COLUMNS} FROM s3_objects WHERE bucket_id = ? AND key >= ? ORDER BY key, id DESC`,
  ),
  after: db.prepare<[number, string], VersionRow>(
    `SELECT ${COLUMNS} FROM s3_objects WHERE bucket_id = ? AND key > ? ORDER BY key, id DESC`,
  ),
  olderThan: db.prepare<[number, string, number], VersionRow>(
    `SELECT ${COLUMNS} FROM s3_objects WHERE bucket_id = ? AND key = ? AND id < ? ORDER BY id DESC`,
  ),
}));

export function putBucketVersioning(input: PutBucketVersioningRequest, ctx: RequestContext): void {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const status = input.VersioningConfiguration?.Status;
  if (status === undefined) {
    throw new AwsError(
      'IllegalVersioningConfigurationException',
      'The Versioning element must be specified',
      400,
    );
  }
  if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
  if (bucket.object_lock && status === 'Suspended') {
    throw new AwsError(
      'InvalidBucketState',
      'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.',
      409,
    );
  }
  statements(ctx.db).setVersioning.run(status, bucket.id);
}

export function getBucketVersioning(
  input: GetBucketVersioningRequest,
  ctx: RequestContext,
): GetBucketVersioningOutput {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  return { Status: bucket.versioning ?? undefined };
}

export function listObjectVersions(
  input: ListObjectVersionsRequest,
  ctx: RequestContext,
): ListObjectVersionsOutput {
  const keyMarker = input.KeyMarker ?? '';
  const versionMarker = input.VersionIdMarker || undefined;
  if (versionMarker !== undefined && !keyMarker) {
    throw invalidArgument(
      'A version-id marker cannot be specified without a key marker.',
      'version-id-marker',
      versionMarker,
    );
  }
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const encode = keyEncoder(input.EncodingType);
  const max = maxKeysOf(input.MaxKeys);
  const prefix = input.Prefix ?? '';
  const s = statements(ctx.db);
  const from = (key: string, inclusive: boolean) => (inclusive ? s.from : s.after).iterate(bucket.id, key);
  const marked =
    versionMarker === undefined ? undefined : findVersion(ctx.db, bucket, keyMarker, versionMarker);
  if (versionMarker !== undefined && !marked) {
    throw invalidArgument('Invalid version id specified', 'version-id-marker', versionMarker);
  }
  const page = walkAfterMarker<VersionRow>(
    { prefix, delimiter: input.Delimiter || undefined, marker: keyMarker, max, from },
    marked && (() => s.olderThan.iterate(bucket.id, keyMarker, marked.id) as Iterable<VersionRow>),
  );
  const versions: ObjectVersion[] = [];
  const markers: DeleteMarkerEntry[] = [];
  const prefixes: { Prefix: string }[] = [];
  for (const entry of page.entries) {
    if (isCommonPrefix(entry)) prefixes.push({ Prefix: encode(entry.commonPrefix) });
    else if (entry.delete_marker) markers.push(markerEntry(entry, encode));
    else versions.push(versionEntry(entry, encode));
  }
  const last = page.truncated ? page.entries.at(-1) : undefined;
  return {
    Name: bucket.name,
    Prefix: encode(prefix),
    Delimiter: input.Delimiter ? encode(input.Delimiter) : undefined,
    KeyMarker: encode(keyMarker),
    VersionIdMarker: input.VersionIdMarker ?? '',
    MaxKeys: max,
    EncodingType: input.EncodingType as never,
    IsTruncated: page.truncated,
    Versions: versions.length ? versions : undefined,
    DeleteMarkers: markers.length ? markers : undefined,
    CommonPrefixes: prefixes.length ? prefixes : undefined,
    NextKeyMarker:
      last === undefined ? undefined : encode(isCommonPrefix(last) ? last.commonPrefix : last.key),
    NextVersionIdMarker: last === undefined || isCommonPrefix(last) ? undefined : last.version_id,
  };
}

function versionEntry(row: VersionRow, encode: (key: string) => string): ObjectVersion {
  return {
    Key: encode(row.key),
    VersionId: row.version_id,
    IsLatest: row.latest === 1,
    LastModified: new Date(row.modified_at),
    ETag: row.etag,
    Size: row.size,
    StorageClass: row.storage_class as never,
    Owner: ownerOf(row.owner),
    ChecksumAlgorithm: row.checksum_algorithm ? [row.checksum_algorithm as never] : undefined,
    ChecksumType: row.checksum_algorithm ? ((row.checksum_type ?? 'FULL_OBJECT') as never) : undefined,
  };
}

function markerEntry(row: VersionRow, encode: (key: string) => string): DeleteMarkerEntry {
  return {
    Key: encode(row.key),
    VersionId: row.version_id,
    IsLatest: row.latest === 1,
    LastModified: new Date(row.modified_at),
    Owner: ownerOf(row.owner),
  };
}
