/**
 * Every conformance suite talks to a real localaws over HTTP: this starts one per test file
 * (in-process, port 0, in memory) and builds real SDK v3 clients pointed at it.
 */
import { afterAll, beforeAll } from 'vitest';
import { type Config, type LocalAws, startLocalAws } from '../src/index.js';

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface Harness {
  /** the running server (set in beforeAll) */
  server: LocalAws;
  url: string;
  /** config for any SDK v3 client: endpoint, region, test credentials, path-style S3 */
  clientConfig(overrides?: Record<string, unknown>): Record<string, unknown>;
}

export function useLocalAws(options: Partial<Config> = {}): Harness {
  const h: Omit<Harness, 'server'> & { server?: LocalAws } = {
    url: '',
    clientConfig(overrides: Record<string, unknown> = {}) {
      return {
        endpoint: h.url,
        region: 'us-east-1',
        credentials: TEST_CREDENTIALS,
        forcePathStyle: true,
        maxAttempts: 1,
        ...overrides,
      };
    },
  };
  beforeAll(async () => {
    h.server = await startLocalAws(options);
    h.url = h.server.url;
  });
  afterAll(async () => {
    await h.server?.stop();
  });
  // tests only touch `server` after beforeAll has set it
  return h as Harness;
}

/** A raw HTTP request to the server, for what no SDK sends (garbage, admin API). */
export async function rawRequest(
  url: string,
  init: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(`${url}${init.path ?? '/'}`, {
    method: init.method ?? 'GET',
    headers: init.headers,
    body: typeof init.body === 'string' || init.body === undefined ? init.body : new Uint8Array(init.body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
