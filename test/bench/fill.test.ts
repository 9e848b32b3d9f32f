import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pump } from '../../bench/fill.js';
import { encodeRequest } from '../../bench/raw-request.js';

let server: Server;
let url: string;
const seen: string[] = [];

beforeAll(async () => {
  // answers each request with its own body, or 400 to a body saying so
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push(body);
      res.writeHead(body === 'bad' ? 400 : 200, { 'content-length': String(body.length) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function request(body: string) {
  const bytes = encodeRequest({
    method: 'POST',
    path: '/',
    query: new URLSearchParams(),
    headers: { host: '127.0.0.1' },
    body: Buffer.from(body),
  });
  return { bytes, bodyless: false };
}

describe('pump', () => {
  it('sends request(0) to request(count - 1) over its connections and sums what the answers moved', async () => {
    seen.length = 0;
    const units = await pump(url, 50, (i) => request(String(i)), {
      connections: 4,
      units: (body) => Number(body),
    });
    expect(units).toBe((49 * 50) / 2);
    expect(seen.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('counts requests when nothing is measured, and never opens more connections than requests', async () => {
    expect(await pump(url, 2, () => request('x'), { connections: 8 })).toBe(2);
  });

  it('fails on an answer other than 2xx, or on what the units check refuses', async () => {
    await expect(pump(url, 5, (i) => request(i === 3 ? 'bad' : 'ok'), { connections: 2 })).rejects.toThrow(
      /answered 400: bad/,
    );
    const refuse = () => {
      throw new Error('entries failed');
    };
    await expect(pump(url, 3, () => request('ok'), { connections: 1, units: refuse })).rejects.toThrow(
      /entries failed/,
    );
  });
});
