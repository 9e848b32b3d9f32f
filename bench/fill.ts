/**
 * Filling a server before a scenario (a million messages, a million items) through its own
 * API, as fast as it takes them: pre-built requests over many keep-alive connections, the
 * same way the raw driver loads it, but a fixed number of them and any failure fatal.
 */
import { connect } from 'node:net';
import { targetPort } from './drivers/raw.js';
import { ResponseReader } from './drivers/response-reader.js';
import type { RawRequest } from './scenario.js';

export interface PumpOptions {
  /** connections, each with one request in flight */
  connections: number;
  /** What an answer moved (messages received, say), summed into the result; checks it too. */
  units?(body: Buffer): number;
}

/**
 * Sends `count` requests, `request(i)` for i from 0, built as they go out (a million items
 * do not sit in memory as requests), and resolves to the units their answers moved
 * (`count` without a `units`). Any answer but a 2xx rejects.
 */
export async function pump(
  url: string,
  count: number,
  request: (i: number) => RawRequest,
  options: PumpOptions,
): Promise<number> {
  const port = targetPort(url);
  let sent = 0;
  let units = 0;
  const take = () => (sent < count ? request(sent++) : undefined);
  const connection = () =>
    new Promise<void>((resolve, reject) => {
      const reader = new ResponseReader({ keepBody: true });
      const s = connect({ port, host: '127.0.0.1', noDelay: true });
      const next = () => {
        const request = take();
        if (request) s.write(request.bytes);
        else s.end(resolve);
      };
      s.on('connect', next);
      s.on('data', (chunk: Buffer) => {
        try {
          const response = reader.push(chunk);
          if (!response) return;
          if (response.status < 200 || response.status > 299) {
            throw new Error(`answered ${response.status}: ${response.body?.toString().slice(0, 300)}`);
          }
          units += options.units ? options.units(response.body as Buffer) : 1;
          next();
        } catch (err) {
          s.destroy(err as Error);
        }
      });
      s.on('error', reject);
      // after an orderly end this settles nothing: the promise is already resolved
      s.on('close', () => reject(new Error('the server closed a connection while filling')));
    });
  await Promise.all(Array.from({ length: Math.min(options.connections, count) }, connection));
  return units;
}
