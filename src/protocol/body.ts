/** Reading a request body whole, within a bound, so no request can exhaust memory. */
import type { IncomingMessage } from 'node:http';
import { AwsError } from '../errors.js';

/** Larger than any buffered AWS request (Lambda's 50 MB zip, base64'd in JSON). */
export const MAX_BUFFERED_BODY = 128 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_BUFFERED_BODY): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    req.on('error', reject);
    req.on('aborted', () =>
      reject(new AwsError('IncompleteBody', 'The request body was not completely sent.', 400)),
    );
  });
}

function tooLarge(limit: number): AwsError {
  return new AwsError('RequestEntityTooLarge', `The request body is larger than ${limit} bytes.`, 413);
}
