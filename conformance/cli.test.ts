import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, describe, expect, it } from 'vitest';
import { OPTIONS } from '../src/config.js';
import { TEST_CREDENTIALS } from './harness.js';

const CLI = ['--import', 'tsx', join(import.meta.dirname, '../src/cli.ts')];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [...CLI, ...args], { env: { ...process.env, ...env } });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) resolve(m[1] as string);
    });
    child.on('exit', () => reject(new Error(`exited before ready: ${stderr}`)));
  });
  // runs that are meant to exit never become ready; only a test that awaits this cares
  ready.catch(() => {});
  return { child, ready, exited, out: () => stdout, err: () => stderr };
}

describe('localaws CLI', () => {
  it('--help documents every option and its environment variable', async () => {
    const p = run(['--help']);
    expect(await p.exited).toBe(0);
    for (const o of OPTIONS) {
      expect(p.out()).toContain(o.flag);
      expect(p.out()).toContain(o.env);
    }
  });

  it('prints one ready line with the URL, answers, and exits cleanly on SIGTERM', async () => {
    const p = run(['--port', '0', '--log-level', 'warn']);
    const url = await p.ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(p.out().trim().split('\n')).toHaveLength(1);
    const health = await fetch(`${url}/_localaws/health`);
    expect(health.status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });

  it('takes options from the environment, flags winning', async () => {
    const p = run(['--region', 'eu-west-1'], { LOCALAWS_PORT: '0', LOCALAWS_REGION: 'ap-south-1' });
    const url = await p.ready;
    expect(url).toMatch(/:\d+$/);
    p.child.kill('SIGINT');
    expect(await p.exited).toBe(0);
  });

  it('rejects an unknown option or a bad value with exit code 2', async () => {
    const a = run(['--nope']);
    expect(await a.exited).toBe(2);
    expect(a.err()).toContain('unknown option --nope');
    const b = run(['--port', 'eighty']);
    expect(await b.exited).toBe(2);
  });

  it('keeps state across restarts with --data-dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'localaws-cli-'));
    try {
      const first = run(['--port', '0', '--data-dir', dir]);
      const url1 = await first.ready;
      const sts1 = new STSClient({ endpoint: url1, region: 'us-east-1', credentials: TEST_CREDENTIALS });
      const out = await sts1.send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::123456789012:role/keep',
          RoleSessionName: 'persisted',
        }),
      );
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      const second = run(['--port', '0', '--data-dir', dir]);
      const url2 = await second.ready;
      const c = out.Credentials;
      const sts2 = new STSClient({
        endpoint: url2,
        region: 'us-east-1',
        credentials: {
          accessKeyId: c?.AccessKeyId,
          secretAccessKey: c?.SecretAccessKey,
          sessionToken: c?.SessionToken,
        },
      } as never);
      expect((await sts2.send(new GetCallerIdentityCommand({}))).Arn).toBe(
        'arn:aws:sts::123456789012:assumed-role/keep/persisted',
      );
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
