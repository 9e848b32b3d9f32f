/**
 * S3's Signature Version 2 from the verifying side: the string to sign (method, Content-MD5,
 * Content-Type, date or expiry, the x-amz-* headers, the resource with its sub-resources) and
 * its HMAC-SHA1. What boto3 still produces for presigned URLs against a custom endpoint.
 */
import { createHmac } from 'node:crypto';

/** Query parameters that are part of the signed resource (botocore's list of them). */
const SUB_RESOURCES = new Set([
  'accelerate',
  'acl',
  'analytics',
  'cors',
  'delete',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'location',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'partNumber',
  'policy',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
  'restore',
  'retention',
  'select',
  'select-type',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
]);

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

/** `/bucket/key` as sent, then the sub-resources in order: `?acl&versionId=3`. */
function canonicalResource(resource: string, query: URLSearchParams): string {
  const subs = [...query.keys()].filter((k) => SUB_RESOURCES.has(k)).sort();
  if (!subs.length) return resource;
  const parts = subs.map((k) => {
    const v = query.get(k);
    return v === '' || v === null ? k : `${k}=${v}`;
  });
  return `${resource}?${parts.join('&')}`;
}

function amzHeaders(headers: Headers): string {
  let out = '';
  for (const name of Object.keys(headers)
    .filter((n) => n.startsWith('x-amz-'))
    .sort()) {
    out += `${name}:${header(headers, name).trim()}\n`;
  }
  return out;
}

/**
 * The string a SigV2 signature signs. `date` is the Expires parameter of a presigned URL, or
 * the Date header (empty when x-amz-date stands in for it, among the amz headers).
 */
export function sigV2StringToSign(
  method: string,
  resource: string,
  query: URLSearchParams,
  headers: Headers,
  date: string,
): string {
  return `${method}\n${header(headers, 'content-md5')}\n${header(headers, 'content-type')}\n${date}\n${amzHeaders(headers)}${canonicalResource(resource, query)}`;
}

export function sigV2Signature(secret: string, toSign: string): string {
  return createHmac('sha1', secret).update(toSign, 'utf8').digest('base64');
}
