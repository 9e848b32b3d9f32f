/**
 * One load phase: a driver against a running server for warm-up plus duration, with the
 * server's CPU time read from /proc at both ends of the measured window.
 */
import { performance } from 'node:perf_hooks';
import { DriverProcess } from './driver-process.js';
import type { DriverName, DriverResult } from './drivers/job.js';
import { type LatencySummary, summarize } from './latency.js';
import {
  type CpuTicks,
  clockTicksPerSecond,
  cpuSeconds,
  readCpu,
  readMachineCpu,
  readMemory,
} from './process-stats.js';
import type { Scenario } from './scenario.js';
import type { RunningServer } from './server-process.js';

export interface PhaseOptions {
  driver: DriverName;
  concurrency: number;
  /** driver processes the concurrency is spread over */
  clients: number;
  durationS: number;
  warmupS: number;
}

export interface PhaseResult {
  driver: DriverName;
  concurrency: number;
  clients: number;
  seconds: number;
  ops: number;
  opsPerSec: number;
  /** what the ops moved (messages, items): ops when the scenario counts no units */
  units: number;
  unitsPerSec: number;
  errors: number;
  errorSamples: string[];
  /** milliseconds */
  latency: LatencySummary;
  serverCpuUsPerOp: number;
  /** of one core */
  serverCpuPercent: number;
  /** of one core, all driver processes together */
  driverCpuPercent: number;
  /** of one core: the whole machine's busy time (server, drivers, kernel networking, anything else) */
  machineCpuPercent: number;
  /** raw driver: mean size of a response, head and body */
  responseBytes?: number;
  rssAfterBytes: number;
  peakRssBytes: number;
}

/** Lets the drivers' first requests go out before the clock that counts starts. */
const START_MARGIN_MS = 50;
const GRACE_MS = 5_000;

export async function runPhase(
  server: RunningServer,
  scenario: Scenario,
  opts: PhaseOptions,
): Promise<PhaseResult> {
  const requests = opts.driver === 'raw' ? await scenario.rawRequests(server.url) : [];
  const shares = split(opts.concurrency, opts.clients);
  const drivers = shares.map(
    (concurrency, i) =>
      new DriverProcess({
        driver: opts.driver,
        scenario: scenario.name,
        url: server.url,
        concurrency,
        requests,
        offset: i * concurrency,
      }),
  );
  try {
    await Promise.all(drivers.map((d) => d.ready()));
    const from = epochNow() + START_MARGIN_MS + opts.warmupS * 1000;
    const window = { from, to: from + opts.durationS * 1000, graceMs: GRACE_MS };
    const cpu = cpuBetween(server.pid, window.from, window.to);
    const results = await Promise.all(drivers.map((d) => d.run(window)));
    return summarizePhase(opts, results, await cpu, server.pid);
  } finally {
    for (const d of drivers) d.kill();
  }
}

function summarizePhase(
  opts: PhaseOptions,
  results: DriverResult[],
  cpu: CpuSeconds,
  pid: number,
): PhaseResult {
  const sum = (f: (r: DriverResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const ops = sum((r) => r.ops);
  const units = sum((r) => r.units);
  const memory = readMemory(pid);
  return {
    driver: opts.driver,
    concurrency: opts.concurrency,
    clients: opts.clients,
    seconds: opts.durationS,
    ops,
    opsPerSec: ops / opts.durationS,
    units,
    unitsPerSec: units / opts.durationS,
    errors: sum((r) => r.errors),
    errorSamples: [...new Set(results.flatMap((r) => r.errorSamples))],
    latency: summarize(results.map((r) => r.latencies)),
    serverCpuUsPerOp: ops ? (cpu.server * 1e6) / ops : Number.NaN,
    serverCpuPercent: (cpu.server / opts.durationS) * 100,
    driverCpuPercent: (sum((r) => r.cpuSeconds) / opts.durationS) * 100,
    machineCpuPercent: (cpu.machine / opts.durationS) * 100,
    responseBytes: opts.driver === 'raw' && ops ? sum((r) => r.bytes) / ops : undefined,
    rssAfterBytes: memory.rssBytes,
    peakRssBytes: memory.peakRssBytes,
  };
}

/** Concurrency spread as evenly as it goes over the driver processes. */
export function split(total: number, parts: number): number[] {
  const n = Math.min(parts, total);
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

interface CpuSeconds {
  server: number;
  machine: number;
}

/** The server's and the machine's CPU seconds between two epoch times, read when each comes. */
function cpuBetween(pid: number, from: number, to: number): Promise<CpuSeconds> {
  const at = (epoch: number) =>
    new Promise<{ server: CpuTicks; machine: number }>((resolve) =>
      setTimeout(() => resolve({ server: readCpu(pid), machine: readMachineCpu() }), epoch - epochNow()),
    );
  return Promise.all([at(from), at(to)]).then(([a, b]) => ({
    server: cpuSeconds(a.server, b.server),
    machine: (b.machine - a.machine) / clockTicksPerSecond(),
  }));
}
