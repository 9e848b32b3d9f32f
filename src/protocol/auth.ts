/**
 * Who is calling. SigV4 from the Authorization header or a presigned query string, and S3's
 * SigV2 presigned query string (which boto3 still makes), verified like a SigV4 one; SigV2
 * headers, the query APIs' SigV2 and unsigned requests are recognised. The access key picks the account, the
 * credential scope the region and signing service.
 *
 * Strict mode accepts only keys whose secret is known and verifies every signature, the
 * clock and a declared payload hash. Lenient mode takes well-formed credentials on trust,
 * but a presigned URL still expires, and its signature is checked when the secret is known.
 */
import { accountForAccessKey, DEFAULT_ACCOUNT } from '../accounts.js';
import { AwsError } from '../errors.js';
import {
  credentialDateError,
  credentialMalformedError,
  headerMalformedError,
  MAX_SKEW_MS,
  missingAuthError,
  missingDateError,
  payloadMismatchError,
  presignTimeError,
  queryMalformedError,
  requirementsMessage,
  signatureMismatchError,
  signatureTimeError,
  sigV2ExpiredError,
  unknownKeyError,
  unsupportedSchemeError,
} from './auth-errors.js';
import { sigV2Signature, sigV2StringToSign } from './sigv2.js';
import {
  ALGORITHM,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  formatAmzDate,
  parseAmzDate,
  sha256Hex,
  signatureOf,
  signaturesEqual,
  signingKey,
  stringToSign,
  UNSIGNED_PAYLOAD,
} from './sigv4.js';

/** Which family of AWS error codes a failure is reported in. */
export type ErrorStyle = 's3' | 'json' | 'query' | 'ec2';

export interface AuthInput {
  method: string;
  /** The raw (percent-encoded) path as the client sent it, before a bucket is taken out. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased names. Repeated headers given as arrays (node's `headersDistinct`)
   * canonicalise exactly; a comma-space join of them would not. */
  headers: Record<string, string | string[] | undefined>;
  /** The buffered body: hashed when no x-amz-content-sha256 is declared (JSON and query
   * services), and held to a declared hash in strict mode. */
  body?: Buffer;
  /** What S3's SigV2 signs as the resource when it is not the path: `/bucket/key` for a
   * virtual-hosted request. */
  resource?: string;
}

export interface AuthOptions {
  strict: boolean;
  /** The server clock, epoch milliseconds. */
  now(): number;
  /** The secret of a configured key or an STS session; undefined when unknown. */
  secretFor(accessKeyId: string): string | undefined;
  /** The account of a key that is not its own account id (e.g. an assumed role's session). */
  accountFor?(accessKeyId: string): string | undefined;
  errorStyle: ErrorStyle;
}

export interface Caller {
  scheme: 'sigv4' | 'sigv2' | 'anonymous';
  /** Empty when anonymous. */
  accessKeyId: string;
  accountId: string;
  region?: string;
  service?: string;
  presigned: boolean;
  sessionToken?: string;
  /** What S3's signed aws-chunked uploads chain chunk signatures from: the request's own
   * signature, scope and date; the signing key only when the key's secret is known. */
  seedSignature?: string;
  signingKey?: Buffer;
  scope?: string;
  amzDate?: string;
}

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const MAX_PRESIGN_SECONDS = 604800;
const HEADER_PREFIX = `${ALGORITHM} `;
const CONTENT_SHA256 = 'x-amz-content-sha256';
const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256';
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const INTEGER = /^-?\d+$/;
const DIGITS = /^\d+$/;
const PATH_SIGNED_AS_SENT = new Set(['s3', 's3-object-lambda', 's3-outposts', 's3express']);

/** The credential scope a request is signed with, without verifying anything: cheap
 * enough for routing every request to its service. */
export function credentialScope(req: Pick<AuthInput, 'headers' | 'query'>): CredentialScope | undefined {
  const authorization = joined(req.headers.authorization);
  if (authorization?.startsWith(HEADER_PREFIX)) {
    const start = authorization.indexOf('Credential=');
    if (start < 0) return undefined;
    const end = authorization.indexOf(',', start);
    return parseCredential(authorization.slice(start + 11, end < 0 ? undefined : end).trim());
  }
  const credential = req.query.get('X-Amz-Credential');
  return credential === null ? undefined : parseCredential(credential);
}

