/**
 * One typed configuration object. Every option can come from a CLI flag or from an
 * environment variable (flag wins); the defaults are documented here and in `--help`.
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface Config {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Interface to listen on; 127.0.0.1 so nothing is exposed unless asked. */
  host: string;
  /** Where state is kept across restarts; undefined keeps everything in memory. */
  dataDir?: string;
  /** Region for requests whose signature does not name one. */
  region: string;
  /** Accept only configured credentials and verify every signature. */
  strictAuth: boolean;
  logLevel: LogLevel;
  /** Access key id -> secret access key, the credentials strict mode accepts. */
  credentials: Record<string, string>;
  /** Seconds a simulated EC2 instance spends pending before it runs (0: at once). */
  ec2BootSeconds: number;
  /** Seconds an instance spends stopping before it is stopped. */
  ec2StopSeconds: number;
  /** Seconds an instance spends shutting down before it is terminated. */
  ec2TerminateSeconds: number;
  /** Seconds a running instance's status checks report initializing before ok. */
  ec2StatusCheckSeconds: number;
}

export const DEFAULTS: Config = {
  port: 4566,
  host: '127.0.0.1',
  region: 'us-east-1',
  strictAuth: false,
  logLevel: 'info',
  credentials: { test: 'test' },
  ec2BootSeconds: 5,
  ec2StopSeconds: 5,
  ec2TerminateSeconds: 5,
  ec2StatusCheckSeconds: 10,
};

export interface OptionDoc {
  flag: string;
  env: string;
  key: keyof Config;
  arg?: string;
  help: string;
}

/** The options, in the order `--help` lists them. */
export const OPTIONS: OptionDoc[] = [
  {
    flag: '--port',
    env: 'LOCALAWS_PORT',
    key: 'port',
    arg: 'N',
    help: 'port to listen on (0 = any free port)',
  },
  { flag: '--host', env: 'LOCALAWS_HOST', key: 'host', arg: 'ADDR', help: 'address to listen on' },
  {
    flag: '--data-dir',
    env: 'LOCALAWS_DATA_DIR',
    key: 'dataDir',
    arg: 'DIR',
    help: 'keep state in DIR across restarts (default: in memory)',
  },
  { flag: '--region', env: 'LOCALAWS_REGION', key: 'region', arg: 'REGION', help: 'default region' },
  {
    flag: '--strict-auth',
    env: 'LOCALAWS_STRICT_AUTH',
    key: 'strictAuth',
    help: 'accept only configured credentials and verify every signature',
  },
  {
    flag: '--credentials',
    env: 'LOCALAWS_CREDENTIALS',
    key: 'credentials',
    arg: 'ID:SECRET,...',
    help: 'credentials strict auth accepts (default test:test)',
  },
  {
    flag: '--log-level',
    env: 'LOCALAWS_LOG_LEVEL',
    key: 'logLevel',
    arg: 'LEVEL',
    help: 'error, warn, info or debug',
  },
  {
    flag: '--ec2-boot-seconds',
    env: 'LOCALAWS_EC2_BOOT_SECONDS',
    key: 'ec2BootSeconds',
    arg: 'S',
    help: 'EC2 instances stay pending this long (0 = at once)',
  },
  {
    flag: '--ec2-stop-seconds',
    env: 'LOCALAWS_EC2_STOP_SECONDS',
    key: 'ec2StopSeconds',
    arg: 'S',
    help: 'EC2 instances stay stopping this long',
  },
  {
    flag: '--ec2-terminate-seconds',
    env: 'LOCALAWS_EC2_TERMINATE_SECONDS',
    key: 'ec2TerminateSeconds',
    arg: 'S',
    help: 'EC2 instances stay shutting-down this long',
  },
  {
    flag: '--ec2-status-check-seconds',
    env: 'LOCALAWS_EC2_STATUS_CHECK_SECONDS',
    key: 'ec2StatusCheckSeconds',
    arg: 'S',
    help: 'EC2 status checks stay initializing this long after boot',
  },
];

const LOG_LEVELS: LogLevel[] = ['error', 'warn', 'info', 'debug'];

export class ConfigError extends Error {}

/** Turns one option's text (from a flag or the environment) into its typed value. */
export function parseOptionValue(opt: OptionDoc, text: string): Config[keyof Config] {
  switch (opt.key) {
    case 'port': {
      const n = Number(text);
      if (!Number.isInteger(n) || n < 0 || n > 65535)
        throw new ConfigError(`${opt.flag}: not a port: ${text}`);
      return n;
    }
    case 'strictAuth':
      if (!['', 'true', '1', 'false', '0'].includes(text))
        throw new ConfigError(`${opt.flag}: not a boolean: ${text}`);
      return text === '' || text === 'true' || text === '1';
    case 'logLevel':
      if (!LOG_LEVELS.includes(text as LogLevel)) {
        throw new ConfigError(`${opt.flag}: one of ${LOG_LEVELS.join(', ')}, not ${text}`);
      }
      return text as LogLevel;
    case 'credentials':
      return parseCredentials(opt.flag, text);
    case 'ec2BootSeconds':
    case 'ec2StopSeconds':
    case 'ec2TerminateSeconds':
    case 'ec2StatusCheckSeconds': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n) || n < 0)
        throw new ConfigError(`${opt.flag}: not a number of seconds: ${text}`);
      return n;
    }
    default:
      if (!text) throw new ConfigError(`${opt.flag}: needs a value`);
      return text;
  }
}

function parseCredentials(flag: string, text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const i = pair.indexOf(':');
    if (i <= 0 || i === pair.length - 1) throw new ConfigError(`${flag}: expected ID:SECRET, got ${pair}`);
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

/** A complete config from partial options, as the in-process API takes them. */
export function resolveConfig(partial: Partial<Config> = {}): Config {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  return { ...DEFAULTS, ...defined };
}
