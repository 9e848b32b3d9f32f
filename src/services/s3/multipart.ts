/**
 * Multipart uploads: create, upload parts (streamed to their own files) or copy them from
 * ranges of other objects, complete (the parts' files become the object's body as they are,
 * never concatenated) and abort. ETag: MD5 of the parts' binary MD5s, then `-N`; checksum:
 * COMPOSITE (a checksum of the parts' checksums, `-N`) or FULL_OBJECT (the CRCs combined).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type {
  AbortMultipartUploadRequest,
  CompletedPart,
  CompleteMultipartUploadOutput,
  CompleteMultipartUploadRequest,
  CopyPartResult,
  CreateMultipartUploadOutput,
  CreateMultipartUploadRequest,
  UploadPartCopyOutput,
  UploadPartCopyRequest,
  UploadPartOutput,
  UploadPartRequest,
} from '@aws-sdk/client-s3';
import { AwsError } from '../../errors.js';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { type Bucket, requireBucket } from './bucket-lookup.js';
import {
  type ChecksumAlgorithm,
  type ChecksumType,
  checkAlgorithmName,
  checksumMember,
  declaredChecksum,
} from './checksums.js';
import { composeChecksum } from './composite-checksums.js';
import { copyBytes, copySourceObject, parseCopySource } from './copy.js';
import { invalidArgument, invalidRequest } from './errors.js';
import { partNumberOf } from './integer-arguments.js';
import { checkKey } from './names.js';
import { announceCreated } from './notification-events.js';
import { checkStorageClass, encryptionOf, metaFromInput } from './object-headers.js';
import { currentObject, metaOf, NULL_VERSION, type StoredPart, writeVersion } from './object-rows.js';
import { discardBlobs, removeBlobs } from './object-store.js';
import { DEFAULT_CHECKSUM, modifiedNow, quoted } from './objects.js';
import { etagMatches } from './reads.js';
import { parseTaggingHeader } from './tag-sets.js';
import { receiveBody } from './upload-body.js';
import {
  dropUpload,
  insertUpload,
  type PartRow,
  partsOf,
  putPart,
  requireUpload,
  type UploadRow,
} from './upload-store.js';
import { checkWriteConditions, writeConditionsOf } from './write-conditions.js';

const MIN_PART_SIZE = 5 * 1024 * 1024;
const COPY_RANGE = /^bytes=(\d+)-(\d+)$/;

function checksumTypeOf(
  algorithm: ChecksumAlgorithm | undefined,
  type: string | undefined,
): ChecksumType | undefined {
  if (algorithm === undefined) {
    if (type !== undefined) {
      throw invalidRequest(
        'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.',
      );
    }
    return undefined;
  }
  const chosen = type ?? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE');
  if (chosen !== 'FULL_OBJECT' && chosen !== 'COMPOSITE') {
    throw invalidRequest('Value for x-amz-checksum-type header is invalid.');
  }
  if (chosen === 'COMPOSITE' && algorithm === 'CRC64NVME') {
    throw invalidRequest('The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.');
  }
  if (chosen === 'FULL_OBJECT' && algorithm.startsWith('SHA')) {
    throw invalidRequest(
      `The FULL_OBJECT checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`,
    );
  }
  return chosen;
}

export function createMultipartUpload(
  input: CreateMultipartUploadRequest,
  ctx: RequestContext,
): CreateMultipartUploadOutput {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const key = input.Key as string;
  checkKey(key);
  const storageClass = checkStorageClass(input.StorageClass);
  const meta = metaFromInput(input);
  const tags = input.Tagging === undefined ? undefined : parseTaggingHeader(input.Tagging);
  const algorithm = checkAlgorithmName(input.ChecksumAlgorithm);
  const type = checksumTypeOf(algorithm, input.ChecksumType);
  const id = randomBytes(36).toString('base64url');
  insertUpload(ctx.db, {
    id,
    bucket_id: bucket.id,
    key,
    initiated_at: ctx.now(),
    meta: JSON.stringify(meta),
    checksum_algorithm: algorithm ?? null,
    checksum_type: type ?? null,
    tags: tags?.length ? JSON.stringify(tags) : null,
    storage_class: storageClass,
    owner: ctx.accountId,
    existed: currentObject(ctx.db, bucket, key) ? 1 : 0,
  });
  return {
    Bucket: bucket.name,
    Key: key,
    UploadId: id,
    ChecksumAlgorithm: algorithm,
    ChecksumType: type,
    ...encryptionOf(meta),
  };
}

/** The algorithm each part's checksum is kept in: the upload's, else S3's default. */
function partAlgorithm(upload: UploadRow): ChecksumAlgorithm {
  return (upload.checksum_algorithm as ChecksumAlgorithm | null) ?? DEFAULT_CHECKSUM;
}

const partTransaction = perDb((db) =>
  db.transaction((ctx: RequestContext, bucketName: string, upload: UploadRow, part: PartRow) => {
    requireUpload(ctx, requireBucket(ctx, bucketName), upload.key, upload.id);
    return putPart(ctx.db, part);
  }),
);

