/** GetObjectAttributes: the attributes asked for, without the body. */
import type { GetObjectAttributesOutput, GetObjectAttributesRequest, ObjectPart } from '@aws-sdk/client-s3';
import type { RequestContext } from '../types.js';
import { requireBucket } from './bucket-lookup.js';
import { type ChecksumAlgorithm, checksumMember, isChecksumAlgorithm } from './checksums.js';
import { invalidArgument } from './errors.js';
import { pageSizeOf, partNumberMarkerOf } from './integer-arguments.js';
import { readableVersion, type StoredPart } from './object-rows.js';

const ATTRIBUTES = new Set(['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize']);

function partsPage(parts: StoredPart[], algorithm: string | null, input: GetObjectAttributesRequest) {
  const max = pageSizeOf(input.MaxParts, 'max-parts');
  const marker = partNumberMarkerOf(input.PartNumberMarker);
  const page = parts.slice(marker, marker + max);
  const listed: ObjectPart[] = page.map((p, i) => {
    const part: ObjectPart = { PartNumber: marker + i + 1, Size: p.size };
    if (p.checksum && algorithm && isChecksumAlgorithm(algorithm)) {
      part[checksumMember(algorithm as ChecksumAlgorithm)] = p.checksum;
    }
    return part;
  });
  const truncated = marker + max < parts.length;
  return {
    TotalPartsCount: parts.length,
    PartNumberMarker: String(marker),
    NextPartNumberMarker: String(marker + page.length),
    MaxParts: max,
    IsTruncated: truncated,
    Parts: listed.length ? listed : undefined,
  };
}

export function getObjectAttributes(
  input: GetObjectAttributesRequest,
  ctx: RequestContext,
): GetObjectAttributesOutput {
  const asked = new Set(input.ObjectAttributes ?? []);
  for (const name of asked) {
    if (!ATTRIBUTES.has(name))
      throw invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', name);
  }
  if (!asked.size) {
    throw invalidArgument('Empty attribute specified.', 'x-amz-object-attributes', '');
  }
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const row = readableVersion(ctx.db, bucket, input.Key as string, input.VersionId, 'GET');
  const out: GetObjectAttributesOutput = {
    LastModified: new Date(row.modified_at),
    VersionId: bucket.versioning === null ? undefined : row.version_id,
  };
  if (asked.has('ETag')) out.ETag = row.etag.replaceAll('"', '');
  if (asked.has('ObjectSize')) out.ObjectSize = row.size;
  if (asked.has('StorageClass')) out.StorageClass = row.storage_class as never;
  const algorithm = row.checksum_algorithm;
  if (asked.has('Checksum') && algorithm && row.checksum && isChecksumAlgorithm(algorithm)) {
    // a composite checksum is given without its part count here
    out.Checksum = {
      [checksumMember(algorithm)]: row.checksum.replace(/-\d+$/, ''),
      ChecksumType: (row.checksum_type ?? 'FULL_OBJECT') as never,
    };
  }
  if (asked.has('ObjectParts') && row.parts) {
    out.ObjectParts = partsPage(JSON.parse(row.parts) as StoredPart[], algorithm, input);
  }
  return out;
}
