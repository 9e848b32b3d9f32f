/**
 * RunInstances with the private address chosen by the caller: at the instance level
 * (PrivateIpAddress) or on the network interface at device 0 (PrivateIpAddress, or the older
 * PrivateIpAddresses entry marked primary), with AWS's errors for an address outside the
 * subnet, one AWS reserves, one in use, and one asked for more than one instance.
 */
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSubnetsCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { describeInstance, expectDryRun, expectEc2Error, runInstance, useEC2 } from './setup.js';

const t = useEC2({ ec2BootSeconds: 0, ec2TerminateSeconds: 0 });

let blocks = 0;
/** A new VPC with one /24 subnet in us-east-1a: 10.(60+n).1.0/24. */
async function subnet(): Promise<{ subnetId: string; prefix: string }> {
  blocks += 1;
  const prefix = `10.${60 + blocks}.1`;
  const { Vpc } = await t.ec2.send(new CreateVpcCommand({ CidrBlock: `10.${60 + blocks}.0.0/16` }));
  const { Subnet } = await t.ec2.send(
    new CreateSubnetCommand({
      VpcId: Vpc?.VpcId,
      CidrBlock: `${prefix}.0/24`,
      AvailabilityZone: 'us-east-1a',
    }),
  );
  return { subnetId: Subnet?.SubnetId ?? '', prefix };
}

async function available(subnetId: string): Promise<number | undefined> {
  const { Subnets } = await t.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }));
  return Subnets?.[0]?.AvailableIpAddressCount;
}

describe('RunInstances with a private IP address asked for', () => {
  it('gives the instance that address, and the next launch the first free one', async () => {
    const { subnetId, prefix } = await subnet();
    const chosen = await runInstance(t.ec2, { SubnetId: subnetId, PrivateIpAddress: `${prefix}.50` });
    expect(chosen.PrivateIpAddress).toBe(`${prefix}.50`);
    expect(chosen.PrivateDnsName).toBe(`ip-${prefix.replaceAll('.', '-')}-50.ec2.internal`);
    const shown = await describeInstance(t.ec2, chosen.InstanceId);
    expect(shown.NetworkInterfaces?.[0]?.PrivateIpAddress).toBe(`${prefix}.50`);
    const next = await runInstance(t.ec2, { SubnetId: subnetId });
    expect(next.PrivateIpAddress).toBe(`${prefix}.4`);
    expect(await available(subnetId)).toBe(251 - 2);
  });

  it('takes the address from the network interface at device 0, in either form', async () => {
    const { subnetId, prefix } = await subnet();
    const plain = await runInstance(t.ec2, {
      NetworkInterfaces: [
        {
          DeviceIndex: 0,
          SubnetId: subnetId,
          PrivateIpAddress: `${prefix}.10`,
          AssociatePublicIpAddress: true,
        },
      ],
    });
    expect(plain.PrivateIpAddress).toBe(`${prefix}.10`);
    const listed = await runInstance(t.ec2, {
      NetworkInterfaces: [
        {
          DeviceIndex: 0,
          SubnetId: subnetId,
          PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: `${prefix}.11` }],
        },
      ],
    });
    expect(listed.PrivateIpAddress).toBe(`${prefix}.11`);
  });

  it('an address in use is InvalidIPAddress.InUse until its instance has terminated', async () => {
    const { subnetId, prefix } = await subnet();
    const first = await runInstance(t.ec2, { SubnetId: subnetId, PrivateIpAddress: `${prefix}.20` });
    await expectEc2Error(
      runInstance(t.ec2, { SubnetId: subnetId, PrivateIpAddress: `${prefix}.20` }),
      'InvalidIPAddress.InUse',
      `Address ${prefix}.20 is in use.`,
    );
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [first.InstanceId] }));
    const again = await runInstance(t.ec2, { SubnetId: subnetId, PrivateIpAddress: `${prefix}.20` });
    expect(again.PrivateIpAddress).toBe(`${prefix}.20`);
  });

  it('an address outside the subnet, or one AWS keeps, is refused', async () => {
    const { subnetId, prefix } = await subnet();
    await expectEc2Error(
      runInstance(t.ec2, { SubnetId: subnetId, PrivateIpAddress: '10.200.0.9' }),
      'InvalidParameterValue',
      "Address 10.200.0.9 does not fall within the subnet's address range",
    );
    for (const reserved of [`${prefix}.0`, `${prefix}.1`, `${prefix}.3`, `${prefix}.255`])
      await expectEc2Error(
        runInstance(t.ec2, { SubnetId: subnetId, PrivateIpAddress: reserved }),
        'InvalidParameterValue',
      );
    await expectEc2Error(
      runInstance(t.ec2, { SubnetId: subnetId, PrivateIpAddress: 'not-an-address' }),
      'InvalidParameterValue',
    );
    expect(await available(subnetId)).toBe(251);
  });

  it('in the default subnet of the zone asked for', async () => {
    const instance = await runInstance(t.ec2, {
      Placement: { AvailabilityZone: 'us-east-1c' },
      PrivateIpAddress: '172.31.32.200',
    });
    expect(instance.PrivateIpAddress).toBe('172.31.32.200');
    expect(instance.Placement?.AvailabilityZone).toBe('us-east-1c');
  });

  it('cannot be asked for more than one instance, nor beside a network interface', async () => {
    const { subnetId, prefix } = await subnet();
    await expectEc2Error(
      runInstance(t.ec2, { SubnetId: subnetId, PrivateIpAddress: `${prefix}.30`, MinCount: 2, MaxCount: 2 }),
      'InvalidParameterCombination',
    );
    await expectEc2Error(
      runInstance(t.ec2, {
        PrivateIpAddress: `${prefix}.30`,
        NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnetId }],
      }),
      'InvalidParameterCombination',
      'Network interfaces and an instance-level private IP address may not be specified on the same request',
    );
  });

  it('DryRun checks the address and takes nothing', async () => {
    const { subnetId, prefix } = await subnet();
    await expectDryRun(
      runInstance(t.ec2, { SubnetId: subnetId, PrivateIpAddress: `${prefix}.40`, DryRun: true }),
    );
    expect(await available(subnetId)).toBe(251);
    await expectEc2Error(
      runInstance(t.ec2, { SubnetId: subnetId, PrivateIpAddress: '10.250.0.1', DryRun: true }),
      'InvalidParameterValue',
    );
  });
});
