/**
 * `npm run bench`: each scenario against each server, start-up and memory first, then
 * each driver's load, printed side by side with localaws's ratio to every other server.
 */
import { cpus } from 'node:os';
import { killAllChildren } from './children.js';
import { runPhase } from './load.js';
import { type BenchOptions, BenchUsageError, parseBenchArgs, usage } from './options.js';
import { type BenchReport, formatReport, type ScenarioResult, type ServerResult } from './report.js';
import type { Scenario } from './scenario.js';
import { SCENARIOS } from './scenarios/registry.js';
import { SERVERS, type ServerSpec, SUBJECT } from './servers.js';
import { measureStartup, startForLoad } from './startup.js';

const CHOICES = { scenarios: Object.keys(SCENARIOS), servers: Object.keys(SERVERS) };

function progress(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

async function benchServer(
  spec: ServerSpec,
  scenario: Scenario,
  options: BenchOptions,
): Promise<ServerResult> {
  progress(`${scenario.name} / ${spec.name}: start-up ×${options.starts}`);
  const startup = await measureStartup(spec, scenario, options.starts);
  const { server, idle } = await startForLoad(spec, scenario);
  try {
    const phases = [];
    for (const driver of options.drivers) {
      progress(
        `${scenario.name} / ${spec.name}: ${driver} driver, ${options.warmupS} s + ${options.durationS} s`,
      );
      phases.push(await runPhase(server, scenario, { ...options, driver }));
    }
    return { name: spec.name, title: spec.title, startup, idle, phases };
  } finally {
    await server.stop();
  }
}

async function benchScenario(scenario: Scenario, options: BenchOptions): Promise<ScenarioResult> {
  const servers: ServerResult[] = [];
  for (const name of options.servers) {
    const spec = SERVERS[name] as ServerSpec;
    if (spec.scenarios && !spec.scenarios.includes(scenario.name)) continue;
    servers.push(await benchServer(spec, scenario, options));
  }
  return { name: scenario.name, title: scenario.title, servers };
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
