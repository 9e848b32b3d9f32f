/** The results of a run: as JSON, and as a compact table with ratios of localaws to each other server. */
import type { DriverName } from './drivers/job.js';
import type { PhaseResult } from './load.js';
import type { BenchOptions } from './options.js';
import type { Memory } from './process-stats.js';
import type { StartupResult } from './startup.js';

export interface ServerResult {
  name: string;
  title: string;
  startup: StartupResult;
  idle: Memory;
  /** the scenario's setup on this server (filling a queue, a table), when it had one */
  setupMs?: number;
  phases: PhaseResult[];
}

export interface ScenarioResult {
  name: string;
  title: string;
  concurrency: number;
  /** what an op moves, when it moves several things */
  unit?: string;
  /** the scenario this one repeats on a bigger store */
  scaleOf?: string;
  servers: ServerResult[];
}

export interface BenchReport {
  date: string;
  /** loadAverage: the 1-minute load average as the run began; above 0.5 something else was running */
  machine: { node: string; cpus: number; cpuModel: string; platform: string; loadAverage: number };
  options: BenchOptions;
  /** the server the ratios are about */
  subject: string;
  scenarios: ScenarioResult[];
}

interface Row {
  label: string;
  value(server: ServerResult): number | undefined;
}

const MIB = 1024 * 1024;

function startupRows(): Row[] {
  return [
    { label: 'start-up: ready line (ms)', value: (s) => s.startup.readyMs },
    { label: 'start-up: first answer (ms)', value: (s) => s.startup.firstAnswerMs },
    { label: 'setup (s)', value: (s) => (s.setupMs === undefined ? undefined : s.setupMs / 1000) },
    { label: 'RSS idle, after setup (MiB)', value: (s) => s.idle.rssBytes / MIB },
  ];
}

function phaseOf(server: ServerResult, driver: DriverName): PhaseResult | undefined {
  return server.phases.find((x) => x.driver === driver);
}

function phaseRows(driver: DriverName, unit: string | undefined): Row[] {
  const phase = (f: (p: PhaseResult) => number | undefined) => (s: ServerResult) => {
    const p = phaseOf(s, driver);
    return p ? f(p) : undefined;
  };
  const units = unit ? [{ label: `${driver}: ${unit}/s`, value: phase((p) => p.unitsPerSec) }] : [];
  return [
    { label: `${driver}: ops/s`, value: phase((p) => p.opsPerSec) },
    ...units,
    { label: `${driver}: p50 latency (ms)`, value: phase((p) => p.latency.p50) },
    { label: `${driver}: p99 latency (ms)`, value: phase((p) => p.latency.p99) },
    { label: `${driver}: server CPU (µs/op)`, value: phase((p) => p.serverCpuUsPerOp) },
    { label: `${driver}: server CPU (% of a core)`, value: phase((p) => p.serverCpuPercent) },
    { label: `${driver}: driver CPU (% of a core)`, value: phase((p) => p.driverCpuPercent) },
    { label: `${driver}: machine CPU busy (% of a core)`, value: phase((p) => p.machineCpuPercent) },
    { label: `${driver}: response (bytes)`, value: phase((p) => p.responseBytes) },
    { label: `${driver}: errors`, value: phase((p) => p.errors) },
    { label: `${driver}: RSS after load (MiB)`, value: phase((p) => p.rssAfterBytes / MIB) },
  ];
}

/** Three significant digits or so: enough to compare, few enough to read. */
export function formatFigure(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '-';
  const abs = Math.abs(value);
  if (abs >= 100 || Number.isInteger(value)) return Math.round(value).toString();
  return value.toFixed(abs >= 10 ? 1 : 2);
}

export function formatRatio(subject: number | undefined, other: number | undefined): string {
  if (subject === undefined || other === undefined || !other || Number.isNaN(subject) || Number.isNaN(other))
    return '-';
  return (subject / other).toFixed(2);
}

export function formatReport(report: BenchReport): string {
  const { options: o, machine: m } = report;
  const out = [
    `localaws bench ${report.date}: node ${m.node}, ${m.cpus} × ${m.cpuModel}, load average ${m.loadAverage.toFixed(2)} at start`,
    `${o.durationS} s measured after ${o.warmupS} s warm-up, over ${o.clients} driver process(es), start-up median of ${o.starts}`,
  ];
  for (const scenario of report.scenarios)
    out.push('', ...formatScenario(scenario, report.subject, o.drivers));
  for (const scenario of report.scenarios) {
    const base = report.scenarios.find((s) => s.name === scenario.scaleOf);
    if (base) out.push('', ...formatScaling(scenario, base, o.drivers));
  }
  return out.join('\n');
}

/** Lays out rows of figures under a header, labels left and figures right. */
function formatTable(header: string[], table: string[][]): string[] {
  const widths = ['']
    .concat(header)
    .map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[0] as number) : c.padStart((widths[i] as number) + 3)))
      .join('');
  return [line(['', ...header]), ...table.map(line)];
}

/** The same op on a bigger store: each server's figures there divided by its figures on the smaller one. */
function formatScaling(big: ScenarioResult, base: ScenarioResult, drivers: DriverName[]): string[] {
  const servers = big.servers.filter((s) => base.servers.some((b) => b.name === s.name));
  const figures: { label: string; value(p: PhaseResult): number }[] = [
    { label: 'p50 latency', value: (p) => p.latency.p50 },
    { label: 'p99 latency', value: (p) => p.latency.p99 },
    { label: 'ops/s', value: (p) => p.opsPerSec },
    { label: 'server CPU (µs/op)', value: (p) => p.serverCpuUsPerOp },
  ];
  const table = drivers.flatMap((driver) =>
    figures.map((figure) => [
      `${driver}: ${figure.label}`,
      ...servers.map((server) => {
        const mine = phaseOf(server, driver);
        const theirs = phaseOf(base.servers.find((b) => b.name === server.name) as ServerResult, driver);
        return formatRatio(mine && figure.value(mine), theirs && figure.value(theirs));
      }),
    ]),
  );
  return [
    `${big.name} / ${base.name}: the same op on the bigger store, divided by the smaller`,
    ...formatTable(
      servers.map((s) => s.name),
      table,
    ),
  ];
}

function formatScenario(scenario: ScenarioResult, subjectName: string, drivers: DriverName[]): string[] {
  const subject = scenario.servers.find((s) => s.name === subjectName);
  const others = scenario.servers.filter((s) => s !== subject);
  const rows = [...startupRows(), ...drivers.flatMap((driver) => phaseRows(driver, scenario.unit))];
  const header = [
    ...scenario.servers.map((s) => s.name),
    ...(subject ? others.map((s) => `${subject.name}/${s.name}`) : []),
  ];
  const table = rows
    .filter((row) => scenario.servers.some((s) => row.value(s) !== undefined))
    .map((row) => [
      row.label,
      ...scenario.servers.map((s) => formatFigure(row.value(s))),
      ...(subject ? others.map((s) => formatRatio(row.value(subject), row.value(s))) : []),
    ]);
  const errors = scenario.servers.flatMap((s) =>
    s.phases.flatMap((p) => p.errorSamples.map((e) => `  ${s.name} ${p.driver}: ${e}`)),
  );
  return [
    `${scenario.name}: ${scenario.title}, concurrency ${scenario.concurrency}`,
    ...formatTable(header, table),
    ...(errors.length ? ['errors seen:', ...errors] : []),
  ];
}
