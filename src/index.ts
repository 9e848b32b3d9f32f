/**
 * The in-process API: `startLocalAws()` runs the same server the CLI does, by default on a
 * free port and in memory, for a test suite to point its clients at.
 */
import { type Config, resolveConfig } from './config.js';
import { startServer } from './server.js';

export type { Config, LogLevel } from './config.js';

export interface LocalAws {
  /** e.g. http://127.0.0.1:53121: the endpoint to give clients */
  url: string;
  port: number;
  /** Closes the server and its database (and removes in-memory blob files). */
  stop(): Promise<void>;
  /** Drops all state, or one service's (`reset('s3')`). */
  reset(service?: string): void;
  /** Moves the server clock forward, as the admin API's POST /_localaws/clock does. */
  advanceClock(seconds: number): void;
}

export async function startLocalAws(options: Partial<Config> = {}): Promise<LocalAws> {
  const server = await startServer(resolveConfig({ port: 0, logLevel: 'warn', ...options }));
  return {
    url: server.url,
    port: server.port,
    stop: server.stop,
    reset: (service) => server.runtime.reset(service),
    advanceClock: (seconds) => server.runtime.clock.advance(seconds),
  };
}
