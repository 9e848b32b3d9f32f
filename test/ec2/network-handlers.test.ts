import { describe, expect, it } from 'vitest';
import { networkHandlers as h } from '../../src/services/ec2/network-handlers.js';
import {
  allocatePrivateIp,
  defaultNetwork,
  releasePrivateIp,
  requireSubnet,
  resolveSecurityGroups,
} from '../../src/services/ec2/network-lookup.js';
import { availabilityZonesOf } from '../../src/services/ec2/regions.js';
import { EC2_MIGRATIONS } from '../../src/services/ec2/store.js';
import type { RequestContext } from '../../src/services/types.js';
import { type Db, migrate, openDatabase } from '../../src/storage/database.js';
import { awsErrorFrom } from '../protocol/thrown.js';

function context(accountId = '000000000000', region = 'us-east-1', db?: Db): RequestContext {
  const database = db ?? openDatabase();
  if (!db) migrate(database, 'ec2', EC2_MIGRATIONS);
  return { db: database, accountId, region, now: () => 1_700_000_000_000 } as RequestContext;
}

// biome-ignore lint/suspicious/noExplicitAny: handlers return each operation's own SDK output
const call = (ctx: RequestContext, op: string, input: object = {}): any => h[op]?.(input, ctx);

function newVpc(ctx: RequestContext, cidr = '10.0.0.0/16'): string {
  return call(ctx, 'CreateVpc', { CidrBlock: cidr }).Vpc.VpcId;
}

describe('the default network', () => {
  it('has a /20 default subnet in every zone, a default group and an attached gateway', () => {
    const ctx = context();
    const net = defaultNetwork(ctx);
    expect(net.subnets.map((s) => s.AvailabilityZone)).toEqual(
      availabilityZonesOf('us-east-1').map((z) => z.ZoneName),
    );
    expect(net.subnets.map((s) => s.CidrBlock)).toEqual([
      '172.31.0.0/20',
      '172.31.16.0/20',
      '172.31.32.0/20',
      '172.31.48.0/20',
      '172.31.64.0/20',
      '172.31.80.0/20',
    ]);
    expect(net.subnets.every((s) => s.DefaultForAz && s.MapPublicIpOnLaunch && s.VpcId === net.vpcId)).toBe(
      true,
    );
    const gateways = call(ctx, 'DescribeInternetGateways').InternetGateways;
    expect(gateways).toEqual([
      expect.objectContaining({ Attachments: [{ VpcId: net.vpcId, State: 'available' }] }),
    ]);
    const [group] = call(ctx, 'DescribeSecurityGroups', { GroupIds: [net.securityGroupId] }).SecurityGroups;
    expect(group).toMatchObject({ GroupName: 'default', VpcId: net.vpcId });
    expect(group.IpPermissions).toEqual([
      expect.objectContaining({
        IpProtocol: '-1',
        UserIdGroupPairs: [{ GroupId: net.securityGroupId, UserId: ctx.accountId }],
      }),
    ]);
    expect(group.IpPermissionsEgress).toEqual([
      expect.objectContaining({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }),
    ]);
    expect(defaultNetwork(ctx)).toEqual(net);
  });

  it('is separate per account and per region', () => {
    const a = context();
    const b = context('111111111111', 'us-east-1', a.db);
    const west = context('000000000000', 'us-west-2', a.db);
    expect(defaultNetwork(a).vpcId).not.toBe(defaultNetwork(b).vpcId);
    expect(defaultNetwork(west).subnets.map((s) => s.AvailabilityZoneId)).toEqual([
      'usw2-az1',
      'usw2-az2',
      'usw2-az3',
      'usw2-az4',
    ]);
    expect(call(b, 'DescribeVpcs').Vpcs.map((v: { VpcId: string }) => v.VpcId)).toEqual([
      defaultNetwork(b).vpcId,
    ]);
    expect(awsErrorFrom(() => requireSubnet(b, defaultNetwork(a).subnets[0]?.SubnetId as string)).code).toBe(
      'InvalidSubnetID.NotFound',
    );
  });

  it('stays deleted once the user deletes it, until CreateDefaultVpc', () => {
    const ctx = context();
    const net = defaultNetwork(ctx);
    for (const s of net.subnets) call(ctx, 'DeleteSubnet', { SubnetId: s.SubnetId });
    const [igw] = call(ctx, 'DescribeInternetGateways').InternetGateways;
    call(ctx, 'DetachInternetGateway', { InternetGatewayId: igw.InternetGatewayId, VpcId: net.vpcId });
    call(ctx, 'DeleteVpc', { VpcId: net.vpcId });
    expect(call(ctx, 'DescribeVpcs').Vpcs).toEqual([]);
    expect(awsErrorFrom(() => defaultNetwork(ctx)).code).toBe('VPCIdNotSpecified');
    expect(
      awsErrorFrom(() => call(ctx, 'CreateSecurityGroup', { GroupName: 'g', Description: 'd' })).code,
    ).toBe('VPCIdNotSpecified');
    const attribute = call(ctx, 'DescribeAccountAttributes', { AttributeNames: ['default-vpc'] });
    expect(attribute.AccountAttributes[0].AttributeValues).toEqual([{ AttributeValue: 'none' }]);
    const created = call(ctx, 'CreateDefaultVpc').Vpc;
    expect(created).toMatchObject({ IsDefault: true, CidrBlock: '172.31.0.0/16' });
    expect(defaultNetwork(ctx).vpcId).toBe(created.VpcId);
    expect(awsErrorFrom(() => call(ctx, 'CreateDefaultVpc')).code).toBe('DefaultVpcAlreadyExists');
  });
});

