/**
 * A driver process: forked by the bench (bench/load.ts) so that the load it generates
 * costs CPU apart from the server's and from the other drivers'. It gets a job, prepares,
 * says ready, runs on `go` until its window closes, and sends back what it counted.
 */
import { SCENARIOS } from '../scenarios/registry.js';
import type { DriverJob, DriverResult, DriverWindow, FromDriver, ToDriver } from './job.js';
import { runRaw } from './raw.js';
import { prepareSdk, runSdk } from './sdk.js';

/** A driver left waiting this long for its `go` was forgotten: it ends rather than linger. */
const IDLE_LIMIT_MS = 120_000;

function send(message: FromDriver): Promise<void> {
  return new Promise((resolve) => process.send?.(message, undefined, {}, () => resolve()));
}

const inbox: ToDriver[] = [];
let waiting: ((message: ToDriver) => void) | undefined;
process.on('message', (message: ToDriver) => {
  if (!waiting) return void inbox.push(message);
  const deliver = waiting;
  waiting = undefined;
  deliver(message);
});

function nextMessage(): Promise<ToDriver> {
  const queued = inbox.shift();
  if (queued) return Promise.resolve(queued);
  return new Promise((resolve) => {
    waiting = resolve;
  });
}

async function prepare(job: DriverJob): Promise<(window: DriverWindow) => Promise<DriverResult>> {
  const scenario = SCENARIOS[job.scenario];
  if (!scenario) throw new Error(`no scenario ${job.scenario}`);
  if (job.driver === 'raw') return (window) => runRaw(job, window, scenario.rawCycle?.bind(scenario));
  const driver = await prepareSdk(job, scenario);
  return (window) => runSdk(driver, job, window);
}

async function main(): Promise<void> {
  const idle = setTimeout(() => process.exit(3), IDLE_LIMIT_MS);
  // the bench sends the job only once this process listens: a message sent earlier would be lost
  await send({ type: 'started' });
  const first = await nextMessage();
  if (first.type !== 'job') throw new Error(`expected a job, got ${first.type}`);
  const run = await prepare(first.job);
  await send({ type: 'ready' });
  const go = await nextMessage();
  if (go.type !== 'go') throw new Error(`expected go, got ${go.type}`);
  clearTimeout(idle);
  const result = await run(go.window);
  await send({ type: 'result', result });
}

process.on('disconnect', () => process.exit(0));
main().then(
  () => process.exit(0),
  async (err: Error) => {
    await send({ type: 'failed', message: err.stack ?? err.message });
    process.exit(1);
  },
);
