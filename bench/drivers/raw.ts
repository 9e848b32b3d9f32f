/**
 * The raw driver: `concurrency` keep-alive connections, each writing a pre-built request
 * and the next one as soon as the answer is complete. Its cost per request is a socket
 * write and a look at the response head, so what it measures is the server. A scenario
 * whose op takes several requests (receive, then delete what came) gives a raw cycle that
 * builds each request from the answer before.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { RawCycle, RawRequest } from '../scenario.js';
import type { DriverJob, DriverResult, DriverWindow } from './job.js';
import { type ReadResponse, ResponseReader } from './response-reader.js';
import { Tally } from './tally.js';

/** Pause before reconnecting after a refused or broken connection, so a dead server is not spun on. */
const RECONNECT_DELAY_MS = 10;
const NO_BODY = Buffer.alloc(0);

interface Connection {
  done: Promise<void>;
  abort(): void;
}

/** A connection's ops: `cycle` builds them from the templates in `job.requests`, else those are replayed. */
export async function runRaw(
  job: DriverJob,
  window: DriverWindow,
  cycle?: (requests: RawRequest[], connection: number) => RawCycle,
): Promise<DriverResult> {
  const port = targetPort(job.url);
  const tally = new Tally(window);
  const connections = Array.from({ length: job.concurrency }, (_, i) =>
    cycle
      ? driveConnection(port, cycle(job.requests, job.offset + i), tally, true)
      : driveConnection(port, replay(job.requests, job.offset + i), tally, false),
  );
  const grace = setTimeout(
    () => {
      for (const c of connections) c.abort();
    },
    window.to + window.graceMs - Date.now(),
  );
  await Promise.all(connections.map((c) => c.done));
  clearTimeout(grace);
  return tally.result();
}

/** The port of a 127.0.0.1 URL; any other host is refused, so a run only ever loads this machine. */
export function targetPort(url: string): number {
  const parsed = new URL(url);
  if (parsed.hostname !== '127.0.0.1')
    throw new Error(`the bench only targets 127.0.0.1, not ${parsed.hostname}`);
  return Number(parsed.port || 80);
}

/** Ops of one request each, the requests taken in turn from `first` on. */
function replay(requests: RawRequest[], first: number): RawCycle {
  let next = first;
  return { first: () => requests[next++ % requests.length] as RawRequest, next: () => 1 };
}

/**
 * One connection's loop. An op started before the window closed runs to its end (a cycle
 * cut short would leave a queue's messages in flight); a broken op starts over.
 */
function driveConnection(port: number, cycle: RawCycle, tally: Tally, keepBody: boolean): Connection {
  let socket: Socket | undefined;
  let current: RawRequest | undefined;
  /** the op's next request, when it must wait for a new connection */
  let pending: RawRequest | undefined;
  let opStartedAt = 0;
  let opBytes = 0;
  let inFlight = false;
  let finished = false;
  let finish = () => {};
  const done = new Promise<void>((resolve) => {
    finish = () => {
      finished = true;
      socket?.destroy();
      resolve();
    };
  });
  const reader = new ResponseReader({ keepBody });

  const write = (request: RawRequest) => {
    current = request;
    inFlight = true;
    socket?.write(request.bytes);
  };
  const startOp = () => {
    if (!tally.open) return finish();
    opStartedAt = performance.now();
    opBytes = 0;
    write(cycle.first());
  };
  const step = (response: ReadResponse): RawRequest | undefined => {
    opBytes += response.bytes;
    if (response.status < 200 || response.status > 299) return void tally.failed(`HTTP ${response.status}`);
    let next: RawRequest | number;
    try {
      next = cycle.next(response.body ?? NO_BODY);
    } catch (err) {
      return void tally.failed((err as Error).message);
    }
    if (typeof next !== 'number') return next;
    tally.answered(opStartedAt, next, opBytes);
  };
  const open = () => {
    reader.reset();
    inFlight = false;
    let failure: string | undefined;
    const s = connect({ port, host: '127.0.0.1', noDelay: true }, () => {
      const resume = pending;
      pending = undefined;
      if (resume) write(resume);
      else startOp();
    });
    socket = s;
    s.on('data', (chunk: Buffer) => {
      let response: ReadResponse | undefined;
      try {
        response = reader.push(chunk, current?.bodyless);
      } catch (err) {
        failure = (err as Error).message;
        return s.destroy();
      }
      if (!response) return;
      inFlight = false;
      const next = step(response);
      if (response.close) {
        pending = next;
        s.destroy();
      } else if (next) write(next);
      else startOp();
    });
    s.on('error', (err: NodeJS.ErrnoException) => {
      failure = err.code ?? err.message;
    });
    s.on('close', () => {
      if (finished) return;
      if (failure || inFlight) {
        tally.failed(failure ?? 'connection closed before the response was complete');
        pending = undefined;
      }
      if (!pending && !tally.open) return finish();
      // a connection closed in order (Connection: close) reopens at once, a failed one after a pause
      setTimeout(open, failure ? RECONNECT_DELAY_MS : 0);
    });
  };
  open();
  return { done, abort: finish };
}

/** One request on a fresh connection: the probe for start-up and the check before a run. */
export function exchange(
  port: number,
  request: RawRequest,
  timeoutMs: number,
): Promise<ReadResponse & { body: Buffer }> {
  return new Promise((resolve, reject) => {
    const reader = new ResponseReader();
    const chunks: Buffer[] = [];
    const s = connect({ port, host: '127.0.0.1', noDelay: true }, () => s.write(request.bytes));
    s.setTimeout(timeoutMs, () => s.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    s.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      try {
        const done = reader.push(chunk, request.bodyless);
        if (!done) return;
        s.destroy();
        const whole = Buffer.concat(chunks);
        resolve({ ...done, body: whole.subarray(whole.indexOf('\r\n\r\n') + 4, done.bytes) });
      } catch (err) {
        s.destroy(err as Error);
      }
    });
    s.on('error', reject);
    s.on('close', () => reject(new Error('connection closed before the response was complete')));
  });
}
