import { describe, expect, it } from 'vitest';
import type { PhaseResult } from '../../bench/load.js';
import { parseBenchArgs } from '../../bench/options.js';
import { type BenchReport, formatReport, type ServerResult } from '../../bench/report.js';

function phase(opsPerSec: number, p50: number): PhaseResult {
  const latency = { count: opsPerSec, mean: p50, p50, p90: p50, p99: 2 * p50, p999: 2 * p50, max: 3 * p50 };
  return {
    driver: 'raw',
    concurrency: 16,
    clients: 1,
    seconds: 1,
    ops: opsPerSec,
    opsPerSec,
    units: 25 * opsPerSec,
    unitsPerSec: 25 * opsPerSec,
    errors: 0,
    errorSamples: [],
    latency,
    serverCpuUsPerOp: 100,
    serverCpuPercent: 90,
    driverCpuPercent: 20,
    machineCpuPercent: 150,
    responseBytes: 7000,
    rssAfterBytes: 80 * 2 ** 20,
    peakRssBytes: 90 * 2 ** 20,
  };
}

function server(name: string, p: PhaseResult, setupMs?: number): ServerResult {
  const memory = { rssBytes: 70 * 2 ** 20, peakRssBytes: 70 * 2 ** 20 };
  return {
    name,
    title: name,
    startup: { starts: 1, firstAnswerMs: 100, samples: [] },
    idle: memory,
    setupMs,
    phases: [p],
  };
}

const choices = { scenarios: ['q', 'q-1m'], servers: ['localaws', 'dynalite'] };
const report: BenchReport = {
  date: '2026-01-01T00:00:00.000Z',
  machine: { node: 'v20', cpus: 2, cpuModel: 'cpu', platform: 'linux', loadAverage: 0.1 },
  options: { ...(parseBenchArgs(['--driver', 'raw'], choices) as BenchReport['options']) },
  subject: 'localaws',
  scenarios: [
    {
      name: 'q',
      title: 'Query',
      concurrency: 16,
      unit: 'items',
      servers: [server('localaws', phase(2000, 2), 1500), server('dynalite', phase(800, 5), 3000)],
    },
    {
      name: 'q-1m',
      title: 'Query, big',
      concurrency: 16,
      unit: 'items',
      scaleOf: 'q',
      servers: [server('localaws', phase(1600, 3)), server('dynalite', phase(400, 10))],
    },
  ],
};

describe('formatReport', () => {
  const lines = formatReport(report).split('\n');
  const row = (label: string) => lines.find((l) => l.startsWith(label))?.split(/\s{2,}/);

  it('heads each scenario with its concurrency and adds the units row', () => {
    expect(lines).toContain('q: Query, concurrency 16');
    expect(row('raw: items/s')).toEqual(['raw: items/s', '50000', '20000', '2.50']);
    expect(row('setup (s)')).toEqual(['setup (s)', '1.50', '3', '0.50']);
  });

  it('divides the bigger store by the smaller, per server', () => {
    const at = lines.indexOf('q-1m / q: the same op on the bigger store, divided by the smaller');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 2]?.split(/\s{2,}/)).toEqual(['raw: p50 latency', '1.50', '2.00']);
    expect(lines[at + 4]?.split(/\s{2,}/)).toEqual(['raw: ops/s', '0.80', '0.50']);
    expect(lines[at + 5]?.split(/\s{2,}/)).toEqual(['raw: server CPU (µs/op)', '1.00', '1.00']);
  });
});
