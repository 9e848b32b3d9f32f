/** Tag sets as S3 checks them, for buckets and objects, and the x-amz-tagging header form. */
import type { Tag } from '@aws-sdk/client-s3';
import { AwsError } from '../../errors.js';
import { invalidArgument, malformedXml } from './errors.js';

const TAG_TEXT = /^[\p{L}\p{N}_\s.:/=+\-@]*$/u;
const MAX_OBJECT_TAGS = 10;
const MAX_BUCKET_TAGS = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;

export type TagTarget = 'bucket' | 'object';

function invalidTag(message: string, fields: Record<string, unknown> = {}): AwsError {
  return new AwsError('InvalidTag', message, 400, { fields });
}

export function checkTagSet(tags: readonly Tag[], target: TagTarget): void {
  if (target === 'object' && tags.length > MAX_OBJECT_TAGS) {
    throw invalidTag('Object tags cannot be greater than 10');
  }
  if (target === 'bucket' && tags.length > MAX_BUCKET_TAGS) {
    throw invalidTag('Bucket tag count cannot be greater than 50');
  }
  const seen = new Set<string>();
  for (const tag of tags) {
    const { Key: key, Value: value } = tag;
    if (key === undefined || value === undefined) throw malformedXml();
    if (seen.has(key)) throw invalidTag('Cannot provide multiple Tags with the same key', { TagKey: key });
    seen.add(key);
    if (key.startsWith('aws:')) {
      const message =
        target === 'bucket'
          ? 'System tags cannot be added/updated by requester'
          : 'Your TagKey cannot be prefixed with aws:';
      throw invalidTag(message, { TagKey: key });
    }
    if (key.length > MAX_KEY_LENGTH)
      throw invalidTag('The TagKey you have provided is too long, max 128', { TagKey: key });
    if (value.length > MAX_VALUE_LENGTH) {
      throw invalidTag('The TagValue you have provided is too long, max 256', {
        TagKey: key,
        TagValue: value,
      });
    }
    if (!key || !TAG_TEXT.test(key))
      throw invalidTag('The TagKey you have provided is invalid', { TagKey: key });
    if (!TAG_TEXT.test(value)) {
      throw invalidTag('The TagValue you have provided is invalid', { TagKey: key, TagValue: value });
    }
  }
}

/** The tags of an `x-amz-tagging` header: a URL-encoded query string. */
export function parseTaggingHeader(header: string): Tag[] {
  const tags: Tag[] = [];
  const seen = new Set<string>();
  for (const [key, value] of new URLSearchParams(header)) {
    if (seen.has(key) || !TAG_TEXT.test(key) || !TAG_TEXT.test(value)) {
      throw invalidArgument(
        "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
        'x-amz-tagging',
        header,
      );
    }
    seen.add(key);
    tags.push({ Key: key, Value: value });
  }
  checkTagSet(tags, 'object');
  return tags;
}
