/**
 * The state one server owns: config, database, blob files, clock and logger. Two servers
 * in one process each have their own, so they never share state.
 */
import type { Config } from './config.js';
import { Logger } from './logger.js';
import { IMPLEMENTED } from './services/registry.js';
import type { Handler, RequestContext } from './services/types.js';
import { BlobStore } from './storage/blobs.js';
import { Clock } from './storage/clock.js';
import { clearTables, type Db, migrate, openDatabase } from './storage/database.js';

export class Runtime {
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly clock = new Clock();
  readonly logger: Logger;
  readonly startedAt = Date.now();
  private readonly stops: (() => void)[] = [];

  /** Runs a plain handler inside one transaction (see services/types.ts). Made once: building
   * a better-sqlite3 transaction function is costlier than running one. */
  readonly inTransaction: (handler: Handler, input: unknown, ctx: RequestContext) => unknown;

  constructor(readonly config: Config) {
    this.logger = new Logger(config.logLevel);
    this.db = openDatabase(config.dataDir);
    this.blobs = new BlobStore(config.dataDir);
    for (const svc of Object.values(IMPLEMENTED)) migrate(this.db, svc.id, svc.migrations ?? []);
    for (const svc of Object.values(IMPLEMENTED)) {
      if (svc.start) this.stops.push(svc.start(this));
    }
    this.inTransaction = this.db.transaction((handler: Handler, input: unknown, ctx: RequestContext) =>
      handler(input, ctx),
    );
  }

  /** Drops all state, or one service's. */
  reset(service?: string): void {
    clearTables(this.db, service);
    this.blobs.clear(service);
  }

  close(): void {
    for (const stop of this.stops.splice(0)) stop();
    if (this.db.open) this.db.close();
    this.blobs.close();
  }
}
