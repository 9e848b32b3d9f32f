import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clearTables, migrate, openDatabase } from '../../src/storage/database.js';

describe('database', () => {
  it('applies only the migrations a database has not seen', () => {
    const db = openDatabase();
    migrate(db, 'svc', ['CREATE TABLE svc_a (x)']);
    db.prepare('INSERT INTO svc_a VALUES (1)').run();
    // a second start with one more migration applies just the new one
    migrate(db, 'svc', ['CREATE TABLE svc_a (x)', 'ALTER TABLE svc_a ADD COLUMN y']);
    expect(db.prepare('SELECT x, y FROM svc_a').all()).toEqual([{ x: 1, y: null }]);
    migrate(db, 'svc', ['CREATE TABLE svc_a (x)', 'ALTER TABLE svc_a ADD COLUMN y']);
    db.close();
  });

  it('rolls back a failed migration whole', () => {
    const db = openDatabase();
    expect(() => migrate(db, 'bad', ['CREATE TABLE bad_a (x)', 'NOT SQL'])).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'bad_a'").get()).toBeUndefined();
    db.close();
  });

  it('clears one service or all, keeping the schema', () => {
    const db = openDatabase();
    migrate(db, 'one', ['CREATE TABLE one_t (x)']);
    migrate(db, 'two', ['CREATE TABLE two_t (x)']);
    db.exec('INSERT INTO one_t VALUES (1); INSERT INTO two_t VALUES (2);');
    clearTables(db, 'one');
    expect(db.prepare('SELECT count(*) AS n FROM one_t').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM two_t').get()).toEqual({ n: 1 });
    clearTables(db);
    expect(db.prepare('SELECT count(*) AS n FROM two_t').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM localaws_migrations').get()).toEqual({ n: 2 });
    db.close();
  });

  it('keeps data in WAL mode on disk across opens', () => {
    const dir = mkdtempSync(join(tmpdir(), 'localaws-db-'));
    try {
      const db = openDatabase(dir);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      migrate(db, 'disk', ['CREATE TABLE disk_t (x)']);
      db.prepare('INSERT INTO disk_t VALUES (?)').run('kept');
      db.close();
      const again = openDatabase(dir);
      expect(again.prepare('SELECT x FROM disk_t').get()).toEqual({ x: 'kept' });
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
