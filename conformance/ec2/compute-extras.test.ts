/**
 * Compute behaviour the other suites leave out: the network-interface form of RunInstances
 * (Terraform's), status checks through DescribeInstanceStatus, an Elastic IP moving between
 * instances and surviving a stop, a terminated instance vanishing after an hour, console output,
 * and instances kept across a restart with the same data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  DescribeAddressesCommand,
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  EC2Client,
  GetConsoleOutputCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { startLocalAws } from '../../src/index.js';
import { TEST_CREDENTIALS } from '../harness.js';
import { describeInstance, expectEc2Error, runInstance, stateOf, useEC2 } from './setup.js';

const t = useEC2({ ec2BootSeconds: 5, ec2StopSeconds: 5, ec2TerminateSeconds: 5, ec2StatusCheckSeconds: 10 });
const advance = (seconds: number) => t.h.server.advanceClock(seconds);

describe('RunInstances with a network interface at device 0', () => {
  it('takes its subnet, groups and public address from the interface', async () => {
    const instance = await runInstance(t.ec2, {
      NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: false, Description: 'primary' }],
    });
    const shown = await describeInstance(t.ec2, instance.InstanceId);
    expect(shown.PublicIpAddress).toBeUndefined();
    expect(shown.NetworkInterfaces).toHaveLength(1);
    expect(shown.NetworkInterfaces?.[0]).toMatchObject({
      Description: 'primary',
      PrivateIpAddress: shown.PrivateIpAddress,
      SubnetId: shown.SubnetId,
      Status: 'in-use',
      Attachment: { DeviceIndex: 0, Status: 'attached', DeleteOnTermination: true },
    });
    expect(shown.NetworkInterfaces?.[0]?.NetworkInterfaceId).toMatch(/^eni-[0-9a-f]{17}$/);
  });

  it('refuses an instance-level subnet beside it', async () => {
    const { SubnetId } = await runInstance(t.ec2);
    await expectEc2Error(
      runInstance(t.ec2, { SubnetId, NetworkInterfaces: [{ DeviceIndex: 0 }] }),
      'InvalidParameterCombination',
      'Network interfaces and an instance-level subnet ID may not be specified on the same request',
    );
  });
});

describe('DescribeInstanceStatus', () => {
  it('shows running instances only, initializing and then ok; all of them when asked', async () => {
    const { InstanceId } = await runInstance(t.ec2);
    const statusOf = async (IncludeAllInstances?: boolean) =>
      (
        await t.ec2.send(
          new DescribeInstanceStatusCommand({ InstanceIds: [InstanceId], IncludeAllInstances }),
        )
      ).InstanceStatuses;
    expect(await statusOf()).toEqual([]);
    expect((await statusOf(true))?.[0]).toMatchObject({
      InstanceState: { Code: 0, Name: 'pending' },
      InstanceStatus: { Status: 'not-applicable' },
    });
    advance(5);
    expect((await statusOf())?.[0]).toMatchObject({
      InstanceId,
      AvailabilityZone: expect.stringMatching(/^us-east-1[a-f]$/),
      InstanceStatus: { Status: 'initializing', Details: [{ Name: 'reachability', Status: 'initializing' }] },
      SystemStatus: { Status: 'initializing' },
    });
    advance(10);
    expect((await statusOf())?.[0]).toMatchObject({
      InstanceStatus: { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] },
      SystemStatus: { Status: 'ok' },
    });
  });
});

describe('an Elastic IP', () => {
  it('moves to another instance when associated again, and stays through a stop', async () => {
    const first = await runInstance(t.ec2);
    const second = await runInstance(t.ec2);
    advance(5);
    const { AllocationId, PublicIp } = await t.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    await t.ec2.send(new AssociateAddressCommand({ AllocationId, InstanceId: first.InstanceId }));
    await t.ec2.send(new AssociateAddressCommand({ AllocationId, InstanceId: second.InstanceId }));
    const { Addresses } = await t.ec2.send(
      new DescribeAddressesCommand({ AllocationIds: [AllocationId ?? ''] }),
    );
    expect(Addresses?.[0]?.InstanceId).toBe(second.InstanceId);
    // the first falls back to an address of its own, as in a default subnet
    const firstShown = await describeInstance(t.ec2, first.InstanceId);
    expect(firstShown.PublicIpAddress).toBeDefined();
    expect(firstShown.PublicIpAddress).not.toBe(PublicIp);

    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [first.InstanceId, second.InstanceId] }));
    advance(5);
    expect((await describeInstance(t.ec2, first.InstanceId)).PublicIpAddress).toBeUndefined();
    expect((await describeInstance(t.ec2, second.InstanceId)).PublicIpAddress).toBe(PublicIp);
    await t.ec2.send(new StartInstancesCommand({ InstanceIds: [first.InstanceId] }));
    expect((await describeInstance(t.ec2, first.InstanceId)).PublicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('is let go by an instance that terminates, and stays allocated', async () => {
    const { InstanceId } = await runInstance(t.ec2);
    advance(5);
    const { AllocationId } = await t.ec2.send(new AllocateAddressCommand({}));
    await t.ec2.send(new AssociateAddressCommand({ AllocationId, InstanceId }));
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [InstanceId] }));
    const { Addresses } = await t.ec2.send(
      new DescribeAddressesCommand({ AllocationIds: [AllocationId ?? ''] }),
    );
    expect(Addresses?.[0]?.AllocationId).toBe(AllocationId);
    expect(Addresses?.[0]?.InstanceId).toBeUndefined();
    expect(Addresses?.[0]?.AssociationId).toBeUndefined();
  });
});

describe('a terminated instance', () => {
  it('stays visible for an hour, then is gone', async () => {
    const { InstanceId } = await runInstance(t.ec2);
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [InstanceId] }));
    advance(5);
    expect(await stateOf(t.ec2, InstanceId)).toBe('terminated');
    advance(3599);
    expect(await stateOf(t.ec2, InstanceId)).toBe('terminated');
    advance(1);
    await expectEc2Error(
      t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [InstanceId] })),
      'InvalidInstanceID.NotFound',
      `The instance ID '${InstanceId}' does not exist`,
    );
    const listed = await t.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: [InstanceId] }] }),
    );
    expect(listed.Reservations).toEqual([]);
  });
});

describe('GetConsoleOutput', () => {
  it('has nothing before the first boot, then the boot log with the host name', async () => {
    const { InstanceId } = await runInstance(t.ec2);
    const before = await t.ec2.send(new GetConsoleOutputCommand({ InstanceId }));
    expect(before.Output).toBeUndefined();
    advance(5);
    const after = await t.ec2.send(new GetConsoleOutputCommand({ InstanceId, Latest: true }));
    const text = Buffer.from(after.Output ?? '', 'base64').toString();
    const host = (await describeInstance(t.ec2, InstanceId)).PrivateDnsName?.split('.')[0];
    expect(text).toContain(`${host} login:`);
    expect(text).toContain('-----BEGIN SSH HOST KEY FINGERPRINTS-----');
    expect(after.Timestamp).toBeInstanceOf(Date);
  });
});

describe('a restart with the same data directory', () => {
  it('keeps instances, and one pending when the server stopped is running once its boot time has passed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'localaws-ec2-'));
    try {
      let server = await startLocalAws({ dataDir, ec2BootSeconds: 30 });
      const client = (url: string) =>
        new EC2Client({ endpoint: url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
      const { InstanceId } = await runInstance(client(server.url), {
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'kept' }] }],
      });
      await server.stop();
      server = await startLocalAws({ dataDir, ec2BootSeconds: 1 });
      try {
        // the boot time was fixed at launch: a shorter configured one does not hurry it
        expect(await stateOf(client(server.url), InstanceId)).toBe('pending');
        server.advanceClock(30);
        const shown = await describeInstance(client(server.url), InstanceId);
        expect(shown.State?.Name).toBe('running');
        expect(shown.Tags).toEqual([{ Key: 'Name', Value: 'kept' }]);
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
