/**
 * Authentication through a real server: strict mode rejects what AWS rejects, with AWS's
 * codes; lenient mode accepts any credentials but still expires and checks presigned URLs.
 */

import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { useLocalAws } from './harness.js';

/** A presigned STS GetCallerIdentity URL, the way SDK presigners build one. */
async function presignedCallerIdentity(
  url: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  expiresIn: number,
) {
  const { hostname, port } = new URL(url);
  const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', credentials, sha256: Sha256 });
  const request = new HttpRequest({
    method: 'GET',
    protocol: 'http:',
    hostname,
    port: Number(port),
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host: `${hostname}:${port}` },
  });
  const signed = await signer.presign(request, { expiresIn });
  const qs = new URLSearchParams(signed.query as Record<string, string>).toString();
  return `${url}/?${qs}`;
}

describe('strict auth', () => {
  const h = useLocalAws({ strictAuth: true, credentials: { test: 'test', AKIDSECOND: 'second-secret' } });
  const sts = (credentials: Record<string, string>) => new STSClient(h.clientConfig({ credentials }));

  it('accepts configured credentials', async () => {
    expect(
      (await sts({ accessKeyId: 'test', secretAccessKey: 'test' }).send(new GetCallerIdentityCommand({})))
        .Account,
    ).toBe('000000000000');
    const other = await sts({ accessKeyId: 'AKIDSECOND', secretAccessKey: 'second-secret' }).send(
      new GetCallerIdentityCommand({}),
    );
    expect(other.Account).toBe('000000000000');
  });

  it('rejects a wrong secret with SignatureDoesNotMatch and an unknown key with InvalidClientTokenId', async () => {
    await expect(
      sts({ accessKeyId: 'test', secretAccessKey: 'wrong' }).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    await expect(
      sts({ accessKeyId: 'nobody', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it("uses the JSON services' codes for JSON services", async () => {
    const ddb = new DynamoDBClient(
      h.clientConfig({ credentials: { accessKeyId: 'nobody', secretAccessKey: 'x' } }),
    );
    await expect(ddb.send(new ListTablesCommand({}))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('accepts the temporary credentials STS issues', async () => {
    const out = await sts({ accessKeyId: 'test', secretAccessKey: 'test' }).send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::210987654321:role/app', RoleSessionName: 'strict' }),
    );
    const c = out.Credentials;
    const who = await sts({
      accessKeyId: c?.AccessKeyId as string,
      secretAccessKey: c?.SecretAccessKey as string,
      sessionToken: c?.SessionToken as string,
    }).send(new GetCallerIdentityCommand({}));
    expect(who.Account).toBe('210987654321');
    await expect(
      sts({
        accessKeyId: c?.AccessKeyId as string,
        secretAccessKey: 'not-the-secret',
        sessionToken: c?.SessionToken as string,
      }).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
  });

  it('accepts a presigned URL and rejects it tampered, or once expired on the server clock', async () => {
    const creds = { accessKeyId: 'test', secretAccessKey: 'test' };
    const url = await presignedCallerIdentity(h.url, creds, 60);
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('<Account>000000000000</Account>');

    const tampered = await fetch(url.replace('Version=2011-06-15', 'Version=2011-06-16'));
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');

    const late = await presignedCallerIdentity(h.url, creds, 60);
    h.server.advanceClock(120);
    const expired = await fetch(late);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/<Code>(AccessDenied|SignatureDoesNotMatch)<\/Code>[\s\S]*expired/i);
  });

  it('rejects a request signed more than 15 minutes from the server clock', async () => {
    h.server.advanceClock(20 * 60);
    await expect(
      sts({ accessKeyId: 'test', secretAccessKey: 'test' }).send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
      message: expect.stringMatching(/expired|skew|time/i),
    });
  });
});

describe('lenient auth', () => {
  const h = useLocalAws();

  it('accepts any well-formed credentials', async () => {
    const out = await new STSClient(
      h.clientConfig({ credentials: { accessKeyId: 'anything', secretAccessKey: 'at-all' } }),
    ).send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe('000000000000');
  });

  it('still verifies a presigned URL whose secret it knows, and enforces its expiry', async () => {
    const url = await presignedCallerIdentity(h.url, { accessKeyId: 'test', secretAccessKey: 'test' }, 30);
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url.replace('GetCallerIdentity', 'GetSessionToken'))).status).toBe(403);
    const unknownKey = await presignedCallerIdentity(
      h.url,
      { accessKeyId: 'stranger', secretAccessKey: 's' },
      30,
    );
    expect((await fetch(unknownKey)).status).toBe(200);
    h.server.advanceClock(60);
    expect((await fetch(unknownKey)).status).toBe(403);
  });
});
