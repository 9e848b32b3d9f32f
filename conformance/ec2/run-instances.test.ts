/**
 * RunInstances' parameters: counts and reservations, ClientToken idempotency, subnets,
 * placement, security groups by id and by name, key pairs, user data, instance profiles and
 * the errors for what does not exist.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import {
  amazonLinuxImage,
  DEFAULT_ACCOUNT,
  describeInstance,
  expectEc2Error,
  idPattern,
  inCidr,
  instanceIdsMatching,
  runInstance,
  runInstances,
  state,
  tagSpec,
  uniqueName,
  useEC2,
} from './setup.js';

const t = useEC2({ ec2BootSeconds: 0 });

/** Ubuntu 24.04 LTS on x86_64 from the public catalogue (no IMDSv2 requirement). */
const UBUNTU_NOBLE = 'ami-0866a3c8686eaeeba';

async function defaultVpcId(): Promise<string> {
  const { Vpcs } = await t.ec2.send(
    new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
  );
  return Vpcs?.[0]?.VpcId ?? '';
}

async function newVpcWithSubnet(cidr: string, subnetCidr: string) {
  const { Vpc } = await t.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const vpcId = Vpc?.VpcId ?? '';
  const { Subnet } = await t.ec2.send(
    new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: subnetCidr, AvailabilityZone: 'us-east-1a' }),
  );
  return { vpcId, subnetId: Subnet?.SubnetId ?? '' };
}

