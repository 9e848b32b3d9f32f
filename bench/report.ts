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
  phases: PhaseResult[];
}

export interface ScenarioResult {
  name: string;
  title: string;
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
    { label: 'RSS idle (MiB)', value: (s) => s.idle.rssBytes / MIB },
  ];
}

function phaseRows(driver: DriverName): Row[] {
  const phase = (f: (p: PhaseResult) => number | undefined) => (s: ServerResult) => {
    const p = s.phases.find((x) => x.driver === driver);
    return p ? f(p) : undefined;
  };
  return [
    { label: `${driver}: ops/s`, value: phase((p) => p.opsPerSec) },
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
    `${o.durationS} s measured after ${o.warmupS} s warm-up, concurrency ${o.concurrency} over ${o.clients} driver process(es), start-up median of ${o.starts}`,
  ];
  for (const scenario of report.scenarios)
    out.push('', ...formatScenario(scenario, report.subject, o.drivers));
  return out.join('\n');
}

function formatScenario(scenario: ScenarioResult, subjectName: string, drivers: DriverName[]): string[] {
  const subject = scenario.servers.find((s) => s.name === subjectName);
  const others = scenario.servers.filter((s) => s !== subject);
  const rows = [...startupRows(), ...drivers.flatMap(phaseRows)];
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
  const widths = ['']
    .concat(header)
    .map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[0] as number) : c.padStart((widths[i] as number) + 3)))
      .join('');
  const errors = scenario.servers.flatMap((s) =>
    s.phases.flatMap((p) => p.errorSamples.map((e) => `  ${s.name} ${p.driver}: ${e}`)),
  );
  return [
    `${scenario.name}: ${scenario.title}`,
    line(['', ...header]),
    ...table.map(line),
    ...(errors.length ? ['errors seen:', ...errors] : []),
  ];
}
