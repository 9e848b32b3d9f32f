/**
 * What a scenario is: one operation driven the way users drive it (the SDK) and the way a
 * server can best be pushed (pre-built requests replayed), plus the fixed answer the
 * baseline server gives in its place. Adding S3, DynamoDB or SQS is one file in scenarios/.
 */
import type { Agent } from 'node:http';

/** A response the baseline server gives to every request, as realistic as the real one. */
export interface FixedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A request as it goes on the wire, ready to be written again and again. */
export interface RawRequest {
  bytes: Uint8Array;
  /** HEAD: the response carries no body whatever its Content-Length says */
  bodyless: boolean;
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
  /** Creates what the operation needs (a bucket, a table) on a fresh server; once per server. */
  setup?(url: string): Promise<void>;
  /** Builds a client once; the returned function is one operation, called over and over. */
  sdkOperation(config: SdkClientConfig): Promise<() => Promise<unknown>>;
  /** Requests the raw driver replays in turn; signed now, so they stay valid for the run. */
  rawRequests(url: string): Promise<RawRequest[]>;
  baselineResponse: FixedResponse;
}
