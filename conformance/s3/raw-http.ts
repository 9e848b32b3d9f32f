/**
 * Raw HTTP to the server for what the SDK does not send: any Host header (virtual-hosted
 * addressing), Expect: 100-continue, SigV4-signed requests built by hand, and bodies in
 * signed aws-chunked encoding (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) as older clients send them.
 * node:http rather than fetch, because fetch will not send a Host it did not choose.
 */
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { TEST_CREDENTIALS } from '../harness.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface RawRequest {
  method: string;
  /** path and query string, already encoded */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

type Credentials = { accessKeyId: string; secretAccessKey: string };

/** Sends a request as given; a `host` header, when present, is sent instead of the URL's. */
export function send(url: string, req: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const out = request(
      { hostname, port, method: req.method, path: req.path, headers: req.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    out.on('error', reject);
    if (req.headers?.expect === '100-continue') {
      out.once('continue', () => out.end(req.body));
    } else {
      out.end(req.body);
    }
  });
}

function s3Signer(credentials: Credentials, region: string): SignatureV4 {
  return new SignatureV4({ service: 's3', region, credentials, sha256: Sha256, uriEscapePath: false });
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A SigV4-signed request for `host` (default: the URL's own host), sent with node:http. */
export async function signedRequest(
  url: string,
  req: RawRequest & { host?: string },
  credentials: Credentials = TEST_CREDENTIALS,
  region = 'us-east-1',
): Promise<RawResponse> {
  const { hostname, port, host: urlHost } = new URL(url);
  const [path, query] = splitQuery(req.path);
  const body = req.body ?? '';
  const signed = await s3Signer(credentials, region).sign(
    new HttpRequest({
      method: req.method,
      protocol: 'http:',
      hostname,
      port: Number(port),
      path,
      query,
      headers: {
        ...req.headers,
        host: req.host ?? urlHost,
        'x-amz-content-sha256': sha256Hex(body),
        ...(body.length > 0 ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
      },
      body,
    }),
  );
  return send(url, { method: req.method, path: req.path, headers: signed.headers, body: req.body });
}

function splitQuery(pathAndQuery: string): [string, Record<string, string>] {
  const q = pathAndQuery.indexOf('?');
  if (q < 0) return [pathAndQuery, {}];
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(pathAndQuery.slice(q + 1))) query[k] = v;
  return [pathAndQuery.slice(0, q), query];
}

const CHUNK_SIGNATURE = ';chunk-signature=';

/**
 * A PUT whose body is sent in signed aws-chunked encoding: the seed signature signs the
 * headers, each chunk's signature chains from the previous one, and an empty chunk ends the
 * body. `tamper` changes one byte of the first chunk after it is signed.
 */
export async function signedChunkedPut(
  url: string,
  path: string,
  chunks: Buffer[],
  options: { credentials?: Credentials; headers?: Record<string, string>; tamper?: boolean } = {},
): Promise<RawResponse> {
  const credentials = options.credentials ?? TEST_CREDENTIALS;
  const region = 'us-east-1';
  const { hostname, port, host } = new URL(url);
  const signingDate = new Date();
  const amzDate = `${signingDate.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
  const scope = `${amzDate.slice(0, 8)}/${region}/s3/aws4_request`;
  const all = [...chunks, Buffer.alloc(0)];
  const encodedLength = all.reduce(
    (n, c) => n + c.length.toString(16).length + CHUNK_SIGNATURE.length + 64 + 2 + c.length + 2,
    0,
  );
  const decodedLength = chunks.reduce((n, c) => n + c.length, 0);
  const signed = await s3Signer(credentials, region).sign(
    new HttpRequest({
      method: 'PUT',
      protocol: 'http:',
      hostname,
      port: Number(port),
      path,
      headers: {
        ...options.headers,
        host,
        'x-amz-date': amzDate,
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(decodedLength),
        'content-length': String(encodedLength),
      },
    }),
    { signingDate },
  );
  const seed = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization as string)?.[1] as string;
  const key = signingKey(credentials.secretAccessKey, amzDate.slice(0, 8), region);
  const parts: Buffer[] = [];
  let previous = seed;
  for (const chunk of all) {
    const toSign = [
      'AWS4-HMAC-SHA256-PAYLOAD',
      amzDate,
      scope,
      previous,
      sha256Hex(''),
      sha256Hex(chunk),
    ].join('\n');
    previous = createHmac('sha256', key).update(toSign).digest('hex');
    const data = Buffer.from(chunk);
    if (options.tamper && parts.length === 0 && data.length > 0) data[0] = (data[0] as number) ^ 0xff;
    parts.push(
      Buffer.from(`${chunk.length.toString(16)}${CHUNK_SIGNATURE}${previous}\r\n`),
      data,
      Buffer.from('\r\n'),
    );
  }
  return send(url, { method: 'PUT', path, headers: signed.headers, body: Buffer.concat(parts) });
}

function signingKey(secret: string, date: string, region: string): Buffer {
  let key = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  for (const part of [region, 's3', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  return key;
}