/** The caller of a request, or an AwsError in the style `opts.errorStyle` names. */
export function authenticate(req: AuthInput, opts: AuthOptions): Caller {
  const authorization = joined(req.headers.authorization);
  if (authorization?.startsWith(HEADER_PREFIX)) return headerAuth(req, opts, authorization);
  if (authorization?.startsWith('AWS ')) return sigV2Header(opts, authorization);
  if (req.query.has('X-Amz-Credential') || req.query.has('X-Amz-Algorithm')) return presignedAuth(req, opts);
  if (req.query.has('AWSAccessKeyId')) return sigV2Query(req, opts);
  if (opts.strict) {
    throw authorization === undefined
      ? missingAuthError(opts.errorStyle)
      : unsupportedSchemeError(opts.errorStyle, authorization);
  }
  return { scheme: 'anonymous', accessKeyId: '', accountId: DEFAULT_ACCOUNT, presigned: false };
}

/** A client signs request after request with the same credential: the last one parsed is
 * kept (frozen: callers share it), so routing and authentication parse it once a day. */
let lastCredential = '';
let lastScope: CredentialScope | undefined;

function parseCredential(credential: string): CredentialScope | undefined {
  if (credential === lastCredential) return lastScope;
  const parts = credential.split('/');
  let scope: CredentialScope | undefined;
  if (parts.length === 5 && parts[4] === 'aws4_request') {
    const [accessKeyId, date, region, service] = parts as [string, string, string, string];
    if (accessKeyId && date && region && service)
      scope = Object.freeze({ accessKeyId, date, region, service });
  }
  lastCredential = credential;
  lastScope = scope;
  return scope;
}

