/**
 * The bytes of an upload as the client meant them. A plain body is the payload itself (held
 * to a hex x-amz-content-sha256 when one is declared). An aws-chunked body (what SDK v3 sends
 * by default, and signed-chunk clients) is decoded as it streams: chunk framing removed,
 * each chunk signature verified in strict mode, the trailer headers (a trailing checksum)
 * collected, and the decoded length held to x-amz-decoded-content-length.
 */
import { createHash, createHmac, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AwsError } from '../../errors.js';
import type { ChunkSigning, RequestContext } from '../types.js';

const STREAMING = 'STREAMING-';
const SIGNED_CHUNKS = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
const SHA256_HEX = /^[0-9a-f]{64}$/;
const HEX = /^[0-9a-fA-F]+$/;
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const LF = 0x0a;
/** No chunk header or trailer line is longer than this: a longer one is not aws-chunked. */
const MAX_LINE = 4096;
const SIGNATURE_PARAM = 'chunk-signature=';
const TRAILER_SIGNATURE = 'x-amz-trailer-signature';

export interface Payload {
  /** The payload's bytes, framing removed. */
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>;
  /** The hex SHA-256 the bytes must have, when x-amz-content-sha256 declares one. */
  sha256?: string;
  /** Whether the body was aws-chunked (a stored Content-Encoding loses that token). */
  chunked: boolean;
  /** The size the payload must have, when the request says. */
  declaredSize?: number;
  /** The trailer headers an aws-chunked body ended with, once `chunks` is exhausted. */
  trailers: Map<string, string>;
}

export function incompleteBody(): AwsError {
  return new AwsError(
    'IncompleteBody',
    'You did not provide the number of bytes specified by the Content-Length HTTP header',
    400,
  );
}

/** A request stream that ended early (the client went away) is an incomplete body, not a fault. */
export function asBodyError(err: unknown): unknown {
  if (err instanceof AwsError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'ECONNRESET' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (err as Error)?.message === 'aborted'
    ? incompleteBody()
    : err;
}

function malformedChunk(): AwsError {
  return new AwsError('IncompleteBody', 'The request body is not valid aws-chunked encoding', 400);
}

function chunkSignatureMismatch(): AwsError {
  return new AwsError(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    403,
  );
}

function missingContentLength(): AwsError {
  return new AwsError('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411);
}

/** The payload of a streaming request body. */
export function openPayload(
  source: AsyncIterable<Buffer>,
  ctx: RequestContext,
  contentLength: number | undefined,
  contentEncoding: string | undefined,
): Payload {
  const sha256 = ctx.payload?.contentSha256;
  const chunked = sha256?.startsWith(STREAMING) === true || hasAwsChunked(contentEncoding);
  const trailers = new Map<string, string>();
  if (chunked) {
    const decoded = ctx.payload?.decodedContentLength;
    const declaredSize = decoded === undefined || !/^\d+$/.test(decoded) ? undefined : Number(decoded);
    if (declaredSize === undefined) throw missingContentLength();
    const signer =
      sha256?.startsWith(SIGNED_CHUNKS) && ctx.config.strictAuth
        ? chunkSignerFor(ctx.caller.chunkSigning)
        : undefined;
    return { chunks: decodeAwsChunked(source, trailers, signer), chunked, declaredSize, trailers };
  }
  if (contentLength === undefined) throw missingContentLength();
  const declared = sha256?.toLowerCase();
  return {
    chunks: source,
    sha256: declared && SHA256_HEX.test(declared) ? declared : undefined,
    chunked,
    declaredSize: contentLength,
    trailers,
  };
}

/** The whole of a short body from a stream, read without the cost of async iteration. */
export function readShortBody(source: AsyncIterable<Buffer>): Promise<Buffer[]> | AsyncIterable<Buffer> {
  const stream = source as Readable;
  if (typeof stream.on !== 'function') return source;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(chunks));
    stream.on('error', reject);
    stream.on('aborted', () => reject(incompleteBody()));
  });
}

export function payloadHashMismatch(declared: string, actual: string): AwsError {
  return new AwsError(
    'XAmzContentSHA256Mismatch',
    "The provided 'x-amz-content-sha256' header does not match what was computed.",
    400,
    { fields: { ClientComputedContentSHA256: declared, S3ComputedContentSHA256: actual } },
  );
}

function hasAwsChunked(contentEncoding: string | undefined): boolean {
  return contentEncoding?.includes('aws-chunked') === true;
}

/** Content-Encoding as S3 stores it: without the aws-chunked transfer coding. */
export function storedContentEncoding(contentEncoding: string | undefined): string | undefined {
  if (!hasAwsChunked(contentEncoding)) return contentEncoding;
  const rest = (contentEncoding as string)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== 'aws-chunked');
  return rest.length ? rest.join(',') : undefined;
}

/** Verifies the chain of chunk signatures a signed aws-chunked body carries. */
export interface ChunkSigner {
  /** A chunk begins; its data follows. */
  begin(signature: string | undefined): void;
  update(data: Buffer): void;
  /** The chunk's data has all arrived. */
  end(): void;
  /** The trailer lines (name:value, as sent) and their signature. */
  trailer(lines: string[], signature: string | undefined): void;
}

