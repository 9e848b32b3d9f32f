/** DeleteObjects: up to 1000 keys or versions in one request, each with its own outcome. */
import type { _Error, DeletedObject, DeleteObjectsOutput, DeleteObjectsRequest } from '@aws-sdk/client-s3';
import { AwsError } from '../../errors.js';
import type { RequestContext } from '../types.js';
import { requireBucket } from './bucket-lookup.js';
import { malformedXml } from './errors.js';
import { findVersion, NULL_VERSION } from './object-rows.js';
import { discardBlobs } from './object-store.js';
import { deleteKey } from './objects.js';

const MAX_KEYS = 1000;

export function deleteObjects(input: DeleteObjectsRequest, ctx: RequestContext): DeleteObjectsOutput {
  const objects = input.Delete?.Objects ?? [];
  if (objects.length === 0 || objects.length > MAX_KEYS) throw malformedXml();
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const quiet = input.Delete?.Quiet === true;
  const deleted: DeletedObject[] = [];
  const errors: _Error[] = [];
  const dropped: string[] = [];
  for (const { Key: key, VersionId: versionId, ETag, LastModifiedTime, Size } of objects) {
    if (key === undefined) throw malformedXml();
    // a version this bucket never had is NoSuchVersion here (DeleteObject says InvalidArgument)
    const missing =
      versionId !== undefined &&
      !findVersion(ctx.db, bucket, key, versionId) &&
      (bucket.versioning !== null || versionId !== NULL_VERSION);
    if (missing) {
      errors.push({
        Key: key,
        VersionId: versionId,
        Code: 'NoSuchVersion',
        Message: 'The specified version does not exist.',
      });
      continue;
    }
    try {
      const result = deleteKey(ctx, bucket, key, versionId, {
        IfMatch: ETag,
        IfMatchLastModifiedTime: LastModifiedTime,
        IfMatchSize: Size,
      });
      dropped.push(...result.dropped);
      if (quiet) continue;
      deleted.push({
        Key: key,
        VersionId: versionId,
        DeleteMarker: result.deleteMarker || undefined,
        DeleteMarkerVersionId: result.deleteMarker ? result.versionId : undefined,
      });
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      errors.push({ Key: key, VersionId: versionId, Code: err.code, Message: err.message });
    }
  }
  discardBlobs(ctx.blobs, dropped);
  return { Deleted: deleted.length ? deleted : undefined, Errors: errors.length ? errors : undefined };
}