describe('private addresses', () => {
  it('skips the four reserved at the start, reuses released ones, and runs out', () => {
    const ctx = context();
    const vpcId = newVpc(ctx);
    const subnetId = call(ctx, 'CreateSubnet', { VpcId: vpcId, CidrBlock: '10.0.0.0/28' }).Subnet.SubnetId;
    const count = () =>
      call(ctx, 'DescribeSubnets', { SubnetIds: [subnetId] }).Subnets[0].AvailableIpAddressCount;
    expect(count()).toBe(11);
    const taken = Array.from({ length: 11 }, () => allocatePrivateIp(ctx, subnetId));
    expect(taken[0]).toBe('10.0.0.4');
    expect(taken.at(-1)).toBe('10.0.0.14');
    expect(count()).toBe(0);
    const full = awsErrorFrom(() => allocatePrivateIp(ctx, subnetId));
    expect(full.code).toBe('InsufficientFreeAddressesInSubnet');
    releasePrivateIp(ctx, subnetId, '10.0.0.7');
    releasePrivateIp(ctx, subnetId, '10.0.0.7');
    expect(count()).toBe(1);
    expect(allocatePrivateIp(ctx, subnetId)).toBe('10.0.0.7');
  });
});

describe('security groups for an instance', () => {
  it('resolves ids and names in the VPC, else its default group', () => {
    const ctx = context();
    const net = defaultNetwork(ctx);
    const web = call(ctx, 'CreateSecurityGroup', { GroupName: 'web', Description: 'w' }).GroupId;
    expect(resolveSecurityGroups(ctx, net.vpcId)).toEqual([
      { GroupId: net.securityGroupId, GroupName: 'default' },
    ]);
    expect(resolveSecurityGroups(ctx, net.vpcId, [web], ['web', 'default'])).toEqual([
      { GroupId: web, GroupName: 'web' },
      { GroupId: net.securityGroupId, GroupName: 'default' },
    ]);
    const other = newVpc(ctx);
    const refused = awsErrorFrom(() =>
      resolveSecurityGroups(ctx, other, [web], [], 'subnet-0123456789abcdef0'),
    );
    expect([refused.code, refused.message]).toEqual([
      'InvalidParameter',
      `Security group ${web} and subnet subnet-0123456789abcdef0 belong to different networks.`,
    ]);
    expect(awsErrorFrom(() => resolveSecurityGroups(ctx, other, [], ['web'])).code).toBe(
      'InvalidGroup.NotFound',
    );
    expect(awsErrorFrom(() => resolveSecurityGroups(ctx, other, ['sg-nothex'])).code).toBe(
      'InvalidGroupId.Malformed',
    );
  });
});

