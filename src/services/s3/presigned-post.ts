/**
 * Browser form uploads (POST Object): a multipart/form-data POST to a bucket whose fields
 * carry the key, the object's headers and a policy signed with the uploader's key (SigV4, or
 * SigV2 as older SDKs make it). The policy's expiry and conditions are enforced, every field
 * must be covered by a condition, and the file streams to disk like any other upload.
 */
import { createHash, createHmac } from 'node:crypto';
import type { Readable } from 'node:stream';
import { accountForAccessKey, DEFAULT_ACCOUNT } from '../../accounts.js';
import { AwsError } from '../../errors.js';
import { escapeXmlText } from '../../protocol/scalar-text.js';
import { signaturesEqual, signingKey } from '../../protocol/sigv4.js';
import type { WireRequest, WireResponse } from '../../protocol/wire.js';
import { findSession } from '../sts/sessions.js';
import type { RequestContext, ServiceEnvironment } from '../types.js';
import { asBodyError } from './bodies.js';
import { requireBucket } from './bucket-lookup.js';
import { createDigest } from './checksums.js';
import { accessDenied, invalidArgument } from './errors.js';
import { boundaryOf, type FormFile, readForm } from './form-data.js';
import { checkKey } from './names.js';
import { commitObject } from './object-commit.js';
import { checkStorageClass, metaFromInput } from './object-headers.js';
import { removeBlobs, storeStream } from './object-store.js';
import { DEFAULT_CHECKSUM, modifiedNow, quoted } from './objects.js';
import { checkTagSet } from './tag-sets.js';

/** Fields no policy condition needs to cover. */
const EXEMPT = new Set(['policy', 'x-amz-signature', 'signature', 'awsaccesskeyid', 'file']);
const META = 'x-amz-meta-';
/** What a key field names the uploaded file's own name by. */
const FILENAME_VARIABLE = '$' + '{filename}';
const DOLLAR = /^\$/;
const TAG = /<Tag>\s*<Key>([^<]*)<\/Key>\s*<Value>([^<]*)<\/Value>\s*<\/Tag>/g;

type Fields = Map<string, string>;

