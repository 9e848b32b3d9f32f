/**
 * Large bodies live in files, one per blob, under `<data-dir>/blobs/<service>/` (or a
 * temporary folder removed at exit in memory mode). File names are ids the store makes
 * itself, never a key or name from a request, so nothing is ever written outside it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ID = /^[0-9a-f]{32}$/;
const SERVICE = /^[a-z0-9-]+$/;

export class BlobStore {
  readonly root: string;
  private readonly temporary: boolean;

  constructor(dataDir?: string) {
    this.temporary = !dataDir;
    this.root = dataDir ? join(dataDir, 'blobs') : mkdtempSync(join(tmpdir(), 'localaws-'));
    mkdirSync(this.root, { recursive: true });
  }

  /** A fresh id and the file path to write it to. */
  create(service: string): { id: string; path: string } {
    const id = randomBytes(16).toString('hex');
    const dir = this.dir(service);
    mkdirSync(dir, { recursive: true });
    return { id, path: join(dir, id) };
  }

  pathOf(service: string, id: string): string {
    if (!ID.test(id)) throw new Error(`not a blob id: ${id}`);
    return join(this.dir(service), id);
  }

  remove(service: string, id: string): void {
    try {
      unlinkSync(this.pathOf(service, id));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  /** Removes the blobs of one service, or all of them. */
  clear(service?: string): void {
    rmSync(service ? this.dir(service) : this.root, { recursive: true, force: true });
    mkdirSync(this.root, { recursive: true });
  }

  /** Called at shutdown: an in-memory server leaves no files behind. */
  close(): void {
    if (this.temporary) rmSync(this.root, { recursive: true, force: true });
  }

  private dir(service: string): string {
    if (!SERVICE.test(service)) throw new Error(`not a service id: ${service}`);
    return join(this.root, service);
  }
}
