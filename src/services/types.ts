/**
 * What a service is to the server: an operation table of handlers plus its schema. A
 * handler gets the operation's input (shaped like the SDK's input type) and a context,
 * and returns the output or throws AwsError. It never sees HTTP, XML or JSON.
 */
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { WireRequest, WireResponse } from '../protocol/wire.js';
import type { BlobStore } from '../storage/blobs.js';
import type { Clock } from '../storage/clock.js';
import type { Db } from '../storage/database.js';

export interface Caller {
  accessKeyId: string;
  accountId: string;
  /** The ARN GetCallerIdentity reports, when the key belongs to an STS session. */
  arn?: string;
  userId?: string;
  /** Set for a streaming payload under a SigV4 Authorization header: what S3's signed chunks
   * (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) chain their signatures from. */
  chunkSigning?: ChunkSigning;
}

export interface ChunkSigning {
  /** The request's own signature, which the first chunk's signature chains from. */
  seedSignature: string;
  /** `date/region/service/aws4_request` */
  scope: string;
  amzDate: string;
  /** Only when the access key's secret is known. */
  signingKey?: Buffer;
}

/** How a streaming payload is framed, from the headers that say so (S3's aws-chunked uploads
 * and declared payload hashes): what the service needs to read the bytes it was sent. */
export interface PayloadFraming {
  /** x-amz-content-sha256: a hex SHA-256, UNSIGNED-PAYLOAD or a STREAMING-* framing. */
  contentSha256?: string;
  /** x-amz-decoded-content-length: the payload's size inside an aws-chunked body. */
  decodedContentLength?: string;
  /** x-amz-trailer: the header names an aws-chunked body ends with. */
  trailer?: string;
}

/** An output may carry its HTTP status where the model has no member for it (S3's 206). */
export const RESPONSE_STATUS = Symbol('responseStatus');

export interface RequestContext {
  readonly requestId: string;
  /** The endpoint the client reached, e.g. http://localhost:4566: for URLs a service hands
   * back (SQS queue URLs), so they work from whichever host the client used. */
  readonly endpoint: string;
  readonly accountId: string;
  readonly region: string;
  readonly caller: Caller;
  readonly service: string;
  readonly operation: string;
  readonly config: Config;
  readonly db: Db;
  readonly blobs: BlobStore;
  /** Set for an operation whose payload streams. */
  readonly payload?: PayloadFraming;
  /** Milliseconds since the epoch on the server clock (which tests may advance). */
  now(): number;
}

/**
 * A plain function runs inside one SQLite transaction that commits before the response is
 * written. An `async` function (one that must wait: long polls, streamed bodies) runs
 * outside any transaction and wraps its own writes in `ctx.db.transaction(...)`.
 */
// biome-ignore lint/suspicious/noExplicitAny: each handler declares its own SDK input and output types
export type Handler = (input: any, ctx: RequestContext) => unknown;

/** What a service's background work gets: the state, never a request. */
export interface ServiceEnvironment {
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface ServiceDefinition {
  /** The model id (models/<id>.json) and the prefix of the service's tables. */
  id: string;
  handlers: Record<string, Handler>;
  /** The service's schema, as ordered migrations; tables are named `<id>_*`. */
  migrations?: readonly string[];
  /** Starts what must happen unasked (a sweep of expired items, waking long polls); called
   * once per server, after migrations. Returns what stops it (timers must not keep the
   * process alive: unref them). */
  start?(env: ServiceEnvironment): () => void;
  /** Admin endpoints of the service, served at /_localaws/<id>/<name> and keyed
   * `'GET name'`: what tests inspect that AWS offers no API for (e.g. the SMS SNS would have
   * sent). The result is written as JSON, an AdminDocument as it is; throw AwsError for a 4xx. */
  admin?: Record<string, (query: URLSearchParams, env: ServiceEnvironment) => unknown>;
  /** Operations that only read: they skip the per-request transaction (a read needs none). */
  readOnly?: ReadonlySet<string>;
  /** Operations AWS serves to unsigned requests even when every other call must be signed:
   * strict auth lets these through anonymously (SNS's SubscribeURL and UnsubscribeURL). */
  anonymousOperations?: ReadonlySet<string>;
  /** What the service does at the HTTP level beside its operations. */
  http?: HttpHooks;
}

/** HTTP-level behaviour a service's model does not describe (S3's CORS and browser forms). */
export interface HttpHooks {
  /** Answers a request no operation describes (S3's CORS preflight, HTML form uploads), before
   * any operation is looked for; undefined lets the request go on. The body is unread in
   * `req.stream`. Throw AwsError for an error in the protocol's form. */
  unmodelled?(
    req: WireRequest,
    env: ServiceEnvironment,
  ): WireResponse | undefined | Promise<WireResponse | undefined>;
  /** Adds to every response of the service, success or error (S3's CORS headers). */
  decorate?(req: WireRequest, res: WireResponse, env: ServiceEnvironment): void;
}

/** An admin result written as it is rather than as JSON (e.g. the certificate SNS signs with). */
export class AdminDocument {
  constructor(
    readonly contentType: string,
    readonly body: string,
  ) {}
}
