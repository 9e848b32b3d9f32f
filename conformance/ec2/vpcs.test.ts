/**
 * VPCs and subnets: creation with AWS's CIDR rules (block sizes, ranges, overlaps), what each
 * one comes with, and the DependencyViolation AWS answers when something still uses one.
 */
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  TerminateInstancesCommand,
  waitUntilVpcAvailable,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ACCOUNT,
  expectEc2Error,
  idPattern,
  runInstance,
  stateOf,
  tagRecord,
  tagSpec,
  uniqueName,
  useEC2,
  waitFor,
} from './setup.js';

const t = useEC2({ ec2BootSeconds: 1, ec2TerminateSeconds: 1 });

async function createVpc(CidrBlock: string): Promise<string> {
  const { Vpc } = await t.ec2.send(new CreateVpcCommand({ CidrBlock }));
  return Vpc?.VpcId ?? '';
}

async function createSubnet(VpcId: string, CidrBlock: string, AvailabilityZone = 'us-east-1a') {
  const { Subnet } = await t.ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock, AvailabilityZone }));
  return Subnet ?? {};
}

describe('CreateVpc', () => {
  it('creates a VPC that becomes available, tagged as asked', async () => {
    const Name = uniqueName('vpc');
    const { Vpc } = await t.ec2.send(
      new CreateVpcCommand({ CidrBlock: '10.0.0.0/16', TagSpecifications: [tagSpec('vpc', { Name })] }),
    );
    expect(Vpc?.VpcId).toMatch(idPattern('vpc'));
    expect(Vpc).toMatchObject({ CidrBlock: '10.0.0.0/16', IsDefault: false, OwnerId: DEFAULT_ACCOUNT });
    expect(['pending', 'available']).toContain(Vpc?.State);
    expect(tagRecord(Vpc?.Tags)).toEqual({ Name });
    await waitUntilVpcAvailable(waitFor(t.ec2), { VpcIds: [Vpc?.VpcId ?? ''] });
    const { Vpcs } = await t.ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: [Name] }] }),
    );
    expect(Vpcs?.map((v) => v.VpcId)).toEqual([Vpc?.VpcId]);
  });

  it('comes with its own default security group', async () => {
    const vpcId = await createVpc('10.1.0.0/16');
    const { SecurityGroups } = await t.ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
    );
    expect(SecurityGroups?.map((g) => g.GroupName)).toEqual(['default']);
  });

  it('accepts blocks from /16 to /28 and refuses others with InvalidVpc.Range', async () => {
    expect(await createVpc('192.168.0.0/28')).toMatch(idPattern('vpc'));
    await expectEc2Error(
      t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/8' })),
      'InvalidVpc.Range',
      "The CIDR '10.0.0.0/8' is invalid.",
    );
    await expectEc2Error(
      t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/29' })),
      'InvalidVpc.Range',
      "The CIDR '10.0.0.0/29' is invalid.",
    );
  });

  it('refuses what is not a CIDR block', async () => {
    await expectEc2Error(
      t.ec2.send(new CreateVpcCommand({ CidrBlock: 'banana' })),
      'InvalidParameterValue',
      'Value (banana) for parameter cidrBlock is invalid. This is not a valid CIDR block.',
    );
    await expectEc2Error(
      t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.300/16' })),
      'InvalidParameterValue',
      'Value (10.0.0.300/16) for parameter cidrBlock is invalid. This is not a valid CIDR block.',
    );
  });

  it('lets two VPCs use the same block', async () => {
    const a = await createVpc('10.9.0.0/16');
    const b = await createVpc('10.9.0.0/16');
    expect(a).not.toBe(b);
  });

  it('DescribeVpcs of an id that does not exist', async () => {
    await expectEc2Error(
      t.ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-0123456789abcdef0'] })),
      'InvalidVpcID.NotFound',
      "The vpc ID 'vpc-0123456789abcdef0' does not exist",
    );
  });
});

