/**
 * The path of an AWS request: route to a service and protocol, authenticate, find the
 * operation, parse the input, run the handler, and write the output or the error.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { AwsError, toAwsError } from './errors.js';
import { authenticate, credentialScope, type ErrorStyle } from './protocol/auth.js';
import { expiredTokenError } from './protocol/auth-errors.js';
import { readBody } from './protocol/body.js';
import { CODECS, errorStyle, requestIdHeaders } from './protocol/codecs.js';
import { loadModel, type ProtocolName } from './protocol/model.js';
import { requestParams } from './protocol/query-params.js';
import { route } from './protocol/route.js';
import { unknownServiceResponse } from './protocol/unknown-service.js';
import type { WireRequest, WireResponse } from './protocol/wire.js';
import type { Runtime } from './runtime.js';
import { IMPLEMENTED } from './services/registry.js';
import { findSession } from './services/sts/sessions.js';
import type { Caller, RequestContext } from './services/types.js';

const EMPTY = Buffer.alloc(0);
const FORM = 'application/x-www-form-urlencoded';

export async function dispatch(rt: Runtime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const query = new URLSearchParams(rawQuery);
  const method = req.method ?? 'GET';
  const headers = req.headers;
  const wire: WireRequest = { method, path, query, headers, body: EMPTY };

  let body: Buffer | undefined;
  let action = query.get('Action') ?? undefined;
  const contentType = headers['content-type'];
  if (method === 'POST' && !headers['x-amz-target'] && contentType?.startsWith(FORM)) {
    const read = await readBody(req).catch((err: unknown) => toAwsError(err));
    if (read instanceof AwsError) return writeResponse(res, method, genericError(read, requestId));
    wire.body = body = read;
    // parsed once: the query codec reads the same parameters again from its cache
    action = requestParams(wire).get('Action') ?? action;
  }
  const scope = credentialScope({ headers, query });
  const r = route({ method, path, host: headers.host ?? '', headers, scopeService: scope?.service, action });
  if ('unknownService' in r) {
    return writeResponse(res, method, unknownServiceResponse(r.unknownService, headers, requestId));
  }

  const model = loadModel(r.service);
  const codec = CODECS[r.protocol];
  wire.path = r.path;
  wire.boundLabels = r.boundLabels;
  let operation: string | undefined;
  let response: WireResponse;
  try {
    const isRest = r.protocol === 'restXml' || r.protocol === 'restJson1';
    if (!isRest && !body) wire.body = body = await readBody(req);
    operation = codec.resolveOperation(model, wire);
    if (!operation) throw codec.operationNotFound(model, wire);
    if (!body) {
      if (codec.hasStreamingInput?.(model, operation)) wire.stream = req;
      else wire.body = body = await readBody(req);
    }
    const caller = authenticateCaller(rt, req, path, wire, r.protocol);
    const input = codec.parseInput(model, operation, wire);
    const handler = IMPLEMENTED[r.service]?.handlers[operation];
    if (!handler) {
      throw new AwsError(
        'NotImplemented',
        `localaws does not implement ${model.sdkId} ${operation} yet`,
        501,
      );
    }
    const ctx: RequestContext = {
      requestId,
      endpoint: `http://${headers.host ?? `${rt.config.host}:${rt.config.port}`}`,
      accountId: caller.accountId,
      region: scope?.region ?? rt.config.region,
      caller,
      service: r.service,
      operation,
      config: rt.config,
      db: rt.db,
      blobs: rt.blobs,
      now: () => rt.clock.now(),
    };
    const output =
      handler.constructor.name === 'AsyncFunction'
        ? await handler(input, ctx)
        : rt.inTransaction(handler, input, ctx);
    response = codec.serializeOutput(model, operation, (output ?? {}) as Record<string, unknown>, {
      requestId,
      operation,
      method,
    });
  } catch (err) {
    const error = toAwsError(err);
    if (error.status >= 500 && error.code !== 'NotImplemented')
      rt.logger.log('error', String((err as Error).stack));
    response = codec.serializeError(model, error, { requestId, operation, method, resource: path });
  }
  Object.assign(response.headers, requestIdHeaders(r.protocol, requestId));
  if (wire.stream === undefined && !req.complete) response.headers.connection = 'close';
  writeResponse(res, method, response);
}

/** The caller; the path is the one the client signed (for S3, with the bucket still in it). */
function authenticateCaller(
  rt: Runtime,
  req: IncomingMessage,
  path: string,
  wire: WireRequest,
  protocol: ProtocolName,
): Caller {
  const style = errorStyle(protocol);
  const result = authenticate(
    {
      method: wire.method,
      path,
      query: wire.query,
      // repeated headers canonicalise exactly only as node keeps them apart; that costs, so
      // only requests whose signature is checked pay for it
      headers: rt.config.strictAuth || wire.query.has('X-Amz-Signature') ? req.headersDistinct : req.headers,
      body: wire.stream ? undefined : wire.body,
    },
    {
      strict: rt.config.strictAuth,
      now: () => rt.clock.now(),
      secretFor: (akid) =>
        (Object.hasOwn(rt.config.credentials, akid) ? rt.config.credentials[akid] : undefined) ??
        liveSession(rt, akid, style)?.secretAccessKey,
      accountFor: (akid) => liveSession(rt, akid, style)?.accountId,
      errorStyle: style,
    },
  );
  const session = liveSession(rt, result.accessKeyId, style);
  return {
    accessKeyId: result.accessKeyId,
    accountId: result.accountId,
    arn: session?.arn,
    userId: session?.userId,
  };
}

/** The STS session a key belongs to; a session past its expiry is refused as AWS refuses it. */
function liveSession(rt: Runtime, accessKeyId: string, style: ErrorStyle) {
  if (!accessKeyId.startsWith('ASIA')) return undefined;
  const session = findSession(rt.db, accessKeyId);
  if (session && session.expiresAt <= rt.clock.now()) throw expiredTokenError(style);
  return session;
}

function genericError(error: AwsError, requestId: string): WireResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, connection: 'close' },
    body: `<ErrorResponse><Error><Code>${error.code}</Code><Message>${error.message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

export function writeResponse(res: ServerResponse, method: string, response: WireResponse): void {
  const { body } = response;
  if (typeof body === 'string' || Buffer.isBuffer(body) || body === undefined) {
    const bytes = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    if (response.headers['content-length'] === undefined) response.headers['content-length'] = String(bytes);
    res.writeHead(response.status, response.headers);
    res.end(method === 'HEAD' ? undefined : body);
    return;
  }
  res.writeHead(response.status, response.headers);
  if (method === 'HEAD') {
    body.destroy();
    res.end();
    return;
  }
  pipeline(body, res, () => {});
}
