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
import { CODECS, errorStyle, setRequestId } from './protocol/codecs.js';
import { loadModel, type ProtocolName, type ServiceModel } from './protocol/model.js';
import { requestParams } from './protocol/query-params.js';
import { route } from './protocol/route.js';
import { unknownServiceResponse } from './protocol/unknown-service.js';
import type { ProtocolCodec, WireRequest, WireResponse } from './protocol/wire.js';
import type { Runtime } from './runtime.js';
import { findSession } from './services/sts/sessions.js';
import {
  type Caller,
  type HttpHooks,
  type PayloadFraming,
  RESPONSE_STATUS,
  type RequestContext,
} from './services/types.js';

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
  const service = rt.loadedService(r.service) ?? (await rt.service(r.service));
  const hooks = service?.http;
  const finish = (response: WireResponse) => {
    hooks?.decorate?.(wire, response, rt);
    setRequestId(response.headers, r.protocol, requestId);
    if (wire.stream === undefined && !req.complete) response.headers.connection = 'close';
    writeResponse(res, method, response);
  };
  const answered =
    hooks?.unmodelled && (await unmodelledResponse(hooks.unmodelled, rt, req, wire, codec, model, requestId));
  if (answered) return finish(answered);
  let operation: string | undefined;
  let response: WireResponse;
  try {
    const isRest = r.protocol === 'restXml' || r.protocol === 'restJson1';
    if (!isRest && !body) wire.body = body = await readBody(req);
    operation = codec.resolveOperation(model, wire);
    if (!body) {
      if (operation && codec.hasStreamingInput?.(model, operation)) wire.stream = req;
      else wire.body = body = await readBody(req);
    }
    // AWS authenticates before it looks at what is asked: a URL signed for GET fails as a DELETE
    const caller = authenticateCaller(
      rt,
      req,
      path,
      wire,
      r.protocol,
      virtualResource(r.boundLabels, r.path, path),
      rt.config.strictAuth && !(operation && service?.anonymousOperations?.has(operation)),
    );
    if (!operation) throw codec.operationNotFound(model, wire);
    const input = codec.parseInput(model, operation, wire);
    const handler = service?.handlers[operation];
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
      payload: wire.stream ? payloadFraming(headers) : undefined,
      now: () => rt.clock.now(),
    };
    const output =
      handler.constructor.name === 'AsyncFunction'
        ? await handler(input, ctx)
        : service?.readOnly?.has(operation)
          ? handler(input, ctx)
          : rt.inTransaction(handler, input, ctx);
    response = codec.serializeOutput(model, operation, (output ?? {}) as Record<string, unknown>, {
      requestId,
      operation,
      method,
    });
    const status = (output as { [RESPONSE_STATUS]?: number } | undefined)?.[RESPONSE_STATUS];
    if (status !== undefined) response.status = status;
  } catch (err) {
    const error = toAwsError(err);
    if (error.status >= 500 && error.code !== 'NotImplemented')
      rt.logger.log('error', String((err as Error).stack));
    response = codec.serializeError(model, error, { requestId, operation, method, resource: path });
  }
  finish(response);
}

/** What S3's SigV2 signs for a virtual-hosted request, whose path holds no bucket. */
function virtualResource(labels: Record<string, string> | undefined, routed: string, sent: string) {
  const bucket = labels?.Bucket;
  return bucket !== undefined && routed === sent ? `/${bucket}${sent}` : undefined;
}

/** A service's answer to a request its model has no operation for, errors included. */
async function unmodelledResponse(
  hook: NonNullable<HttpHooks['unmodelled']>,
  rt: Runtime,
  req: IncomingMessage,
  wire: WireRequest,
  codec: ProtocolCodec,
  model: ServiceModel,
  requestId: string,
): Promise<WireResponse | undefined> {
  try {
    return await hook({ ...wire, stream: req }, rt);
  } catch (err) {
    const error = toAwsError(err);
    if (error.status >= 500) rt.logger.log('error', String((err as Error).stack));
    return codec.serializeError(model, error, { requestId, method: wire.method, resource: req.url });
  }
}

/** The caller; the path is the one the client signed (for S3, with the bucket still in it). */
function authenticateCaller(
  rt: Runtime,
  req: IncomingMessage,
  path: string,
  wire: WireRequest,
  protocol: ProtocolName,
  resource: string | undefined,
  strict: boolean,
): Caller {
  const style = errorStyle(protocol);
  const result = authenticate(
    {
      method: wire.method,
      path,
      query: wire.query,
      // repeated headers canonicalise exactly only as node keeps them apart; that costs, so
      // only requests whose signature is checked pay for it
      headers: strict || wire.query.has('X-Amz-Signature') ? req.headersDistinct : req.headers,
      body: wire.stream ? undefined : wire.body,
      resource,
    },
    {
      strict,
      now: () => rt.clock.now(),
      secretFor: (akid) =>
        (Object.hasOwn(rt.config.credentials, akid) ? rt.config.credentials[akid] : undefined) ??
        liveSession(rt, akid, style)?.secretAccessKey,
      accountFor: (akid) => liveSession(rt, akid, style)?.accountId,
      errorStyle: style,
    },
  );
  const session = liveSession(rt, result.accessKeyId, style);
  const { seedSignature, scope, amzDate } = result;
  return {
    accessKeyId: result.accessKeyId,
    accountId: result.accountId,
    arn: session?.arn,
    userId: session?.userId,
    chunkSigning:
      wire.stream && seedSignature && scope && amzDate
        ? { seedSignature, scope, amzDate, signingKey: result.signingKey }
        : undefined,
  };
}

function payloadFraming(headers: IncomingMessage['headers']): PayloadFraming {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v.join(',') : v;
  };
  return {
    contentSha256: one('x-amz-content-sha256'),
    decodedContentLength: one('x-amz-decoded-content-length'),
    trailer: one('x-amz-trailer'),
  };
}

/** The STS session a key belongs to; a session past its expiry is refused as AWS refuses it. */
function liveSession(rt: Runtime, accessKeyId: string, style: ErrorStyle) {
  // no STS loaded: no session was ever issued (a data dir's sessions load STS at start)
  if (!accessKeyId.startsWith('ASIA') || !rt.loadedService('sts')) return undefined;
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
