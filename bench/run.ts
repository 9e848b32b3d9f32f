/**
 * `npm run bench`: each scenario against each server, start-up and memory first, then
 * each driver's load, printed side by side with localaws's ratio to every other server.
 */
import { cpus, loadavg } from 'node:os';
import { killAllChildren } from './children.js';
import { type PhaseResult, runPhase } from './load.js';
import { type BenchOptions, BenchUsageError, DEFAULT_CONCURRENCY, parseBenchArgs, usage } from './options.js';
import { type BenchReport, formatReport, type ScenarioResult } from './report.js';
import type { Scenario } from './scenario.js';
import { SCENARIOS } from './scenarios/registry.js';
import { SERVERS, type ServerSpec, SUBJECT } from './servers.js';
import { type LoadServer, measureStartup, type StartupResult, startForLoad } from './startup.js';

const CHOICES = {
  scenarios: Object.keys(SCENARIOS),
  optIn: Object.values(SCENARIOS).flatMap((s) => (s.optIn ? [s.name] : [])),
  servers: Object.keys(SERVERS),
};

function progress(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

/**
 * Start-ups first, one server at a time; then every server runs at once (idle ones cost
 * nothing) and each driver loads them in turn, so a disturbance of the machine during the
 * run falls on all of them alike rather than on whichever came last.
 */
async function benchScenario(scenario: Scenario, options: BenchOptions): Promise<ScenarioResult> {
  const specs = options.servers
    .map((name) => SERVERS[name] as ServerSpec)
    .filter((spec) => !spec.scenarios || spec.scenarios.includes(scenario.name));
  const startups: StartupResult[] = [];
  for (const spec of specs) {
    progress(`${scenario.name} / ${spec.name}: start-up ×${options.starts}`);
    startups.push(await measureStartup(spec, scenario, options.starts));
  }
  const running: LoadServer[] = [];
  const phases: PhaseResult[][] = specs.map(() => []);
  const concurrency = options.concurrency ?? scenario.concurrency ?? DEFAULT_CONCURRENCY;
  try {
    for (const spec of specs) {
      if (scenario.setup && !spec.stateless) progress(`${scenario.name} / ${spec.name}: setup`);
      running.push(await startForLoad(spec, scenario));
    }
    const drivers = options.drivers.filter((d) => !scenario.drivers || scenario.drivers.includes(d));
    const durationS = Math.max(options.durationS, scenario.minDurationS ?? 0);
    for (const driver of drivers) {
      for (const [i, { server }] of running.entries()) {
        progress(
          `${scenario.name} / ${server.name}: ${driver} driver, ${options.warmupS} s + ${durationS} s`,
        );
        phases[i]?.push(await runPhase(server, scenario, { ...options, durationS, concurrency, driver }));
      }
    }
  } finally {
    await Promise.all(running.map(({ server }) => server.stop()));
  }
  const servers = specs.map((spec, i) => ({
    name: spec.name,
    title: spec.title,
    startup: startups[i] as StartupResult,
    idle: (running[i] as LoadServer).idle,
    setupMs: (running[i] as LoadServer).setupMs,
    phases: phases[i] as PhaseResult[],
  }));
  const { name, title, unit, scaleOf } = scenario;
  return { name, title, concurrency, unit, scaleOf, servers };
}

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2), CHOICES);
  if (options === 'help') return void process.stdout.write(`${usage(CHOICES)}\n`);
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? '?',
      platform: process.platform,
      loadAverage: loadavg()[0] as number,
    },
    options,
    subject: SUBJECT,
    scenarios: [],
  };
  for (const name of options.scenarios)
    report.scenarios.push(await benchScenario(SCENARIOS[name] as Scenario, options));
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.on('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}
main().catch((err: Error) => {
  process.stderr.write(`bench: ${err instanceof BenchUsageError ? err.message : err.stack}\n`);
  process.exitCode = err instanceof BenchUsageError ? 2 : 1;
});
