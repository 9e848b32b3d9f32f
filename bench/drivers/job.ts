/** What the bench sends a driver process and what it sends back (over IPC, structured clone). */
import type { RawRequest } from '../scenario.js';

export type DriverName = 'raw' | 'sdk';
export const DRIVERS: DriverName[] = ['raw', 'sdk'];

export interface DriverJob {
  driver: DriverName;
  scenario: string;
  url: string;
  concurrency: number;
  /** raw: the requests to replay; this process starts at request `offset` */
  requests: RawRequest[];
  offset: number;
}

/** Epoch milliseconds: load runs from `go`, is measured from `from` to `to`, stops by `to + graceMs`. */
export interface DriverWindow {
  from: number;
  to: number;
  graceMs: number;
}

export interface DriverResult {
  /** completed within the window, every answer 2xx */
  ops: number;
  /** what those ops moved (messages, items); ops when the scenario counts no units */
  units: number;
  errors: number;
  errorSamples: string[];
  /** milliseconds, one per op */
  latencies: Float64Array;
  /** bytes of the responses counted in `ops` (raw driver only) */
  bytes: number;
  /** this driver process's own CPU time within the window */
  cpuSeconds: number;
}

export type ToDriver = { type: 'job'; job: DriverJob } | { type: 'go'; window: DriverWindow };
export type FromDriver =
  | { type: 'started' }
  | { type: 'ready' }
  | { type: 'result'; result: DriverResult }
  | { type: 'failed'; message: string };
