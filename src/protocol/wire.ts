/**
 * What a protocol codec sees of HTTP: a request already read (or a stream for a streaming
 * payload) and a response to write. Codecs never touch node:http directly.
 */
import type { Readable } from 'node:stream';
import type { AwsError } from '../errors.js';
import type { ServiceModel } from './model.js';

export interface WireRequest {
  method: string;
  /** The raw (still percent-encoded) path, without the query string. For S3 the bucket
   * (from the path or a virtual host) is already taken out and put in boundLabels. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** The whole body, or empty when `stream` carries a streaming payload. */
  body: Buffer;
  stream?: Readable;
  /** Labels bound outside the path template (S3's Bucket), by member name. */
  boundLabels?: Record<string, string>;
  /** The query protocols' parameters once parsed, with the body they were parsed from (see
   * query-params.ts): kept on the request, not in a WeakMap, which costs the GC per request. */
  parsedParams?: { body: Buffer; params: Map<string, string> };
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body?: string | Buffer | Readable;
}

export interface ResponseContext {
  requestId: string;
  /** The operation, when it was found. */
  operation?: string;
  /** The request's method (a HEAD response carries no body). */
  method?: string;
  /** What the error names, e.g. S3's `<Resource>`: the request path. */
  resource?: string;
}

export interface ProtocolCodec {
  /** The operation a request asks for, or undefined when none matches. */
  resolveOperation(model: ServiceModel, req: WireRequest): string | undefined;
  /** The error this protocol's services answer when no operation matches. */
  operationNotFound(model: ServiceModel, req: WireRequest): AwsError;
  /** Whether the operation's input has a streaming payload (then the body is not read). */
  hasStreamingInput?(model: ServiceModel, operation: string): boolean;
  /** The request as the operation's input object, shaped like the SDK's own input type
   * (Date for timestamps, Uint8Array for blobs, a Readable for a streaming payload).
   * Throws AwsError with the protocol's code for malformed input. */
  parseInput(model: ServiceModel, operation: string, req: WireRequest): Record<string, unknown>;
  serializeOutput(
    model: ServiceModel,
    operation: string,
    output: Record<string, unknown>,
    ctx: ResponseContext,
  ): WireResponse;
  serializeError(model: ServiceModel, error: AwsError, ctx: ResponseContext): WireResponse;
}