/** Stores a part once its bytes are on disk; the file of a part it replaces goes. */
function commitPart(ctx: RequestContext, bucket: Bucket, upload: UploadRow, part: PartRow): void {
  let replaced: string | undefined;
  try {
    replaced = partTransaction(ctx.db)(ctx, bucket.name, upload, part);
  } catch (err) {
    void removeBlobs(ctx.blobs, [part.blob_id]);
    throw err;
  }
  if (replaced) discardBlobs(ctx.blobs, [replaced]);
}

export async function uploadPart(
  input: UploadPartRequest & { Body?: Readable },
  ctx: RequestContext,
): Promise<UploadPartOutput> {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const upload = requireUpload(ctx, bucket, input.Key as string, input.UploadId);
  const partNumber = partNumberOf(input.PartNumber);
  const declared = declaredChecksum(input, ctx.payload?.trailer);
  const algorithm = upload.checksum_algorithm;
  if (declared && algorithm && declared.algorithm !== algorithm) {
    throw invalidRequest(
      `Checksum Type mismatch occurred, expected checksum Type: ${algorithm.toLowerCase()}, actual checksum Type: ${declared.algorithm.toLowerCase()}`,
    );
  }
  const body = await receiveBody(input, ctx, declared, partAlgorithm(upload), -1);
  commitPart(ctx, bucket, upload, {
    upload_id: upload.id,
    part_number: partNumber,
    size: body.size,
    etag: quoted(body.md5),
    blob_id: body.blobId as string,
    modified_at: modifiedNow(ctx),
    checksum: body.checksum?.value ?? null,
  });
  const out: UploadPartOutput = { ETag: quoted(body.md5), ...encryptionOf(metaOf(upload)) };
  const shown = declared?.algorithm ?? (algorithm as ChecksumAlgorithm | null);
  if (shown && body.checksum) out[checksumMember(shown)] = body.checksum.value;
  return out;
}

/** `bytes=first-last`, within the source. */
function copyRange(header: string | undefined, size: number): [number, number] {
  if (header === undefined) return [0, size - 1];
  const m = COPY_RANGE.exec(header);
  const first = m ? Number(m[1]) : Number.NaN;
  const last = m ? Number(m[2]) : Number.NaN;
  if (!m || first > last) {
    throw invalidArgument(
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      'x-amz-copy-source-range',
      header,
    );
  }
  if (first >= size) throw invalidRequest('The specified copy range is invalid for the source object size');
  if (last >= size) {
    throw invalidArgument(
      `Range specified is not valid for source object of size: ${size}`,
      'x-amz-copy-source-range',
      header,
    );
  }
  return [first, last];
}

export async function uploadPartCopy(
  input: UploadPartCopyRequest,
  ctx: RequestContext,
): Promise<UploadPartCopyOutput> {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const source = parseCopySource(input.CopySource);
  const { bucket: srcBucket, row } = copySourceObject(ctx, source, input);
  const upload = requireUpload(ctx, bucket, input.Key as string, input.UploadId);
  const partNumber = partNumberOf(input.PartNumber);
  const [first, last] = copyRange(input.CopySourceRange, row.size);
  const algorithm = partAlgorithm(upload);
  const copied = await copyBytes(ctx, row, first, last, algorithm, -1);
  const modifiedAt = modifiedNow(ctx);
  commitPart(ctx, bucket, upload, {
    upload_id: upload.id,
    part_number: partNumber,
    size: copied.size,
    etag: quoted(copied.md5),
    blob_id: copied.blobId as string,
    modified_at: modifiedAt,
    checksum: copied.checksum ?? null,
  });
  const result: CopyPartResult = { ETag: quoted(copied.md5), LastModified: new Date(modifiedAt) };
  if (upload.checksum_algorithm && copied.checksum) result[checksumMember(algorithm)] = copied.checksum;
  return {
    CopyPartResult: result,
    CopySourceVersionId:
      srcBucket.versioning !== null && row.version_id !== NULL_VERSION ? row.version_id : undefined,
    ...encryptionOf(metaOf(upload)),
  };
}

function invalidPart(uploadId: string, part: CompletedPart): AwsError {
  return new AwsError(
    'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    400,
    { fields: { UploadId: uploadId, PartNumber: part.PartNumber, ETag: part.ETag } },
  );
}

