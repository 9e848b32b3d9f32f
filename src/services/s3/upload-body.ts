/**
 * Receiving the body of a PutObject or UploadPart: decode it (aws-chunked or plain), store it
 * (inline or in a blob file), and hold it to everything the request declared — its length,
 * Content-MD5 and additional checksum, sent as a header or a trailer. Whatever fails, nothing
 * is left on disk.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { RequestContext } from '../types.js';
import { asBodyError, incompleteBody, openPayload, payloadHashMismatch, readShortBody } from './bodies.js';
import {
  type ChecksumAlgorithm,
  checkContentMd5Format,
  checksumMismatch,
  checkValueFormat,
  contentMd5Mismatch,
  createDigest,
  type DeclaredChecksum,
} from './checksums.js';
import { INLINE_MAX, removeBlobs, type StoredBody, storeStream } from './object-store.js';

export interface UploadRequest {
  Body?: Readable | Uint8Array | string;
  ContentLength?: number;
  ContentEncoding?: string;
  ContentMD5?: string;
}

export interface ReceivedBody extends StoredBody {
  /** hex MD5 of the bytes: the ETag, unquoted */
  md5: string;
  /** the checksum kept with the bytes, in the algorithm asked for */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
  /** whether the body came aws-chunked */
  chunked: boolean;
}

function rethrowAsBodyError(err: unknown): never {
  throw asBodyError(err);
}

async function* bytesOf(body: UploadRequest['Body']): AsyncGenerator<Buffer> {
  if (body === undefined) return;
  if (typeof body === 'string') yield Buffer.from(body);
  else if (body instanceof Uint8Array) yield Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  else for await (const chunk of body) yield chunk as Buffer;
}

/** The value a declared checksum must have: from its header, or from the body's trailer. */
function expectedValue(declared: DeclaredChecksum, trailers: Map<string, string>): string {
  const value = declared.trailer
    ? trailers.get(`x-amz-checksum-${declared.algorithm.toLowerCase()}`)
    : declared.value;
  if (value === undefined) throw checksumMismatch(declared.algorithm);
  if (declared.trailer) checkValueFormat(declared.algorithm, value);
  return value;
}

/**
 * Reads and stores the body, held to its declared checksum; `keep` names the algorithm of the
 * checksum kept with it (S3 gives every object one: CRC64NVME unless asked otherwise).
 * `inlineMax` below zero always makes a blob file (parts are files).
 */
export async function receiveBody(
  input: UploadRequest,
  ctx: RequestContext,
  declared: DeclaredChecksum | undefined,
  keep: ChecksumAlgorithm | undefined,
  inlineMax?: number,
): Promise<ReceivedBody> {
  if (input.ContentMD5 !== undefined) checkContentMd5Format(input.ContentMD5);
  const source =
    typeof input.Body === 'object' && !(input.Body instanceof Uint8Array) ? input.Body : bytesOf(input.Body);
  const payload = openPayload(source, ctx, input.ContentLength, input.ContentEncoding);
  const small = !payload.chunked && (payload.declaredSize ?? Number.POSITIVE_INFINITY) <= INLINE_MAX;
  const chunks = small
    ? await Promise.resolve(readShortBody(source)).catch(rethrowAsBodyError)
    : payload.chunks;
  const sha256 = payload.sha256 ? createHash('sha256') : undefined;
  const md5 = createHash('md5');
  const checked = declared ? createDigest(declared.algorithm) : undefined;
  const kept = keep && keep !== declared?.algorithm ? createDigest(keep) : checked;
  const stored = await storeStream(
    ctx.blobs,
    chunks,
    (chunk) => {
      sha256?.update(chunk);
      md5.update(chunk);
      checked?.update(chunk);
      if (kept !== checked) kept?.update(chunk);
    },
    inlineMax,
  ).catch(rethrowAsBodyError);
  try {
    if (payload.declaredSize !== undefined && stored.size !== payload.declaredSize) throw incompleteBody();
    const actual = sha256?.digest('hex');
    if (payload.sha256 && actual !== payload.sha256)
      throw payloadHashMismatch(payload.sha256, actual as string);
    const md5Bytes = md5.digest();
    if (input.ContentMD5 !== undefined && md5Bytes.toString('base64') !== input.ContentMD5) {
      throw contentMd5Mismatch(input.ContentMD5, md5Bytes);
    }
    const checkedValue = checked?.digest().toString('base64');
    if (declared && checkedValue !== expectedValue(declared, payload.trailers)) {
      throw checksumMismatch(declared.algorithm);
    }
    const keptAlgorithm = keep ?? declared?.algorithm;
    const keptValue = kept === checked ? checkedValue : kept?.digest().toString('base64');
    return {
      ...stored,
      md5: md5Bytes.toString('hex'),
      checksum:
        keptAlgorithm && keptValue !== undefined ? { algorithm: keptAlgorithm, value: keptValue } : undefined,
      chunked: payload.chunked,
    };
  } catch (err) {
    if (stored.blobId) await removeBlobs(ctx.blobs, [stored.blobId]);
    throw err;
  }
}
