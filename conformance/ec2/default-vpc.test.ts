/**
 * Every account and region has a default VPC on first use, as AWS sets one up: 172.31.0.0/16,
 * a default /20 subnet in each availability zone, its `default` security group and an
 * attached internet gateway.
 */
import {
  DescribeAvailabilityZonesCommand,
  DescribeInternetGatewaysCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { accountCredentials, DEFAULT_ACCOUNT, idPattern, inCidr, OTHER_ACCOUNT, useEC2 } from './setup.js';

const t = useEC2();

async function defaultVpc(ec2: EC2Client) {
  const { Vpcs } = await ec2.send(
    new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
  );
  expect(Vpcs).toHaveLength(1);
  return Vpcs?.[0] ?? {};
}

async function defaultSubnets(ec2: EC2Client, vpcId: string) {
  const { Subnets } = await ec2.send(
    new DescribeSubnetsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'default-for-az', Values: ['true'] },
      ],
    }),
  );
  return Subnets ?? [];
}

describe('the default VPC', () => {
  it('is there on first use, 172.31.0.0/16, and stays the same VPC', async () => {
    const vpc = await defaultVpc(t.ec2);
    expect(vpc).toMatchObject({
      CidrBlock: '172.31.0.0/16',
      IsDefault: true,
      State: 'available',
      OwnerId: DEFAULT_ACCOUNT,
      InstanceTenancy: 'default',
    });
    expect(vpc.VpcId).toMatch(idPattern('vpc'));
    expect(vpc.CidrBlockAssociationSet?.[0]).toMatchObject({
      CidrBlock: '172.31.0.0/16',
      CidrBlockState: { State: 'associated' },
    });
    expect((await defaultVpc(t.ec2)).VpcId).toBe(vpc.VpcId);
  });

  it('has one default /20 subnet per availability zone, public on launch', async () => {
    const vpc = await defaultVpc(t.ec2);
    const { AvailabilityZones } = await t.ec2.send(new DescribeAvailabilityZonesCommand({}));
    const subnets = await defaultSubnets(t.ec2, vpc.VpcId ?? '');
    expect(subnets.map((s) => s.AvailabilityZone).sort()).toEqual(
      (AvailabilityZones ?? []).map((z) => z.ZoneName).sort(),
    );
    const zoneIds = new Map((AvailabilityZones ?? []).map((z) => [z.ZoneName, z.ZoneId]));
    for (const subnet of subnets) {
      expect(subnet).toMatchObject({
        VpcId: vpc.VpcId,
        DefaultForAz: true,
        MapPublicIpOnLaunch: true,
        State: 'available',
        AvailableIpAddressCount: 4091,
        OwnerId: DEFAULT_ACCOUNT,
        AvailabilityZoneId: zoneIds.get(subnet.AvailabilityZone),
      });
      expect(subnet.SubnetId).toMatch(idPattern('subnet'));
      expect(subnet.CidrBlock).toMatch(/^172\.31\.\d+\.0\/20$/);
      expect(inCidr(subnet.CidrBlock?.split('/')[0] ?? '', '172.31.0.0/16')).toBe(true);
    }
    // /20 blocks that do not overlap: their network addresses are distinct multiples of 16 in the third octet
    const thirdOctets = subnets.map((s) => Number(s.CidrBlock?.split('.')[2]));
    expect(new Set(thirdOctets).size).toBe(subnets.length);
    for (const octet of thirdOctets) expect(octet % 16).toBe(0);
  });

  it('has its default security group: all traffic from itself in, everything out', async () => {
    const vpc = await defaultVpc(t.ec2);
    const { SecurityGroups } = await t.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpc.VpcId ?? ''] },
          { Name: 'group-name', Values: ['default'] },
        ],
      }),
    );
    expect(SecurityGroups).toHaveLength(1);
    const group = SecurityGroups?.[0];
    expect(group).toMatchObject({
      GroupName: 'default',
      Description: 'default VPC security group',
      VpcId: vpc.VpcId,
      OwnerId: DEFAULT_ACCOUNT,
    });
    expect(group?.GroupId).toMatch(idPattern('sg'));
    expect(group?.IpPermissions).toEqual([
      {
        IpProtocol: '-1',
        UserIdGroupPairs: [{ GroupId: group?.GroupId, UserId: DEFAULT_ACCOUNT }],
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
      },
    ]);
    expect(group?.IpPermissionsEgress).toEqual([
      {
        IpProtocol: '-1',
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        UserIdGroupPairs: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
      },
    ]);
  });

  it('has an internet gateway attached', async () => {
    const vpc = await defaultVpc(t.ec2);
    const { InternetGateways } = await t.ec2.send(
      new DescribeInternetGatewaysCommand({
        Filters: [{ Name: 'attachment.vpc-id', Values: [vpc.VpcId ?? ''] }],
      }),
    );
    expect(InternetGateways).toHaveLength(1);
    expect(InternetGateways?.[0]?.InternetGatewayId).toMatch(idPattern('igw'));
    expect(InternetGateways?.[0]?.Attachments).toEqual([{ VpcId: vpc.VpcId, State: 'available' }]);
  });

  it('is a different VPC in each region and each account', async () => {
    const here = await defaultVpc(t.ec2);
    const ireland = t.client({ region: 'eu-west-1' });
    const there = await defaultVpc(ireland);
    expect(there.VpcId).not.toBe(here.VpcId);
    expect(there.CidrBlock).toBe('172.31.0.0/16');
    const zones = (await defaultSubnets(ireland, there.VpcId ?? '')).map((s) => s.AvailabilityZone).sort();
    expect(zones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);

    const other = await defaultVpc(t.client({ credentials: accountCredentials(OTHER_ACCOUNT) }));
    expect(other.VpcId).not.toBe(here.VpcId);
    expect(other.OwnerId).toBe(OTHER_ACCOUNT);
  });
});
