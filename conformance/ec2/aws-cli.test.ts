/**
 * EC2 through a second client, the AWS CLI (botocore over the ec2 query protocol): the default
 * VPC, a key pair, run-instances, the CLI's own `wait instance-running` (which polls every 15 s,
 * so the boot time here is shorter than one poll), describe-instances by id, by tag filter and
 * paginated, terminate-instances and `wait instance-terminated`, and an error as the CLI
 * reports it. Skipped, with a message, where no `aws` is on the PATH.
 */
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AWS_CLI, runAwsCli, warnWithoutAwsCli } from '../aws-cli.js';
import { useEC2 } from './setup.js';

warnWithoutAwsCli('conformance/ec2/aws-cli.test.ts');

/** Amazon Linux 2023 on x86_64, from localaws's public catalogue. */
const IMAGE_ID = 'ami-0fff1b9a61dec8a5f';
const BOOT_SECONDS = 3;

const t = useEC2({ ec2BootSeconds: BOOT_SECONDS, ec2StopSeconds: 0, ec2TerminateSeconds: 0 });
const work = mkdtempSync(join(tmpdir(), 'localaws-ec2-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `aws ec2 <args>` against the server. */
const ec2 = (...args: string[]) => runAwsCli(t.h.url, work, ['ec2', ...args]);

const json = async (...args: string[]) => JSON.parse(await ec2(...args));

interface CliInstance {
  InstanceId: string;
  State: { Code: number; Name: string };
  KeyName?: string;
  PrivateIpAddress?: string;
  Tags?: { Key: string; Value: string }[];
}

const instancesOf = (out: { Reservations: { Instances: CliInstance[] }[] }) =>
  out.Reservations.flatMap((r) => r.Instances);

// each CLI call costs a Python start-up: the flows run side by side
describe.skipIf(!AWS_CLI).concurrent('the AWS_CLI CLI against localaws EC2', () => {
  it('runs instances with a key pair, waits for them to run, finds them and terminates them', async () => {
    const keyName = 'cli-key';
    const material = await ec2(
      'create-key-pair',
      '--key-name',
      keyName,
      '--query',
      'KeyMaterial',
      '--output',
      'text',
    );
    expect(material).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(createPrivateKey(material).asymmetricKeyType).toBe('rsa');
    const keys = await json('describe-key-pairs', '--key-names', keyName);
    expect(keys.KeyPairs.map((k: { KeyName: string }) => k.KeyName)).toEqual([keyName]);

    const launched = await json(
      'run-instances',
      '--image-id',
      IMAGE_ID,
      '--instance-type',
      't3.micro',
      '--count',
      '2',
      '--key-name',
      keyName,
      '--tag-specifications',
      'ResourceType=instance,Tags=[{Key=Name,Value=cli-web}]',
    );
    const instances: CliInstance[] = launched.Instances;
    const ids = instances.map((i) => i.InstanceId);
    expect(ids).toHaveLength(2);
    for (const instance of instances) {
      expect(instance.State).toEqual({ Code: 0, Name: 'pending' });
      expect(instance.KeyName).toBe(keyName);
      expect(instance.PrivateIpAddress).toMatch(/^172\.31\./);
    }

    // the CLI's waiter: its first poll finds them pending, a later one running
    await ec2('wait', 'instance-running', '--instance-ids', ...ids);
    const states = await ec2(
      'describe-instances',
      '--instance-ids',
      ...ids,
      '--query',
      'Reservations[].Instances[].State.Name',
      '--output',
      'text',
    );
    expect(states.trim().split(/\s+/)).toEqual(['running', 'running']);
    const tagged = instancesOf(await json('describe-instances', '--filters', 'Name=tag:Name,Values=cli-web'));
    expect(tagged.map((i) => i.InstanceId).sort()).toEqual([...ids].sort());
    expect(tagged[0]?.Tags).toEqual([{ Key: 'Name', Value: 'cli-web' }]);

    const terminated = await json('terminate-instances', '--instance-ids', ...ids);
    expect(
      terminated.TerminatingInstances.map((c: { PreviousState: { Name: string } }) => c.PreviousState.Name),
    ).toEqual(['running', 'running']);
    await ec2('wait', 'instance-terminated', '--instance-ids', ...ids);
    const after = instancesOf(await json('describe-instances', '--instance-ids', ...ids));
    expect(after.map((i) => i.State.Name)).toEqual(['terminated', 'terminated']);
  }, 90_000);

  it('describes the default VPC, pages through instances and reports errors as the CLI does', async () => {
    const vpcs = await json('describe-vpcs', '--filters', 'Name=is-default,Values=true');
    expect(vpcs.Vpcs).toHaveLength(1);
    expect(vpcs.Vpcs[0]).toMatchObject({ CidrBlock: '172.31.0.0/16', IsDefault: true, State: 'available' });

    const launched = await json(
      'run-instances',
      '--image-id',
      IMAGE_ID,
      '--instance-type',
      't3.nano',
      '--count',
      '7',
      '--tag-specifications',
      'ResourceType=instance,Tags=[{Key=fleet,Value=cli-pages}]',
    );
    const ids = (launched.Instances as CliInstance[]).map((i) => i.InstanceId).sort();
    // --page-size makes the CLI send MaxResults and follow every NextToken
    const paged = instancesOf(
      await json('describe-instances', '--filters', 'Name=tag:fleet,Values=cli-pages', '--page-size', '5'),
    );
    expect(paged.map((i) => i.InstanceId).sort()).toEqual(ids);

    await expect(ec2('describe-instances', '--instance-ids', 'i-0123456789abcdef0')).rejects.toMatchObject({
      stderr: expect.stringMatching(
        /\(InvalidInstanceID\.NotFound\) when calling the DescribeInstances operation: The instance ID 'i-0123456789abcdef0' does not exist/,
      ),
    });
    await expect(ec2('terminate-instances', '--instance-ids', 'bogus')).rejects.toMatchObject({
      stderr: expect.stringContaining('InvalidInstanceID.Malformed'),
    });
  }, 60_000);
});
