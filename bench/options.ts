/** `npm run bench -- [options]`: what a run drives, for how long, and how it reports. */
import { DRIVERS, type DriverName } from './drivers/job.js';

export interface BenchOptions {
  durationS: number;
  warmupS: number;
  /** undefined: each scenario's own, else DEFAULT_CONCURRENCY */
  concurrency: number | undefined;
  clients: number;
  starts: number;
  scenarios: string[];
  drivers: DriverName[];
  servers: string[];
  json: boolean;
}

export class BenchUsageError extends Error {}

/** Requests in flight for a scenario that names no concurrency of its own. */
export const DEFAULT_CONCURRENCY = 32;

interface NumberOption {
  flag: string;
  key: 'durationS' | 'warmupS' | 'concurrency' | 'clients' | 'starts';
  min: number;
  max: number;
  integer: boolean;
  help: string;
}

const NUMBERS: NumberOption[] = [
  {
    flag: '--duration',
    key: 'durationS',
    min: 0.1,
    max: 600,
    integer: false,
    help: 'seconds measured per run',
  },
  {
    flag: '--warmup',
    key: 'warmupS',
    min: 0,
    max: 60,
    integer: false,
    help: 'seconds of load before measuring',
  },
  {
    flag: '--concurrency',
    key: 'concurrency',
    min: 1,
    max: 1024,
    integer: true,
    help: `requests in flight (default: the scenario's, else ${DEFAULT_CONCURRENCY})`,
  },
  {
    flag: '--clients',
    key: 'clients',
    min: 1,
    max: 16,
    integer: true,
    help: 'driver processes sharing them',
  },
  {
    flag: '--starts',
    key: 'starts',
    min: 1,
    max: 50,
    integer: true,
    help: 'server starts timed for start-up',
  },
];

export interface Choices {
  scenarios: string[];
  /** scenarios a plain run leaves out (they take long); `--scenario all` takes them too */
  optIn?: string[];
  servers: string[];
}

export function defaultOptions(choices: Choices): BenchOptions {
  return {
    durationS: 5,
    warmupS: 1,
    concurrency: undefined,
    clients: 1,
    starts: 3,
    scenarios: choices.scenarios.filter((name) => !choices.optIn?.includes(name)),
    drivers: [...DRIVERS],
    servers: choices.servers,
    json: false,
  };
}

export function usage(choices: Choices): string {
  const d = defaultOptions(choices);
  const lines = NUMBERS.map(
    (o) => `  ${`${o.flag} N`.padEnd(22)}${o.help}${d[o.key] === undefined ? '' : ` (default ${d[o.key]})`}`,
  );
  const optIn = choices.optIn?.length ? `; ${choices.optIn.join(', ')} only by name or with all` : '';
  return [
    'Usage: npm run bench -- [options]',
    '',
    ...lines,
    `  ${'--scenario A,B'.padEnd(22)}scenarios: ${choices.scenarios.join(', ')}, or all (default all${optIn})`,
    `  ${'--driver A,B'.padEnd(22)}drivers: ${DRIVERS.join(', ')} (default all)`,
    `  ${'--server A,B'.padEnd(22)}servers: ${choices.servers.join(', ')} (default all)`,
    `  ${'--json'.padEnd(22)}print the results as JSON instead of a table`,
    `  ${'--help'.padEnd(22)}this text`,
  ].join('\n');
}

export function parseBenchArgs(argv: string[], choices: Choices): BenchOptions | 'help' {
  const options = defaultOptions(choices);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    if (flag === '--help' || flag === '-h') return 'help';
    if (flag === '--json') {
      options.json = true;
      continue;
    }
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new BenchUsageError(`${flag} needs a value`);
    applyOption(options, flag, value, choices);
  }
  return options;
}

function applyOption(options: BenchOptions, flag: string, value: string, choices: Choices): void {
  const number = NUMBERS.find((o) => o.flag === flag);
  if (number) {
    options[number.key] = parseNumber(number, value);
    return;
  }
  if (flag === '--scenario')
    options.scenarios = value === 'all' ? choices.scenarios : parseList(flag, value, choices.scenarios);
  else if (flag === '--driver') options.drivers = parseList(flag, value, DRIVERS);
  else if (flag === '--server') options.servers = parseList(flag, value, choices.servers);
  else throw new BenchUsageError(`unknown option ${flag} (see --help)`);
}

function parseNumber(option: NumberOption, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || (option.integer && !Number.isInteger(n))) {
    throw new BenchUsageError(`${option.flag}: not ${option.integer ? 'an integer' : 'a number'}: ${text}`);
  }
  if (n < option.min || n > option.max) {
    throw new BenchUsageError(`${option.flag}: ${n} is outside ${option.min}..${option.max}`);
  }
  return n;
}

function parseList<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  const items = text.split(',').map((s) => s.trim());
  for (const item of items) {
    if (!allowed.includes(item as T))
      throw new BenchUsageError(`${flag}: ${item} is not one of ${allowed.join(', ')}`);
  }
  return [...new Set(items)] as T[];
}