function scopeString(scope: CredentialScope): string {
  return `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
}

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

function accountOf(accessKeyId: string, opts: AuthOptions): string {
  return opts.accountFor?.(accessKeyId) ?? accountForAccessKey(accessKeyId);
}

function sigV4Caller(
  scope: CredentialScope,
  opts: AuthOptions,
  presigned: boolean,
  token: string | null | undefined,
): Caller {
  return {
    scheme: 'sigv4',
    accessKeyId: scope.accessKeyId,
    accountId: accountOf(scope.accessKeyId, opts),
    region: scope.region,
    service: scope.service,
    presigned,
    sessionToken: token ?? undefined,
    scope: scopeString(scope),
  };
}

// ---- SigV4, Authorization header

export interface HeaderSignature {
  scope: CredentialScope;
  signedHeaders: string[];
  signature: string;
}

function headerAuth(req: AuthInput, opts: AuthOptions, authorization: string): Caller {
  const signed = parseAuthorization(authorization, opts.errorStyle, hasDate(req.headers));
  const amzDate = requestDate(req.headers);
  const secret = opts.secretFor(signed.scope.accessKeyId);
  if (opts.strict) verifyHeaderAuth(req, opts, authorization, signed, amzDate, secret);
  const caller = sigV4Caller(signed.scope, opts, false, joined(req.headers['x-amz-security-token']));
  caller.seedSignature = signed.signature;
  caller.amzDate = amzDate;
  // only signed chunks need the key later; deriving it costs four HMACs per request
  if (secret !== undefined && joined(req.headers[CONTENT_SHA256])?.startsWith(STREAMING_SIGNED)) {
    const { date, region, service } = signed.scope;
    caller.signingKey = signingKey(secret, date, region, service);
  }
  return caller;
}

function parseAuthorization(authorization: string, style: ErrorStyle, dated: boolean): HeaderSignature {
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  for (const part of authorization.slice(HEADER_PREFIX.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === 'Credential') credential = part.slice(eq + 1).trim();
    else if (name === 'SignedHeaders') signedHeaders = part.slice(eq + 1).trim();
    else if (name === 'Signature') signature = part.slice(eq + 1).trim();
  }
  if (!credential || !signedHeaders || !signature) {
    const missing = {
      credential: !credential,
      signedHeaders: !signedHeaders,
      signature: !signature,
      date: !dated,
    };
    throw headerMalformedError(style, requirementsMessage(authorization, missing));
  }
  const scope = parseCredential(credential);
  if (!scope) throw credentialMalformedError(style, credential, false);
  return { scope, signedHeaders: signedHeaders.toLowerCase().split(';'), signature };
}

function hasDate(headers: AuthInput['headers']): boolean {
  return headers['x-amz-date'] !== undefined || headers.date !== undefined;
}

/** x-amz-date, or else the Date header in the same basic ISO 8601 form. */
function requestDate(headers: AuthInput['headers']): string | undefined {
  const amzDate = joined(headers['x-amz-date']);
  if (amzDate !== undefined) return amzDate;
  const date = joined(headers.date);
  const ms = date === undefined ? Number.NaN : Date.parse(date);
  return Number.isNaN(ms) ? undefined : formatAmzDate(ms);
}

function verifyHeaderAuth(
  req: AuthInput,
  opts: AuthOptions,
  authorization: string,
  signed: HeaderSignature,
  amzDate: string | undefined,
  secret: string | undefined,
): void {
  const style = opts.errorStyle;
  const { scope } = signed;
  if (secret === undefined) throw unknownKeyError(style, scope.accessKeyId);
  const time = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (amzDate === undefined || time === undefined) throw missingDateError(style, authorization);
  if (amzDate.slice(0, 8) !== scope.date) throw credentialDateError(style, scope.date, amzDate, false);
  const now = opts.now();
  if (Math.abs(time - now) > MAX_SKEW_MS) throw signatureTimeError(style, amzDate, time, now, MAX_SKEW_MS);
  const declared = joined(req.headers[CONTENT_SHA256]);
  if (declared === undefined && style === 's3') {
    throw new AwsError('InvalidRequest', `Missing required header for this request: ${CONTENT_SHA256}`, 400);
  }
  const payloadHash = payloadHashOf(req, style, declared, false);
  verifySignature(req, style, signed, amzDate, payloadHash, secret);
}

// ---- SigV4, presigned query string

export interface PresignParams extends HeaderSignature {
  amzDate: string;
  time: number;
  expires: number;
}

function presignedAuth(req: AuthInput, opts: AuthOptions): Caller {
  const style = opts.errorStyle;
  const params = presignParams(req.query, style);
  const now = opts.now();
  if (params.time - now > MAX_SKEW_MS || now > params.time + params.expires * 1000) {
    throw presignTimeError(style, params, now);
  }
  const { scope } = params;
  const secret = opts.secretFor(scope.accessKeyId);
  if (secret === undefined && opts.strict) throw unknownKeyError(style, scope.accessKeyId);
  const caller = sigV4Caller(scope, opts, true, req.query.get('X-Amz-Security-Token'));
  caller.amzDate = params.amzDate;
  if (secret === undefined) return caller;
  if (opts.strict && params.amzDate.slice(0, 8) !== scope.date) {
    throw credentialDateError(style, scope.date, params.amzDate, true);
  }
  const fromHeader = params.signedHeaders.includes(CONTENT_SHA256)
    ? joined(req.headers[CONTENT_SHA256])
    : undefined;
  const hoisted = req.query.get('X-Amz-Content-Sha256') ?? req.query.get(CONTENT_SHA256);
  const declared = fromHeader ?? hoisted ?? undefined;
  const payloadHash = payloadHashOf(req, style, declared, PATH_SIGNED_AS_SENT.has(scope.service));
  caller.signingKey = verifySignature(req, style, params, params.amzDate, payloadHash, secret);
  return caller;
}

function presignParams(query: URLSearchParams, style: ErrorStyle): PresignParams {
  const algorithm = query.get('X-Amz-Algorithm');
  const credential = query.get('X-Amz-Credential');
  const amzDate = query.get('X-Amz-Date');
  const expires = query.get('X-Amz-Expires');
  const signedHeaders = query.get('X-Amz-SignedHeaders');
  const signature = query.get('X-Amz-Signature');
  if (!algorithm || !credential || !amzDate || !expires || !signedHeaders || !signature) {
    throw queryMalformedError(
      style,
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (algorithm !== ALGORITHM) {
    throw queryMalformedError(style, `X-Amz-Algorithm only supports "${ALGORITHM}"`);
  }
  const scope = parseCredential(credential);
  if (!scope) throw credentialMalformedError(style, credential, true);
  const time = parseAmzDate(amzDate);
  if (time === undefined) {
    throw queryMalformedError(style, `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  }
  return {
    scope,
    amzDate,
    time,
    expires: expirySeconds(expires, style),
    signedHeaders: signedHeaders.toLowerCase().split(';'),
    signature,
  };
}

function expirySeconds(expires: string, style: ErrorStyle): number {
  if (!INTEGER.test(expires)) throw queryMalformedError(style, 'X-Amz-Expires should be a number');
  const seconds = Number(expires);
  if (seconds < 0) throw queryMalformedError(style, 'X-Amz-Expires must be non-negative');
  if (seconds > MAX_PRESIGN_SECONDS) {
    throw queryMalformedError(
      style,
      `X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than ${MAX_PRESIGN_SECONDS} seconds`,
    );
  }
  return seconds;
}

