/** PutObject, GetObject, HeadObject and DeleteObject. */

import type { Readable } from 'node:stream';
import type {
  DeleteObjectOutput,
  DeleteObjectRequest,
  GetObjectOutput,
  GetObjectRequest,
  HeadObjectOutput,
  HeadObjectRequest,
  PutObjectOutput,
  PutObjectRequest,
} from '@aws-sdk/client-s3';
import { AwsError } from '../../errors.js';
import type { RequestContext } from '../types.js';
import { RESPONSE_STATUS } from '../types.js';
import { type Bucket, requireBucket } from './bucket-lookup.js';
import { type ChecksumAlgorithm, checksumMember, declaredChecksum } from './checksums.js';
import { invalidRequest } from './errors.js';
import { partNumberOf } from './integer-arguments.js';
import { checkKey } from './names.js';
import { announceRemoved } from './notification-events.js';
import { commitObject } from './object-commit.js';
import {
  ARCHIVE_CLASSES,
  checkStorageClass,
  checksumOutput,
  encryptionOf,
  metaFromInput,
  objectHeaders,
  tagCount,
} from './object-headers.js';
import {
  bodyLocation,
  deleteVersionRow,
  findVersion,
  invalidVersionId,
  latestVersion,
  NULL_VERSION,
  type ObjectRow,
  readableVersion,
  type StoredPart,
  writeVersion,
} from './object-rows.js';
import { discardBlobs, readBody } from './object-store.js';
import { type ByteRange, checkReadConditions, contentRange, invalidRange, parseRange } from './reads.js';
import { parseTaggingHeader } from './tag-sets.js';
import { receiveBody } from './upload-body.js';
import {
  checkDeleteConditions,
  checkWriteConditions,
  type DeleteConditions,
  writeConditionsOf,
} from './write-conditions.js';

/** What S3 gives every object stored without a checksum of its own. */
export const DEFAULT_CHECKSUM: ChecksumAlgorithm = 'CRC64NVME';

/** Whole seconds: what Last-Modified can say, in listings as in headers. */
export function modifiedNow(ctx: RequestContext): number {
  return Math.floor(ctx.now() / 1000) * 1000;
}

export function quoted(md5Hex: string): string {
  return `"${md5Hex}"`;
}

export async function putObject(
  input: PutObjectRequest & { Body?: Readable },
  ctx: RequestContext,
): Promise<PutObjectOutput> {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const key = input.Key as string;
  checkKey(key);
  const storageClass = checkStorageClass(input.StorageClass);
  const meta = metaFromInput(input);
  const tags = input.Tagging === undefined ? undefined : parseTaggingHeader(input.Tagging);
  const conditions = writeConditionsOf(input);
  const declared = declaredChecksum(input, ctx.payload?.trailer);
  if (conditions) checkWriteConditions(ctx.db, bucket, key, conditions);
  const body = await receiveBody(input, ctx, declared, declared?.algorithm ?? DEFAULT_CHECKSUM);
  const versionId = await commitObject(
    ctx,
    bucket.name,
    key,
    conditions,
    {
      delete_marker: 0,
      modified_at: modifiedNow(ctx),
      size: body.size,
      etag: quoted(body.md5),
      body: body.inline ?? null,
      blobs: body.blobId ?? null,
      parts: null,
      meta: JSON.stringify(meta),
      checksum_algorithm: body.checksum?.algorithm ?? null,
      checksum: body.checksum?.value ?? null,
      checksum_type: body.checksum ? 'FULL_OBJECT' : null,
      tags: tags?.length ? JSON.stringify(tags) : null,
      storage_class: storageClass,
      owner: ctx.accountId,
    },
    'ObjectCreated:Put',
  );
  const out: PutObjectOutput = {
    ETag: quoted(body.md5),
    VersionId: bucket.versioning === 'Enabled' ? versionId : undefined,
    ...encryptionOf(meta),
  };
  if (body.checksum && (declared || body.checksum.algorithm === DEFAULT_CHECKSUM)) {
    out[checksumMember(body.checksum.algorithm)] = body.checksum.value;
    out.ChecksumType = 'FULL_OBJECT';
  }
  return out;
}

/** The range a read serves: from Range, or from partNumber (a part of a multipart object). */
function readRange(input: GetObjectRequest, row: ObjectRow): { range?: ByteRange; partsCount?: number } {
  if (input.Range !== undefined && input.PartNumber !== undefined) {
    throw invalidRequest('Cannot specify both Range header and partNumber query parameter');
  }
  if (input.Range !== undefined) return { range: parseRange(input.Range, row.size) };
  if (input.PartNumber === undefined) return {};
  const parts: StoredPart[] = row.parts ? JSON.parse(row.parts) : [{ size: row.size }];
  const n = partNumberOf(input.PartNumber);
  if (n > parts.length) {
    throw new AwsError('InvalidPartNumber', 'The requested partnumber is not satisfiable', 416, {
      fields: { PartNumberRequested: n, ActualPartCount: parts.length },
    });
  }
  let start = 0;
  for (let i = 0; i < n - 1; i++) start += (parts[i] as StoredPart).size;
  const range = { start, end: start + (parts[n - 1] as StoredPart).size - 1 };
  return { range, partsCount: row.parts ? parts.length : undefined };
}

