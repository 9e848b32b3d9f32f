/**
 * The checksums S3 computes, computed here independently of the SDK and of the server:
 * x-amz-checksum-* values (base64 of the big-endian digest), composite multipart checksums
 * and the multipart ETag.
 */
import { createHash } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';

export type Algorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';
export const ALGORITHMS: Algorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

/** Reflected CRC-32C (Castagnoli) table. */
const CRC32C_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  return c >>> 0;
});

/** Reflected CRC-64/NVME table (polynomial 0xad93d23594c93659, reversed). */
const CRC64NVME_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = BigInt(n);
  for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ 0x9a6c9329ac4bc9b5n : c >> 1n;
  return c;
});

const MASK64 = 0xffffffffffffffffn;

function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC32C_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function crc64nvme(bytes: Uint8Array): bigint {
  let c = MASK64;
  for (const b of bytes) c = (CRC64NVME_TABLE[Number((c ^ BigInt(b)) & 0xffn)] as bigint) ^ (c >> 8n);
  return c ^ MASK64;
}

/** The raw digest, as S3 concatenates it for a composite checksum. */
export function digest(algorithm: Algorithm, bytes: Uint8Array): Buffer {
  switch (algorithm) {
    case 'CRC32':
      return uint32(zlibCrc32(bytes));
    case 'CRC32C':
      return uint32(crc32c(bytes));
    case 'CRC64NVME': {
      const out = Buffer.alloc(8);
      out.writeBigUInt64BE(crc64nvme(bytes));
      return out;
    }
    case 'SHA1':
      return createHash('sha1').update(bytes).digest();
    case 'SHA256':
      return createHash('sha256').update(bytes).digest();
  }
}

/** The value of x-amz-checksum-<algorithm> for a body. */
export function checksum(algorithm: Algorithm, bytes: Uint8Array): string {
  return digest(algorithm, bytes).toString('base64');
}

/** A COMPOSITE multipart checksum: the checksum of the parts' raw digests, then `-N`. */
export function compositeChecksum(algorithm: Algorithm, parts: Uint8Array[]): string {
  const joined = Buffer.concat(parts.map((p) => digest(algorithm, p)));
  return `${checksum(algorithm, joined)}-${parts.length}`;
}

/** A multipart object's ETag: the MD5 of the parts' binary MD5s, then `-N`, quoted. */
export function multipartEtag(parts: Uint8Array[]): string {
  const md5s = Buffer.concat(parts.map((p) => createHash('md5').update(p).digest()));
  return `"${createHash('md5').update(md5s).digest('hex')}-${parts.length}"`;
}

function uint32(n: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n >>> 0);
  return out;
}
