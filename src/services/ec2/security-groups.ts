/**
 * Security groups: CreateSecurityGroup, DeleteSecurityGroup, DescribeSecurityGroups. A group
 * belongs to one VPC (the default VPC unless named); names are unique within it, and every VPC
 * has an undeletable `default` group.
 */
import type {
  CreateSecurityGroupRequest,
  CreateSecurityGroupResult,
  DeleteSecurityGroupRequest,
  DeleteSecurityGroupResult,
  DescribeSecurityGroupsRequest,
  DescribeSecurityGroupsResult,
  IpPermission,
  SecurityGroup,
  Tag,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../types.js';
import { instancesUsing } from './compute-references.js';
import { requireDefaultVpc } from './default-network.js';
import { checkDryRun } from './dry-run.js';
import { ec2Error, invalidParameterValue, malformedId, missingParameter } from './errors.js';
import { type FieldReader, filterMatcher } from './filters.js';
import { isWellFormedId } from './ids.js';
import { pageOf } from './pages.js';
import { permissionsOf } from './security-group-permissions.js';
import {
  allRules,
  createGroupRecord,
  deleteGroupRecord,
  findGroup,
  findGroupByName,
  type GroupRow,
  groupsReferencing,
  listGroups,
  type RuleRow,
} from './security-group-store.js';
import { tagsByResource, tagsBySpecification, writeTags } from './tags.js';
import { requireVpc } from './vpc-records.js';

const MAX_NAME_LENGTH = 255;
/** What AWS allows in a VPC group's name and description. */
const ALLOWED_TEXT = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;

export const groupNotFound = (nameOrId: string) =>
  ec2Error('InvalidGroup.NotFound', `The security group '${nameOrId}' does not exist`);

/** InvalidGroupId.Malformed or InvalidGroup.NotFound unless the group exists. */
export function requireGroup(ctx: RequestContext, groupId: string): GroupRow {
  if (!isWellFormedId('sg', groupId)) throw malformedId('InvalidGroupId.Malformed', groupId);
  const group = findGroup(ctx, groupId);
  if (!group) throw groupNotFound(groupId);
  return group;
}

/** The group a request names by GroupId, or by GroupName in the default VPC. */
export function requireTargetGroup(
  ctx: RequestContext,
  input: { GroupId?: string; GroupName?: string },
): GroupRow {
  if (input.GroupId) return requireGroup(ctx, input.GroupId);
  if (!input.GroupName) throw missingParameter('groupName or groupId');
  const vpc = requireDefaultVpc(ctx);
  const group = findGroupByName(ctx, vpc.vpcId, input.GroupName);
  if (!group)
    throw ec2Error(
      'InvalidGroup.NotFound',
      `The security group '${input.GroupName}' does not exist in default VPC '${vpc.vpcId}'`,
    );
  return group;
}

function checkText(value: string, parameter: string): void {
  if (value.length > MAX_NAME_LENGTH)
    throw invalidParameterValue(
      `Value (${value}) for parameter ${parameter} is invalid. Length exceeds maximum of ${MAX_NAME_LENGTH} characters.`,
    );
  if (!ALLOWED_TEXT.test(value))
    throw invalidParameterValue(
      `Value (${value}) for parameter ${parameter} is invalid. Character sets beyond ASCII are not supported.`,
    );
}

const groupArn = (ctx: RequestContext, groupId: string) =>
  `arn:aws:ec2:${ctx.region}:${ctx.accountId}:security-group/${groupId}`;

function CreateSecurityGroup(
  input: CreateSecurityGroupRequest,
  ctx: RequestContext,
): CreateSecurityGroupResult {
  const name = input.GroupName;
  if (!name) throw missingParameter('groupName');
  if (input.Description === undefined || input.Description === '') throw missingParameter('groupDescription');
  checkText(name, 'groupName');
  checkText(input.Description, 'groupDescription');
  if (name.startsWith('sg-'))
    throw invalidParameterValue(
      `Value (${name}) for parameter GroupName is invalid. Group names may not be in the format sg-*.`,
    );
  if (name === 'default') throw invalidParameterValue('Cannot use reserved security group name: default');
  const vpc = input.VpcId ? requireVpc(ctx, input.VpcId) : requireDefaultVpc(ctx);
  if (findGroupByName(ctx, vpc.vpcId, name))
    throw ec2Error(
      'InvalidGroup.Duplicate',
      `The security group '${name}' already exists for VPC '${vpc.vpcId}'`,
    );
  const tags = tagsBySpecification(input.TagSpecifications, ['security-group']).get('security-group') ?? [];
  checkDryRun(input);
  const groupId = createGroupRecord(ctx, {
    vpcId: vpc.vpcId,
    name,
    description: input.Description,
    isDefault: false,
  });
  writeTags(ctx, groupId, tags);
  return { GroupId: groupId, Tags: tags, SecurityGroupArn: groupArn(ctx, groupId) };
}

function DeleteSecurityGroup(
  input: DeleteSecurityGroupRequest,
  ctx: RequestContext,
): DeleteSecurityGroupResult {
  const group = requireTargetGroup(ctx, input);
  if (group.name === 'default')
    throw ec2Error(
      'CannotDelete',
      `the specified group: "${group.groupId}" name: "default" cannot be deleted by a user`,
    );
  const inUse =
    instancesUsing(ctx, { groupId: group.groupId }).length > 0 ||
    groupsReferencing(ctx, group.groupId).length > 0;
  if (inUse) throw ec2Error('DependencyViolation', `resource ${group.groupId} has a dependent object`);
  checkDryRun(input);
  deleteGroupRecord(ctx, group.groupId);
  return { Return: true, GroupId: group.groupId };
}

/** Reads every source of one field across a group's permissions (ingress or egress). */
function across(
  pick: (g: SecurityGroup) => IpPermission[] | undefined,
  read: (p: IpPermission) => (string | number | undefined)[],
): FieldReader<SecurityGroup> {
  return (g) =>
    (pick(g) ?? [])
      .flatMap(read)
      .filter((v) => v !== undefined)
      .map(String);
}

function permissionFilters(prefix: string, pick: (g: SecurityGroup) => IpPermission[] | undefined) {
  return {
    [`${prefix}.cidr`]: across(pick, (p) => (p.IpRanges ?? []).map((r) => r.CidrIp)),
    [`${prefix}.ipv6-cidr`]: across(pick, (p) => (p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6)),
    [`${prefix}.prefix-list-id`]: across(pick, (p) => (p.PrefixListIds ?? []).map((r) => r.PrefixListId)),
    [`${prefix}.from-port`]: across(pick, (p) => [p.FromPort]),
    [`${prefix}.to-port`]: across(pick, (p) => [p.ToPort]),
    [`${prefix}.protocol`]: across(pick, (p) => [p.IpProtocol]),
    [`${prefix}.group-id`]: across(pick, (p) => (p.UserIdGroupPairs ?? []).map((u) => u.GroupId)),
    [`${prefix}.group-name`]: across(pick, (p) => (p.UserIdGroupPairs ?? []).map((u) => u.GroupName)),
    [`${prefix}.user-id`]: across(pick, (p) => (p.UserIdGroupPairs ?? []).map((u) => u.UserId)),
  };
}

const GROUP_FILTERS = {
  description: (g: SecurityGroup) => g.Description,
  'group-id': (g: SecurityGroup) => g.GroupId,
  'group-name': (g: SecurityGroup) => g.GroupName,
  'owner-id': (g: SecurityGroup) => g.OwnerId,
  'vpc-id': (g: SecurityGroup) => g.VpcId,
  ...permissionFilters('ip-permission', (g) => g.IpPermissions),
  ...permissionFilters('egress.ip-permission', (g) => g.IpPermissionsEgress),
};

function describeGroup(
  ctx: RequestContext,
  group: GroupRow,
  rules: readonly RuleRow[],
  tags: Tag[],
): SecurityGroup {
  return {
    GroupId: group.groupId,
    GroupName: group.name,
    Description: group.description,
    VpcId: group.vpcId,
    OwnerId: ctx.accountId,
    SecurityGroupArn: groupArn(ctx, group.groupId),
    IpPermissions: permissionsOf(
      rules.filter((r) => r.isEgress === 0),
      ctx.accountId,
    ),
    IpPermissionsEgress: permissionsOf(
      rules.filter((r) => r.isEgress === 1),
      ctx.accountId,
    ),
    Tags: tags,
  };
}

/** The ids a request names by GroupIds and GroupNames (names in the default VPC). */
function requestedGroupIds(
  ctx: RequestContext,
  input: DescribeSecurityGroupsRequest,
): Set<string> | undefined {
  const ids = input.GroupIds ?? [];
  const names = input.GroupNames ?? [];
  if (ids.length === 0 && names.length === 0) return undefined;
  const wanted = new Set(ids.map((id) => requireGroup(ctx, id).groupId));
  for (const name of names) wanted.add(requireTargetGroup(ctx, { GroupName: name }).groupId);
  return wanted;
}

function DescribeSecurityGroups(
  input: DescribeSecurityGroupsRequest,
  ctx: RequestContext,
): DescribeSecurityGroupsResult {
  const wanted = requestedGroupIds(ctx, input);
  const matches = filterMatcher<SecurityGroup>(input.Filters, GROUP_FILTERS);
  checkDryRun(input);
  const tags = tagsByResource(ctx, 'sg');
  const rulesByGroup = new Map<string, RuleRow[]>();
  for (const rule of allRules(ctx)) {
    const list = rulesByGroup.get(rule.groupId);
    if (list) list.push(rule);
    else rulesByGroup.set(rule.groupId, [rule]);
  }
  const groups: SecurityGroup[] = [];
  for (const row of listGroups(ctx)) {
    if (wanted && !wanted.has(row.groupId)) continue;
    const groupTags = tags.get(row.groupId) ?? [];
    const group = describeGroup(ctx, row, rulesByGroup.get(row.groupId) ?? [], groupTags);
    if (matches(group, groupTags)) groups.push(group);
  }
  const page = pageOf(groups, (g) => g.GroupId as string, input, { min: 5, max: 1000 });
  return { SecurityGroups: page.items, NextToken: page.nextToken };
}

export const securityGroupHandlers = {
  CreateSecurityGroup,
  DeleteSecurityGroup,
  DescribeSecurityGroups,
};
