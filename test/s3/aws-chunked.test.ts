import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunkSignerFor, decodeAwsChunked } from '../../src/services/s3/bodies.js';

const EMPTY_SHA256 = createHash('sha256').digest('hex');

async function decode(pieces: Buffer[], signer?: Parameters<typeof decodeAwsChunked>[2]) {
  const trailers = new Map<string, string>();
  const out: Buffer[] = [];
  for await (const chunk of decodeAwsChunked(
    (async function* () {
      yield* pieces;
    })(),
    trailers,
    signer,
  )) {
    out.push(chunk);
  }
  return { body: Buffer.concat(out).toString(), trailers };
}

/** Every way of cutting `bytes` in two: the decoder must not care where the network splits. */
function everySplit(bytes: Buffer): Buffer[][] {
  return Array.from({ length: bytes.length + 1 }, (_, i) => [bytes.subarray(0, i), bytes.subarray(i)]);
}

describe('aws-chunked decoding', () => {
  const unsigned = Buffer.from('5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n');

  it('yields the data and collects the trailer, however the bytes arrive', async () => {
    for (const pieces of everySplit(unsigned)) {
      const { body, trailers } = await decode(pieces);
      expect(body).toBe('hello world');
      expect(trailers.get('x-amz-checksum-crc32')).toBe('DUoRhQ==');
    }
  });

  it('accepts a body that ends right after the last chunk header', async () => {
    expect((await decode([Buffer.from('3\r\nabc\r\n0\r\n')])).body).toBe('abc');
  });

  it('refuses a truncated body and malformed framing with IncompleteBody', async () => {
    await expect(decode([Buffer.from('a\r\nhello')])).rejects.toMatchObject({ code: 'IncompleteBody' });
    await expect(decode([Buffer.from('zz\r\nhello\r\n0\r\n\r\n')])).rejects.toMatchObject({
      code: 'IncompleteBody',
    });
    await expect(decode([Buffer.from('5\r\nhelloXX0\r\n\r\n')])).rejects.toMatchObject({
      code: 'IncompleteBody',
    });
  });

  describe('signed chunks', () => {
    const key = Buffer.from('0123456789abcdef0123456789abcdef');
    const amzDate = '20240115T120000Z';
    const scope = '20240115/us-east-1/s3/aws4_request';
    const seed = 'a'.repeat(64);

    /** Built independently: each chunk's signature chains from the previous one. */
    function signedBody(chunks: string[], tamper = false): Buffer {
      let previous = seed;
      const parts: string[] = [];
      for (const data of [...chunks, '']) {
        const hash = createHash('sha256').update(data).digest('hex');
        const toSign = `AWS4-HMAC-SHA256-PAYLOAD\n${amzDate}\n${scope}\n${previous}\n${EMPTY_SHA256}\n${hash}`;
        previous = createHmac('sha256', key).update(toSign).digest('hex');
        const sent = tamper && parts.length === 0 ? data.toUpperCase() : data;
        parts.push(`${data.length.toString(16)};chunk-signature=${previous}\r\n${sent}\r\n`);
      }
      return Buffer.from(parts.join(''));
    }

    async function decodeSigned(body: Buffer) {
      return decode([body], chunkSignerFor({ seedSignature: seed, scope, amzDate, signingKey: key }));
    }

    it('verifies the chain of chunk signatures', async () => {
      expect((await decodeSigned(signedBody(['first chunk ', 'second']))).body).toBe('first chunk second');
    });

    it('verifies the signature of the trailer that follows the last chunk', async () => {
      const chunks = signedBody(['data']).toString();
      const last = /0;chunk-signature=([0-9a-f]{64})\r\n\r\n$/.exec(chunks)?.[1] as string;
      const trailer = 'x-amz-checksum-crc32:DUoRhQ==\n';
      const sign = (secret: Buffer) =>
        createHmac('sha256', secret)
          .update(
            `AWS4-HMAC-SHA256-TRAILER\n${amzDate}\n${scope}\n${last}\n${createHash('sha256').update(trailer).digest('hex')}`,
          )
          .digest('hex');
      const body = (signature: string) =>
        Buffer.from(
          `${chunks.slice(0, -2)}x-amz-checksum-crc32:DUoRhQ==\r\nx-amz-trailer-signature:${signature}\r\n\r\n`,
        );
      const out = await decodeSigned(body(sign(key)));
      expect(out.trailers.get('x-amz-checksum-crc32')).toBe('DUoRhQ==');
      await expect(decodeSigned(body(sign(Buffer.from('another key'))))).rejects.toMatchObject({
        code: 'SignatureDoesNotMatch',
      });
    });

    it('refuses a chunk whose data changed after signing with SignatureDoesNotMatch', async () => {
      await expect(decodeSigned(signedBody(['first chunk ', 'second'], true))).rejects.toMatchObject({
        code: 'SignatureDoesNotMatch',
        status: 403,
      });
    });
  });
});
