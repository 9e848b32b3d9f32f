/** ListParts and ListMultipartUploads. */
import type {
  ListMultipartUploadsOutput,
  ListMultipartUploadsRequest,
  ListPartsOutput,
  ListPartsRequest,
  MultipartUpload,
  Part,
} from '@aws-sdk/client-s3';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { requireBucket } from './bucket-lookup.js';
import { type ChecksumAlgorithm, checksumMember } from './checksums.js';
import { invalidArgument } from './errors.js';
import { pageSizeOf, partNumberMarkerOf } from './integer-arguments.js';
import { isCommonPrefix, walkAfterMarker } from './key-walk.js';
import { keyEncoder } from './listing.js';
import { ownerOf } from './names.js';
import { partsPage, requireUpload, type UploadRow } from './upload-store.js';

const statements = perDb((db) => ({
  from: db.prepare<[number, string], UploadRow>(
    'SELECT * FROM s3_uploads WHERE bucket_id = ? AND key >= ? ORDER BY key, seq',
  ),
  after: db.prepare<[number, string], UploadRow>(
    'SELECT * FROM s3_uploads WHERE bucket_id = ? AND key > ? ORDER BY key, seq',
  ),
  laterOf: db.prepare<[number, string, number], UploadRow>(
    'SELECT * FROM s3_uploads WHERE bucket_id = ? AND key = ? AND seq > ? ORDER BY seq',
  ),
  byId: db.prepare<[string], UploadRow>('SELECT * FROM s3_uploads WHERE id = ?'),
}));

export function listParts(input: ListPartsRequest, ctx: RequestContext): ListPartsOutput {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const upload = requireUpload(ctx, bucket, input.Key as string, input.UploadId);
  const max = pageSizeOf(input.MaxParts, 'max-parts');
  const marker = partNumberMarkerOf(input.PartNumberMarker);
  const rows = partsPage(ctx.db, upload.id, marker, max + 1);
  const page = rows.slice(0, max);
  const algorithm = upload.checksum_algorithm as ChecksumAlgorithm | null;
  const parts: Part[] = page.map((p) => {
    const part: Part = {
      PartNumber: p.part_number,
      LastModified: new Date(p.modified_at),
      ETag: p.etag,
      Size: p.size,
    };
    if (algorithm && p.checksum) part[checksumMember(algorithm)] = p.checksum;
    return part;
  });
  const owner = ownerOf(upload.owner);
  return {
    Bucket: bucket.name,
    Key: upload.key,
    UploadId: upload.id,
    PartNumberMarker: String(marker),
    NextPartNumberMarker: String(page.at(-1)?.part_number ?? marker),
    MaxParts: max,
    IsTruncated: rows.length > max,
    Parts: parts.length ? parts : undefined,
    Initiator: owner,
    Owner: owner,
    StorageClass: upload.storage_class as never,
    ChecksumAlgorithm: (algorithm ?? undefined) as never,
    ChecksumType: (upload.checksum_type ?? undefined) as never,
  };
}

export function listMultipartUploads(
  input: ListMultipartUploadsRequest,
  ctx: RequestContext,
): ListMultipartUploadsOutput {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const encode = keyEncoder(input.EncodingType);
  const max = pageSizeOf(input.MaxUploads, 'max-uploads');
  const prefix = input.Prefix ?? '';
  const keyMarker = input.KeyMarker ?? '';
  const s = statements(ctx.db);
  const from = (key: string, inclusive: boolean) => (inclusive ? s.from : s.after).iterate(bucket.id, key);
  const marked = input.UploadIdMarker && keyMarker ? s.byId.get(input.UploadIdMarker) : undefined;
  if (input.UploadIdMarker && keyMarker) {
    if (!marked || marked.bucket_id !== bucket.id || marked.key !== keyMarker) {
      throw invalidArgument('Invalid uploadId marker', 'upload-id-marker', input.UploadIdMarker);
    }
  }
  const page = walkAfterMarker<UploadRow>(
    { prefix, delimiter: input.Delimiter || undefined, marker: keyMarker, max, from },
    marked && (() => s.laterOf.iterate(bucket.id, keyMarker, marked.seq) as Iterable<UploadRow>),
  );
  const uploads: MultipartUpload[] = [];
  const prefixes: { Prefix: string }[] = [];
  for (const entry of page.entries) {
    if (isCommonPrefix(entry)) {
      prefixes.push({ Prefix: encode(entry.commonPrefix) });
      continue;
    }
    const owner = ownerOf(entry.owner);
    uploads.push({
      UploadId: entry.id,
      Key: encode(entry.key),
      Initiated: new Date(entry.initiated_at),
      StorageClass: entry.storage_class as never,
      Owner: owner,
      Initiator: owner,
      ChecksumAlgorithm: (entry.checksum_algorithm ?? undefined) as never,
      ChecksumType: (entry.checksum_type ?? undefined) as never,
    });
  }
  const last = uploads.at(-1);
  return {
    Bucket: bucket.name,
    KeyMarker: encode(keyMarker),
    UploadIdMarker: input.UploadIdMarker ?? '',
    NextKeyMarker: last?.Key ?? '',
    NextUploadIdMarker: last?.UploadId ?? '',
    Prefix: input.Prefix === undefined ? undefined : encode(prefix),
    Delimiter: input.Delimiter ? encode(input.Delimiter) : undefined,
    MaxUploads: max,
    EncodingType: input.EncodingType as never,
    IsTruncated: page.truncated,
    Uploads: uploads.length ? uploads : undefined,
    CommonPrefixes: prefixes.length ? prefixes : undefined,
  };
}
