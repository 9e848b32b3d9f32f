/**
 * Security groups and their rules: create/describe/delete, ingress and egress rules
 * authorized and revoked (by value and by rule id), duplicates, DescribeSecurityGroupRules,
 * and the deletes AWS refuses.
 */
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  type IpPermission,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT, expectEc2Error, idPattern, runInstance, uniqueName, useEC2 } from './setup.js';

const t = useEC2({ ec2BootSeconds: 0, ec2TerminateSeconds: 1 });

let vpcId: string;
let defaultVpcId: string;

beforeAll(async () => {
  const { Vpc } = await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.50.0.0/16' }));
  vpcId = Vpc?.VpcId ?? '';
  const { Vpcs } = await t.ec2.send(
    new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
  );
  defaultVpcId = Vpcs?.[0]?.VpcId ?? '';
});

async function createGroup(label: string, VpcId = vpcId): Promise<string> {
  const { GroupId } = await t.ec2.send(
    new CreateSecurityGroupCommand({ GroupName: uniqueName(label), Description: `${label} group`, VpcId }),
  );
  return GroupId ?? '';
}

async function groupOf(GroupId: string) {
  const { SecurityGroups } = await t.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId] }));
  return SecurityGroups?.[0] ?? {};
}

async function rulesOf(groupId: string) {
  const { SecurityGroupRules } = await t.ec2.send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  );
  return SecurityGroupRules ?? [];
}

const SSH: IpPermission = {
  IpProtocol: 'tcp',
  FromPort: 22,
  ToPort: 22,
  IpRanges: [{ CidrIp: '0.0.0.0/0' }],
};

