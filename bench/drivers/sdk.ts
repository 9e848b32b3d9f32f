/**
 * The SDK driver: one real SDK v3 client, `concurrency` loops each awaiting one operation
 * after another. This is what users see; the client's own cost per call caps it well
 * below what a fast server can answer, so the raw driver is the measure of the server.
 */
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Scenario, SdkClientConfig } from '../scenario.js';
import type { DriverJob, DriverResult, DriverWindow } from './job.js';
import { targetPort } from './raw.js';
import { Tally } from './tally.js';

const REQUEST_TIMEOUT_MS = 10_000;

export interface SdkDriver {
  agent: Agent;
  operation: () => Promise<unknown>;
}

/** Builds the client and calls the operation once, so a server that cannot answer fails before the run. */
export async function prepareSdk(job: DriverJob, scenario: Scenario): Promise<SdkDriver> {
  targetPort(job.url);
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const config: SdkClientConfig = {
    endpoint: job.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    forcePathStyle: true,
    requestHandler: { httpAgent: agent, requestTimeout: REQUEST_TIMEOUT_MS },
  };
  const operation = await scenario.sdkOperation(config);
  await operation();
  return { agent, operation };
}

export async function runSdk(driver: SdkDriver, job: DriverJob, window: DriverWindow): Promise<DriverResult> {
  const tally = new Tally(window);
  const loop = async () => {
    while (tally.open) {
      const sentAt = performance.now();
      try {
        const units = await driver.operation();
        tally.answered(sentAt, typeof units === 'number' ? units : 1, 0);
      } catch (err) {
        tally.failed(`${(err as Error).name}: ${(err as Error).message}`);
      }
    }
  };
  let grace: NodeJS.Timeout | undefined;
  const graceOver = new Promise<void>((resolve) => {
    grace = setTimeout(resolve, window.to + window.graceMs - Date.now());
  });
  await Promise.race([Promise.all(Array.from({ length: job.concurrency }, loop)), graceOver]);
  clearTimeout(grace);
  driver.agent.destroy();
  return tally.result();
}
