/** Command-line flags and environment variables -> config, and the `--help` text. */
import { type Config, ConfigError, DEFAULTS, OPTIONS, parseOptionValue } from './config.js';
import { VERSION } from './version.js';

export function usage(): string {
  const lines = OPTIONS.map((o) => {
    const left = `  ${o.flag}${o.arg ? ` ${o.arg}` : ''}`;
    const def = DEFAULTS[o.key];
    const shown = o.key === 'credentials' || def === undefined || def === false ? '' : ` (default ${def})`;
    return `${left.padEnd(34)}${o.help}${shown}\n${''.padEnd(34)}env ${o.env}`;
  });
  return [
    `localaws ${VERSION}: a local AWS emulator (S3, DynamoDB, SQS, SNS, EC2, STS, ...) on one port`,
    '',
    'Usage: localaws [options]',
    '',
    ...lines,
    `  ${'--help'.padEnd(32)}show this help`,
    `  ${'--version'.padEnd(32)}print the version`,
    '',
    'Point clients at it: AWS_ENDPOINT_URL=http://127.0.0.1:4566 (path-style S3).',
  ].join('\n');
}

/** Flags win over environment variables, which win over defaults. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Partial<Config> | 'help' | 'version' {
  const out: Partial<Config> = {};
  const set = <K extends keyof Config>(key: K, value: unknown) => {
    out[key] = value as Config[K];
  };
  for (const opt of OPTIONS) {
    const text = env[opt.env];
    if (text !== undefined && text !== '') set(opt.key, parseOptionValue(opt, text));
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--version') return 'version';
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    const opt = OPTIONS.find((o) => o.flag === flag);
    if (!opt) throw new ConfigError(`unknown option ${arg} (see --help)`);
    if (!opt.arg) {
      set(opt.key, parseOptionValue(opt, inline ?? ''));
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ConfigError(`${flag} needs a value`);
    set(opt.key, parseOptionValue(opt, value));
  }
  return out;
}