/** The response-* query parameters: only a signed request may ask for them. */
function overrides(input: GetObjectRequest, ctx: RequestContext): Partial<GetObjectOutput> {
  const out: Partial<GetObjectOutput> = {};
  if (input.ResponseContentType !== undefined) out.ContentType = input.ResponseContentType;
  if (input.ResponseContentLanguage !== undefined) out.ContentLanguage = input.ResponseContentLanguage;
  if (input.ResponseExpires !== undefined) out.Expires = input.ResponseExpires;
  if (input.ResponseCacheControl !== undefined) out.CacheControl = input.ResponseCacheControl;
  if (input.ResponseContentDisposition !== undefined)
    out.ContentDisposition = input.ResponseContentDisposition;
  if (input.ResponseContentEncoding !== undefined) out.ContentEncoding = input.ResponseContentEncoding;
  if (Object.keys(out).length && ctx.caller.accessKeyId === '') {
    throw invalidRequest('Request specific response headers cannot be used for anonymous GET requests.');
  }
  return out;
}

function readObject(
  input: GetObjectRequest,
  ctx: RequestContext,
  method: 'GET' | 'HEAD',
): { bucket: Bucket; row: ObjectRow; out: GetObjectOutput; range?: ByteRange } {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const row = readableVersion(ctx.db, bucket, input.Key as string, input.VersionId, method);
  checkReadConditions(input, row, ctx.now());
  if (method === 'GET' && ARCHIVE_CLASSES.has(row.storage_class)) {
    throw new AwsError(
      'InvalidObjectState',
      "The operation is not valid for the object's storage class",
      403,
      {
        fields: { StorageClass: row.storage_class },
      },
    );
  }
  const { range, partsCount } = readRange(input, row);
  const out: GetObjectOutput & { [RESPONSE_STATUS]?: number } = objectHeaders(
    row,
    bucket.versioning !== null,
  );
  out.TagCount = tagCount(row);
  out.PartsCount = partsCount;
  if (range) {
    out.ContentLength = range.end - range.start + 1;
    out.ContentRange = contentRange(range, row.size);
    out[RESPONSE_STATUS] = 206;
  }
  // a checksum describes the whole object: a range of it goes without
  if (input.ChecksumMode === 'ENABLED' && (!range || out.ContentLength === row.size)) {
    Object.assign(out, checksumOutput(row));
  }
  Object.assign(out, overrides(input, ctx));
  return { bucket, row, out, range };
}

export function getObject(input: GetObjectRequest, ctx: RequestContext): GetObjectOutput {
  const { row, out, range } = readObject(input, ctx, 'GET');
  if (range && range.start >= row.size) throw invalidRange(input.Range as string, row.size);
  out.Body = readBody(ctx.blobs, bodyLocation(row), range?.start ?? 0, range?.end ?? row.size - 1) as never;
  return out;
}

export function headObject(input: HeadObjectRequest, ctx: RequestContext): HeadObjectOutput {
  return readObject(input as GetObjectRequest, ctx, 'HEAD').out;
}

export function deleteObject(input: DeleteObjectRequest, ctx: RequestContext): DeleteObjectOutput {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const key = input.Key as string;
  const result = deleteKey(ctx, bucket, key, input.VersionId, input);
  discardBlobs(ctx.blobs, result.dropped);
  return { DeleteMarker: result.deleteMarker || undefined, VersionId: result.versionId };
}

export interface DeleteResult {
  deleteMarker: boolean;
  versionId?: string;
  dropped: string[];
}

const NO_CONDITIONS: DeleteConditions = {};

/** Deletes a key or one version of it, as DeleteObject and DeleteObjects do, and announces it
 * (in the handler's transaction: see withEvents). */
export function deleteKey(
  ctx: RequestContext,
  bucket: Bucket,
  key: string,
  versionId: string | undefined,
  conditions: DeleteConditions = NO_CONDITIONS,
): DeleteResult {
  const result = removeKey(ctx, bucket, key, versionId, conditions);
  announceRemoved(ctx, bucket, key, versionId, result);
  return result;
}

function removeKey(
  ctx: RequestContext,
  bucket: Bucket,
  key: string,
  versionId: string | undefined,
  conditions: DeleteConditions,
): DeleteResult {
  if (versionId !== undefined) {
    const row = findVersion(ctx.db, bucket, key, versionId);
    if (!row) {
      if (versionId !== NULL_VERSION && (bucket.versioning === null || latestVersion(ctx.db, bucket, key))) {
        throw invalidVersionId(versionId);
      }
      return { deleteMarker: false, dropped: [] };
    }
    checkDeleteConditions(row, key, conditions);
    return {
      deleteMarker: row.delete_marker === 1,
      versionId: row.version_id,
      dropped: deleteVersionRow(ctx.db, row),
    };
  }
  const current = latestVersion(ctx.db, bucket, key);
  checkDeleteConditions(current, key, conditions);
  if (bucket.versioning === null) {
    return { deleteMarker: false, dropped: current ? deleteVersionRow(ctx.db, current) : [] };
  }
  const marker = writeVersion(ctx.db, bucket, key, {
    delete_marker: 1,
    modified_at: modifiedNow(ctx),
    size: 0,
    etag: '',
    body: null,
    blobs: null,
    parts: null,
    meta: '{}',
    checksum_algorithm: null,
    checksum: null,
    checksum_type: null,
    tags: null,
    storage_class: 'STANDARD',
    owner: ctx.accountId,
  });
  return { deleteMarker: true, versionId: marker.versionId, dropped: marker.dropped };
}
