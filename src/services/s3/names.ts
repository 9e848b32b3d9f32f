/** What S3 accepts as a bucket name, a key and a location constraint. */
import { createHash } from 'node:crypto';
import { AwsError } from '../../errors.js';

const BUCKET_CHARACTERS = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];
const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$/;
/** S3's limit on a key, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;

/** The general purpose bucket naming rules; anything else is InvalidBucketName. */
export function isValidBucketName(name: string): boolean {
  return (
    BUCKET_CHARACTERS.test(name) &&
    !name.includes('..') &&
    !name.includes('.-') &&
    !name.includes('-.') &&
    !IP_ADDRESS.test(name) &&
    !RESERVED_PREFIXES.some((p) => name.startsWith(p)) &&
    !RESERVED_SUFFIXES.some((s) => name.endsWith(s))
  );
}

export function checkBucketName(name: string): void {
  if (!isValidBucketName(name)) {
    throw new AwsError('InvalidBucketName', 'The specified bucket is not valid.', 400, {
      fields: { BucketName: name },
    });
  }
}

export function isRegionName(value: string): boolean {
  return REGION.test(value);
}

export function checkKey(key: string): void {
  const size = Buffer.byteLength(key);
  if (size > MAX_KEY_BYTES) {
    throw new AwsError('KeyTooLongError', 'Your key is too long', 400, {
      fields: { Size: size, MaxSizeAllowed: MAX_KEY_BYTES },
    });
  }
}

const canonicalIds = new Map<string, string>();

/** The canonical user id S3 shows as an account's Owner ID: 64 hex digits, stable per account. */
function canonicalUserId(accountId: string): string {
  let id = canonicalIds.get(accountId);
  if (!id) {
    id = createHash('sha256').update(`localaws:${accountId}`).digest('hex');
    canonicalIds.set(accountId, id);
  }
  return id;
}

export function ownerOf(accountId: string): { ID: string; DisplayName: string } {
  return { ID: canonicalUserId(accountId), DisplayName: 'webfile' };
}
