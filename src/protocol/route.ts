/**
 * Which service a request is for, and through which protocol: X-Amz-Target for awsJson,
 * the SigV4 credential scope's service, `Action=` for unsigned query requests, and
 * Host/path for S3 (whose bucket is taken out of the path or the virtual host here).
 */
import { KNOWN_SERVICES, QUERY_SERVICES, TARGET_PREFIXES } from '../services/registry.js';
import { loadModel, type ProtocolName } from './model.js';

export interface Route {
  service: string;
  protocol: ProtocolName;
  /** The path the codec matches: for S3 without the bucket. */
  path: string;
  boundLabels?: Record<string, string>;
}

export interface RouteInput {
  method: string;
  /** raw path, no query string */
  path: string;
  host: string;
  headers: Record<string, string | string[] | undefined>;
  /** the service named by the SigV4 credential scope, if signed */
  scopeService?: string;
  /** `Action` from the query string or a form body, if any */
  action?: string;
}

const KNOWN = new Set<string>(KNOWN_SERVICES);
/** Host suffixes that put the bucket in the first label (virtual-hosted style). */
const S3_HOST_SUFFIXES = [
  '.s3.localhost.localstack.cloud',
  '.localhost.localstack.cloud',
  '.s3.localhost',
  '.localhost',
  '.s3.amazonaws.com',
];
const S3_REGIONAL_HOST = /^(.+)\.s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com$/;

/** The route, or a string naming the service when it is one localaws does not emulate. */
export function route(req: RouteInput): Route | { unknownService: string } {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const service = TARGET_PREFIXES[target.slice(0, target.indexOf('.'))];
    if (!service) return { unknownService: target };
    return { service, protocol: loadModel(service).protocol, path: req.path };
  }
  const service = req.scopeService ?? (req.action ? serviceForAction(req.action) : 's3');
  if (!KNOWN.has(service)) return { unknownService: service };
  if (service === 's3') return s3Route(req);
  const model = loadModel(service);
  // SQS speaks awsJson to current SDKs and awsQuery to older ones, on the same queues
  const protocol =
    model.protocol === 'ec2Query' ? 'ec2Query' : req.action !== undefined ? 'awsQuery' : model.protocol;
  return { service, protocol, path: req.path };
}

/** The first query service whose model has the action; s3 when none does. */
function serviceForAction(action: string): string {
  for (const id of QUERY_SERVICES) {
    if (loadModel(id).operations[action]) return id;
  }
  return 's3';
}

function s3Route(req: RouteInput): Route {
  const host = req.host.replace(/:\d+$/, '').toLowerCase();
  const virtual = virtualBucket(host);
  if (virtual)
    return { service: 's3', protocol: 'restXml', path: req.path, boundLabels: { Bucket: virtual } };
  const slash = req.path.indexOf('/', 1);
  const first = slash < 0 ? req.path.slice(1) : req.path.slice(1, slash);
  if (!first) return { service: 's3', protocol: 'restXml', path: '/' };
  return {
    service: 's3',
    protocol: 'restXml',
    path: slash < 0 ? '/' : req.path.slice(slash),
    boundLabels: { Bucket: decodeLabel(first) },
  };
}

function virtualBucket(host: string): string | undefined {
  for (const suffix of S3_HOST_SUFFIXES) {
    if (host.endsWith(suffix) && host.length > suffix.length) {
      const bucket = host.slice(0, -suffix.length);
      // s3.localhost itself or s3.amazonaws.com names no bucket
      return bucket === 's3' ? undefined : bucket;
    }
  }
  return S3_REGIONAL_HOST.exec(host)?.[1];
}

/** A bucket segment percent-decoded; a malformed escape is kept as sent (S3 then rejects the name). */
function decodeLabel(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
