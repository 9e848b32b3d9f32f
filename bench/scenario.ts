/**
 * What a scenario is: one operation driven the way users drive it (the SDK) and the way a
 * server can best be pushed (pre-built requests replayed), plus the fixed answers the
 * baseline server gives in its place. Adding a service is one file in scenarios/.
 */
import type { Agent } from 'node:http';
import type { DriverName } from './drivers/job.js';

/** A response the baseline server gives, as realistic as the real one. */
export interface FixedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** A request for `path` (the query string aside) is answered with the file's bytes instead of `body`. */
  file?: { path: string; file: string };
}

/** The request id every baseline answer carries. */
export const BASELINE_REQUEST_ID = '0c1a5e3f-6d2b-4c8e-9f71-2b3c4d5e6f70';

/** A 200 awsJson 1.0 answer with the body localaws would send. */
export function jsonAnswer(body: unknown): FixedResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': BASELINE_REQUEST_ID },
    body: JSON.stringify(body),
  };
}

/** A request as it goes on the wire, ready to be written again and again. */
export interface RawRequest {
  bytes: Uint8Array;
  /** HEAD: the response carries no body whatever its Content-Length says */
  bodyless: boolean;
}

/**
 * A raw op of several requests, each built from the answer to the one before (receive,
 * then delete what came): one per connection, in the driver process.
 */
export interface RawCycle {
  /** The op's first request. */
  first(): RawRequest;
  /**
   * The body of the 2xx answer to the request just sent: the op's next request, or the
   * units it moved once it is complete. Throws when the answer reports a failure.
   */
  next(body: Buffer): RawRequest | number;
}

/** What the SDK driver builds its client from (the SDK v3 clients' common options). */
export interface SdkClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
  forcePathStyle: boolean;
  requestHandler: { httpAgent: Agent; requestTimeout: number };
}

export interface Scenario {
  name: string;
  /** one line for the report */
  title: string;
  /** requests in flight when `--concurrency` is not given (the default's otherwise) */
  concurrency?: number;
  /** What an op moves when it moves several things ('msgs', 'items'): the report adds `<unit>/s`. */
  unit?: string;
  /** Left out of a plain run because it takes long; run by name or with `--scenario all`. */
  optIn?: boolean;
  /** The drivers it runs with, when not every one can (the raw driver holds each answer whole). */
  drivers?: DriverName[];
  /** Seconds measured at least, whatever `--duration` says: ops of seconds each need a longer
   * window than the default to count more than a few. */
  minDurationS?: number;
  /** The scenario this one repeats on a bigger store: the report gives the latency ratios. */
  scaleOf?: string;
  /** A request that needs no setup, for timing start-up and checking a server answers. */
  probe?(url: string): Promise<RawRequest>;
  /** Creates what the operation needs (a queue, a table) on a fresh server; once per server that keeps state. */
  setup?(url: string): Promise<void>;
  /**
   * Builds a client once; the returned function is one operation, called over and over.
   * It resolves to the units moved when the scenario has a `unit`.
   */
  sdkOperation(config: SdkClientConfig): Promise<() => Promise<unknown>>;
  /** Requests the raw driver replays in turn, or a raw cycle's templates; signed now, valid for the run. */
  rawRequests(url: string): Promise<RawRequest[]>;
  /** Turns the raw driver from replaying into cycling: one cycle per connection, numbered from 0 over all drivers. */
  rawCycle?(requests: RawRequest[], connection: number): RawCycle;
  /** The baseline's answer to any request `baselineByTarget` does not name. */
  baselineResponse: FixedResponse;
  /** The baseline's answers by X-Amz-Target, for a scenario that sends several operations. */
  baselineByTarget?: Record<string, FixedResponse>;
}