describe('security group rules', () => {
  function group(ctx: RequestContext, vpcId?: string): string {
    return call(ctx, 'CreateSecurityGroup', {
      GroupName: `g${Math.random()}`,
      Description: 'd',
      VpcId: vpcId,
    }).GroupId;
  }

  it('names protocols, keeps ICMP type and code, and folds sources by port range', () => {
    const ctx = context();
    const g = group(ctx, newVpc(ctx));
    call(ctx, 'AuthorizeSecurityGroupIngress', {
      GroupId: g,
      IpPermissions: [
        {
          IpProtocol: '6',
          FromPort: 80,
          ToPort: 80,
          IpRanges: [{ CidrIp: '10.0.0.0/8' }],
          Ipv6Ranges: [{ CidrIpv6: '::/0' }],
        },
        {
          IpProtocol: 'TCP',
          FromPort: 80,
          ToPort: 80,
          PrefixListIds: [{ PrefixListId: 'pl-12345678', Description: 'p' }],
        },
        { IpProtocol: 'icmp', FromPort: 8, ToPort: -1, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        { IpProtocol: '50', IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
      ],
    });
    const [sg] = call(ctx, 'DescribeSecurityGroups', { GroupIds: [g] }).SecurityGroups;
    expect(sg.IpPermissions).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 80,
        ToPort: 80,
        IpRanges: [{ CidrIp: '10.0.0.0/8' }],
        Ipv6Ranges: [{ CidrIpv6: '::/0' }],
        PrefixListIds: [{ PrefixListId: 'pl-12345678', Description: 'p' }],
        UserIdGroupPairs: [],
      },
      {
        IpProtocol: 'icmp',
        FromPort: 8,
        ToPort: -1,
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
      {
        IpProtocol: '50',
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
    ]);
    const matching = (name: string, value: string) =>
      call(ctx, 'DescribeSecurityGroups', { Filters: [{ Name: name, Values: [value] }] }).SecurityGroups.map(
        (s: { GroupId: string }) => s.GroupId,
      );
    expect(matching('ip-permission.from-port', '80')).toEqual([g]);
    expect(matching('ip-permission.ipv6-cidr', '::/0')).toEqual([g]);
    expect(matching('ip-permission.protocol', 'udp')).toEqual([]);
  });

  it('refuses bad protocols, ports and CIDRs, and duplicates within one request', () => {
    const ctx = context();
    const g = group(ctx, newVpc(ctx));
    const authorize = (permission: object) =>
      awsErrorFrom(() =>
        call(ctx, 'AuthorizeSecurityGroupIngress', { GroupId: g, IpPermissions: [permission] }),
      );
    expect(authorize({ IpProtocol: 'bogus', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }).code).toBe(
      'InvalidParameterValue',
    );
    expect(authorize({ IpProtocol: 'tcp', FromPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }).code).toBe(
      'InvalidParameterValue',
    );
    expect(
      authorize({ IpProtocol: 'tcp', FromPort: 90, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }).code,
    ).toBe('InvalidParameterValue');
    expect(
      authorize({ IpProtocol: 'tcp', FromPort: 1, ToPort: 2, IpRanges: [{ CidrIp: '10.0.0.1/8' }] }).message,
    ).toBe('CIDR block 10.0.0.1/8 is malformed');
    const twice = authorize({
      IpProtocol: 'udp',
      FromPort: 53,
      ToPort: 53,
      IpRanges: [{ CidrIp: '1.2.3.4/32' }, { CidrIp: '1.2.3.4/32' }],
    });
    expect([twice.code, twice.message]).toEqual([
      'InvalidPermission.Duplicate',
      'the specified rule "peer: 1.2.3.4/32, UDP, from port: 53, to port: 53, ALLOW" already exists',
    ]);
    expect(
      call(ctx, 'DescribeSecurityGroupRules', { Filters: [{ Name: 'group-id', Values: [g] }] })
        .SecurityGroupRules,
    ).toHaveLength(1);
  });

  it('modifies a rule in place and updates descriptions', () => {
    const ctx = context();
    const g = group(ctx, newVpc(ctx));
    const [rule] = call(ctx, 'AuthorizeSecurityGroupIngress', {
      GroupId: g,
      CidrIp: '10.0.0.0/8',
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
    }).SecurityGroupRules;
    call(ctx, 'ModifySecurityGroupRules', {
      GroupId: g,
      SecurityGroupRules: [
        {
          SecurityGroupRuleId: rule.SecurityGroupRuleId,
          SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 2222, ToPort: 2222, CidrIpv4: '10.1.0.0/16' },
        },
      ],
    });
    call(ctx, 'UpdateSecurityGroupRuleDescriptionsIngress', {
      GroupId: g,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 2222,
          ToPort: 2222,
          IpRanges: [{ CidrIp: '10.1.0.0/16', Description: 'ssh' }],
        },
      ],
    });
    const [after] = call(ctx, 'DescribeSecurityGroupRules', {
      SecurityGroupRuleIds: [rule.SecurityGroupRuleId],
    }).SecurityGroupRules;
    expect(after).toMatchObject({
      FromPort: 2222,
      ToPort: 2222,
      CidrIpv4: '10.1.0.0/16',
      Description: 'ssh',
      IsEgress: false,
    });
  });

  it('a group another group refers to cannot be deleted', () => {
    const ctx = context();
    const vpcId = newVpc(ctx);
    const [a, b] = [group(ctx, vpcId), group(ctx, vpcId)];
    call(ctx, 'AuthorizeSecurityGroupIngress', {
      GroupId: a,
      IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: b }] }],
    });
    const refused = awsErrorFrom(() => call(ctx, 'DeleteSecurityGroup', { GroupId: b }));
    expect([refused.code, refused.message]).toEqual([
      'DependencyViolation',
      `resource ${b} has a dependent object`,
    ]);
    call(ctx, 'DeleteSecurityGroup', { GroupId: a });
    expect(call(ctx, 'DeleteSecurityGroup', { GroupId: b })).toEqual({ Return: true, GroupId: b });
  });
});

