/**
 * The servers a run compares. Each is a command run as a child process, so its CPU time
 * and memory can be read apart from the drivers'. A peer (dynalite, s3rver) is one more
 * entry: its command, and either the stdout line that gives its URL or nothing, in which
 * case the harness picks a free port for it and polls until it answers.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Scenario } from './scenario.js';

export interface ServerCommand {
  file: string;
  args: string[];
  env?: Record<string, string>;
}

export interface ServerSpec {
  name: string;
  title: string;
  /** `port` is 0 for a server with a readyLine (it picks its own), else a free port chosen for it. */
  command(scenario: Scenario, port: number): ServerCommand;
  /** The stdout line saying it listens, the URL in group 1. */
  readyLine?: RegExp;
  /** Scenarios it can serve; every one when absent. */
  scenarios?: string[];
  /** Answers without keeping anything: scenarios' setups are not run against it. */
  stateless?: boolean;
}

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const LISTENING = /listening on (http:\/\/\S+)/;

const localaws: ServerSpec = {
  name: 'localaws',
  title: 'localaws (node dist/cli.js, in memory)',
  command: (_scenario, port) => ({
    file: process.execPath,
    args: ['dist/cli.js', '--port', String(port), '--log-level', 'warn'],
  }),
  readyLine: LISTENING,
};

const baseline: ServerSpec = {
  name: 'baseline',
  title: 'bare node:http answering a fixed response',
  command: (scenario, port) => ({
    file: process.execPath,
    args: ['bench/baseline-server.js'],
    env: {
      BENCH_FIXED_RESPONSE: JSON.stringify(scenario.baselineResponse),
      BENCH_RESPONSES_BY_TARGET: JSON.stringify(scenario.baselineByTarget ?? {}),
      BENCH_PORT: String(port),
    },
  }),
  readyLine: LISTENING,
  stateless: true,
};

/**
 * dynalite (npm devDependency), the DynamoDB emulator in Node most test suites use, on
 * memory-level. It has no TransactWriteItems. `--port 0` means its default to it, so the
 * harness gives it a port; tables are ACTIVE at once rather than after its 500 ms default.
 */
const dynalite: ServerSpec = {
  name: 'dynalite',
  title: 'dynalite 4 (in memory)',
  command: (_scenario, port) => ({
    file: process.execPath,
    args: [
      createRequire(import.meta.url).resolve('dynalite/cli.js'),
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--createTableMs',
      '0',
    ],
  }),
  scenarios: ['dynamodb-put', 'dynamodb-get', 'dynamodb-query', 'dynamodb-query-1m'],
};

/** s3rver 3 (npm devDependency), the S3 emulator in Node, on a temporary directory: see s3rver-server.js. */
const s3rver: ServerSpec = {
  name: 's3rver',
  title: 's3rver 3 (files in a temporary directory)',
  command: (_scenario, port) => ({
    file: process.execPath,
    args: ['bench/s3rver-server.js'],
    env: { BENCH_PORT: String(port) },
  }),
  readyLine: LISTENING,
  scenarios: ['s3-put', 's3-get', 's3-get-1g', 's3-list', 's3-list-100k'],
};

/** The server the ratios are about comes first; the others are what it is compared with. */
export const SERVERS: Record<string, ServerSpec> = { localaws, baseline, dynalite, s3rver };
export const SUBJECT = 'localaws';
