/**
 * Drives the real SDK v3 clients without a network: capture the HTTP request a command
 * would send, or feed the client a prepared HTTP response and take what its own
 * deserializer makes of it. The round-trip tests of every protocol stand on these two.
 */
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { HttpResponse } from '@smithy/protocol-http';
import type { WireRequest, WireResponse } from '../../src/protocol/wire.js';

const require = createRequire(import.meta.url);

const CLIENTS: Record<string, { pkg: string; client: string }> = {
  sts: { pkg: '@aws-sdk/client-sts', client: 'STSClient' },
  s3: { pkg: '@aws-sdk/client-s3', client: 'S3Client' },
  dynamodb: { pkg: '@aws-sdk/client-dynamodb', client: 'DynamoDBClient' },
  dynamodbstreams: { pkg: '@aws-sdk/client-dynamodb-streams', client: 'DynamoDBStreamsClient' },
  sqs: { pkg: '@aws-sdk/client-sqs', client: 'SQSClient' },
  sns: { pkg: '@aws-sdk/client-sns', client: 'SNSClient' },
  ec2: { pkg: '@aws-sdk/client-ec2', client: 'EC2Client' },
  lambda: { pkg: '@aws-sdk/client-lambda', client: 'LambdaClient' },
};

type Handle = (req: SdkHttpRequest) => Promise<{ response: HttpResponse }>;
interface SdkHttpRequest {
  method: string;
  hostname: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

function makeClient(service: string, handle: Handle, extra: Record<string, unknown> = {}) {
  const entry = CLIENTS[service];
  if (!entry) throw new Error(`no SDK client for ${service}`);
  const mod = require(entry.pkg);
  const client = new mod[entry.client]({
    region: 'us-east-1',
    endpoint: 'http://localhost:4566',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    forcePathStyle: true,
    maxAttempts: 1,
    requestHandler: { handle },
    // the SDK would otherwise check response checksums and MD5s of random test data
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    md5: false,
    ...extra,
  });
  return { client, mod };
}

function commandFor(mod: Record<string, unknown>, operation: string, input: unknown) {
  const Command = mod[`${operation}Command`] as (new (i: unknown) => unknown) | undefined;
  if (!Command) throw new Error(`no command ${operation}`);
  return new Command(input);
}

async function bodyBuffer(body: unknown): Promise<Buffer> {
  if (body == null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (typeof (body as Readable)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const c of body as Readable) chunks.push(Buffer.from(c));
    return Buffer.concat(chunks);
  }
  throw new Error(`unexpected request body ${typeof body}`);
}

class Captured extends Error {
  constructor(readonly request: SdkHttpRequest) {
    super('captured');
  }
}

/** The request the SDK would send for this command, as a codec receives it. */
export async function captureRequest(
  service: string,
  operation: string,
  input: unknown,
  clientConfig: Record<string, unknown> = {},
): Promise<WireRequest & { host: string }> {
  const { client, mod } = makeClient(
    service,
    async (req) => {
      throw new Captured(req);
    },
    clientConfig,
  );
  let sdkReq: SdkHttpRequest | undefined;
  try {
    await client.send(commandFor(mod, operation, input));
  } catch (err) {
    if (!(err instanceof Captured)) throw err;
    sdkReq = err.request;
  }
  if (!sdkReq) throw new Error('the SDK sent nothing');
  return toWireRequest(sdkReq);
}

async function toWireRequest(sdkReq: SdkHttpRequest): Promise<WireRequest & { host: string }> {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(sdkReq.query ?? {})) {
    if (Array.isArray(v)) for (const item of v) query.append(k, item);
    else query.append(k, v ?? '');
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(sdkReq.headers)) headers[k.toLowerCase()] = v;
  // the SDK's path is already percent-encoded per its own rules, as it goes on the wire
  return {
    method: sdkReq.method,
    path: sdkReq.path,
    query,
    headers,
    body: await bodyBuffer(sdkReq.body),
    host: sdkReq.hostname,
  };
}

function toHttpResponse(response: WireResponse, body: Buffer): HttpResponse {
  return new HttpResponse({
    statusCode: response.status,
    headers: { ...response.headers, 'content-length': String(body.length) },
    body: Readable.from([body]),
  });
}

/** What the SDK makes of an HTTP response to this command: its output, or the error it throws. */
export async function deserializeResponse(
  service: string,
  operation: string,
  input: unknown,
  response: WireResponse,
  clientConfig: Record<string, unknown> = {},
): Promise<{ output?: Record<string, unknown>; error?: Record<string, unknown> & Error }> {
  const body = await bodyBuffer(response.body);
  const { client, mod } = makeClient(
    service,
    async () => ({ response: toHttpResponse(response, body) }),
    clientConfig,
  );
  try {
    const output = await client.send(commandFor(mod, operation, input));
    return { output };
  } catch (err) {
    return { error: err as Record<string, unknown> & Error };
  }
}

/**
 * One SDK client kept for many captureRequest / deserializeResponse calls, for loops over a
 * whole model: building a client per call costs three times the call. Calls through it run
 * one at a time, since the client's request handler is swapped for each.
 */
export function reusableSdkClient(service: string, clientConfig: Record<string, unknown> = {}) {
  let respond: Handle = async () => {
    throw new Error('no call in progress');
  };
  const { client, mod } = makeClient(service, (req) => respond(req), clientConfig);
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    captureRequest: (operation: string, input: unknown) =>
      serial(async () => {
        respond = async (req) => {
          throw new Captured(req);
        };
        try {
          await client.send(commandFor(mod, operation, input));
        } catch (err) {
          if (err instanceof Captured) return toWireRequest(err.request);
          throw err;
        }
        throw new Error('the SDK sent nothing');
      }),
    deserializeResponse: (operation: string, input: unknown, response: WireResponse) =>
      serial(
        async (): Promise<{ output?: Record<string, unknown>; error?: Record<string, unknown> & Error }> => {
          const body = await bodyBuffer(response.body);
          respond = async () => ({ response: toHttpResponse(response, body) });
          try {
            return { output: await client.send(commandFor(mod, operation, input)) };
          } catch (err) {
            return { error: err as Record<string, unknown> & Error };
          }
        },
      ),
  };
}