describe('RunInstances', () => {
  it('launches MaxCount instances in one reservation, each with its launch index', async () => {
    const out = await t.ec2.send(
      new RunInstancesCommand({
        ImageId: await amazonLinuxImage(t.ec2),
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 3,
      }),
    );
    expect(out.ReservationId).toMatch(idPattern('r'));
    expect(out.OwnerId).toBe(DEFAULT_ACCOUNT);
    const instances = out.Instances ?? [];
    expect(instances.map((i) => i.AmiLaunchIndex)).toEqual([0, 1, 2]);
    expect(new Set(instances.map((i) => i.InstanceId)).size).toBe(3);
    expect(new Set(instances.map((i) => i.PrivateIpAddress)).size).toBe(3);
    for (const instance of instances) expect(instance.State).toEqual(state('pending'));

    const described = await t.ec2.send(
      new DescribeInstancesCommand({ InstanceIds: instances.map((i) => i.InstanceId ?? '') }),
    );
    expect(described.Reservations?.map((r) => r.ReservationId)).toEqual([out.ReservationId]);
    expect(described.Reservations?.[0]?.Instances).toHaveLength(3);
  });

  it('a repeated ClientToken returns the first launch instead of launching again', async () => {
    const label = uniqueName('token');
    const ClientToken = uniqueName('client-token');
    const input = { ClientToken, TagSpecifications: [tagSpec('instance', { token: label })] };
    const first = await runInstance(t.ec2, input);
    const second = await runInstance(t.ec2, input);
    expect(second.InstanceId).toBe(first.InstanceId);
    expect(first.ClientToken).toBe(ClientToken);
    expect(await instanceIdsMatching(t.ec2, [{ Name: 'tag:token', Values: [label] }])).toEqual([
      first.InstanceId,
    ]);
  });

  it('a ClientToken reused with other parameters is IdempotentParameterMismatch', async () => {
    const ClientToken = uniqueName('client-token');
    await runInstance(t.ec2, { ClientToken });
    await expectEc2Error(
      runInstance(t.ec2, { ClientToken, InstanceType: 't3.small' }),
      'IdempotentParameterMismatch',
    );
  });

  it('launches into a given subnet with the next free address and no public address', async () => {
    const { vpcId, subnetId } = await newVpcWithSubnet('10.20.0.0/16', '10.20.1.0/24');
    const instance = await runInstance(t.ec2, { SubnetId: subnetId });
    expect(instance.SubnetId).toBe(subnetId);
    expect(instance.VpcId).toBe(vpcId);
    expect(instance.Placement?.AvailabilityZone).toBe('us-east-1a');
    // AWS keeps the first four addresses of a subnet for itself
    expect(instance.PrivateIpAddress).toBe('10.20.1.4');
    expect(instance.PrivateDnsName).toBe('ip-10-20-1-4.ec2.internal');
    const now = await describeInstance(t.ec2, instance.InstanceId);
    expect(now.PublicIpAddress).toBeUndefined();
    expect(now.PublicDnsName ?? '').toBe('');
    // without a group, the VPC's default group
    expect(now.SecurityGroups?.map((g) => g.GroupName)).toEqual(['default']);

    const next = await runInstance(t.ec2, { SubnetId: subnetId });
    expect(next.PrivateIpAddress).toBe('10.20.1.5');
    const { Subnets } = await t.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }));
    expect(Subnets?.[0]?.AvailableIpAddressCount).toBe(251 - 2);
  });

  it('places an instance in the default subnet of the zone asked for', async () => {
    const instance = await runInstance(t.ec2, { Placement: { AvailabilityZone: 'us-east-1b' } });
    expect(instance.Placement?.AvailabilityZone).toBe('us-east-1b');
    const { Subnets } = await t.ec2.send(
      new DescribeSubnetsCommand({ SubnetIds: [instance.SubnetId ?? ''] }),
    );
    expect(Subnets?.[0]).toMatchObject({ AvailabilityZone: 'us-east-1b', DefaultForAz: true });
    expect(inCidr(instance.PrivateIpAddress ?? '', Subnets?.[0]?.CidrBlock ?? '')).toBe(true);
  });

  it('takes security groups by id and, in the default VPC, by name', async () => {
    const VpcId = await defaultVpcId();
    const GroupName = uniqueName('web');
    const { GroupId } = await t.ec2.send(
      new CreateSecurityGroupCommand({ GroupName, Description: 'web servers', VpcId }),
    );
    await t.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const byId = await runInstance(t.ec2, { SecurityGroupIds: [GroupId ?? ''] });
    expect(byId.SecurityGroups).toEqual([{ GroupId, GroupName }]);
    const byName = await runInstance(t.ec2, { SecurityGroups: [GroupName] });
    expect(byName.SecurityGroups).toEqual([{ GroupId, GroupName }]);
  });

  it('records the key pair, the instance profile and the type asked for', async () => {
    const KeyName = uniqueName('key');
    await t.ec2.send(new CreateKeyPairCommand({ KeyName }));
    const instance = await runInstance(t.ec2, {
      KeyName,
      InstanceType: 'm5.large',
      IamInstanceProfile: { Arn: `arn:aws:iam::${DEFAULT_ACCOUNT}:instance-profile/web` },
    });
    expect(instance.KeyName).toBe(KeyName);
    expect(instance.InstanceType).toBe('m5.large');
    expect(instance.IamInstanceProfile?.Arn).toBe(`arn:aws:iam::${DEFAULT_ACCOUNT}:instance-profile/web`);
    expect((await describeInstance(t.ec2, instance.InstanceId)).KeyName).toBe(KeyName);
  });

  it('requires IMDSv2 tokens on Amazon Linux 2023, as its image asks, and not on Ubuntu', async () => {
    const al2023 = await runInstance(t.ec2);
    expect(al2023.MetadataOptions).toMatchObject({
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 2,
      HttpEndpoint: 'enabled',
    });
    const ubuntu = await runInstance(t.ec2, { ImageId: UBUNTU_NOBLE });
    expect(ubuntu.MetadataOptions).toMatchObject({ HttpTokens: 'optional', HttpPutResponseHopLimit: 1 });
    const asked = await runInstance(t.ec2, { MetadataOptions: { HttpTokens: 'optional' } });
    expect(asked.MetadataOptions?.HttpTokens).toBe('optional');
  });

  it('tags the instance and its root volume from TagSpecifications', async () => {
    const instance = await runInstance(t.ec2, {
      TagSpecifications: [tagSpec('instance', { Name: 'tagged' }), tagSpec('volume', { backup: 'daily' })],
    });
    expect(instance.Tags).toEqual([{ Key: 'Name', Value: 'tagged' }]);
  });

  it('refuses a TagSpecification for a resource it does not create', async () => {
    await expectEc2Error(
      runInstances(t.ec2, { TagSpecifications: [tagSpec('vpc', { Name: 'nope' })] }),
      'InvalidParameterValue',
    );
  });
});

