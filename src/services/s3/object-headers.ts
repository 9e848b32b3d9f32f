/**
 * The headers an object keeps (content headers, user metadata, encryption, storage class) as
 * PutObject, CopyObject and CreateMultipartUpload take them, and as GetObject and HeadObject
 * give them back.
 */
import type { HeadObjectOutput } from '@aws-sdk/client-s3';
import { AwsError } from '../../errors.js';
import { storedContentEncoding } from './bodies.js';
import { type ChecksumAlgorithm, checksumMember, isChecksumAlgorithm } from './checksums.js';
import type { ObjectMeta, ObjectRow } from './object-rows.js';

export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';
const STANDARD = 'STANDARD';
const STORAGE_CLASSES = new Set([
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
  'EXPRESS_ONEZONE',
  'SNOW',
]);
/** Classes whose objects must be restored before they can be read. */
export const ARCHIVE_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);
/** S3's limit on user metadata: names and values, in UTF-8 bytes. */
const MAX_METADATA_BYTES = 2048;

/** What the write operations share of their input. */
export interface HeaderInput {
  ContentType?: string;
  ContentEncoding?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  CacheControl?: string;
  Expires?: Date;
  WebsiteRedirectLocation?: string;
  ServerSideEncryption?: string;
  SSEKMSKeyId?: string;
  BucketKeyEnabled?: boolean;
  SSECustomerAlgorithm?: string;
  SSECustomerKeyMD5?: string;
  ObjectLockMode?: string;
  ObjectLockRetainUntilDate?: Date;
  ObjectLockLegalHoldStatus?: string;
  Metadata?: Record<string, string>;
  StorageClass?: string;
}

export function checkStorageClass(storageClass: string | undefined): string {
  if (storageClass === undefined) return STANDARD;
  if (!STORAGE_CLASSES.has(storageClass)) {
    throw new AwsError('InvalidStorageClass', 'The storage class you specified is not valid', 400, {
      fields: { StorageClassRequested: storageClass },
    });
  }
  return storageClass;
}

function checkMetadata(metadata: Record<string, string>): Record<string, string> {
  let size = 0;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value);
    out[name.toLowerCase()] = value;
  }
  if (size > MAX_METADATA_BYTES) {
    throw new AwsError(
      'MetadataTooLarge',
      'Your metadata headers exceed the maximum allowed metadata size.',
      400,
      {
        fields: { Size: size, MaxSizeAllowed: MAX_METADATA_BYTES },
      },
    );
  }
  return out;
}

/** The headers a new object keeps from the request that writes it. */
export function metaFromInput(input: HeaderInput): ObjectMeta {
  const meta: ObjectMeta = {
    ContentType: input.ContentType || DEFAULT_CONTENT_TYPE,
    ContentEncoding: storedContentEncoding(input.ContentEncoding),
    ContentDisposition: input.ContentDisposition,
    ContentLanguage: input.ContentLanguage,
    CacheControl: input.CacheControl,
    Expires: input.Expires?.getTime(),
    WebsiteRedirectLocation: input.WebsiteRedirectLocation,
    ServerSideEncryption: input.ServerSideEncryption,
    SSEKMSKeyId: input.SSEKMSKeyId,
    BucketKeyEnabled: input.BucketKeyEnabled,
    SSECustomerAlgorithm: input.SSECustomerAlgorithm,
    SSECustomerKeyMD5: input.SSECustomerKeyMD5,
    ObjectLockMode: input.ObjectLockMode,
    ObjectLockRetainUntilDate: input.ObjectLockRetainUntilDate?.getTime(),
    ObjectLockLegalHoldStatus: input.ObjectLockLegalHoldStatus,
  };
  if (input.Metadata && Object.keys(input.Metadata).length) meta.Metadata = checkMetadata(input.Metadata);
  return meta;
}

/** The headers every write answers with: S3 encrypts every object (SSE-S3 by default). */
export function encryptionOf(
  meta: ObjectMeta,
): Pick<
  HeadObjectOutput,
  'ServerSideEncryption' | 'SSEKMSKeyId' | 'BucketKeyEnabled' | 'SSECustomerAlgorithm' | 'SSECustomerKeyMD5'
> {
  return {
    ServerSideEncryption: meta.SSECustomerAlgorithm
      ? undefined
      : ((meta.ServerSideEncryption ?? 'AES256') as never),
    SSEKMSKeyId: meta.SSEKMSKeyId,
    BucketKeyEnabled: meta.BucketKeyEnabled,
    SSECustomerAlgorithm: meta.SSECustomerAlgorithm,
    SSECustomerKeyMD5: meta.SSECustomerKeyMD5,
  };
}

export function tagCount(row: Pick<ObjectRow, 'tags'>): number | undefined {
  if (!row.tags) return undefined;
  const n = (JSON.parse(row.tags) as unknown[]).length;
  return n || undefined;
}

/** The stored checksum of an object as output members: ChecksumCRC32 (or another) and ChecksumType. */
export function checksumOutput(
  row: Pick<ObjectRow, 'checksum_algorithm' | 'checksum' | 'checksum_type'>,
): Record<string, string> {
  const algorithm = row.checksum_algorithm;
  if (!algorithm || !row.checksum || !isChecksumAlgorithm(algorithm)) return {};
  return {
    [checksumMember(algorithm as ChecksumAlgorithm)]: row.checksum,
    ChecksumType: row.checksum_type ?? 'FULL_OBJECT',
  };
}

/** What GetObject and HeadObject say about an object besides its body. */
export function objectHeaders(row: ObjectRow, versioned: boolean): HeadObjectOutput {
  const meta = JSON.parse(row.meta) as ObjectMeta;
  return {
    AcceptRanges: 'bytes',
    LastModified: new Date(row.modified_at),
    ContentLength: row.size,
    ETag: row.etag,
    ContentType: meta.ContentType,
    ContentEncoding: meta.ContentEncoding,
    ContentDisposition: meta.ContentDisposition,
    ContentLanguage: meta.ContentLanguage,
    CacheControl: meta.CacheControl,
    Expires: meta.Expires === undefined ? undefined : new Date(meta.Expires),
    WebsiteRedirectLocation: meta.WebsiteRedirectLocation,
    Metadata: meta.Metadata,
    StorageClass: row.storage_class === STANDARD ? undefined : (row.storage_class as never),
    VersionId: versioned ? row.version_id : undefined,
    ObjectLockMode: meta.ObjectLockMode as never,
    ObjectLockRetainUntilDate:
      meta.ObjectLockRetainUntilDate === undefined ? undefined : new Date(meta.ObjectLockRetainUntilDate),
    ObjectLockLegalHoldStatus: meta.ObjectLockLegalHoldStatus as never,
    ...encryptionOf(meta),
  };
}