function header(req: WireRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function policyFailure(detail: string): AwsError {
  return new AwsError('AccessDenied', `Invalid according to Policy: ${detail}`, 403);
}

function invalidPolicy(detail: string): AwsError {
  return new AwsError('InvalidPolicyDocument', `Invalid Policy: ${detail}`, 400);
}

interface Uploader {
  accessKeyId: string;
  accountId: string;
}

function secretOf(env: ServiceEnvironment, accessKeyId: string): { secret?: string; accountId?: string } {
  if (Object.hasOwn(env.config.credentials, accessKeyId))
    return { secret: env.config.credentials[accessKeyId] };
  const session = accessKeyId.startsWith('ASIA') ? findSession(env.db, accessKeyId) : undefined;
  if (session && session.expiresAt > env.clock.now())
    return { secret: session.secretAccessKey, accountId: session.accountId };
  return {};
}

function signatureMismatch(): AwsError {
  return new AwsError(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    403,
  );
}

/** Who signed the policy: checked whenever the key's secret is known, and always in strict mode. */
function uploader(fields: Fields, env: ServiceEnvironment): Uploader {
  const policy = fields.get('policy');
  const v4 = fields.get('x-amz-signature');
  const v2 = fields.get('signature');
  const credential = fields.get('x-amz-credential');
  const accessKeyId =
    v4 !== undefined ? (credential?.split('/')[0] ?? '') : (fields.get('awsaccesskeyid') ?? '');
  if (policy === undefined || (v4 === undefined && v2 === undefined) || !accessKeyId) {
    if (env.config.strictAuth) throw accessDenied();
    return { accessKeyId: '', accountId: DEFAULT_ACCOUNT };
  }
  const { secret, accountId } = secretOf(env, accessKeyId);
  if (secret === undefined) {
    if (env.config.strictAuth) {
      throw new AwsError(
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
        403,
        {
          fields: { AWSAccessKeyId: accessKeyId },
        },
      );
    }
  } else if (v4 !== undefined) {
    const [, date = '', region = '', service = ''] = (credential as string).split('/');
    const expected = createHmac('sha256', signingKey(secret, date, region, service))
      .update(policy)
      .digest('hex');
    if (!signaturesEqual(expected, v4)) throw signatureMismatch();
  } else {
    const expected = createHmac('sha1', secret).update(policy).digest('base64');
    if (!signaturesEqual(expected, v2 as string)) throw signatureMismatch();
  }
  return { accessKeyId, accountId: accountId ?? accountForAccessKey(accessKeyId) };
}

type Condition = Record<string, string> | [string, ...unknown[]];

/** A condition as S3 quotes it in an error: `["eq", "$key", "a"]`. */
function conditionText(condition: unknown[]): string {
  return `[${condition.map((c) => JSON.stringify(c)).join(', ')}]`;
}

/** Holds the form to its policy; returns the content-length-range, if the policy has one. */
function checkPolicy(
  encoded: string,
  fields: Fields,
  bucket: string,
  now: number,
): [number, number] | undefined {
  let policy: { expiration?: string; conditions?: Condition[] };
  try {
    policy = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (typeof policy?.expiration !== 'string') throw invalidPolicy('Policy missing expiration.');
  if (!Array.isArray(policy.conditions)) throw invalidPolicy('Policy missing conditions.');
  if (Date.parse(policy.expiration) < now) throw policyFailure('Policy expired.');
  const covered = new Set<string>();
  let range: [number, number] | undefined;
  const fieldValue = (name: string) => (name === 'bucket' ? bucket : (fields.get(name) ?? ''));
  for (const condition of policy.conditions) {
    if (Array.isArray(condition)) {
      const [op, target, expected] = condition as [string, unknown, unknown];
      if (op.toLowerCase() === 'content-length-range') {
        range = [Number(target), Number(expected)];
        continue;
      }
      const name = String(target).replace(DOLLAR, '').toLowerCase();
      covered.add(name);
      const actual = fieldValue(name);
      // a Content-Type may list several types: each must start so
      const values = name === 'content-type' ? actual.split(',').map((v) => v.trim()) : [actual];
      const ok =
        op.toLowerCase() === 'eq'
          ? actual === String(expected)
          : values.every((v) => v.startsWith(String(expected)));
      if (!ok) throw policyFailure(`Policy Condition failed: ${conditionText(condition)}`);
    } else if (condition && typeof condition === 'object') {
      for (const [key, expected] of Object.entries(condition)) {
        const name = key.toLowerCase();
        covered.add(name);
        if (fieldValue(name) !== String(expected)) {
          throw policyFailure(`Policy Condition failed: ${conditionText(['eq', `$${key}`, expected])}`);
        }
      }
    }
  }
  const extra = [...fields.keys()].filter(
    (f) => !EXEMPT.has(f) && !f.startsWith('x-ignore-') && !covered.has(f),
  );
  if (extra.length) throw policyFailure(`Extra input fields: ${extra.join(', ')}`);
  return range;
}

function tagsOf(xml: string | undefined) {
  if (xml === undefined) return undefined;
  const tags = [...xml.matchAll(TAG)].map(([, Key, Value]) => ({
    Key: Key as string,
    Value: Value as string,
  }));
  checkTagSet(tags, 'object');
  return tags;
}

function metaOfFields(fields: Fields) {
  const metadata: Record<string, string> = {};
  for (const [name, value] of fields) if (name.startsWith(META)) metadata[name.slice(META.length)] = value;
  const expires = fields.get('expires');
  return metaFromInput({
    ContentType: fields.get('content-type'),
    CacheControl: fields.get('cache-control'),
    ContentDisposition: fields.get('content-disposition'),
    ContentEncoding: fields.get('content-encoding'),
    Expires: expires === undefined ? undefined : new Date(expires),
    WebsiteRedirectLocation: fields.get('x-amz-website-redirect-location'),
    ServerSideEncryption: fields.get('x-amz-server-side-encryption'),
    Metadata: metadata,
  });
}

function sizeRefused(size: number, range: [number, number]): AwsError | undefined {
  if (size > range[1]) {
    return new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, {
      fields: { ProposedSize: size, MaxSizeAllowed: range[1] },
    });
  }
  if (size < range[0]) {
    return new AwsError(
      'EntityTooSmall',
      'Your proposed upload is smaller than the minimum allowed size',
      400,
      {
        fields: { ProposedSize: size, MinSizeAllowed: range[0] },
      },
    );
  }
  return undefined;
}

/** The response S3 sends: a redirect, or the status the form asked for (204 by default). */
function answer(fields: Fields, location: string, bucket: string, key: string, etag: string): WireResponse {
  const headers: Record<string, string> = { etag, location };
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  if (redirect) {
    const url = new URL(redirect);
    url.searchParams.set('bucket', bucket);
    url.searchParams.set('key', key);
    url.searchParams.set('etag', etag);
    return { status: 303, headers: { ...headers, location: url.toString() } };
  }
  const status = Number(fields.get('success_action_status'));
  if (status === 200) return { status: 200, headers };
  if (status !== 201) return { status: 204, headers };
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${escapeXmlText(location)}</Location>` +
    `<Bucket>${escapeXmlText(bucket)}</Bucket><Key>${escapeXmlText(key)}</Key><ETag>${escapeXmlText(etag)}</ETag></PostResponse>`;
  return { status: 201, headers: { ...headers, 'content-type': 'application/xml' }, body };
}

async function storeFile(ctx: RequestContext, file: FormFile, range: [number, number] | undefined) {
  const md5 = createHash('md5');
  const digest = createDigest(DEFAULT_CHECKSUM);
  const stored = await storeStream(ctx.blobs, file.chunks, (chunk) => {
    md5.update(chunk);
    digest.update(chunk);
  }).catch((err) => {
    throw asBodyError(err);
  });
  const refused = range && sizeRefused(stored.size, range);
  if (refused) {
    if (stored.blobId) await removeBlobs(ctx.blobs, [stored.blobId]);
    throw refused;
  }
  return { ...stored, etag: quoted(md5.digest('hex')), checksum: digest.digest().toString('base64') };
}

function contextFor(req: WireRequest, env: ServiceEnvironment, who: Uploader): RequestContext {
  return {
    requestId: '',
    endpoint: `http://${header(req, 'host') ?? `${env.config.host}:${env.config.port}`}`,
    accountId: who.accountId,
    region: env.config.region,
    caller: who,
    service: 's3',
    operation: 'PostObject',
    config: env.config,
    db: env.db,
    blobs: env.blobs,
    now: () => env.clock.now(),
  };
}

