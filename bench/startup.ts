/**
 * Start-up: from spawn to the ready line, and to the first answered request, which is
 * polled for as fast as it can be once the port is known. Several starts, medians kept.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { exchange } from './drivers/raw.js';
import { median } from './latency.js';
import { type Memory, readMemory } from './process-stats.js';
import type { RawRequest, Scenario } from './scenario.js';
import { launch, type RunningServer } from './server-process.js';
import type { ServerSpec } from './servers.js';

export interface StartupResult {
  starts: number;
  /** medians, milliseconds from spawn */
  readyMs?: number;
  firstAnswerMs: number;
  samples: { readyMs?: number; firstAnswerMs: number }[];
}

const FIRST_ANSWER_TIMEOUT_MS = 20_000;
/** Left after the first answer before idle memory is read, for start-up garbage to settle. */
const IDLE_SETTLE_MS = 500;

/** Milliseconds from spawn to the first 2xx answer to `request`; any other answer fails the run. */
export async function firstAnswer(server: RunningServer, request: RawRequest): Promise<number> {
  const deadline = performance.now() + FIRST_ANSWER_TIMEOUT_MS;
  for (;;) {
    try {
      const response = await exchange(server.port, request, deadline - performance.now());
      const ms = performance.now() - server.spawnedAt;
      if (response.status >= 200 && response.status < 300) return ms;
      throw new Error(
        `${server.name} answered ${response.status}: ${response.body.toString().slice(0, 500)}`,
      );
    } catch (err) {
      const refused = (err as NodeJS.ErrnoException).code === 'ECONNREFUSED';
      if (!refused || performance.now() > deadline) throw err;
    }
  }
}

/** The scenario's probe, or its first request when it needs no setup. */
async function probeRequest(scenario: Scenario, url: string): Promise<RawRequest> {
  if (scenario.probe) return scenario.probe(url);
  const [request] = await scenario.rawRequests(url);
  return request as RawRequest;
}

export async function measureStartup(
  spec: ServerSpec,
  scenario: Scenario,
  starts: number,
): Promise<StartupResult> {
  // signed before the clock starts; the Host it names does not matter to a server on another port
  const request = await probeRequest(scenario, 'http://127.0.0.1:4566');
  const samples: StartupResult['samples'] = [];
  for (let i = 0; i < starts; i++) {
    const server = await launch(spec, scenario);
    try {
      samples.push({
        readyMs: server.readyMs,
        firstAnswerMs: await firstAnswer(server, request),
      });
    } finally {
      await server.stop();
    }
  }
  const ready = samples.flatMap((s) => (s.readyMs === undefined ? [] : [s.readyMs]));
  return {
    starts,
    readyMs: ready.length ? median(ready) : undefined,
    firstAnswerMs: median(samples.map((s) => s.firstAnswerMs)),
    samples,
  };
}

/** A server started for load, checked to answer, with its memory at rest before any load. */
export interface LoadServer {
  server: RunningServer;
  idle: Memory;
  /** how long the scenario's setup took on it, when it had one to run */
  setupMs?: number;
}

export async function startForLoad(spec: ServerSpec, scenario: Scenario): Promise<LoadServer> {
  const server = await launch(spec, scenario);
  try {
    await firstAnswer(server, await probeRequest(scenario, server.url));
    const setupStart = performance.now();
    const setup = spec.stateless ? undefined : scenario.setup?.(server.url);
    if (setup) await setup;
    const setupMs = setup ? performance.now() - setupStart : undefined;
    await sleep(IDLE_SETTLE_MS);
    return { server, idle: readMemory(server.pid), setupMs };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
