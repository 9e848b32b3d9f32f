/**
 * CopyObject, and the copy source that UploadPartCopy shares with it: the x-amz-copy-source
 * header, the source version, and the x-amz-copy-source-if-* conditions (a copy that would
 * not be modified is 412 here, never 304).
 */
import { createHash } from 'node:crypto';
import type { CopyObjectOutput, CopyObjectRequest, CopyObjectResult } from '@aws-sdk/client-s3';
import { AwsError } from '../../errors.js';
import type { RequestContext } from '../types.js';
import { type Bucket, requireBucket } from './bucket-lookup.js';
import { type ChecksumAlgorithm, checkAlgorithmName, checksumMember, createDigest } from './checksums.js';
import { invalidArgument, invalidRequest, preconditionFailed } from './errors.js';
import { checkKey } from './names.js';
import { commitObject } from './object-commit.js';
import { ARCHIVE_CLASSES, checkStorageClass, encryptionOf, metaFromInput } from './object-headers.js';
import {
  bodyLocation,
  metaOf,
  NULL_VERSION,
  type ObjectMeta,
  type ObjectRow,
  readableVersion,
} from './object-rows.js';
import { cloneBlob, readBody, type StoredBody, storeStream } from './object-store.js';
import { modifiedNow, quoted } from './objects.js';
import { etagMatches } from './reads.js';
import { parseTaggingHeader } from './tag-sets.js';
import { checkWriteConditions, writeConditionsOf } from './write-conditions.js';

export interface CopySource {
  bucket: string;
  key: string;
  versionId?: string;
}

const LEADING_SLASH = /^\//;

function badCopySource(): AwsError {
  return invalidArgument(
    'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
    'x-amz-copy-source',
  );
}

