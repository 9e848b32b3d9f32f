/** Get/Put/DeleteObjectTagging: the tag set of one object version. */
import type {
  DeleteObjectTaggingOutput,
  DeleteObjectTaggingRequest,
  GetObjectTaggingOutput,
  GetObjectTaggingRequest,
  PutObjectTaggingOutput,
  PutObjectTaggingRequest,
  Tag,
} from '@aws-sdk/client-s3';
import type { RequestContext } from '../types.js';
import { type Bucket, requireBucket } from './bucket-lookup.js';
import { malformedXml } from './errors.js';
import { NULL_VERSION, type ObjectRow, readableVersion, setObjectTags } from './object-rows.js';
import { checkTagSet } from './tag-sets.js';

function taggedVersion(
  ctx: RequestContext,
  input: { Bucket?: string; Key?: string; VersionId?: string; ExpectedBucketOwner?: string },
  method: string,
): { bucket: Bucket; row: ObjectRow } {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  return { bucket, row: readableVersion(ctx.db, bucket, input.Key as string, input.VersionId, method) };
}

/** A version id is named in the answer once the bucket has versioning (a null one too). */
function versionOf(bucket: Bucket, row: ObjectRow): string | undefined {
  return bucket.versioning === null && row.version_id === NULL_VERSION ? undefined : row.version_id;
}

export function getObjectTagging(
  input: GetObjectTaggingRequest,
  ctx: RequestContext,
): GetObjectTaggingOutput {
  const { bucket, row } = taggedVersion(ctx, input, 'GET');
  return { TagSet: row.tags ? (JSON.parse(row.tags) as Tag[]) : [], VersionId: versionOf(bucket, row) };
}

export function putObjectTagging(
  input: PutObjectTaggingRequest,
  ctx: RequestContext,
): PutObjectTaggingOutput {
  if (!input.Tagging) throw malformedXml();
  const tags = input.Tagging.TagSet ?? [];
  checkTagSet(tags, 'object');
  const { bucket, row } = taggedVersion(ctx, input, 'PUT');
  setObjectTags(ctx.db, row, tags.length ? JSON.stringify(tags) : null);
  return { VersionId: versionOf(bucket, row) };
}

export function deleteObjectTagging(
  input: DeleteObjectTaggingRequest,
  ctx: RequestContext,
): DeleteObjectTaggingOutput {
  const { bucket, row } = taggedVersion(ctx, input, 'DELETE');
  setObjectTags(ctx.db, row, null);
  return { VersionId: versionOf(bucket, row) };
}
