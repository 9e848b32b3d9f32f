/**
 * A multipart/form-data body read as S3's browser uploads need it: the fields before the
 * file, held in memory (S3 caps them at 20 KB), then the file's bytes streamed as they arrive
 * up to the closing boundary. Whatever follows the file is ignored, as S3 ignores it.
 */
import { AwsError } from '../../errors.js';

const MAX_FIELDS_BYTES = 20 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');
const NAME = /\bname="([^"]*)"/i;
const FILENAME = /\bfilename="([^"]*)"/i;
const BOUNDARY = /boundary=(?:"([^"]+)"|([^;\s]+))/i;
const DISPOSITION = /content-disposition:([^\r\n]*)/i;
const CONTENT_TYPE = /content-type:\s*([^\r\n]*)/i;

export interface FormFile {
  filename: string;
  contentType?: string;
  /** The file's bytes; read them before anything else is read from the request. */
  chunks: AsyncGenerator<Buffer>;
}

export interface Form {
  /** Field names as sent, with their values. */
  fields: Map<string, string>;
  file?: FormFile;
}

function malformedPost(
  message = 'The body of your POST request is not well-formed multipart/form-data.',
): AwsError {
  return new AwsError('MalformedPOSTRequest', message, 400);
}

function fieldsTooLarge(): AwsError {
  return new AwsError(
    'MaxPostPreDataLengthExceededError',
    'Your POST request fields preceding the upload file were too large.',
    400,
  );
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  const m = contentType?.startsWith('multipart/form-data') ? BOUNDARY.exec(contentType) : null;
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Reads bytes from an async source on demand, keeping what was read past the last need. */
class Reader {
  private pending: Buffer = Buffer.alloc(0);
  private done = false;
  private readonly it: AsyncIterator<Buffer>;

  constructor(source: AsyncIterable<Buffer>) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** Reads until `marker` is found; returns what came before it (and drops the marker). */
  async until(marker: Buffer, limit: number): Promise<Buffer> {
    for (;;) {
      const at = this.pending.indexOf(marker);
      if (at >= 0) {
        const before = this.pending.subarray(0, at);
        this.pending = this.pending.subarray(at + marker.length);
        return before;
      }
      if (this.pending.length > limit) throw fieldsTooLarge();
      if (!(await this.more())) throw malformedPost();
    }
  }

  /** The rest of a boundary line: empty before the next part, `--` after the last. */
  async boundaryTail(): Promise<string> {
    while (this.pending.length < 2 && (await this.more()));
    const tail = this.pending.subarray(0, 2).toString();
    if (tail === '--') return tail;
    await this.until(CRLF, 2);
    return '';
  }

  /** Yields the bytes before `marker` as they arrive, holding back what might start it. */
  async *streamUntil(marker: Buffer): AsyncGenerator<Buffer> {
    for (;;) {
      const at = this.pending.indexOf(marker);
      if (at >= 0) {
        if (at > 0) yield this.pending.subarray(0, at);
        this.pending = this.pending.subarray(at + marker.length);
        return;
      }
      const safe = this.pending.length - marker.length + 1;
      if (safe > 0) {
        yield this.pending.subarray(0, safe);
        this.pending = this.pending.subarray(safe);
      }
      if (!(await this.more())) throw malformedPost();
    }
  }

  private async more(): Promise<boolean> {
    if (this.done) return false;
    const next = await this.it.next();
    if (next.done) {
      this.done = true;
      return false;
    }
    this.pending = this.pending.length ? Buffer.concat([this.pending, next.value]) : next.value;
    return true;
  }
}

/** The form's fields up to the file part, and the file part as a stream. */
export async function readForm(source: AsyncIterable<Buffer>, boundary: string): Promise<Form> {
  const reader = new Reader(source);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const fields = new Map<string, string>();
  let budget = MAX_FIELDS_BYTES;
  // the first boundary has no CRLF before it: read past it as if the body began with one
  await reader.until(Buffer.from(`--${boundary}`), budget);
  for (;;) {
    if ((await reader.boundaryTail()) === '--') return { fields };
    const head = (await reader.until(HEADERS_END, budget)).toString('utf8');
    const disposition = DISPOSITION.exec(head)?.[1] ?? '';
    const name = NAME.exec(disposition)?.[1];
    if (name === undefined) throw malformedPost();
    const filename = FILENAME.exec(disposition)?.[1];
    if (name.toLowerCase() === 'file') {
      const contentType = CONTENT_TYPE.exec(head)?.[1]?.trim();
      return {
        fields,
        file: { filename: filename ?? '', contentType, chunks: reader.streamUntil(delimiter) },
      };
    }
    const value = (await reader.until(delimiter, budget)).toString('utf8');
    budget -= name.length + value.length;
    if (budget < 0) throw fieldsTooLarge();
    fields.set(name, value);
  }
}
