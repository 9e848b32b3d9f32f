/**
 * Object bodies on disk. A body that stays small is kept in memory and stored inline in its
 * row; a larger one streams to a new blob file as it arrives (memory stays flat whatever its
 * size). Files are named by ids made here, never by keys. A file is only referenced once its
 * row commits; until then a failure removes it, and a replaced body's files are removed only
 * after the commit that dropped their row.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, createReadStream, openSync } from 'node:fs';
import { copyFile, type FileHandle, mkdir, open, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import type { BlobStore } from '../../storage/blobs.js';

const SERVICE = 's3';
/** Bodies up to this size live in their row: no file to open, write or remove. */
export const INLINE_MAX = 32 * 1024;
/** Small network chunks are gathered into writes of about this size. */
const WRITE_BATCH = 256 * 1024;
const READ_CHUNK = 256 * 1024;
/** A multipart body with more parts than this opens the later part files as it reaches them. */
const EAGER_OPEN_LIMIT = 64;

export interface StoredBody {
  size: number;
  /** the whole body, when small */
  inline?: Buffer;
  /** the blob file holding it, otherwise */
  blobId?: string;
}

/** Where a body is: inline bytes, or blob files with their sizes, in order. */
export interface BodyLocation {
  inline?: Buffer | null;
  blobIds: string[];
  sizes: number[];
}

function newBlobId(): string {
  return randomBytes(16).toString('hex');
}

export function blobPath(blobs: BlobStore, id: string): string {
  return blobs.pathOf(SERVICE, id);
}

/** A new file for a blob; the folder is made only when it is missing (first use, or after a reset). */
async function createBlobFile(blobs: BlobStore, id: string): Promise<FileHandle> {
  const path = blobPath(blobs, id);
  try {
    return await open(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dirname(path), { recursive: true });
    return open(path, 'wx');
  }
}

/**
 * Stores what `source` yields: inline if it ends within `inlineMax` bytes, else in a new blob
 * file (always, when `inlineMax` is negative). `inspect` sees every chunk (for digests) before
 * it is kept. Nothing is left behind when the source or a write fails.
 */
export async function storeStream(
  blobs: BlobStore,
  source: AsyncIterable<Buffer> | Iterable<Buffer>,
  inspect: (chunk: Buffer) => void,
  inlineMax = INLINE_MAX,
): Promise<StoredBody> {
  const pending: Buffer[] = [];
  let pendingSize = 0;
  let size = 0;
  let file: FileHandle | undefined;
  let blobId: string | undefined;
  try {
    if (inlineMax < 0) {
      blobId = newBlobId();
      file = await createBlobFile(blobs, blobId);
    }
    for await (const chunk of source) {
      if (chunk.length === 0) continue;
      inspect(chunk);
      size += chunk.length;
      pending.push(chunk);
      pendingSize += chunk.length;
      if (!file && size > inlineMax) {
        blobId = newBlobId();
        file = await createBlobFile(blobs, blobId);
      }
      if (file && pendingSize >= WRITE_BATCH) {
        await writeAll(file, pending, pendingSize);
        pending.length = 0;
        pendingSize = 0;
      }
    }
    if (!file) return { size, inline: pending.length === 1 ? pending[0] : Buffer.concat(pending, size) };
    if (pendingSize) await writeAll(file, pending, pendingSize);
    await file.close();
    file = undefined;
    return { size, blobId };
  } catch (err) {
    await file?.close().catch(() => {});
    if (blobId) await unlink(blobPath(blobs, blobId)).catch(() => {});
    throw err;
  }
}

async function writeAll(file: FileHandle, chunks: Buffer[], size: number): Promise<void> {
  await file.write(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
}

/** A copy of a whole blob file under a new id: a reflink where the file system has them. */
export async function cloneBlob(blobs: BlobStore, id: string): Promise<string> {
  const copy = newBlobId();
  const target = blobPath(blobs, copy);
  await copyFile(blobPath(blobs, id), target, constants.COPYFILE_FICLONE).catch(async (err) => {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !(await ensureDir(target))) throw err;
    await copyFile(blobPath(blobs, id), target, constants.COPYFILE_FICLONE);
  });
  return copy;
}

/** Makes a blob's folder if it is missing; true when it made it. */
async function ensureDir(path: string): Promise<boolean> {
  return (await mkdir(dirname(path), { recursive: true })) !== undefined;
}

/** Removes blob files once nothing references them: called after the commit that dropped
 * their rows (so a rolled-back transaction never loses a body). Readers that opened a file
 * before keep reading it. */
export function discardBlobs(blobs: BlobStore, ids: readonly string[]): void {
  if (ids.length === 0) return;
  setImmediate(() => {
    for (const id of ids) unlink(blobPath(blobs, id)).catch(() => {});
  });
}

/** Removes files written for a request that failed before anything referenced them. */
export async function removeBlobs(blobs: BlobStore, ids: readonly string[]): Promise<void> {
  await Promise.all(ids.map((id) => unlink(blobPath(blobs, id)).catch(() => {})));
}

/**
 * The bytes [start, end] (inclusive) of a body, as a Buffer when inline, else a stream.
 * Files are opened now, so a body replaced while it is being sent is still sent whole.
 */
export function readBody(
  blobs: BlobStore,
  body: BodyLocation,
  start: number,
  end: number,
): Buffer | Readable {
  if (body.inline) return body.inline.subarray(start, end + 1);
  if (end < start) return Buffer.alloc(0);
  const segments = segmentsOf(body, start, end);
  if (segments.length === 1) {
    const [id, from, to] = segments[0] as Segment;
    const fd = openSync(blobPath(blobs, id), 'r');
    return createReadStream('', { fd, start: from, end: to, highWaterMark: READ_CHUNK });
  }
  const fds = segments.slice(0, EAGER_OPEN_LIMIT).map(([id]) => openSync(blobPath(blobs, id), 'r'));
  return Readable.from(readSegments(blobs, segments, fds), { objectMode: false });
}

type Segment = [blobId: string, start: number, end: number];

/** The part files a byte range crosses, each with the range within it. */
function segmentsOf(body: BodyLocation, start: number, end: number): Segment[] {
  const out: Segment[] = [];
  let offset = 0;
  for (let i = 0; i < body.blobIds.length && offset <= end; i++) {
    const size = body.sizes[i] as number;
    const last = offset + size - 1;
    if (size > 0 && last >= start) {
      out.push([body.blobIds[i] as string, Math.max(start - offset, 0), Math.min(end, last) - offset]);
    }
    offset += size;
  }
  return out;
}

async function* readSegments(blobs: BlobStore, segments: Segment[], fds: number[]): AsyncGenerator<Buffer> {
  let i = 0;
  try {
    for (; i < segments.length; i++) {
      const [id, start, end] = segments[i] as Segment;
      const fd = fds[i] ?? openSync(blobPath(blobs, id), 'r');
      fds[i] = fd;
      const stream = createReadStream('', { fd, start, end, highWaterMark: READ_CHUNK, autoClose: false });
      for await (const chunk of stream) yield chunk as Buffer;
      closeSync(fd);
      fds[i] = -1;
    }
  } finally {
    for (const fd of fds) if (fd >= 0) closeSync(fd);
  }
}