describe('CreateSubnet', () => {
  it('creates a subnet with AWS reserving five addresses', async () => {
    const vpcId = await createVpc('10.2.0.0/16');
    const subnet = await createSubnet(vpcId, '10.2.1.0/24', 'us-east-1d');
    expect(subnet.SubnetId).toMatch(idPattern('subnet'));
    expect(subnet).toMatchObject({
      VpcId: vpcId,
      CidrBlock: '10.2.1.0/24',
      AvailabilityZone: 'us-east-1d',
      AvailableIpAddressCount: 251,
      MapPublicIpOnLaunch: false,
      DefaultForAz: false,
      State: 'available',
      OwnerId: DEFAULT_ACCOUNT,
    });
    const { Subnets } = await t.ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
    );
    expect(Subnets?.map((s) => s.SubnetId)).toEqual([subnet.SubnetId]);
  });

  it('picks a zone of the region when none is asked for', async () => {
    const vpcId = await createVpc('10.3.0.0/16');
    const { Subnet } = await t.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.3.0.0/24' }));
    expect(Subnet?.AvailabilityZone).toMatch(/^us-east-1[a-f]$/);
  });

  it('refuses a block outside the VPC or of the wrong size with InvalidSubnet.Range', async () => {
    const vpcId = await createVpc('10.4.0.0/16');
    await expectEc2Error(
      t.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.5.0.0/24' })),
      'InvalidSubnet.Range',
      "The CIDR '10.5.0.0/24' is invalid.",
    );
    await expectEc2Error(
      t.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.4.0.0/29' })),
      'InvalidSubnet.Range',
      "The CIDR '10.4.0.0/29' is invalid.",
    );
  });

  it('refuses a block that overlaps another subnet with InvalidSubnet.Conflict', async () => {
    const vpcId = await createVpc('10.6.0.0/16');
    await createSubnet(vpcId, '10.6.1.0/24');
    await expectEc2Error(
      t.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.6.1.128/25' })),
      'InvalidSubnet.Conflict',
      "The CIDR '10.6.1.128/25' conflicts with another subnet",
    );
    await expectEc2Error(
      t.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.6.0.0/20' })),
      'InvalidSubnet.Conflict',
      "The CIDR '10.6.0.0/20' conflicts with another subnet",
    );
    expect((await createSubnet(vpcId, '10.6.2.0/24')).CidrBlock).toBe('10.6.2.0/24');
  });

  it('refuses a VPC or a zone that does not exist', async () => {
    await expectEc2Error(
      t.ec2.send(new CreateSubnetCommand({ VpcId: 'vpc-0123456789abcdef0', CidrBlock: '10.0.0.0/24' })),
      'InvalidVpcID.NotFound',
      "The vpc ID 'vpc-0123456789abcdef0' does not exist",
    );
    const vpcId = await createVpc('10.7.0.0/16');
    await expectEc2Error(
      t.ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.7.0.0/24', AvailabilityZone: 'us-east-1z' }),
      ),
      'InvalidParameterValue',
    );
  });
});

describe('deletes AWS refuses while something depends on the resource', () => {
  it('a subnet with an instance, and its VPC, until the instance is terminated', async () => {
    const vpcId = await createVpc('10.8.0.0/16');
    const subnet = await createSubnet(vpcId, '10.8.0.0/24');
    const subnetId = subnet.SubnetId ?? '';
    const { InstanceId } = await runInstance(t.ec2, { SubnetId: subnetId });
    const addressesLeft = async () => {
      const { Subnets } = await t.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }));
      return Subnets?.[0]?.AvailableIpAddressCount;
    };
    expect(await addressesLeft()).toBe(250);

    await expectEc2Error(
      t.ec2.send(new DeleteSubnetCommand({ SubnetId: subnetId })),
      'DependencyViolation',
      `The subnet '${subnetId}' has dependencies and cannot be deleted.`,
    );
    await expectEc2Error(
      t.ec2.send(new DeleteVpcCommand({ VpcId: vpcId })),
      'DependencyViolation',
      `The vpc '${vpcId}' has dependencies and cannot be deleted.`,
    );

    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [InstanceId] }));
    t.h.server.advanceClock(2);
    expect(await stateOf(t.ec2, InstanceId)).toBe('terminated');
    // a terminated instance gives its private address back
    expect(await addressesLeft()).toBe(251);
    await t.ec2.send(new DeleteSubnetCommand({ SubnetId: subnetId }));
    await t.ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    await expectEc2Error(
      t.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })),
      'InvalidVpcID.NotFound',
      `The vpc ID '${vpcId}' does not exist`,
    );
    await expectEc2Error(
      t.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] })),
      'InvalidSubnetID.NotFound',
      `The subnet ID '${subnetId}' does not exist`,
    );
  });

  it('a VPC with a security group of its own, but not for its default group', async () => {
    const vpcId = await createVpc('10.10.0.0/16');
    const { GroupId } = await t.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app', VpcId: vpcId }),
    );
    await expectEc2Error(
      t.ec2.send(new DeleteVpcCommand({ VpcId: vpcId })),
      'DependencyViolation',
      `The vpc '${vpcId}' has dependencies and cannot be deleted.`,
    );
    await t.ec2.send(new DeleteSecurityGroupCommand({ GroupId }));
    await t.ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    const { SecurityGroups } = await t.ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
    );
    expect(SecurityGroups).toEqual([]);
  });
});
