import { describe, expect, it } from 'vitest';
import { declaredChecksum } from '../../src/services/s3/checksums.js';
import { parseCopySource } from '../../src/services/s3/copy.js';
import { isValidBucketName } from '../../src/services/s3/names.js';
import { parseTaggingHeader } from '../../src/services/s3/tag-sets.js';

const code = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe('declaredChecksum', () => {
  it('takes one x-amz-checksum-* header, or the algorithm a trailer names', () => {
    expect(declaredChecksum({ ChecksumCRC32: 'DUoRhQ==' }, undefined)).toEqual({
      algorithm: 'CRC32',
      value: 'DUoRhQ==',
      trailer: false,
    });
    expect(declaredChecksum({ ChecksumAlgorithm: 'CRC32C' }, 'x-amz-checksum-crc32c')).toEqual({
      algorithm: 'CRC32C',
      value: undefined,
      trailer: true,
    });
    expect(declaredChecksum({}, undefined)).toBeUndefined();
  });

  it('refuses two checksums, an algorithm without its value, a bad value and an unknown trailer', () => {
    expect(code(() => declaredChecksum({ ChecksumCRC32: 'DUoRhQ==', ChecksumSHA1: 'x' }, undefined))).toBe(
      'InvalidRequest',
    );
    expect(code(() => declaredChecksum({ ChecksumAlgorithm: 'SHA256' }, undefined))).toBe('InvalidRequest');
    expect(code(() => declaredChecksum({ ChecksumCRC32: 'not base64!' }, undefined))).toBe('InvalidRequest');
    expect(code(() => declaredChecksum({}, 'x-amz-checksum-md4'))).toBe('InvalidRequest');
  });
});

describe('parseCopySource', () => {
  it('decodes bucket, key and version, with or without a leading slash', () => {
    expect(parseCopySource('/src-bucket/dir%20one/%C3%BC%2Bx.txt?versionId=v1')).toEqual({
      bucket: 'src-bucket',
      key: 'dir one/ü+x.txt',
      versionId: 'v1',
    });
    expect(parseCopySource('b/k+with+spaces').key).toBe('k with spaces');
  });

  it('refuses a source without a key', () => {
    for (const bad of [undefined, '', 'bucket-only', 'bucket/', '%zz/k']) {
      expect(code(() => parseCopySource(bad))).toBe('InvalidArgument');
    }
  });
});

describe('parseTaggingHeader', () => {
  it('reads a URL-encoded tag set', () => {
    expect(parseTaggingHeader('a=1&note=two%20words&empty=')).toEqual([
      { Key: 'a', Value: '1' },
      { Key: 'note', Value: 'two words' },
      { Key: 'empty', Value: '' },
    ]);
  });

  it('refuses duplicates, aws: keys and more than ten tags', () => {
    expect(code(() => parseTaggingHeader('a=1&a=2'))).toBe('InvalidArgument');
    expect(code(() => parseTaggingHeader('aws:x=1'))).toBe('InvalidTag');
    const eleven = Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&');
    expect(code(() => parseTaggingHeader(eleven))).toBe('InvalidTag');
  });
});

describe('bucket names', () => {
  it('follow the general purpose bucket rules', () => {
    for (const ok of ['abc', 'a.b-c', `a${'b'.repeat(61)}c`]) expect(isValidBucketName(ok)).toBe(true);
    for (const bad of ['ab', 'ABC', 'a_b', 'a..b', 'a.-b', '-ab', '10.0.0.1', 'xn--ab', 'ab-s3alias']) {
      expect(isValidBucketName(bad)).toBe(false);
    }
  });
});
