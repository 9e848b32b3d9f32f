/**
 * The admin API under /_localaws/ (AWS bucket names cannot start with `_`, so these never
 * collide with S3 path-style requests): health, reset, and the server clock.
 */
import type { IncomingMessage } from 'node:http';
import { AwsError } from '../errors.js';
import { readBody } from '../protocol/body.js';
import type { WireResponse } from '../protocol/wire.js';
import type { Runtime } from '../runtime.js';
import { IMPLEMENTED, KNOWN_SERVICES } from '../services/registry.js';
import { AdminDocument } from '../services/types.js';
import { VERSION } from '../version.js';

export const ADMIN_PREFIX = '/_localaws/';
const ADMIN_BODY_LIMIT = 64 * 1024;

export async function adminRequest(
  rt: Runtime,
  req: IncomingMessage,
  path: string,
  query: URLSearchParams,
): Promise<WireResponse> {
  const name = path.slice(ADMIN_PREFIX.length);
  const key = `${req.method} ${name}`;
  try {
    switch (key) {
      case 'GET health':
        return json(200, health(rt));
      case 'POST reset':
        return json(200, reset(rt, query.get('service') ?? undefined));
      case 'GET clock':
        return json(200, clock(rt));
      case 'POST clock':
        return json(200, advanceClock(rt, await readBody(req, ADMIN_BODY_LIMIT)));
      default:
        return (
          (await serviceAdmin(rt, req.method ?? 'GET', name, query)) ??
          json(404, { error: 'NotFound', message: `no admin endpoint ${req.method} ${path}` })
        );
    }
  } catch (err) {
    const e = err instanceof AwsError ? err : new AwsError('InternalError', 'admin request failed', 500);
    return json(e.status, { error: e.code, message: e.message });
  }
}

/** `/_localaws/<service>/<name>`: an admin endpoint a service declares. */
async function serviceAdmin(
  rt: Runtime,
  method: string,
  name: string,
  query: URLSearchParams,
): Promise<WireResponse | undefined> {
  const slash = name.indexOf('/');
  if (slash < 0) return undefined;
  const service = await rt.service(name.slice(0, slash));
  const endpoint = service?.admin?.[`${method} ${name.slice(slash + 1)}`];
  if (!endpoint) return undefined;
  const result = endpoint(query, rt);
  if (!(result instanceof AdminDocument)) return json(200, result);
  return { status: 200, headers: { 'content-type': result.contentType }, body: result.body };
}

function health(rt: Runtime) {
  const services: Record<string, { status: string; loaded: boolean }> = {};
  for (const id of KNOWN_SERVICES) {
    const status = Object.hasOwn(IMPLEMENTED, id) ? 'available' : 'not implemented';
    services[id] = { status, loaded: rt.loadedService(id) !== undefined };
  }
  return {
    version: VERSION,
    uptimeSeconds: (Date.now() - rt.startedAt) / 1000,
    persistence: rt.config.dataDir ? 'disk' : 'memory',
    services,
  };
}

function reset(rt: Runtime, service: string | undefined) {
  if (service !== undefined && !(KNOWN_SERVICES as readonly string[]).includes(service)) {
    throw new AwsError('InvalidParameter', `unknown service ${service}`, 400);
  }
  rt.reset(service);
  return { reset: service ?? 'all' };
}

function clock(rt: Runtime) {
  const now = rt.clock.now();
  return { now: new Date(now).toISOString(), epochMillis: now, offsetSeconds: rt.clock.offsetSeconds };
}

function advanceClock(rt: Runtime, body: Buffer) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsError('InvalidRequest', 'the body must be JSON: {"advanceSeconds": N}', 400);
  }
  const seconds = (parsed as { advanceSeconds?: unknown })?.advanceSeconds;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new AwsError('InvalidRequest', 'advanceSeconds must be a number of seconds >= 0', 400);
  }
  rt.clock.advance(seconds);
  return clock(rt);
}

function json(status: number, value: unknown): WireResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}
