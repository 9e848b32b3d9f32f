/**
 * Restarting a server on the same --data-dir keeps every EC2 resource and each instance's
 * state; an instance pending when the server stopped is running once its boot time has
 * passed on the new server's clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AllocateAddressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateKeyPairCommand,
  CreateLaunchTemplateCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  DescribeAddressesCommand,
  DescribeKeyPairsCommand,
  DescribeLaunchTemplatesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  EC2Client,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../src/index.js';
import { TEST_CREDENTIALS } from '../harness.js';
import { amazonLinuxImage, describeInstance, runInstance, stateOf, tagRecord, tagSpec } from './setup.js';

const BOOT = 30;
const STOP = 5;
const dataDir = mkdtempSync(join(tmpdir(), 'localaws-ec2-'));
const running: LocalAws[] = [];

afterAll(async () => {
  for (const server of running) await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ server: LocalAws; ec2: EC2Client }> {
  const server = await startLocalAws({ dataDir, ec2BootSeconds: BOOT, ec2StopSeconds: STOP });
  running.push(server);
  const ec2 = new EC2Client({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  return { server, ec2 };
}

async function stop(server: LocalAws): Promise<void> {
  running.splice(running.indexOf(server), 1);
  await server.stop();
}

describe('EC2 across a restart on the same data dir', () => {
  it('keeps every resource and each instance where it was in its life', async () => {
    const first = await start();
    const { ec2 } = first;
    const { Vpc } = await ec2.send(
      new CreateVpcCommand({
        CidrBlock: '10.120.0.0/16',
        TagSpecifications: [tagSpec('vpc', { Name: 'kept' })],
      }),
    );
    const vpcId = Vpc?.VpcId ?? '';
    const { Subnet } = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.120.1.0/24', AvailabilityZone: 'us-east-1a' }),
    );
    const subnetId = Subnet?.SubnetId ?? '';
    const { GroupId } = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'kept', Description: 'kept', VpcId: vpcId }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const key = await ec2.send(new CreateKeyPairCommand({ KeyName: 'kept' }));
    const { VolumeId } = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 5 }));
    const { AllocationId } = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const { LaunchTemplate } = await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: 'kept',
        LaunchTemplateData: { ImageId: await amazonLinuxImage(ec2), InstanceType: 't3.small' },
      }),
    );

    // one instance left running, one stopped, one still pending when the server stops
    const up = await runInstance(ec2, {
      SubnetId: subnetId,
      SecurityGroupIds: [GroupId ?? ''],
      KeyName: 'kept',
      TagSpecifications: [tagSpec('instance', { role: 'up' })],
    });
    const down = await runInstance(ec2);
    first.server.advanceClock(BOOT + 1);
    await ec2.send(new StopInstancesCommand({ InstanceIds: [down.InstanceId] }));
    first.server.advanceClock(STOP + 1);
    // the first server's clock now stands BOOT + STOP + 2 seconds ahead of real time
    const pending = await runInstance(ec2);
    expect(await stateOf(ec2, up.InstanceId)).toBe('running');
    expect(await stateOf(ec2, down.InstanceId)).toBe('stopped');
    expect(await stateOf(ec2, pending.InstanceId)).toBe('pending');
    const upBefore = await describeInstance(ec2, up.InstanceId);
    await stop(first.server);

    const second = await start();
    const again = second.ec2;
    // the clock's offset is kept across restarts: it still stands BOOT + STOP + 2 seconds ahead
    expect(await stateOf(again, up.InstanceId)).toBe('running');
    expect(await stateOf(again, down.InstanceId)).toBe('stopped');
    expect(await stateOf(again, pending.InstanceId)).toBe('pending');
    const upAfter = await describeInstance(again, up.InstanceId);
    expect(upAfter).toMatchObject({
      InstanceType: upBefore.InstanceType,
      ImageId: upBefore.ImageId,
      SubnetId: subnetId,
      VpcId: vpcId,
      KeyName: 'kept',
      PrivateIpAddress: upBefore.PrivateIpAddress,
      SecurityGroups: [{ GroupId, GroupName: 'kept' }],
    });
    expect(upAfter.LaunchTime).toEqual(upBefore.LaunchTime);
    expect(tagRecord(upAfter.Tags)).toEqual({ role: 'up' });

    second.server.advanceClock(BOOT + 1);
    expect(await stateOf(again, pending.InstanceId)).toBe('running');

    const { Vpcs } = await again.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    expect(tagRecord(Vpcs?.[0]?.Tags)).toEqual({ Name: 'kept' });
    const { Subnets } = await again.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }));
    expect(Subnets?.[0]?.AvailableIpAddressCount).toBe(250);
    const { SecurityGroups } = await again.send(
      new DescribeSecurityGroupsCommand({ GroupIds: [GroupId ?? ''] }),
    );
    expect(SecurityGroups?.[0]?.IpPermissions?.[0]).toMatchObject({
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
    });
    const { KeyPairs } = await again.send(new DescribeKeyPairsCommand({ KeyNames: ['kept'] }));
    expect(KeyPairs?.[0]).toMatchObject({ KeyPairId: key.KeyPairId, KeyFingerprint: key.KeyFingerprint });
    const { Volumes } = await again.send(new DescribeVolumesCommand({ VolumeIds: [VolumeId ?? ''] }));
    expect(Volumes?.[0]?.Size).toBe(5);
    const { Addresses } = await again.send(
      new DescribeAddressesCommand({ AllocationIds: [AllocationId ?? ''] }),
    );
    expect(Addresses).toHaveLength(1);
    const { LaunchTemplates } = await again.send(
      new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['kept'] }),
    );
    expect(LaunchTemplates?.[0]?.LaunchTemplateId).toBe(LaunchTemplate?.LaunchTemplateId);

    // the default VPC made on first use is the same one after the restart
    const defaults = await again.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
    );
    expect(defaults.Vpcs).toHaveLength(1);
    expect(defaults.Vpcs?.[0]?.VpcId).toBe(down.VpcId);
    await stop(second.server);
  });
});