/** `[/]bucket/key[?versionId=id]`, URL-encoded. */
export function parseCopySource(header: string | undefined): CopySource {
  if (!header) throw badCopySource();
  const q = header.indexOf('?');
  const path = (q < 0 ? header : header.slice(0, q)).replace(LEADING_SLASH, '');
  const query = new URLSearchParams(q < 0 ? '' : header.slice(q + 1));
  let decoded: string;
  try {
    // some clients form-encode the source: a + is a space there
    decoded = decodeURIComponent(path.replaceAll('+', ' '));
  } catch {
    throw badCopySource();
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw badCopySource();
  return {
    bucket: decoded.slice(0, slash),
    key: decoded.slice(slash + 1),
    versionId: query.get('versionId') ?? undefined,
  };
}

export interface CopyConditions {
  CopySourceIfMatch?: string;
  CopySourceIfNoneMatch?: string;
  CopySourceIfModifiedSince?: Date;
  CopySourceIfUnmodifiedSince?: Date;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** The conditions on a copy's source, with GetObject's precedence, all failing with 412. */
function checkCopyConditions(c: CopyConditions, row: ObjectRow, now: number): void {
  const modified = seconds(row.modified_at);
  if (c.CopySourceIfMatch !== undefined) {
    if (!etagMatches(c.CopySourceIfMatch, row.etag)) throw preconditionFailed('x-amz-copy-source-If-Match');
  } else if (c.CopySourceIfUnmodifiedSince && modified > seconds(c.CopySourceIfUnmodifiedSince.getTime())) {
    throw preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  }
  if (c.CopySourceIfNoneMatch !== undefined) {
    if (etagMatches(c.CopySourceIfNoneMatch, row.etag))
      throw preconditionFailed('x-amz-copy-source-If-None-Match');
  } else if (c.CopySourceIfModifiedSince) {
    const since = c.CopySourceIfModifiedSince.getTime();
    if (since <= now && modified <= seconds(since))
      throw preconditionFailed('x-amz-copy-source-If-Modified-Since');
  }
}

/** The object a copy reads from, checked as S3 checks it. */
export function copySourceObject(
  ctx: RequestContext,
  source: CopySource,
  conditions: CopyConditions,
): { bucket: Bucket; row: ObjectRow } {
  const bucket = requireBucket(ctx, source.bucket);
  let row: ObjectRow;
  try {
    row = readableVersion(ctx.db, bucket, source.key, source.versionId);
  } catch (err) {
    if (err instanceof AwsError && err.code === 'MethodNotAllowed') {
      throw invalidRequest(
        'The source of a copy request may not specifically refer to a delete marker by version id.',
      );
    }
    throw err;
  }
  if (ARCHIVE_CLASSES.has(row.storage_class)) {
    throw new AwsError(
      'InvalidObjectState',
      "Operation is not valid for the source object's storage class",
      403,
      {
        fields: { StorageClass: row.storage_class },
      },
    );
  }
  checkCopyConditions(conditions, row, ctx.now());
  return { bucket, row };
}

/** A copy of bytes [start, end] of a source body, with the digests the copy needs. */
export async function copyBytes(
  ctx: RequestContext,
  row: ObjectRow,
  start: number,
  end: number,
  algorithm: ChecksumAlgorithm | undefined,
  inlineMax?: number,
): Promise<StoredBody & { md5: string; checksum?: string }> {
  const md5 = createHash('md5');
  const digest = algorithm ? createDigest(algorithm) : undefined;
  const source = readBody(ctx.blobs, bodyLocation(row), start, end);
  const chunks = Buffer.isBuffer(source) ? [source] : (source as AsyncIterable<Buffer>);
  const stored = await storeStream(
    ctx.blobs,
    chunks,
    (chunk) => {
      md5.update(chunk);
      digest?.update(chunk);
    },
    inlineMax,
  );
  return { ...stored, md5: md5.digest('hex'), checksum: digest?.digest().toString('base64') };
}

function directive(value: string | undefined, header: string): 'COPY' | 'REPLACE' {
  if (value === undefined || value === 'COPY') return 'COPY';
  if (value === 'REPLACE') return 'REPLACE';
  throw invalidArgument(
    `Unknown ${header === 'x-amz-metadata-directive' ? 'metadata' : 'tagging'} directive.`,
    header,
    value,
  );
}

function sameObject(input: CopyObjectRequest, source: CopySource, metadata: 'COPY' | 'REPLACE'): boolean {
  return (
    source.bucket === input.Bucket &&
    source.key === input.Key &&
    metadata === 'COPY' &&
    input.StorageClass === undefined &&
    input.WebsiteRedirectLocation === undefined &&
    input.ServerSideEncryption === undefined &&
    input.SSECustomerAlgorithm === undefined &&
    input.SSEKMSKeyId === undefined
  );
}

interface CopiedBody {
  body: Buffer | null;
  blobs: string | null;
  etag: string;
  checksum?: { algorithm: ChecksumAlgorithm; value: string; type: string };
}

/**
 * The destination's body: the same bytes, kept as one body. A single-part source keeps its
 * ETag and checksum (same bytes) and its file is cloned; a multipart one, or a new checksum
 * algorithm, needs the bytes read through once.
 */
async function copyBody(
  ctx: RequestContext,
  row: ObjectRow,
  algorithm: ChecksumAlgorithm | undefined,
): Promise<CopiedBody> {
  const sameChecksum = algorithm === undefined || algorithm === row.checksum_algorithm;
  const keeps = row.parts === null && sameChecksum && row.checksum_type !== 'COMPOSITE';
  const checksum =
    row.checksum_algorithm && row.checksum
      ? {
          algorithm: row.checksum_algorithm as ChecksumAlgorithm,
          value: row.checksum,
          type: row.checksum_type ?? 'FULL_OBJECT',
        }
      : undefined;
  if (keeps && row.body) return { body: row.body, blobs: null, etag: row.etag, checksum };
  if (keeps && row.blobs)
    return { body: null, blobs: await cloneBlob(ctx.blobs, row.blobs), etag: row.etag, checksum };
  const target = algorithm ?? (row.checksum_algorithm as ChecksumAlgorithm | null) ?? 'CRC64NVME';
  const copied = await copyBytes(ctx, row, 0, row.size - 1, target);
  return {
    body: copied.inline ?? null,
    blobs: copied.blobId ?? null,
    etag: quoted(copied.md5),
    checksum: copied.checksum
      ? { algorithm: target, value: copied.checksum, type: 'FULL_OBJECT' }
      : undefined,
  };
}

export async function copyObject(input: CopyObjectRequest, ctx: RequestContext): Promise<CopyObjectOutput> {
  const dest = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const key = input.Key as string;
  checkKey(key);
  const source = parseCopySource(input.CopySource);
  const metadata = directive(input.MetadataDirective, 'x-amz-metadata-directive');
  const tagging = directive(input.TaggingDirective, 'x-amz-tagging-directive');
  const algorithm = checkAlgorithmName(input.ChecksumAlgorithm);
  const storageClass = checkStorageClass(input.StorageClass);
  const conditions = writeConditionsOf(input);
  const { bucket: srcBucket, row } = copySourceObject(ctx, source, input);
  if (sameObject(input, source, metadata) && algorithm === undefined) {
    throw invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const meta: ObjectMeta = metadata === 'REPLACE' ? metaFromInput(input) : metaOf(row);
  const tags = tagging === 'REPLACE' ? (input.Tagging ? parseTaggingHeader(input.Tagging) : []) : undefined;
  if (conditions) checkWriteConditions(ctx.db, dest, key, conditions);
  const copied = await copyBody(ctx, row, algorithm);
  const modifiedAt = modifiedNow(ctx);
  const versionId = await commitObject(
    ctx,
    dest.name,
    key,
    conditions,
    {
      delete_marker: 0,
      modified_at: modifiedAt,
      size: row.size,
      etag: copied.etag,
      body: copied.body,
      blobs: copied.blobs,
      parts: null,
      meta: JSON.stringify(meta),
      checksum_algorithm: copied.checksum?.algorithm ?? null,
      checksum: copied.checksum?.value ?? null,
      checksum_type: copied.checksum?.type ?? null,
      tags: tags === undefined ? row.tags : tags.length ? JSON.stringify(tags) : null,
      storage_class: storageClass,
      owner: ctx.accountId,
    },
    'ObjectCreated:Copy',
  );
  const copyResult: CopyObjectResult = { ETag: copied.etag, LastModified: new Date(modifiedAt) };
  if (copied.checksum) {
    copyResult[checksumMember(copied.checksum.algorithm)] = copied.checksum.value;
    copyResult.ChecksumType = copied.checksum.type as never;
  }
  return {
    CopyObjectResult: copyResult,
    VersionId: dest.versioning === 'Enabled' ? versionId : undefined,
    CopySourceVersionId:
      srcBucket.versioning !== null && row.version_id !== NULL_VERSION ? row.version_id : undefined,
    ...encryptionOf(meta),
  };
}
