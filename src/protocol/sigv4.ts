/**
 * SigV4 maths from the verifying side: rebuild the canonical request of a request as it
 * arrived, and the signature its signer must have computed. Mirrors what
 * @smithy/signature-v4 does when signing (canonical path, query, headers, key derivation),
 * on plain node:crypto, because that library only signs.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/;
// encodeURIComponent leaves these alone, RFC 3986 (and so SigV4) does not
const SUB_DELIMS_KEPT = /[!'()*]/g;
const LINE_BREAKS = /[\r\n]/g;
const BLANK_RUNS = /[ \t]+/g;
const EDGE_SPACE = /^ | $/g;
const NEEDS_TRIM = /[\r\n\t]| {2}|^ | $/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Percent-encodes everything but RFC 3986's unreserved characters, as SigV4 wants. */
export function uriEncode(value: string): string {
  if (UNRESERVED_ONLY.test(value)) return value;
  return encodeURIComponent(value).replace(SUB_DELIMS_KEPT, hexEscape);
}

function hexEscape(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
}

/**
 * The canonical URI of a raw (still percent-encoded) path. S3 signs the path as sent;
 * every other service normalises it (no empty or dot segments) and encodes it again.
 */
export function canonicalUri(rawPath: string, encodeAgain: boolean): string {
  if (!encodeAgain) return rawPath || '/';
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEncode(segment));
  }
  const lead = rawPath.startsWith('/') ? '/' : '';
  const trail = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `${lead}${segments.join('/')}${trail}`;
}

/**
 * The canonical query: decoded pairs (the same decoding the protocol layer applies, so
 * a `+` is a space), re-encoded per RFC 3986 and sorted by key, then value.
 * X-Amz-Signature is left out: it cannot sign itself.
 */
export function canonicalQuery(query: URLSearchParams): string {
  const pairs: [string, string][] = [];
  for (const [key, value] of query) {
    if (key.length === 15 && key.toLowerCase() === 'x-amz-signature') continue;
    pairs.push([uriEncode(key), uriEncode(value)]);
  }
  pairs.sort(comparePairs);
  let out = '';
  for (const [key, value] of pairs) out += out ? `&${key}=${value}` : `${key}=${value}`;
  return out;
}

function comparePairs(a: [string, string], b: [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

/** A header's canonical value: line breaks and blank runs folded to one space, ends
 * trimmed; repeated headers (an array, as node's headersDistinct gives) joined by commas. */
export function canonicalHeaderValue(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map(trimAll).join(',');
  return trimAll(value);
}

function trimAll(value: string): string {
  if (!NEEDS_TRIM.test(value)) return value;
  return value.replace(LINE_BREAKS, ' ').replace(BLANK_RUNS, ' ').replace(EDGE_SPACE, '');
}

export interface CanonicalParts {
  method: string;
  uri: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  /** Lower-case names, in the order the signer listed them. */
  signedHeaders: readonly string[];
  payloadHash: string;
}

export function canonicalRequest(parts: CanonicalParts): string {
  let block = '';
  for (const name of parts.signedHeaders) block += `${name}:${canonicalHeaderValue(parts.headers[name])}\n`;
  return `${parts.method}\n${parts.uri}\n${parts.query}\n${block}\n${parts.signedHeaders.join(';')}\n${parts.payloadHash}`;
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

export function sha256Hex(data: string | Buffer | undefined): string {
  if (data === undefined || data.length === 0) return EMPTY_SHA256;
  return createHash('sha256').update(data).digest('hex');
}

const MAX_CACHED_KEYS = 64;
const signingKeys = new Map<string, Buffer>();

/** kSigning = HMAC chain over date, region, service, "aws4_request"; a day's key is
 * reused by every request of that scope, so recent ones are kept. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${date}/${region}/${service}\n${secret}`;
  let key = signingKeys.get(id);
  if (key) return key;
  key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  if (signingKeys.size >= MAX_CACHED_KEYS) signingKeys.delete(signingKeys.keys().next().value as string);
  signingKeys.set(id, key);
  return key;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function signatureOf(key: Buffer, toSign: string): string {
  return createHmac('sha256', key).update(toSign).digest('hex');
}

/** Constant-time comparison, so a mismatch does not leak how much of it matched. */
export function signaturesEqual(expected: string, provided: string): boolean {
  if (expected.length !== provided.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(provided));
}

/** `yyyyMMdd'T'HHmmss'Z'` to epoch milliseconds, or undefined when malformed. */
export function parseAmzDate(value: string): number | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return formatAmzDate(ms) === value ? ms : undefined;
}

export function formatAmzDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}