describe('VPCs and subnets', () => {
  it('pages DescribeVpcs and filters by CIDR and default', () => {
    const ctx = context();
    const ids = [
      '10.1.0.0/16',
      '10.2.0.0/16',
      '10.3.0.0/16',
      '10.4.0.0/16',
      '10.5.0.0/16',
      '10.6.0.0/16',
    ].map((c) => newVpc(ctx, c));
    const first = call(ctx, 'DescribeVpcs', { MaxResults: 5 });
    const second = call(ctx, 'DescribeVpcs', { MaxResults: 5, NextToken: first.NextToken });
    expect(first.Vpcs).toHaveLength(5);
    expect(second.NextToken).toBeUndefined();
    expect(
      [...first.Vpcs, ...second.Vpcs]
        .filter((v: { IsDefault: boolean }) => !v.IsDefault)
        .map((v: { VpcId: string }) => v.VpcId)
        .sort(),
    ).toEqual([...ids].sort());
    expect(
      call(ctx, 'DescribeVpcs', { Filters: [{ Name: 'cidr', Values: ['10.3.*'] }] }).Vpcs.map(
        (v: { VpcId: string }) => v.VpcId,
      ),
    ).toEqual([ids[2]]);
    expect(
      call(ctx, 'DescribeVpcs', { Filters: [{ Name: 'is-default', Values: ['true'] }] }).Vpcs[0].CidrBlock,
    ).toBe('172.31.0.0/16');
    expect(awsErrorFrom(() => call(ctx, 'DescribeVpcs', { MaxResults: 4 })).code).toBe(
      'InvalidParameterValue',
    );
  });

  it('checks subnet blocks against the VPC and each other, and picks zones by name or id', () => {
    const ctx = context();
    const vpcId = newVpc(ctx, '10.0.0.0/16');
    const create = (input: object) =>
      awsErrorFrom(() => call(ctx, 'CreateSubnet', { VpcId: vpcId, ...input }));
    expect(create({ CidrBlock: '10.0.0.0/29' }).code).toBe('InvalidSubnet.Range');
    expect(create({ CidrBlock: '10.0.0.0/15' }).code).toBe('InvalidSubnet.Range');
    expect(create({ CidrBlock: '192.168.0.0/24' }).code).toBe('InvalidSubnet.Range');
    const subnet = call(ctx, 'CreateSubnet', {
      VpcId: vpcId,
      CidrBlock: '10.0.0.0/24',
      AvailabilityZoneId: 'use1-az4',
    }).Subnet;
    expect(subnet).toMatchObject({
      AvailabilityZone: 'us-east-1d',
      AvailableIpAddressCount: 251,
      DefaultForAz: false,
      MapPublicIpOnLaunch: false,
    });
    expect(create({ CidrBlock: '10.0.0.128/25' }).message).toBe(
      "The CIDR '10.0.0.128/25' conflicts with another subnet",
    );
    expect(
      create({ CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a', AvailabilityZoneId: 'use1-az4' })
        .code,
    ).toBe('InvalidParameterCombination');
    const dependent = awsErrorFrom(() => call(ctx, 'DeleteVpc', { VpcId: vpcId }));
    expect(dependent.message).toBe(`The vpc '${vpcId}' has dependencies and cannot be deleted.`);
    const found = call(ctx, 'DescribeSubnets', {
      Filters: [
        { Name: 'availability-zone-id', Values: ['use1-az4'] },
        { Name: 'default-for-az', Values: ['false'] },
      ],
    });
    expect(found.Subnets.map((s: { SubnetId: string }) => s.SubnetId)).toEqual([subnet.SubnetId]);
  });

  it('keeps the DNS attributes', () => {
    const ctx = context();
    const vpcId = newVpc(ctx);
    expect(
      call(ctx, 'DescribeVpcAttribute', { VpcId: vpcId, Attribute: 'enableDnsHostnames' }).EnableDnsHostnames,
    ).toEqual({ Value: false });
    call(ctx, 'ModifyVpcAttribute', { VpcId: vpcId, EnableDnsHostnames: { Value: true } });
    expect(
      call(ctx, 'DescribeVpcAttribute', { VpcId: vpcId, Attribute: 'enableDnsHostnames' }).EnableDnsHostnames,
    ).toEqual({ Value: true });
    expect(
      call(ctx, 'DescribeVpcAttribute', { VpcId: vpcId, Attribute: 'enableDnsSupport' }).EnableDnsSupport,
    ).toEqual({ Value: true });
    expect(
      awsErrorFrom(() =>
        call(ctx, 'ModifyVpcAttribute', {
          VpcId: vpcId,
          EnableDnsHostnames: { Value: true },
          EnableDnsSupport: { Value: true },
        }),
      ).code,
    ).toBe('InvalidParameterCombination');
  });
});

describe('regions', () => {
  it('lists opt-in regions only when asked for all, but the caller’s own', () => {
    const names = (ctx: RequestContext, input = {}) =>
      call(ctx, 'DescribeRegions', input).Regions.map((r: { RegionName: string }) => r.RegionName);
    const virginia = context();
    expect(names(virginia)).not.toContain('af-south-1');
    expect(names(virginia, { AllRegions: true })).toContain('af-south-1');
    expect(names(context('000000000000', 'af-south-1'))).toContain('af-south-1');
    const [region] = call(virginia, 'DescribeRegions', { RegionNames: ['eu-west-1'] }).Regions;
    expect(region).toEqual({
      RegionName: 'eu-west-1',
      Endpoint: 'ec2.eu-west-1.amazonaws.com',
      OptInStatus: 'opt-in-not-required',
    });
    expect(
      names(virginia, { AllRegions: true, Filters: [{ Name: 'opt-in-status', Values: ['not-opted-in'] }] }),
    ).toContain('ap-east-1');
  });
});
