import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlobStore } from '../../src/storage/blobs.js';

describe('BlobStore', () => {
  it('writes only under its root, by ids it makes', () => {
    const store = new BlobStore();
    const { id, path } = store.create('s3');
    expect(path.startsWith(store.root)).toBe(true);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    writeFileSync(path, 'x');
    expect(store.pathOf('s3', id)).toBe(path);
    expect(() => store.pathOf('s3', '../../etc/passwd')).toThrow();
    expect(() => store.create('../escape')).toThrow();
    store.remove('s3', id);
    store.remove('s3', id);
    expect(existsSync(path)).toBe(false);
    store.close();
  });

  it('an in-memory store leaves no files behind; a data dir keeps them', () => {
    const temp = new BlobStore();
    temp.create('s3');
    temp.close();
    expect(existsSync(temp.root)).toBe(false);

    const dir = mkdtempSync(join(tmpdir(), 'localaws-blobs-'));
    try {
      const kept = new BlobStore(dir);
      writeFileSync(kept.create('s3').path, 'data');
      kept.close();
      expect(readdirSync(join(dir, 'blobs', 's3'))).toHaveLength(1);
      kept.clear('s3');
      expect(existsSync(join(dir, 'blobs', 's3'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
