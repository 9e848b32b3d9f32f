import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRaw, targetPort } from '../../bench/drivers/raw.js';
import { encodeRequest } from '../../bench/raw-request.js';

const BODY = '<ok/>';
let server: Server;
let url: string;
let served = 0;

beforeAll(async () => {
  // every fifth answer closes its connection, as a server under load may
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      served++;
      const status = req.url === '/fail' ? 503 : 200;
      res.writeHead(status, {
        'content-length': String(BODY.length),
        ...(served % 5 ? {} : { connection: 'close' }),
      });
      res.end(BODY);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function request(path: string) {
  const bytes = encodeRequest({
    method: 'POST',
    path,
    query: new URLSearchParams(),
    headers: { host: '127.0.0.1' },
    body: Buffer.from('Action=X'),
  });
  return { bytes, bodyless: false };
}

function window(ms: number) {
  const now = performance.timeOrigin + performance.now();
  return { from: now, to: now + ms, graceMs: 1000 };
}

describe('the raw driver', () => {
  it('counts answers in the window, reconnecting when the server closes', async () => {
    const before = served;
    const result = await runRaw(
      { driver: 'raw', scenario: 'test', url, concurrency: 4, requests: [request('/')], offset: 0 },
      window(300),
    );
    expect(result.ops).toBeGreaterThan(20);
    expect(result.errors).toBe(0);
    expect(result.latencies.length).toBe(result.ops);
    expect(result.bytes / result.ops).toBeGreaterThan(BODY.length + 30);
    expect(served - before).toBeGreaterThanOrEqual(result.ops);
  });

  it('counts non-2xx answers as errors, not ops', async () => {
    const result = await runRaw(
      { driver: 'raw', scenario: 'test', url, concurrency: 2, requests: [request('/fail')], offset: 0 },
      window(100),
    );
    expect(result.ops).toBe(0);
    expect(result.errors).toBeGreaterThan(0);
    expect(result.errorSamples).toEqual(['HTTP 503']);
  });

  it('runs a cycle of requests as one op, each built from the answer before, units summed', async () => {
    const before = served;
    const cycle = () => {
      let step = 0;
      return {
        first() {
          step = 0;
          return request('/first');
        },
        next(body: Buffer) {
          if (body.toString() !== BODY) throw new Error(`unexpected body ${body}`);
          return ++step < 2 ? request('/second') : 3;
        },
      };
    };
    const job = { driver: 'raw' as const, scenario: 'test', url, concurrency: 3, requests: [], offset: 0 };
    const result = await runRaw(job, window(300), cycle);
    expect(result.errors).toBe(0);
    expect(result.ops).toBeGreaterThan(10);
    expect(result.units).toBe(3 * result.ops);
    expect(result.bytes / result.ops).toBeGreaterThan(2 * (BODY.length + 30));
    // every op started ran to its end, past the window if need be
    expect((served - before) % 2).toBe(0);
    expect(served - before).toBeGreaterThanOrEqual(2 * result.ops);
  });

  it('counts a cycle that fails half-way as an error and starts the next one afresh', async () => {
    const cycle = () => ({
      first: () => request('/first'),
      next: (body: Buffer) => (body.length ? request('/fail') : 1),
    });
    const job = { driver: 'raw' as const, scenario: 'test', url, concurrency: 2, requests: [], offset: 0 };
    const result = await runRaw(job, window(100), cycle);
    expect(result.ops).toBe(0);
    expect(result.errors).toBeGreaterThan(2);
    expect(result.errorSamples).toEqual(['HTTP 503']);
  });

  it('only ever targets 127.0.0.1', () => {
    expect(targetPort('http://127.0.0.1:4566')).toBe(4566);
    expect(() => targetPort('http://example.com:4566')).toThrow(/only targets 127.0.0.1/);
  });
});
