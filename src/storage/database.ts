/**
 * The one SQLite database: in memory by default, `<data-dir>/localaws.db` (WAL) otherwise.
 * Each service owns the tables named `<service>_*` and brings its schema as an ordered list
 * of migrations; `localaws_migrations` records how far each service has got.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';

export type Db = Sqlite.Database;

export function openDatabase(dataDir?: string): Db {
  let db: Db;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    db = new Sqlite(join(dataDir, 'localaws.db'));
    db.pragma('journal_mode = WAL');
    // an acknowledged write must survive a crash of the process, not necessarily of the OS
    db.pragma('synchronous = NORMAL');
  } else {
    db = new Sqlite(':memory:');
  }
  db.pragma('foreign_keys = ON');
  db.exec(
    'CREATE TABLE IF NOT EXISTS localaws_migrations (service TEXT PRIMARY KEY, version INTEGER NOT NULL)',
  );
  db.exec(
    'CREATE TABLE IF NOT EXISTS localaws_clock (id INTEGER PRIMARY KEY CHECK (id = 0), offset_ms INTEGER NOT NULL)',
  );
  return db;
}

/** How far a server on this database had moved its clock ahead (0 for a new one). */
export function savedClockOffset(db: Db): number {
  const row = db.prepare('SELECT offset_ms FROM localaws_clock WHERE id = 0').get() as
    | { offset_ms: number }
    | undefined;
  return row?.offset_ms ?? 0;
}

const saveOffset = perDb((db) =>
  db.prepare<[number]>(
    'INSERT INTO localaws_clock (id, offset_ms) VALUES (0, ?) ON CONFLICT(id) DO UPDATE SET offset_ms = excluded.offset_ms',
  ),
);

export function saveClockOffset(db: Db, offsetMs: number): void {
  saveOffset(db).run(offsetMs);
}

/** Applies the migrations of one service that the database has not seen yet, atomically. */
export function migrate(db: Db, service: string, migrations: readonly string[]): void {
  const row = db.prepare('SELECT version FROM localaws_migrations WHERE service = ?').get(service) as
    | { version: number }
    | undefined;
  const done = row?.version ?? 0;
  if (done >= migrations.length) return;
  db.transaction(() => {
    for (const sql of migrations.slice(done)) db.exec(sql);
    db.prepare(
      'INSERT INTO localaws_migrations (service, version) VALUES (?, ?) ON CONFLICT(service) DO UPDATE SET version = excluded.version',
    ).run(service, migrations.length);
  })();
}

/** Deletes every row of one service's tables (or of all services), keeping the schema. */
export function clearTables(db: Db, service?: string): void {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .all() as { name: string }[];
  db.transaction(() => {
    for (const { name } of tables) {
      if (name === 'localaws_migrations' || name === 'localaws_clock') continue;
      if (service && !name.startsWith(`${service}_`)) continue;
      db.exec(`DELETE FROM "${name}"`);
    }
  })();
}

/** One value per database, made on first use: prepared statements are built once per Db,
 * never per request. */
export function perDb<T>(make: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let value = cache.get(db);
    if (value === undefined) {
      value = make(db);
      cache.set(db, value);
    }
    return value;
  };
}
