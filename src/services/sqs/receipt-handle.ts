/**
 * Receipt handles: a new one per receive, naming the queue, the message, which receive of
 * it this was and a random part, with a check so that garbage is told from a handle that is
 * merely stale (an older receive of a message, or one since deleted). Nothing is stored:
 * the message row's receive count says whether a handle is the latest.
 */
import { createHash, randomFillSync } from 'node:crypto';

export interface Receipt {
  queueId: number;
  seq: number;
  /** the message's receive count when this handle was issued */
  receives: number;
}

const VERSION = 1;
const RANDOM_BYTES = 8;
const BODY_BYTES = 1 + 6 + 6 + 4 + RANDOM_BYTES;
const BYTES = BODY_BYTES + 4;
const ENCODED_LENGTH = Math.ceil((BYTES * 4) / 3);
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const CHECK_KEY = 'localaws-sqs-receipt';

// random parts are drawn from a pool filled in bulk: one call for the pool is far cheaper
// than one per handle, and a receive issues up to ten handles
const RANDOM_POOL = Buffer.allocUnsafe(4096);
let poolOffset = RANDOM_POOL.length;

function writeRandom(target: Buffer, at: number): void {
  if (poolOffset + RANDOM_BYTES > RANDOM_POOL.length) {
    randomFillSync(RANDOM_POOL);
    poolOffset = 0;
  }
  RANDOM_POOL.copy(target, at, poolOffset, poolOffset + RANDOM_BYTES);
  poolOffset += RANDOM_BYTES;
}

function check(body: Buffer): Buffer {
  return createHash('sha256').update(body).update(CHECK_KEY).digest().subarray(0, 4);
}

export function encodeReceiptHandle(receipt: Receipt): string {
  const bytes = Buffer.allocUnsafe(BYTES);
  bytes.writeUInt8(VERSION, 0);
  bytes.writeUIntBE(receipt.queueId, 1, 6);
  bytes.writeUIntBE(receipt.seq, 7, 6);
  bytes.writeUInt32BE(receipt.receives, 13);
  writeRandom(bytes, 17);
  check(bytes.subarray(0, BODY_BYTES)).copy(bytes, BODY_BYTES);
  return bytes.toString('base64url');
}

/** What a handle names, or undefined when it is no handle this server issued. */
export function decodeReceiptHandle(handle: string): Receipt | undefined {
  if (handle.length !== ENCODED_LENGTH || !BASE64URL.test(handle)) return undefined;
  const bytes = Buffer.from(handle, 'base64url');
  if (bytes.length !== BYTES || bytes[0] !== VERSION) return undefined;
  if (!check(bytes.subarray(0, BODY_BYTES)).equals(bytes.subarray(BODY_BYTES))) return undefined;
  return { queueId: bytes.readUIntBE(1, 6), seq: bytes.readUIntBE(7, 6), receives: bytes.readUInt32BE(13) };
}
