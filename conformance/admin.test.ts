import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { rawRequest, useLocalAws } from './harness.js';

const h = useLocalAws();

describe('admin API', () => {
  it('GET health reports version, uptime and services', async () => {
    const res = await rawRequest(h.url, { path: '/_localaws/health' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = JSON.parse(res.text);
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(body.persistence).toBe('memory');
    expect(body.services.sts).toEqual({ status: 'available', loaded: false });
    expect(body.services.lambda.status).toBe('not implemented');
    expect(body.services.s3.status).toBe('available');
  });

  it('GET and POST clock read and advance the server clock', async () => {
    const before = JSON.parse((await rawRequest(h.url, { path: '/_localaws/clock' })).text);
    expect(Math.abs(before.epochMillis - Date.now())).toBeLessThan(5000);
    const res = await rawRequest(h.url, {
      method: 'POST',
      path: '/_localaws/clock',
      body: JSON.stringify({ advanceSeconds: 120 }),
    });
    expect(res.status).toBe(200);
    const after = JSON.parse(res.text);
    expect(after.offsetSeconds).toBe(before.offsetSeconds + 120);
    expect(after.epochMillis - before.epochMillis).toBeGreaterThanOrEqual(120_000);
    expect(new Date(after.now).getTime()).toBe(after.epochMillis);
  });

  it('POST clock rejects a body that is not a forward move', async () => {
    for (const body of ['nope', '{}', '{"advanceSeconds":-5}', '{"advanceSeconds":"10"}']) {
      const res = await rawRequest(h.url, { method: 'POST', path: '/_localaws/clock', body });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text).error).toBe('InvalidRequest');
    }
  });

  it('POST reset drops state: issued credentials no longer name their session', async () => {
    const sts = new STSClient(h.clientConfig());
    const out = await sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'before-reset' }),
    );
    const c = out.Credentials;
    const as = new STSClient(
      h.clientConfig({
        credentials: {
          accessKeyId: c?.AccessKeyId,
          secretAccessKey: c?.SecretAccessKey,
          sessionToken: c?.SessionToken,
        },
      }),
    );
    expect((await as.send(new GetCallerIdentityCommand({}))).Account).toBe('123456789012');
    const res = await rawRequest(h.url, { method: 'POST', path: '/_localaws/reset?service=sts' });
    expect(JSON.parse(res.text)).toEqual({ reset: 'sts' });
    expect((await as.send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
    const all = await rawRequest(h.url, { method: 'POST', path: '/_localaws/reset' });
    expect(JSON.parse(all.text)).toEqual({ reset: 'all' });
  });

  it('reset of an unknown service and unknown admin paths are errors', async () => {
    expect((await rawRequest(h.url, { method: 'POST', path: '/_localaws/reset?service=nope' })).status).toBe(
      400,
    );
    expect((await rawRequest(h.url, { path: '/_localaws/nothing' })).status).toBe(404);
  });
});
