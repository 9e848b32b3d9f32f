/**
 * S3: buckets (one namespace across accounts), objects streamed to blob files, listings
 * indexed by key, multipart uploads, versioning, conditional reads and writes, checksums
 * and aws-chunked bodies, and the bucket configurations S3 stores.
 */
import type { ServiceDefinition } from '../types.js';
import { getBucketAcl, getObjectAcl, putBucketAcl, putObjectAcl } from './acl.js';
import { getObjectAttributes } from './attributes.js';
import { sweepOrphanBlobs } from './blob-sweep.js';
import { bucketConfigHandlers } from './bucket-config.js';
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets } from './buckets.js';
import { copyObject } from './copy.js';
import { decorateCors, preflight } from './cors.js';
import { deleteObjects } from './delete-objects.js';
import { listObjects, listObjectsV2 } from './listing.js';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  uploadPart,
  uploadPartCopy,
} from './multipart.js';
import { putBucketNotificationConfiguration } from './notification-config.js';
import { withEvents } from './notification-events.js';
import { deleteObjectTagging, getObjectTagging, putObjectTagging } from './object-tagging.js';
import { deleteObject, getObject, headObject, putObject } from './objects.js';
import { isFormUpload, postObject } from './presigned-post.js';
import { S3_MIGRATIONS } from './store.js';
import { listMultipartUploads, listParts } from './upload-listing.js';
import { getBucketVersioning, listObjectVersions, putBucketVersioning } from './versions.js';

export const s3: ServiceDefinition = {
  id: 's3',
  migrations: S3_MIGRATIONS,
  start(env) {
    sweepOrphanBlobs(env);
    return () => {};
  },
  http: {
    unmodelled(req, env) {
      if (req.method === 'OPTIONS') return preflight(req, env);
      return isFormUpload(req) ? postObject(req, env) : undefined;
    },
    decorate: decorateCors,
  },
  handlers: {
    ...bucketConfigHandlers,
    AbortMultipartUpload: abortMultipartUpload,
    CompleteMultipartUpload: withEvents(completeMultipartUpload),
    CreateMultipartUpload: createMultipartUpload,
    ListMultipartUploads: listMultipartUploads,
    ListParts: listParts,
    UploadPart: uploadPart,
    UploadPartCopy: uploadPartCopy,
    CopyObject: copyObject,
    CreateBucket: createBucket,
    DeleteBucket: deleteBucket,
    DeleteObject: withEvents(deleteObject),
    DeleteObjects: withEvents(deleteObjects),
    DeleteObjectTagging: deleteObjectTagging,
    GetBucketAcl: getBucketAcl,
    GetBucketLocation: getBucketLocation,
    GetBucketVersioning: getBucketVersioning,
    GetObject: getObject,
    GetObjectAcl: getObjectAcl,
    GetObjectAttributes: getObjectAttributes,
    GetObjectTagging: getObjectTagging,
    HeadBucket: headBucket,
    HeadObject: headObject,
    ListBuckets: listBuckets,
    ListObjects: listObjects,
    ListObjectsV2: listObjectsV2,
    ListObjectVersions: listObjectVersions,
    PutBucketAcl: putBucketAcl,
    PutBucketNotificationConfiguration: putBucketNotificationConfiguration,
    PutBucketVersioning: putBucketVersioning,
    PutObject: putObject,
    PutObjectAcl: putObjectAcl,
    PutObjectTagging: putObjectTagging,
  },
};
