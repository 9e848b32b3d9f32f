/**
 * Finds where each HTTP/1.1 response ends on a keep-alive connection that has one request
 * outstanding at a time: Content-Length or chunked framing, nothing more. The raw driver
 * needs only the status, the size and whether the server will close the connection.
 */

export interface ReadResponse {
  status: number;
  /** head and body, as they came over the wire */
  bytes: number;
  /** the server said `Connection: close` */
  close: boolean;
  /** the body, unchunked: only from a reader made with `keepBody` */
  body?: Buffer;
}

interface Head {
  status: number;
  headLength: number;
  /** -1: chunked */
  bodyLength: number;
  close: boolean;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;
const CHUNKED = /\r\ntransfer-encoding:[^\r\n]*chunked/i;
const CLOSE = /\r\nconnection:[ \t]*close/i;
const EMPTY = Buffer.alloc(0);

export class ResponseReader {
  private buffer: Buffer = EMPTY;
  private head: Head | undefined;

  /** `keepBody`: hand out each response's body too (a raw cycle builds its next request from it). */
  constructor(private readonly options: { keepBody?: boolean } = {}) {}

  /**
   * Takes the next bytes; returns the response once it is complete. `bodyless` is true when
   * the request was a HEAD, whose response has a Content-Length but no body.
   */
  push(chunk: Buffer, bodyless = false): ReadResponse | undefined {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    if (!this.head) {
      this.head = parseHead(this.buffer, bodyless);
      if (!this.head) return undefined;
    }
    const end = messageEnd(this.buffer, this.head);
    if (end < 0) return undefined;
    const done: ReadResponse = { status: this.head.status, bytes: end, close: this.head.close };
    if (this.options.keepBody) done.body = bodyOf(this.buffer, this.head, end);
    this.buffer = end === this.buffer.length ? EMPTY : this.buffer.subarray(end);
    this.head = undefined;
    return done;
  }

  /** Forgets a half-read response (the connection it came on is gone). */
  reset(): void {
    this.buffer = EMPTY;
    this.head = undefined;
  }
}

function parseHead(buffer: Buffer, bodyless: boolean): Head | undefined {
  const end = buffer.indexOf(HEAD_END);
  if (end < 0) return undefined;
  const text = buffer.toString('latin1', 0, end);
  const status = Number(text.slice(9, 12));
  if (!text.startsWith('HTTP/1.') || !Number.isInteger(status)) {
    throw new Error(`not an HTTP response: ${JSON.stringify(text.slice(0, 40))}`);
  }
  const headLength = end + HEAD_END.length;
  const close = CLOSE.test(text);
  if (bodyless || status === 204 || status === 304 || (status >= 100 && status < 200)) {
    return { status, headLength, bodyLength: 0, close };
  }
  if (CHUNKED.test(text)) return { status, headLength, bodyLength: -1, close };
  const length = CONTENT_LENGTH.exec(text);
  if (!length) throw new Error(`response ${status} has neither Content-Length nor chunked framing`);
  return { status, headLength, bodyLength: Number(length[1]), close };
}

/** Offset just past the message, or -1 while it is incomplete. */
function messageEnd(buffer: Buffer, head: Head): number {
  if (head.bodyLength >= 0) {
    const end = head.headLength + head.bodyLength;
    return buffer.length >= end ? end : -1;
  }
  let pos = head.headLength;
  for (;;) {
    const lineEnd = buffer.indexOf(CRLF, pos);
    if (lineEnd < 0) return -1;
    const size = Number.parseInt(buffer.toString('latin1', pos, lineEnd), 16);
    if (!Number.isFinite(size)) throw new Error('bad chunk size in a chunked response');
    if (size === 0) {
      // the last chunk, then optional trailers, then an empty line
      const end = buffer.indexOf(HEAD_END, pos);
      return end < 0 ? -1 : end + HEAD_END.length;
    }
    pos = lineEnd + CRLF.length + size + CRLF.length;
    if (pos > buffer.length) return -1;
  }
}

/** The body of a complete message that ends at `end`, its chunks joined when chunked. */
function bodyOf(buffer: Buffer, head: Head, end: number): Buffer {
  if (head.bodyLength >= 0) return buffer.subarray(head.headLength, end);
  const chunks: Buffer[] = [];
  let pos = head.headLength;
  for (;;) {
    const lineEnd = buffer.indexOf(CRLF, pos);
    const size = Number.parseInt(buffer.toString('latin1', pos, lineEnd), 16);
    if (size === 0) return Buffer.concat(chunks);
    chunks.push(buffer.subarray(lineEnd + CRLF.length, lineEnd + CRLF.length + size));
    pos = lineEnd + CRLF.length + size + CRLF.length;
  }
}