describe('RunInstances counts', () => {
  it('MinCount above MaxCount, or below one, is InvalidParameterValue', async () => {
    await expectEc2Error(
      runInstances(t.ec2, { MinCount: 3, MaxCount: 2 }),
      'InvalidParameterValue',
      'Value (3) for parameter minCount is invalid. Expected a value less than or equal to maxCount (2).',
    );
    await expectEc2Error(runInstances(t.ec2, { MinCount: 0, MaxCount: 2 }), 'InvalidParameterValue');
  });

  it('more than the instance limit is InstanceLimitExceeded; MaxCount above it launches up to it', async () => {
    await expectEc2Error(
      runInstances(t.ec2, { MinCount: 1001, MaxCount: 1001 }),
      'InstanceLimitExceeded',
      /^You have requested more instances \(1001\) than your current instance limit of 1000 allows/,
    );
    const { Subnet } = await t.ec2.send(
      new CreateSubnetCommand({
        VpcId: (await newVpcWithSubnet('10.30.0.0/16', '10.30.0.0/24')).vpcId,
        CidrBlock: '10.30.16.0/20',
        AvailabilityZone: 'us-east-1b',
      }),
    );
    const launched = await runInstances(t.ec2, { MinCount: 1, MaxCount: 5000, SubnetId: Subnet?.SubnetId });
    expect(launched).toHaveLength(1000);
  });
});

describe('RunInstances with what does not exist', () => {
  it('an unknown instance type', async () => {
    await expectEc2Error(
      runInstances(t.ec2, { InstanceType: 'x9.huge' as 't3.micro' }),
      'InvalidParameterValue',
      "Invalid value 'x9.huge' for InstanceType.",
    );
  });

  it('an unknown or malformed image', async () => {
    await expectEc2Error(
      runInstances(t.ec2, { ImageId: 'ami-0123456789abcdef0' }),
      'InvalidAMIID.NotFound',
      "The image id '[ami-0123456789abcdef0]' does not exist",
    );
    await expectEc2Error(runInstances(t.ec2, { ImageId: 'image-1' }), 'InvalidAMIID.Malformed');
  });

  it('no image at all', async () => {
    await expectEc2Error(
      t.ec2.send(new RunInstancesCommand({ InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 })),
      'MissingParameter',
      'The request must contain the parameter ImageId',
    );
  });

  it('an unknown key pair', async () => {
    await expectEc2Error(
      runInstances(t.ec2, { KeyName: 'no-such-key' }),
      'InvalidKeyPair.NotFound',
      "The key pair 'no-such-key' does not exist",
    );
  });

  it('an unknown subnet or security group', async () => {
    await expectEc2Error(
      runInstances(t.ec2, { SubnetId: 'subnet-0123456789abcdef0' }),
      'InvalidSubnetID.NotFound',
      "The subnet ID 'subnet-0123456789abcdef0' does not exist",
    );
    await expectEc2Error(
      runInstances(t.ec2, { SecurityGroupIds: ['sg-0123456789abcdef0'] }),
      'InvalidGroup.NotFound',
    );
  });

  it('a security group of another VPC than the subnet', async () => {
    const { subnetId } = await newVpcWithSubnet('10.30.0.0/16', '10.30.0.0/24');
    const { GroupId } = await t.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: uniqueName('elsewhere'),
        Description: 'in the default VPC',
        VpcId: await defaultVpcId(),
      }),
    );
    await expectEc2Error(
      runInstances(t.ec2, { SubnetId: subnetId, SecurityGroupIds: [GroupId ?? ''] }),
      'InvalidParameter',
    );
  });
});
