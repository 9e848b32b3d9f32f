/**
 * Pre-built requests: the real SDK signs the request (test/protocol/sdk-harness.ts captures
 * it unsent) and it is laid out as HTTP/1.1 bytes, so the raw driver replays exactly what
 * an SDK client would send, without the SDK's cost per call.
 */

import type { WireRequest } from '../src/protocol/wire.js';
import { captureRequest, reusableSdkClient } from '../test/protocol/sdk-harness.js';
import type { RawRequest } from './scenario.js';

export type HttpRequestParts = Pick<WireRequest, 'method' | 'path' | 'query' | 'headers' | 'body'>;

/** The request the SDK client of `service` sends for `operation`, against `url`. */
export async function sdkRawRequest(
  service: string,
  operation: string,
  input: unknown,
  url: string,
): Promise<RawRequest> {
  const captured = await captureRequest(service, operation, input, { endpoint: url });
  return { bytes: encodeRequest(captured), bodyless: captured.method === 'HEAD' };
}

/** The requests the SDK client sends for `operation` with each of `inputs`, through one client (a client per capture costs three times as much). */
export async function sdkRawRequests(
  service: string,
  operation: string,
  inputs: unknown[],
  url: string,
): Promise<RawRequest[]> {
  const client = reusableSdkClient(service, { endpoint: url });
  const requests: RawRequest[] = [];
  for (const input of inputs) {
    const captured = await client.captureRequest(operation, input);
    requests.push({ bytes: encodeRequest(captured), bodyless: captured.method === 'HEAD' });
  }
  return requests;
}

export function encodeRequest(req: HttpRequestParts): Buffer {
  const query = [...req.query].map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
  const lines = [`${req.method} ${req.path}${query ? `?${query}` : ''} HTTP/1.1`];
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) lines.push(`${name}: ${Array.isArray(value) ? value.join(', ') : value}`);
  }
  const headers =
    req.body.length > 0 && !('content-length' in req.headers) ? [`content-length: ${req.body.length}`] : [];
  return Buffer.concat([Buffer.from(`${[...lines, ...headers].join('\r\n')}\r\n\r\n`, 'latin1'), req.body]);
}

/** SigV4 signs the query as RFC 3986 encodes it, which encodeURIComponent nearly does. */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
