/**
 * An HTTP endpoint served by the test itself on 127.0.0.1 (node:http), standing in for a
 * subscriber: it records every POST SNS makes (headers and body) and answers 200, or a
 * chosen error status for the next few requests to exercise retries.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './setup.js';

export interface ReceivedPost {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** what the subscriber answered */
  status: number;
}

export class HttpSubscriber {
  readonly posts: ReceivedPost[] = [];
  private server: Server | undefined;
  private failures: number[] = [];

  /** The base URL, e.g. http://127.0.0.1:43121 (valid after start()). */
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const status = this.failures.shift() ?? 200;
        this.posts.push({
          path: req.url ?? '/',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          status,
        });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Answers the next requests with these statuses (then 200 again). */
  failNext(...statuses: number[]): void {
    this.failures.push(...statuses);
  }

  /** The POSTs received on one path. */
  postsTo(path: string): ReceivedPost[] {
    return this.posts.filter((p) => p.path === path);
  }

  /** Waits until `count` POSTs have reached `path`, and returns them. */
  async waitForPosts(path: string, count: number, timeoutMs = 15_000): Promise<ReceivedPost[]> {
    return waitFor(
      `${count} POST(s) to ${path}`,
      () => {
        const got = this.postsTo(path);
        return got.length >= count ? got : undefined;
      },
      timeoutMs,
    );
  }
}
