import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { composeChecksum } from '../../src/services/s3/composite-checksums.js';
import {
  combineCrc32,
  combineCrc32c,
  combineCrc64nvme,
  crc32,
  crc32c,
  crc64nvme,
} from '../../src/services/s3/crc.js';

const CHECK = Buffer.from('123456789');

describe('CRCs', () => {
  it('match the catalogued check values', () => {
    expect(crc32c(CHECK).toString(16)).toBe('e3069283');
    expect(crc64nvme(CHECK).toString(16)).toBe('ae8b14860a799888');
    expect(crc32(CHECK).toString(16)).toBe('cbf43926');
  });

  it('match the CRC32C test vectors of RFC 3720 (iSCSI), B.4', () => {
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
  });

  it('give CRC32 as zlib does, over a megabyte', () => {
    const data = Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i * 7919) & 0xff));
    expect(crc32(data.subarray(4097), crc32(data.subarray(0, 4097)))).toBe(zlibCrc32(data));
  });

  it('continue across chunks of any length', () => {
    const data = Buffer.from('the quick brown fox jumps over the lazy dog, twice over');
    for (const cut of [0, 1, 7, 8, 9, 23, data.length]) {
      const [a, b] = [data.subarray(0, cut), data.subarray(cut)];
      expect(crc32c(b, crc32c(a))).toBe(crc32c(data));
      expect(crc64nvme(b, crc64nvme(a))).toBe(crc64nvme(data));
    }
  });

  it('combine the CRCs of two parts into the CRC of the whole', () => {
    const a = Buffer.from('first part of the object ');
    for (const length of [0, 1, 3, 8, 100, 5000]) {
      const b = Buffer.alloc(length, 0x5a);
      const whole = Buffer.concat([a, b]);
      expect(combineCrc32(zlibCrc32(a), zlibCrc32(b), length)).toBe(zlibCrc32(whole));
      expect(combineCrc32c(crc32c(a), crc32c(b), length)).toBe(crc32c(whole));
      expect(combineCrc64nvme(crc64nvme(a), crc64nvme(b), length)).toBe(crc64nvme(whole));
    }
  });
});

describe('multipart checksums from part checksums', () => {
  const parts = [Buffer.from('part one, '), Buffer.from('part two, '), Buffer.from('and three')];
  const b64 = (n: number) => {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(n >>> 0);
    return out.toString('base64');
  };

  it('gives FULL_OBJECT the CRC of the whole object', () => {
    const stored = parts.map((p) => ({ size: p.length, checksum: b64(crc32c(p)) }));
    expect(composeChecksum('CRC32C', 'FULL_OBJECT', stored)).toBe(b64(crc32c(Buffer.concat(parts))));
  });

  it('gives COMPOSITE the checksum of the binary part checksums, then -N', () => {
    const stored = parts.map((p) => ({ size: p.length, checksum: b64(zlibCrc32(p)) }));
    const joined = Buffer.concat(stored.map((p) => Buffer.from(p.checksum, 'base64')));
    expect(composeChecksum('CRC32', 'COMPOSITE', stored)).toBe(`${b64(zlibCrc32(joined))}-3`);
  });

  it('gives nothing when a part has no checksum', () => {
    expect(composeChecksum('CRC32', 'COMPOSITE', [{ size: 1, checksum: null }])).toBeUndefined();
  });
});
