/**
 * CORS as S3 applies a bucket's rules: an OPTIONS preflight is answered from the first rule
 * that allows its origin, method and requested headers (403 AccessForbidden when none does,
 * or the bucket has no rules), and an actual request with an Origin gets the headers of the
 * first rule allowing its origin and method. S3 never refuses the request itself: without
 * those headers the browser withholds the response.
 */
import type { CORSRule } from '@aws-sdk/client-s3';
import { AwsError } from '../../errors.js';
import type { WireRequest, WireResponse } from '../../protocol/wire.js';
import type { Db } from '../../storage/database.js';
import type { ServiceEnvironment } from '../types.js';
import { findBucket } from './bucket-lookup.js';
import { getBucketConfig } from './config-store.js';
import { noSuchBucket } from './errors.js';

const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';
const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

function headerOf(req: WireRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** An AllowedOrigin or AllowedHeader pattern: case-insensitive, with at most one `*`. */
function matches(pattern: string, value: string): boolean {
  const p = pattern.toLowerCase();
  const v = value.toLowerCase();
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

function allowsOrigin(rule: CORSRule, origin: string): boolean {
  return (rule.AllowedOrigins ?? []).some((o) => matches(o, origin));
}

function allowsHeaders(rule: CORSRule, requested: string[]): boolean {
  const allowed = rule.AllowedHeaders ?? [];
  return requested.every((h) => allowed.some((a) => matches(a, h)));
}

/** The headers a matching rule grants, for a preflight or an actual response. */
function grantHeaders(rule: CORSRule, origin: string, requested?: string[]): Record<string, string> {
  const anyOrigin = (rule.AllowedOrigins ?? []).includes('*');
  const out: Record<string, string> = {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': (rule.AllowedMethods ?? []).join(', '),
    vary: VARY,
  };
  if (!anyOrigin) out['access-control-allow-credentials'] = 'true';
  if (requested?.length) out['access-control-allow-headers'] = requested.join(', ');
  if (rule.ExposeHeaders?.length) out['access-control-expose-headers'] = rule.ExposeHeaders.join(', ');
  if (rule.MaxAgeSeconds !== undefined) out['access-control-max-age'] = String(rule.MaxAgeSeconds);
  return out;
}

function rulesOf(db: Db, bucketName: string): CORSRule[] | undefined {
  const bucket = findBucket(db, bucketName);
  if (!bucket) return undefined;
  return getBucketConfig<{ CORSRules?: CORSRule[] }>(db, bucket.id, 'cors')?.CORSRules;
}

function forbidden(message: string, method: string, key: boolean): AwsError {
  return new AwsError('AccessForbidden', message, 403, {
    fields: { Method: method, ResourceType: key ? 'OBJECT' : 'BUCKET' },
  });
}

/** The answer to an OPTIONS preflight. */
export function preflight(req: WireRequest, env: ServiceEnvironment): WireResponse {
  const origin = headerOf(req, 'origin');
  const method = headerOf(req, 'access-control-request-method');
  if (!origin) {
    throw new AwsError('BadRequest', 'Insufficient information. Origin request header needed.', 400);
  }
  if (!method)
    throw new AwsError('BadRequest', `Invalid Access-Control-Request-Method: ${method ?? 'null'}`, 400);
  const bucketName = req.boundLabels?.Bucket;
  if (bucketName === undefined) throw forbidden(NOT_ALLOWED, method, false);
  if (!findBucket(env.db, bucketName)) throw noSuchBucket(bucketName);
  const isKey = req.path !== '/' && req.path !== '';
  const rules = rulesOf(env.db, bucketName);
  if (!rules?.length) throw forbidden('CORSResponse: CORS is not enabled for this bucket.', method, isKey);
  const requested = (headerOf(req, 'access-control-request-headers') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const rule = rules.find(
    (r) =>
      allowsOrigin(r, origin) && (r.AllowedMethods ?? []).includes(method) && allowsHeaders(r, requested),
  );
  if (!rule) throw forbidden(NOT_ALLOWED, method, isKey);
  return { status: 200, headers: { ...grantHeaders(rule, origin, requested), 'content-length': '0' } };
}

/** Adds the CORS headers a response to an actual cross-origin request gets. */
export function decorateCors(req: WireRequest, res: WireResponse, env: ServiceEnvironment): void {
  const origin = headerOf(req, 'origin');
  const bucketName = req.boundLabels?.Bucket;
  if (!origin || bucketName === undefined) return;
  const rule = rulesOf(env.db, bucketName)?.find(
    (r) => allowsOrigin(r, origin) && (r.AllowedMethods ?? []).includes(req.method),
  );
  if (rule) Object.assign(res.headers, grantHeaders(rule, origin));
}