export function chunkSignerFor(signing: ChunkSigning | undefined): ChunkSigner | undefined {
  const key = signing?.signingKey;
  if (!signing || !key) return undefined;
  const { amzDate, scope } = signing;
  let previous = signing.seedSignature;
  let declared: string | undefined;
  let hash: Hash | undefined;
  const check = (toSign: string, provided: string | undefined) => {
    const expected = createHmac('sha256', key).update(toSign).digest('hex');
    if (provided !== expected) throw chunkSignatureMismatch();
    previous = expected;
  };
  return {
    begin(signature) {
      declared = signature;
      hash = createHash('sha256');
    },
    update(data) {
      hash?.update(data);
    },
    end() {
      const dataHash = hash?.digest('hex') ?? EMPTY_SHA256;
      hash = undefined;
      check(
        `AWS4-HMAC-SHA256-PAYLOAD\n${amzDate}\n${scope}\n${previous}\n${EMPTY_SHA256}\n${dataHash}`,
        declared,
      );
    },
    trailer(lines, signature) {
      if (signature === undefined) return;
      const canonical = lines
        .map(
          (l) => `${l.slice(0, l.indexOf(':')).trim().toLowerCase()}:${l.slice(l.indexOf(':') + 1).trim()}\n`,
        )
        .join('');
      const digest = createHash('sha256').update(canonical).digest('hex');
      check(`AWS4-HMAC-SHA256-TRAILER\n${amzDate}\n${scope}\n${previous}\n${digest}`, signature);
    },
  };
}

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

/** Parses `<hex-size>[;chunk-signature=<sig>]`. */
function parseChunkHeader(line: string): { size: number; signature?: string } {
  const semi = line.indexOf(';');
  const hex = (semi < 0 ? line : line.slice(0, semi)).trim();
  if (!HEX.test(hex) || hex.length > 12) throw malformedChunk();
  let signature: string | undefined;
  if (semi >= 0) {
    const ext = line.slice(semi + 1).trim();
    if (ext.startsWith(SIGNATURE_PARAM)) signature = ext.slice(SIGNATURE_PARAM.length);
  }
  return { size: Number.parseInt(hex, 16), signature };
}

/** The data of an aws-chunked body, as slices of what arrives (nothing is copied but the
 * short header lines). Trailer headers go to `trailers`. */
export async function* decodeAwsChunked(
  source: AsyncIterable<Buffer>,
  trailers: Map<string, string>,
  signer?: ChunkSigner,
): AsyncGenerator<Buffer> {
  let state: State = 'size';
  let remaining = 0;
  let partial: Buffer | undefined;
  const trailerLines: string[] = [];
  let trailerSignature: string | undefined;
  for await (const buf of source) {
    let pos = 0;
    while (pos < buf.length) {
      if (state === 'data') {
        const take = Math.min(remaining, buf.length - pos);
        const slice = buf.subarray(pos, pos + take);
        signer?.update(slice);
        pos += take;
        remaining -= take;
        if (remaining === 0) {
          signer?.end();
          state = 'data-end';
        }
        yield slice;
        continue;
      }
      const lf = buf.indexOf(LF, pos);
      if (lf < 0) {
        partial = partial ? Buffer.concat([partial, buf.subarray(pos)]) : Buffer.from(buf.subarray(pos));
        if (partial.length > MAX_LINE) throw malformedChunk();
        break;
      }
      const piece = buf.subarray(pos, lf);
      const raw = partial ? Buffer.concat([partial, piece]) : piece;
      partial = undefined;
      pos = lf + 1;
      if (raw.length > MAX_LINE) throw malformedChunk();
      const line = raw.toString('latin1').replace(/\r$/, '');
      if (state === 'size') {
        const header = parseChunkHeader(line);
        signer?.begin(header.signature);
        if (header.size === 0) {
          signer?.end();
          state = 'trailer';
        } else {
          remaining = header.size;
          state = 'data';
        }
      } else if (state === 'data-end') {
        if (line !== '') throw malformedChunk();
        state = 'size';
      } else if (state === 'trailer') {
        if (line === '') {
          signer?.trailer(trailerLines, trailerSignature);
          state = 'done';
          continue;
        }
        const colon = line.indexOf(':');
        if (colon <= 0) throw malformedChunk();
        const name = line.slice(0, colon).trim().toLowerCase();
        if (name === TRAILER_SIGNATURE) trailerSignature = line.slice(colon + 1).trim();
        else {
          trailerLines.push(line);
          trailers.set(name, line.slice(colon + 1).trim());
        }
      } else if (line.trim() !== '') {
        throw malformedChunk();
      }
    }
  }
  // some clients end the body right after the last chunk's header or trailers
  if (state === 'trailer') signer?.trailer(trailerLines, trailerSignature);
  else if (state !== 'done') throw incompleteBody();
}
