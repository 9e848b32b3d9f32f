/**
 * Conditional writes: PutObject and CompleteMultipartUpload with `If-None-Match: *` (only if
 * the key has no object) or `If-Match: <etag>` (only over that object), and DeleteObject with
 * If-Match, x-amz-if-match-last-modified-time and x-amz-if-match-size. Checked when the request
 * arrives and again inside the commit, so two racing writers cannot both win.
 */
import { AwsError } from '../../errors.js';
import type { Db } from '../../storage/database.js';
import type { Bucket } from './bucket-lookup.js';
import { noSuchKey, preconditionFailed } from './errors.js';
import { currentObject, type ObjectRow } from './object-rows.js';
import { etagMatches } from './reads.js';

export interface WriteConditions {
  IfMatch?: string;
  IfNoneMatch?: string;
}

export interface DeleteConditions {
  IfMatch?: string;
  IfMatchLastModifiedTime?: Date;
  IfMatchSize?: number;
}

function notImplemented(header: string, detail: string): AwsError {
  return new AwsError(
    'NotImplemented',
    'A header you provided implies functionality that is not implemented',
    501,
    {
      fields: { Header: header, additionalMessage: detail },
    },
  );
}

/** The conditions of a write, in the forms S3 accepts; undefined when there are none. */
export function writeConditionsOf(input: WriteConditions): WriteConditions | undefined {
  const { IfMatch, IfNoneMatch } = input;
  if (IfMatch === undefined && IfNoneMatch === undefined) return undefined;
  if (IfMatch !== undefined && IfNoneMatch !== undefined) {
    throw notImplemented(
      'If-Match,If-None-Match',
      'Multiple conditional request headers present in the request',
    );
  }
  if (IfNoneMatch !== undefined && IfNoneMatch !== '*') {
    throw notImplemented(
      'If-None-Match',
      "We don't accept the provided value of If-None-Match header for this API",
    );
  }
  if (IfMatch === '*') {
    throw notImplemented('If-Match', "We don't accept the provided value of If-Match header for this API");
  }
  return { IfMatch, IfNoneMatch };
}

/** 412 when the key's current object does not allow the write; If-Match on no object is 404. */
export function checkWriteConditions(db: Db, bucket: Bucket, key: string, conditions: WriteConditions): void {
  const current = currentObject(db, bucket, key);
  if (conditions.IfNoneMatch !== undefined && current) throw preconditionFailed('If-None-Match');
  if (conditions.IfMatch !== undefined) {
    if (!current) throw noSuchKey(key);
    if (!etagMatches(conditions.IfMatch, current.etag)) throw preconditionFailed('If-Match');
  }
}

/** A conditional delete holds to the key's current object (a delete marker is none). */
export function checkDeleteConditions(
  row: ObjectRow | undefined,
  key: string,
  conditions: DeleteConditions,
): void {
  const { IfMatch, IfMatchLastModifiedTime, IfMatchSize } = conditions;
  if (IfMatch === undefined && IfMatchLastModifiedTime === undefined && IfMatchSize === undefined) return;
  if (!row || row.delete_marker) throw noSuchKey(key);
  if (IfMatch !== undefined && !etagMatches(IfMatch, row.etag)) throw preconditionFailed('If-Match');
  if (
    IfMatchLastModifiedTime !== undefined &&
    Math.floor(IfMatchLastModifiedTime.getTime() / 1000) !== Math.floor(row.modified_at / 1000)
  ) {
    throw preconditionFailed('x-amz-if-match-last-modified-time');
  }
  if (IfMatchSize !== undefined && IfMatchSize !== row.size) throw preconditionFailed('x-amz-if-match-size');
}
