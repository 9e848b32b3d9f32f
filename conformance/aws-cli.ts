/**
 * The AWS CLI as a second client: where it is, and a runner that points it at a server with
 * test credentials and none of the user's configuration. Suites skip (with a message) when no
 * `aws` is on the PATH.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

function findAws(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'aws');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export const AWS_CLI = findAws();

/** Says, once per suite, that the suite's CLI flows are skipped. */
export function warnWithoutAwsCli(suite: string): void {
  if (!AWS_CLI) console.warn(`${suite}: no \`aws\` on the PATH, skipping the AWS CLI flows`);
}

/** Runs `aws <args> --endpoint-url <endpoint>` in `work` (also its HOME) and returns stdout. */
export async function runAwsCli(endpoint: string, work: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run(AWS_CLI as string, [...args, '--endpoint-url', endpoint], {
    cwd: work,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      PATH: process.env.PATH,
      HOME: work,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(work, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
    },
  });
  return stdout;
}
