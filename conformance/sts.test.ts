import {
  AssumeRoleCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { useLocalAws } from './harness.js';

const h = useLocalAws();
const sts = (overrides: Record<string, unknown> = {}) => new STSClient(h.clientConfig(overrides));

describe('STS', () => {
  it('GetCallerIdentity answers the default account for a non-numeric key', async () => {
    const out = await sts().send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe('000000000000');
    expect(out.Arn).toBe('arn:aws:iam::000000000000:root');
    expect(out.UserId).toBe('000000000000');
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a 12-digit access key id is the account', async () => {
    const a = await sts({ credentials: { accessKeyId: '111111111111', secretAccessKey: 'x' } }).send(
      new GetCallerIdentityCommand({}),
    );
    const b = await sts({ credentials: { accessKeyId: '222222222222', secretAccessKey: 'y' } }).send(
      new GetCallerIdentityCommand({}),
    );
    expect(a.Account).toBe('111111111111');
    expect(b.Account).toBe('222222222222');
  });

  it('AssumeRole returns credentials that act as the role in its account', async () => {
    const out = await sts().send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::123456789012:role/deployer',
        RoleSessionName: 'ci-run',
        DurationSeconds: 900,
      }),
    );
    const c = out.Credentials;
    expect(c?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(c?.SecretAccessKey).toBeTruthy();
    expect(c?.SessionToken).toBeTruthy();
    expect(c?.Expiration?.getTime()).toBeGreaterThan(Date.now() + 800_000);
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::123456789012:assumed-role/deployer/ci-run');
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z0-9]{16}:ci-run$/);

    const as = sts({
      credentials: {
        accessKeyId: c?.AccessKeyId,
        secretAccessKey: c?.SecretAccessKey,
        sessionToken: c?.SessionToken,
      },
    });
    const who = await as.send(new GetCallerIdentityCommand({}));
    expect(who.Account).toBe('123456789012');
    expect(who.Arn).toBe('arn:aws:sts::123456789012:assumed-role/deployer/ci-run');
    expect(who.UserId).toBe(out.AssumedRoleUser?.AssumedRoleId);
  });

  it('AssumeRole validates its input as STS does', async () => {
    await expect(
      sts().send(
        new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'bad name' }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message:
        "1 validation error detected: Value 'bad name' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      sts().send(new AssumeRoleCommand({ RoleArn: 'short', RoleSessionName: 'ok-name' })),
    ).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining("at 'roleArn'") });
    await expect(
      sts().send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::123456789012:role/r',
          RoleSessionName: 'ok-name',
          DurationSeconds: 60,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('Member must have value greater than or equal to 900'),
    });
  });

  it('GetSessionToken keeps the caller identity', async () => {
    const out = await sts({ credentials: { accessKeyId: '333333333333', secretAccessKey: 'z' } }).send(
      new GetSessionTokenCommand({}),
    );
    const c = out.Credentials;
    const who = await sts({
      credentials: {
        accessKeyId: c?.AccessKeyId,
        secretAccessKey: c?.SecretAccessKey,
        sessionToken: c?.SessionToken,
      },
    }).send(new GetCallerIdentityCommand({}));
    expect(who.Account).toBe('333333333333');
  });

  it('GetAccessKeyInfo names the account of a key', async () => {
    const out = await sts().send(new GetAccessKeyInfoCommand({ AccessKeyId: '444444444444' }));
    expect(out.Account).toBe('444444444444');
  });

  it('GetAccessKeyInfo names the account of an issued session key, and the identity calls read it back', async () => {
    const out = await sts().send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::555555555555:role/reader', RoleSessionName: 'ro' }),
    );
    const c = out.Credentials;
    const info = await sts().send(new GetAccessKeyInfoCommand({ AccessKeyId: c?.AccessKeyId }));
    expect(info.Account).toBe('555555555555');
    const who = await sts({
      credentials: {
        accessKeyId: c?.AccessKeyId,
        secretAccessKey: c?.SecretAccessKey,
        sessionToken: c?.SessionToken,
      },
    }).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({
      Account: '555555555555',
      Arn: 'arn:aws:sts::555555555555:assumed-role/reader/ro',
      UserId: expect.stringMatching(/^AROA[0-9A-Z]+:ro$/),
    });
  });

  it('an operation localaws does not implement says so, naming it', async () => {
    const { GetFederationTokenCommand } = await import('@aws-sdk/client-sts');
    await expect(sts().send(new GetFederationTokenCommand({ Name: 'fed' }))).rejects.toMatchObject({
      name: 'NotImplemented',
      message: expect.stringContaining('GetFederationToken'),
      $metadata: { httpStatusCode: 501 },
    });
  });

  it('session credentials stop working for their identity once the server clock passes their expiry', async () => {
    const out = await sts().send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/short', RoleSessionName: 'brief' }),
    );
    const c = out.Credentials;
    const as = sts({
      credentials: {
        accessKeyId: c?.AccessKeyId,
        secretAccessKey: c?.SecretAccessKey,
        sessionToken: c?.SessionToken,
      },
    });
    h.server.advanceClock(3601);
    await expect(as.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'ExpiredToken',
      $metadata: { httpStatusCode: 403 },
    });
  });
});
