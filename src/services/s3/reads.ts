/**
 * What a read asks of an object besides its bytes: a byte range (S3 serves one range; a list
 * of ranges or a malformed one gets the whole object) and the conditional headers, evaluated
 * with the precedence the GetObject reference gives: If-Match over If-Unmodified-Since (412),
 * then If-None-Match over If-Modified-Since (304).
 */
import { AwsError } from '../../errors.js';
import { preconditionFailed } from './errors.js';

export interface ByteRange {
  start: number;
  /** inclusive */
  end: number;
}

const RANGE = /^bytes=(\d*)-(\d*)$/;
const QUOTES = /"/g;
const WEAK = /^W\//;

export function invalidRange(requested: string, size: number): AwsError {
  return new AwsError('InvalidRange', 'The requested range is not satisfiable', 416, {
    fields: { RangeRequested: requested, ActualObjectSize: String(size) },
    headers: { 'content-range': `bytes */${size}` },
  });
}

/** The range a Range header asks for, undefined for the whole object; 416 when it cannot be served. */
export function parseRange(header: string, size: number): ByteRange | undefined {
  const m = RANGE.exec(header.trim());
  if (!m) return undefined;
  const [, first, last] = m as unknown as [string, string, string];
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw invalidRange(header, size);
    return { start: Math.max(size - suffix, 0), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) throw invalidRange(header, size);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return undefined;
  return { start, end };
}

export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}

/** Entity tags compare without quotes or a weak prefix; `*` matches any. */
export function etagMatches(header: string, etag: string): boolean {
  const bare = etag.replace(QUOTES, '');
  for (const item of header.split(',')) {
    const tag = item.trim().replace(WEAK, '').replace(QUOTES, '');
    if (tag === '*' || tag === bare) return true;
  }
  return false;
}

export interface ReadConditions {
  IfMatch?: string;
  IfNoneMatch?: string;
  IfModifiedSince?: Date;
  IfUnmodifiedSince?: Date;
}

/** HTTP dates carry whole seconds: Last-Modified compares at that resolution. */
function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** Throws 412 or 304 (with the object's validators) when the conditions say so. */
export function checkReadConditions(
  conditions: ReadConditions,
  object: { etag: string; modified_at: number },
  now: number,
): void {
  const modified = seconds(object.modified_at);
  const { IfMatch, IfNoneMatch, IfModifiedSince, IfUnmodifiedSince } = conditions;
  if (IfMatch !== undefined) {
    if (!etagMatches(IfMatch, object.etag)) throw preconditionFailed('If-Match');
  } else if (IfUnmodifiedSince && modified > seconds(IfUnmodifiedSince.getTime())) {
    throw preconditionFailed('If-Unmodified-Since');
  }
  if (IfNoneMatch !== undefined) {
    if (etagMatches(IfNoneMatch, object.etag)) throw notModified(object);
  } else if (
    IfModifiedSince &&
    IfModifiedSince.getTime() <= now &&
    modified <= seconds(IfModifiedSince.getTime())
  ) {
    throw notModified(object);
  }
}

function notModified(object: { etag: string; modified_at: number }): AwsError {
  return new AwsError('NotModified', 'Not Modified', 304, {
    headers: { etag: object.etag, 'last-modified': new Date(object.modified_at).toUTCString() },
  });
}