describe('security groups', () => {
  it('a new group has no ingress and allows all egress', async () => {
    const GroupName = uniqueName('fresh');
    const out = await t.ec2.send(
      new CreateSecurityGroupCommand({ GroupName, Description: 'fresh group', VpcId: vpcId }),
    );
    expect(out.GroupId).toMatch(idPattern('sg'));
    const group = await groupOf(out.GroupId ?? '');
    expect(group).toMatchObject({
      GroupName,
      Description: 'fresh group',
      VpcId: vpcId,
      OwnerId: DEFAULT_ACCOUNT,
      IpPermissions: [],
    });
    expect(group.IpPermissionsEgress).toEqual([
      {
        IpProtocol: '-1',
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
    ]);
    const rules = await rulesOf(out.GroupId ?? '');
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      GroupId: out.GroupId,
      GroupOwnerId: DEFAULT_ACCOUNT,
      IsEgress: true,
      IpProtocol: '-1',
      FromPort: -1,
      ToPort: -1,
      CidrIpv4: '0.0.0.0/0',
    });
    expect(rules[0]?.SecurityGroupRuleId).toMatch(idPattern('sgr'));
  });

  it('a second group of the same name in the same VPC is InvalidGroup.Duplicate', async () => {
    const GroupName = uniqueName('twin');
    await t.ec2.send(new CreateSecurityGroupCommand({ GroupName, Description: 'one', VpcId: vpcId }));
    await expectEc2Error(
      t.ec2.send(new CreateSecurityGroupCommand({ GroupName, Description: 'two', VpcId: vpcId })),
      'InvalidGroup.Duplicate',
      `The security group '${GroupName}' already exists for VPC '${vpcId}'`,
    );
    // the same name in another VPC is a different group
    const other = await t.ec2.send(
      new CreateSecurityGroupCommand({ GroupName, Description: 'three', VpcId: defaultVpcId }),
    );
    expect(other.GroupId).toMatch(idPattern('sg'));
  });

  it('a group without a VPC goes to the default VPC', async () => {
    const { GroupId } = await t.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: uniqueName('nowhere'), Description: 'no vpc given' }),
    );
    expect((await groupOf(GroupId ?? '')).VpcId).toBe(defaultVpcId);
  });

  it('an ingress rule is added, described, refused twice and revoked', async () => {
    const groupId = await createGroup('ingress');
    const added = await t.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [SSH] }),
    );
    expect(added.Return).toBe(true);
    expect(added.SecurityGroupRules).toHaveLength(1);
    const rule = added.SecurityGroupRules?.[0];
    expect(rule).toMatchObject({
      GroupId: groupId,
      IsEgress: false,
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
      CidrIpv4: '0.0.0.0/0',
    });
    expect(rule?.SecurityGroupRuleId).toMatch(idPattern('sgr'));

    expect((await groupOf(groupId)).IpPermissions).toEqual([
      { ...SSH, Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
    ]);
    const ingress = (await rulesOf(groupId)).filter((r) => !r.IsEgress);
    expect(ingress.map((r) => r.SecurityGroupRuleId)).toEqual([rule?.SecurityGroupRuleId]);

    await expectEc2Error(
      t.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [SSH] })),
      'InvalidPermission.Duplicate',
      'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists',
    );

    const revoked = await t.ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [SSH] }),
    );
    expect(revoked.Return).toBe(true);
    expect((await groupOf(groupId)).IpPermissions).toEqual([]);
  });

  it('the CidrIp shorthand and several ranges in one permission make one rule each', async () => {
    const groupId = await createGroup('shorthand');
    await t.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        CidrIp: '10.0.0.0/8',
      }),
    );
    await t.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          {
            IpProtocol: 'udp',
            FromPort: 53,
            ToPort: 53,
            IpRanges: [{ CidrIp: '192.168.0.0/16', Description: 'dns' }, { CidrIp: '172.16.0.0/12' }],
          },
        ],
      }),
    );
    const ingress = (await rulesOf(groupId)).filter((r) => !r.IsEgress);
    expect(ingress.map((r) => `${r.IpProtocol}:${r.FromPort}-${r.ToPort}:${r.CidrIpv4}`).sort()).toEqual([
      'tcp:443-443:10.0.0.0/8',
      'udp:53-53:172.16.0.0/12',
      'udp:53-53:192.168.0.0/16',
    ]);
    expect(ingress.find((r) => r.CidrIpv4 === '192.168.0.0/16')?.Description).toBe('dns');
  });

  it('a rule can name another group as its source', async () => {
    const source = await createGroup('source');
    const target = await createGroup('target');
    await t.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: target,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: source }] },
        ],
      }),
    );
    const [rule] = (await rulesOf(target)).filter((r) => !r.IsEgress);
    expect(rule?.ReferencedGroupInfo).toMatchObject({ GroupId: source, UserId: DEFAULT_ACCOUNT });
    expect((await groupOf(target)).IpPermissions?.[0]?.UserIdGroupPairs).toEqual([
      { GroupId: source, UserId: DEFAULT_ACCOUNT },
    ]);
    // a group that another group's rule names cannot be deleted
    await expectEc2Error(
      t.ec2.send(new DeleteSecurityGroupCommand({ GroupId: source })),
      'DependencyViolation',
      `resource ${source} has a dependent object`,
    );
  });

  it('a rule is revoked by its id', async () => {
    const groupId = await createGroup('by-id');
    const added = await t.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [SSH] }),
    );
    const ruleId = added.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? '';
    const revoked = await t.ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: [ruleId] }),
    );
    expect(revoked.Return).toBe(true);
    expect((await rulesOf(groupId)).filter((r) => !r.IsEgress)).toEqual([]);
  });

  it('revoking a rule that does not exist: an error in a VPC of yours, a report in the default VPC', async () => {
    const groupId = await createGroup('missing-rule');
    await expectEc2Error(
      t.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [SSH] })),
      'InvalidPermission.NotFound',
    );
    const inDefault = await createGroup('missing-rule-default', defaultVpcId);
    const out = await t.ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: inDefault, IpPermissions: [SSH] }),
    );
    expect(out.UnknownIpPermissions).toHaveLength(1);
    expect(out.UnknownIpPermissions?.[0]).toMatchObject({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22 });
  });

  it('egress rules are authorized and revoked the same way', async () => {
    const groupId = await createGroup('egress');
    const allOut: IpPermission = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
    await t.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [allOut] }));
    expect((await groupOf(groupId)).IpPermissionsEgress).toEqual([]);
    const https: IpPermission = {
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      IpRanges: [{ CidrIp: '10.0.0.0/8' }],
    };
    const added = await t.ec2.send(
      new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [https] }),
    );
    expect(added.SecurityGroupRules?.[0]).toMatchObject({ IsEgress: true, IpProtocol: 'tcp', FromPort: 443 });
    await expectEc2Error(
      t.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [https] })),
      'InvalidPermission.Duplicate',
    );
    expect((await rulesOf(groupId)).map((r) => r.IsEgress)).toEqual([true]);
  });

  it('DescribeSecurityGroups of a group that does not exist', async () => {
    await expectEc2Error(
      t.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-0123456789abcdef0'] })),
      'InvalidGroup.NotFound',
      "The security group 'sg-0123456789abcdef0' does not exist",
    );
    await expectEc2Error(
      t.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['group-1'] })),
      'InvalidGroupId.Malformed',
    );
  });
});

describe('deleting security groups', () => {
  it('a group in use by an instance, until the instance is terminated', async () => {
    const groupId = await createGroup('in-use', defaultVpcId);
    const { InstanceId } = await runInstance(t.ec2, { SecurityGroupIds: [groupId] });
    await expectEc2Error(
      t.ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId })),
      'DependencyViolation',
      `resource ${groupId} has a dependent object`,
    );
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [InstanceId] }));
    t.h.server.advanceClock(2);
    await t.ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
    await expectEc2Error(
      t.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] })),
      'InvalidGroup.NotFound',
    );
  });

  it("a VPC's default group cannot be deleted", async () => {
    const { SecurityGroups } = await t.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'group-name', Values: ['default'] },
        ],
      }),
    );
    const groupId = SecurityGroups?.[0]?.GroupId ?? '';
    await expectEc2Error(
      t.ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId })),
      'CannotDelete',
      `the specified group: "${groupId}" name: "default" cannot be deleted by a user`,
    );
  });

  it('a group that does not exist', async () => {
    await expectEc2Error(
      t.ec2.send(new DeleteSecurityGroupCommand({ GroupId: 'sg-0123456789abcdef0' })),
      'InvalidGroup.NotFound',
    );
  });
});
