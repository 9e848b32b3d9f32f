import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalAws } from '../src/index.js';
import { TEST_CREDENTIALS } from './harness.js';

const client = (url: string, credentials: Record<string, unknown> = TEST_CREDENTIALS) =>
  new STSClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 } as never);

describe('startLocalAws', () => {
  const a = startLocalAws();
  const b = startLocalAws();
  afterAll(async () => {
    await (await a).stop();
    await (await b).stop();
  });

  it('picks a free port and gives its URL', async () => {
    const [sa, sb] = [await a, await b];
    expect(sa.port).toBeGreaterThan(0);
    expect(sa.port).not.toBe(sb.port);
    expect(sa.url).toBe(`http://127.0.0.1:${sa.port}`);
  });

  it('two servers in one process do not share state', async () => {
    const [sa, sb] = [await a, await b];
    const out = await client(sa.url).send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'only-on-a' }),
    );
    const c = out.Credentials;
    const creds = {
      accessKeyId: c?.AccessKeyId,
      secretAccessKey: c?.SecretAccessKey,
      sessionToken: c?.SessionToken,
    };
    expect((await client(sa.url, creds).send(new GetCallerIdentityCommand({}))).Account).toBe('123456789012');
    expect((await client(sb.url, creds).send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
  });

  it('reset() drops state and stop() closes the port', async () => {
    const s = await startLocalAws();
    const out = await client(s.url).send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'gone' }),
    );
    const c = out.Credentials;
    const creds = {
      accessKeyId: c?.AccessKeyId,
      secretAccessKey: c?.SecretAccessKey,
      sessionToken: c?.SessionToken,
    };
    s.reset();
    expect((await client(s.url, creds).send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
    await s.stop();
    await expect(fetch(`${s.url}/_localaws/health`)).rejects.toThrow();
  });
});