/** Whether a request is a form upload to a bucket. */
export function isFormUpload(req: WireRequest): boolean {
  return (
    req.method === 'POST' &&
    req.boundLabels?.Bucket !== undefined &&
    (req.path === '/' || req.path === '') &&
    boundaryOf(header(req, 'content-type')) !== undefined
  );
}

/** A form upload (see isFormUpload). */
export async function postObject(req: WireRequest, env: ServiceEnvironment): Promise<WireResponse> {
  const boundary = boundaryOf(header(req, 'content-type')) as string;
  const bucketName = req.boundLabels?.Bucket as string;
  const form = await readForm(req.stream as Readable, boundary).catch((err) => {
    throw asBodyError(err);
  });
  const fields: Fields = new Map([...form.fields].map(([k, v]) => [k.toLowerCase(), v]));
  const who = uploader(fields, env);
  const ctx = contextFor(req, env, who);
  const bucket = requireBucket(ctx, bucketName);
  const rawKey = fields.get('key');
  if (rawKey === undefined) {
    throw invalidArgument(
      "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
      'key',
    );
  }
  const policy = fields.get('policy');
  const range = policy === undefined ? undefined : checkPolicy(policy, fields, bucket.name, ctx.now());
  if (!form.file) throw invalidArgument('POST requires exactly one file upload per request.', 'file', 0);
  const key = rawKey.replaceAll(FILENAME_VARIABLE, form.file.filename);
  checkKey(key);
  const meta = metaOfFields(fields);
  const storageClass = checkStorageClass(fields.get('x-amz-storage-class'));
  const tags = tagsOf(fields.get('tagging'));
  const file = await storeFile(ctx, form.file, range);
  const versionId = await commitObject(
    ctx,
    bucket.name,
    key,
    undefined,
    {
      delete_marker: 0,
      modified_at: modifiedNow(ctx),
      size: file.size,
      etag: file.etag,
      body: file.inline ?? null,
      blobs: file.blobId ?? null,
      parts: null,
      meta: JSON.stringify(meta),
      checksum_algorithm: DEFAULT_CHECKSUM,
      checksum: file.checksum,
      checksum_type: 'FULL_OBJECT',
      tags: tags?.length ? JSON.stringify(tags) : null,
      storage_class: storageClass,
      owner: who.accountId,
    },
    'ObjectCreated:Post',
  );
  const location = `${ctx.endpoint}/${bucket.name}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const response = answer(fields, location, bucket.name, key, file.etag);
  if (bucket.versioning === 'Enabled') response.headers['x-amz-version-id'] = versionId;
  return response;
}