/** The parts a completion lists, checked against those uploaded, in order. */
function chosenParts(upload: UploadRow, listed: CompletedPart[], ctx: RequestContext): PartRow[] {
  if (listed.length === 0) throw invalidRequest('You must specify at least one part');
  const uploaded = new Map(partsOf(ctx.db, upload.id).map((p) => [p.part_number, p]));
  const chosen: PartRow[] = [];
  let previous = 0;
  for (const entry of listed) {
    const n = entry.PartNumber ?? 0;
    if (n <= previous) {
      throw new AwsError(
        'InvalidPartOrder',
        'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
        400,
        { fields: { UploadId: upload.id } },
      );
    }
    previous = n;
    const part = uploaded.get(n);
    if (!part || entry.ETag === undefined || !etagMatches(entry.ETag, part.etag))
      throw invalidPart(upload.id, entry);
    checkListedChecksum(upload, entry, part);
    chosen.push(part);
  }
  chosen.forEach((part, i) => {
    if (i < chosen.length - 1 && part.size < MIN_PART_SIZE) {
      throw new AwsError(
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed object size.',
        400,
        {
          fields: {
            ProposedSize: part.size,
            MinSizeAllowed: MIN_PART_SIZE,
            PartNumber: part.part_number,
            ETag: part.etag,
          },
        },
      );
    }
  });
  return chosen;
}

/** An upload with a checksum needs each listed part's checksum, and it must be the part's. */
function checkListedChecksum(upload: UploadRow, entry: CompletedPart, part: PartRow): void {
  const algorithm = upload.checksum_algorithm as ChecksumAlgorithm | null;
  if (!algorithm) return;
  const given = entry[checksumMember(algorithm)];
  if (given === undefined) {
    throw invalidRequest(
      `The upload was created using a ${algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${part.part_number} in the request.`,
    );
  }
  if (given !== part.checksum) throw invalidPart(upload.id, entry);
}

function multipartEtag(parts: PartRow[]): string {
  const md5 = createHash('md5');
  for (const part of parts) md5.update(Buffer.from(part.etag.replaceAll('"', ''), 'hex'));
  return `"${md5.digest('hex')}-${parts.length}"`;
}

export function completeMultipartUpload(
  input: CompleteMultipartUploadRequest,
  ctx: RequestContext,
): CompleteMultipartUploadOutput {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const key = input.Key as string;
  const upload = requireUpload(ctx, bucket, key, input.UploadId);
  const conditions = writeConditionsOf(input);
  if (conditions) {
    checkWriteConditions(ctx.db, bucket, key, conditions);
    if (conditions.IfNoneMatch !== undefined && upload.existed) {
      throw new AwsError(
        'ConditionalRequestConflict',
        'The conditional request cannot succeed due to a conflicting operation against this resource.',
        409,
        { fields: { Condition: 'If-None-Match', Key: key } },
      );
    }
  }
  const parts = chosenParts(upload, input.MultipartUpload?.Parts ?? [], ctx);
  const algorithm = partAlgorithm(upload);
  const type: ChecksumType = (upload.checksum_type as ChecksumType | null) ?? 'FULL_OBJECT';
  const checksum = composeChecksum(algorithm, type, parts);
  const etag = multipartEtag(parts);
  const stored: StoredPart[] = parts.map((p) =>
    p.checksum ? { size: p.size, checksum: p.checksum } : { size: p.size },
  );
  const size = parts.reduce((n, p) => n + p.size, 0);
  const { versionId, dropped } = writeVersion(ctx.db, bucket, key, {
    delete_marker: 0,
    modified_at: modifiedNow(ctx),
    size,
    etag,
    body: null,
    blobs: parts.map((p) => p.blob_id).join(' '),
    parts: JSON.stringify(stored),
    meta: upload.meta,
    checksum_algorithm: checksum ? algorithm : null,
    checksum: checksum ?? null,
    checksum_type: checksum ? type : null,
    tags: upload.tags,
    storage_class: upload.storage_class,
    owner: upload.owner,
  });
  announceCreated(ctx, bucket, key, 'ObjectCreated:CompleteMultipartUpload', { size, etag }, versionId);
  const used = new Set(parts.map((p) => p.blob_id));
  const unused = dropUpload(ctx.db, upload.id).filter((id) => !used.has(id));
  discardBlobs(ctx.blobs, [...dropped, ...unused]);
  const out: CompleteMultipartUploadOutput = {
    Location: `${ctx.endpoint}/${bucket.name}/${key.split('/').map(encodeURIComponent).join('/')}`,
    Bucket: bucket.name,
    Key: key,
    ETag: etag,
    VersionId: bucket.versioning === 'Enabled' ? versionId : undefined,
    ...encryptionOf(metaOf(upload)),
  };
  if (checksum && upload.checksum_algorithm) {
    out[checksumMember(algorithm)] = checksum;
    out.ChecksumType = type;
  }
  return out;
}

export function abortMultipartUpload(input: AbortMultipartUploadRequest, ctx: RequestContext): void {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const upload = requireUpload(ctx, bucket, input.Key as string, input.UploadId);
  if (
    input.IfMatchInitiatedTime !== undefined &&
    Math.floor(input.IfMatchInitiatedTime.getTime() / 1000) !== Math.floor(upload.initiated_at / 1000)
  ) {
    throw new AwsError(
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
      412,
      {
        fields: { Condition: 'x-amz-if-match-initiated-time' },
      },
    );
  }
  discardBlobs(ctx.blobs, dropUpload(ctx.db, upload.id));
}
