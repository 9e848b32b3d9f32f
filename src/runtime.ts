/**
 * The state one server owns: config, database, blob files, clock and logger. Two servers
 * in one process each have their own, so they never share state.
 */
import type { Config } from './config.js';
import { Logger } from './logger.js';
import { IMPLEMENTED, REQUIRES } from './services/registry.js';
import type { Handler, RequestContext, ServiceDefinition } from './services/types.js';
import { BlobStore } from './storage/blobs.js';
import { Clock } from './storage/clock.js';
import {
  clearTables,
  type Db,
  migrate,
  openDatabase,
  saveClockOffset,
  savedClockOffset,
} from './storage/database.js';

export class Runtime {
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly startedAt = Date.now();
  private readonly stops: (() => void)[] = [];
  private readonly loaded = new Map<string, ServiceDefinition>();
  private readonly loading = new Map<string, Promise<ServiceDefinition | undefined>>();

  /** Runs a plain handler inside one transaction (see services/types.ts). Made once: building
   * a better-sqlite3 transaction function is costlier than running one. */
  readonly inTransaction: (handler: Handler, input: unknown, ctx: RequestContext) => unknown;

  constructor(readonly config: Config) {
    this.logger = new Logger(config.logLevel);
    this.db = openDatabase(config.dataDir);
    this.blobs = new BlobStore(config.dataDir);
    this.clock = new Clock(savedClockOffset(this.db));
    this.clock.onAdvance(() => saveClockOffset(this.db, this.clock.offsetMilliseconds));
    this.inTransaction = this.db.transaction((handler: Handler, input: unknown, ctx: RequestContext) =>
      handler(input, ctx),
    );
  }

  /** Loads the services that already have state (a data dir used before), so their background
   * work (sweeps, retries) resumes at start; the others load on first use. */
  async init(): Promise<void> {
    const used = this.db.prepare('SELECT service FROM localaws_migrations').pluck().all() as string[];
    await Promise.all(used.map((id) => this.service(id)));
  }

  /** A service once loaded, for the request path; undefined before its first use. */
  loadedService(id: string): ServiceDefinition | undefined {
    return this.loaded.get(id);
  }

  /** The service, loading it on first use: its code, its tables (migrations) and its
   * background work, after the services whose tables it uses. Undefined if not implemented. */
  service(id: string): Promise<ServiceDefinition | undefined> {
    const ready = this.loaded.get(id);
    if (ready) return Promise.resolve(ready);
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.load(id);
      this.loading.set(id, pending);
    }
    return pending;
  }

  private async load(id: string): Promise<ServiceDefinition | undefined> {
    const loader = Object.hasOwn(IMPLEMENTED, id) ? IMPLEMENTED[id] : undefined;
    if (!loader) return undefined;
    for (const dependency of REQUIRES[id] ?? []) await this.service(dependency);
    const svc = await loader();
    if (!this.db.open) return svc;
    migrate(this.db, svc.id, svc.migrations ?? []);
    if (svc.start) this.stops.push(svc.start(this));
    this.loaded.set(id, svc);
    return svc;
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
