/**
 * The checksum of a multipart object from its parts' checksums, without reading the parts:
 * COMPOSITE is the checksum of the parts' binary checksums followed by `-N`; FULL_OBJECT
 * (CRCs only) is the CRC of the whole, combined from the parts' CRCs and sizes.
 */
import { type ChecksumAlgorithm, type ChecksumType, createDigest } from './checksums.js';
import { combineCrc32, combineCrc32c, combineCrc64nvme } from './crc.js';

interface ChecksummedPart {
  size: number;
  checksum: string | null;
}

function fullObjectCrc(algorithm: ChecksumAlgorithm, parts: ChecksummedPart[]): string | undefined {
  const bytes = parts.map((p) => Buffer.from(p.checksum as string, 'base64'));
  if (algorithm === 'CRC64NVME') {
    let crc = (bytes[0] as Buffer).readBigUInt64BE();
    for (let i = 1; i < parts.length; i++) {
      crc = combineCrc64nvme(crc, (bytes[i] as Buffer).readBigUInt64BE(), (parts[i] as ChecksummedPart).size);
    }
    const out = Buffer.alloc(8);
    out.writeBigUInt64BE(crc);
    return out.toString('base64');
  }
  const combine = algorithm === 'CRC32' ? combineCrc32 : algorithm === 'CRC32C' ? combineCrc32c : undefined;
  if (!combine) return undefined;
  let crc = (bytes[0] as Buffer).readUInt32BE();
  for (let i = 1; i < parts.length; i++) {
    crc = combine(crc, (bytes[i] as Buffer).readUInt32BE(), (parts[i] as ChecksummedPart).size);
  }
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc >>> 0);
  return out.toString('base64');
}

/** The object's checksum, or undefined when a part has none to build it from. */
export function composeChecksum(
  algorithm: ChecksumAlgorithm,
  type: ChecksumType,
  parts: ChecksummedPart[],
): string | undefined {
  if (parts.length === 0 || parts.some((p) => !p.checksum)) return undefined;
  if (type === 'FULL_OBJECT') return fullObjectCrc(algorithm, parts);
  const digest = createDigest(algorithm);
  for (const part of parts) digest.update(Buffer.from(part.checksum as string, 'base64'));
  return `${digest.digest().toString('base64')}-${parts.length}`;
}