// ---- SigV4 verification, shared

/**
 * The payload hash the signer used: the declared one, else the body's (or, for a presigned
 * S3 URL, UNSIGNED-PAYLOAD). A declared hex hash must match the body when it is given:
 * S3 reports the mismatch, other services hash the body themselves, so the signature fails.
 */
function payloadHashOf(
  req: AuthInput,
  style: ErrorStyle,
  declared: string | undefined,
  unsignedByDefault: boolean,
): string {
  if (declared === undefined) return unsignedByDefault ? UNSIGNED_PAYLOAD : sha256Hex(req.body);
  if (req.body === undefined || !SHA256_HEX.test(declared)) return declared;
  const actual = sha256Hex(req.body);
  if (actual === declared.toLowerCase()) return declared;
  if (style === 's3') throw payloadMismatchError(declared, actual);
  return actual;
}

/** Recomputes the signature; returns the signing key when it matches. */
function verifySignature(
  req: AuthInput,
  style: ErrorStyle,
  signed: HeaderSignature,
  amzDate: string,
  payloadHash: string,
  secret: string,
): Buffer {
  const { scope } = signed;
  const canonical = canonicalRequest({
    method: req.method,
    uri: canonicalUri(req.path, !PATH_SIGNED_AS_SENT.has(scope.service)),
    query: canonicalQuery(req.query),
    headers: req.headers,
    signedHeaders: signed.signedHeaders,
    payloadHash,
  });
  const toSign = stringToSign(amzDate, scopeString(scope), canonical);
  const key = signingKey(secret, scope.date, scope.region, scope.service);
  if (!signaturesEqual(signatureOf(key, toSign), signed.signature)) {
    throw signatureMismatchError(style, scope.accessKeyId, canonical, toSign, signed.signature);
  }
  return key;
}

// ---- SigV2: S3's presigned form verified when the secret is known; the rest only recognised

function sigV2Header(opts: AuthOptions, authorization: string): Caller {
  const colon = authorization.lastIndexOf(':');
  const accessKeyId = authorization.slice(4, colon < 4 ? undefined : colon).trim();
  if (opts.strict || !accessKeyId) throw unsupportedSchemeError(opts.errorStyle, authorization);
  return { scheme: 'sigv2', accessKeyId, accountId: accountOf(accessKeyId, opts), presigned: false };
}

function sigV2Query(req: AuthInput, opts: AuthOptions): Caller {
  const accessKeyId = req.query.get('AWSAccessKeyId') ?? '';
  const s3 = opts.errorStyle === 's3';
  if ((opts.strict && !s3) || !accessKeyId) throw unsupportedSchemeError(opts.errorStyle, undefined);
  const expires = req.query.get('Expires');
  const signature = req.query.get('Signature');
  if (s3 && (expires === null || signature === null)) {
    throw new AwsError(
      'AccessDenied',
      'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters',
      403,
    );
  }
  if (expires !== null) {
    // S3 gives epoch seconds, the query APIs an ISO 8601 time
    const at = DIGITS.test(expires) ? Number(expires) * 1000 : Date.parse(expires);
    const now = opts.now();
    if (now > at) throw sigV2ExpiredError(opts.errorStyle, at, now);
  }
  if (s3) verifySigV2(req, opts, accessKeyId, expires as string, signature as string);
  return {
    scheme: 'sigv2',
    accessKeyId,
    accountId: accountOf(accessKeyId, opts),
    presigned: true,
    sessionToken: req.query.get('x-amz-security-token') ?? undefined,
  };
}

/** S3 SigV2: checked whenever the key's secret is known; strict mode knows every key it accepts. */
function verifySigV2(
  req: AuthInput,
  opts: AuthOptions,
  accessKeyId: string,
  date: string,
  provided: string,
): void {
  const secret = opts.secretFor(accessKeyId);
  if (secret === undefined) {
    if (opts.strict) throw unknownKeyError(opts.errorStyle, accessKeyId);
    return;
  }
  const toSign = sigV2StringToSign(req.method, req.resource ?? req.path, req.query, req.headers, date);
  if (!signaturesEqual(sigV2Signature(secret, toSign), provided)) {
    throw new AwsError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      403,
      {
        fields: {
          AWSAccessKeyId: accessKeyId,
          StringToSign: toSign,
          SignatureProvided: provided,
          StringToSignBytes: [...Buffer.from(toSign)].map((b) => b.toString(16).padStart(2, '0')).join(' '),
        },
      },
    );
  }
}
