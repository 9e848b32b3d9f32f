/**
 * S3's additional checksums: which one a request declares (a header, or an aws-chunked trailer),
 * the digests that compute them as a body streams by, and the checks S3 makes, with its errors.
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../../errors.js';
import { crc32, crc32c, crc64nvme } from './crc.js';
import { badDigest, invalidRequest } from './errors.js';

const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];
export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';

/** The input and output member of each algorithm's value, e.g. ChecksumCRC32. */
export type ChecksumMember = `Checksum${ChecksumAlgorithm}`;

export interface Digest {
  update(chunk: Uint8Array): void;
  digest(): Buffer;
}

const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = {
  CRC32: 4,
  CRC32C: 4,
  CRC64NVME: 8,
  SHA1: 20,
  SHA256: 32,
};

class Crc32Digest implements Digest {
  constructor(
    private readonly fn: (data: Uint8Array, crc: number) => number,
    private crc = 0,
  ) {}
  update(chunk: Uint8Array): void {
    this.crc = this.fn(chunk, this.crc);
  }
  digest(): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(this.crc >>> 0);
    return out;
  }
}

class Crc64Digest implements Digest {
  private crc = 0n;
  update(chunk: Uint8Array): void {
    this.crc = crc64nvme(chunk, this.crc);
  }
  digest(): Buffer {
    const out = Buffer.alloc(8);
    out.writeBigUInt64BE(this.crc);
    return out;
  }
}

export function createDigest(algorithm: ChecksumAlgorithm): Digest {
  switch (algorithm) {
    case 'CRC32':
      return new Crc32Digest(crc32);
    case 'CRC32C':
      return new Crc32Digest(crc32c);
    case 'CRC64NVME':
      return new Crc64Digest();
    case 'SHA1':
      return createHash('sha1');
    case 'SHA256':
      return createHash('sha256');
  }
}

export function checksumMember(algorithm: ChecksumAlgorithm): ChecksumMember {
  return `Checksum${algorithm}`;
}

export function isChecksumAlgorithm(value: string): value is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(value);
}

/** What a request asks to be checked: the algorithm, and the value when a header gave it
 * (a trailer gives it only once the body has been read). */
export interface DeclaredChecksum {
  algorithm: ChecksumAlgorithm;
  value?: string;
  trailer: boolean;
}

function unsupportedAlgorithm(): AwsError {
  return invalidRequest(
    'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
  );
}

export function checkAlgorithmName(value: string | undefined): ChecksumAlgorithm | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if (!isChecksumAlgorithm(upper)) throw unsupportedAlgorithm();
  return upper;
}

/** The checksum a PutObject or UploadPart declares through its x-amz-checksum-* headers,
 * x-amz-trailer and x-amz-sdk-checksum-algorithm, checked as S3 checks them. */
export function declaredChecksum(
  input: Partial<Record<ChecksumMember, string>> & { ChecksumAlgorithm?: string },
  trailer: string | undefined,
): DeclaredChecksum | undefined {
  const found = CHECKSUM_ALGORITHMS.filter((a) => input[checksumMember(a)] !== undefined);
  let trailed: ChecksumAlgorithm | undefined;
  if (trailer) {
    const name = trailer.trim().toLowerCase();
    const algorithm = name.startsWith('x-amz-checksum-') ? name.slice(15).toUpperCase() : '';
    if (!isChecksumAlgorithm(algorithm)) {
      throw invalidRequest('The value specified in the x-amz-trailer header is not supported');
    }
    trailed = algorithm;
  }
  if (found.length + (trailed ? 1 : 0) > 1) {
    throw invalidRequest(
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  }
  const sdk = checkAlgorithmName(input.ChecksumAlgorithm);
  const algorithm = found[0] ?? trailed;
  if (sdk && sdk !== algorithm) {
    throw invalidRequest(
      'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
    );
  }
  if (!algorithm) return undefined;
  const value = input[checksumMember(algorithm)];
  if (value !== undefined) checkValueFormat(algorithm, value);
  return { algorithm, value, trailer: trailed !== undefined };
}

/** A checksum value must be the base64 of a digest of the algorithm's size. */
export function checkValueFormat(algorithm: ChecksumAlgorithm, value: string): void {
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== DIGEST_BYTES[algorithm] || bytes.toString('base64') !== value) {
    throw invalidRequest(`Value for x-amz-checksum-${algorithm.toLowerCase()} header is invalid.`);
  }
}

export function checksumMismatch(algorithm: ChecksumAlgorithm): AwsError {
  return badDigest(`The ${algorithm} you specified did not match the calculated checksum.`);
}

/** A Content-MD5 must be the base64 of 16 bytes. */
export function checkContentMd5Format(value: string): Buffer {
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== 16 || bytes.toString('base64') !== value) {
    throw new AwsError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, {
      fields: { 'Content-MD5': value },
    });
  }
  return bytes;
}

export function contentMd5Mismatch(expected: string, actual: Buffer): AwsError {
  return badDigest('The Content-MD5 you specified did not match what we received.', {
    ExpectedDigest: expected,
    CalculatedDigest: actual.toString('base64'),
  });
}
