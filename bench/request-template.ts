/**
 * A request the SDK wrote and signed once, sent again with another JSON body (a delete
 * naming the receipt handles just received). The signature then no longer covers the body:
 * fine for servers that, as localaws and dynalite do by default, verify none, and it keeps
 * the driver's cost per request at a string join rather than a SigV4 signing.
 */
import { createHash } from 'node:crypto';
import type { RawRequest } from './scenario.js';

/** Header lines that describe the body, written anew for each one. */
const BODY_HEADERS = /^(content-length|x-amz-content-sha256):/i;

export class RequestTemplate {
  private readonly head: string;
  private readonly hashesBody: boolean;
  /** the captured body, parsed: what a new body may start from */
  readonly json: unknown;

  constructor(request: RawRequest) {
    const bytes = Buffer.from(request.bytes);
    const headEnd = bytes.indexOf('\r\n\r\n');
    this.json = JSON.parse(bytes.subarray(headEnd + 4).toString());
    const lines = bytes.toString('latin1', 0, headEnd).split('\r\n');
    this.hashesBody = lines.some((line) => /^x-amz-content-sha256:/i.test(line));
    this.head = lines.filter((line) => !BODY_HEADERS.test(line)).join('\r\n');
  }

  /** The request with `body` in place of the captured one. */
  withBody(body: string): RawRequest {
    const bytes = Buffer.from(body);
    const hash = this.hashesBody
      ? `\r\nx-amz-content-sha256: ${createHash('sha256').update(bytes).digest('hex')}`
      : '';
    const head = `${this.head}\r\ncontent-length: ${bytes.length}${hash}\r\n\r\n`;
    return { bytes: Buffer.concat([Buffer.from(head, 'latin1'), bytes]), bodyless: false };
  }
}
