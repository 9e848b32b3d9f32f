/**
 * The state one server owns: config, database, blob files, clock and logger. Two servers
 * in one process each have their own, so they never share state.
 */
import type { Config } from './config.js';
import { Logger } from './logger.js';
import { IMPLEMENTED } from './services/registry.js';
import { BlobStore } from './storage/blobs.js';
import { Clock } from './storage/clock.js';
import { clearTables, type Db, migrate, openDatabase } from './storage/database.js';

export class Runtime {
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly clock = new Clock();
  readonly logger: Logger;
  readonly startedAt = Date.now();

  constructor(readonly config: Config) {
    this.logger = new Logger(config.logLevel);
    this.db = openDatabase(config.dataDir);
    this.blobs = new BlobStore(config.dataDir);
    for (const svc of Object.values(IMPLEMENTED)) migrate(this.db, svc.id, svc.migrations ?? []);
  }

  /** Drops all state, or one service's. */
  reset(service?: string): void {
    clearTables(this.db, service);
    this.blobs.clear(service);
  }

  close(): void {
    if (this.db.open) this.db.close();
    this.blobs.close();
  }
}
