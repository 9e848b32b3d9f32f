/**
 * Security group rules: Authorize/Revoke ingress and egress (by permissions, the old flat form
 * or rule ids), DescribeSecurityGroupRules, ModifySecurityGroupRules and the description
 * updates. Each rule is one source (`sgr-` id) of one protocol and port range.
 */
import type {
  AuthorizeSecurityGroupEgressRequest,
  AuthorizeSecurityGroupIngressRequest,
  AuthorizeSecurityGroupIngressResult,
  DescribeSecurityGroupRulesRequest,
  DescribeSecurityGroupRulesResult,
  IpPermission,
  ModifySecurityGroupRulesRequest,
  ModifySecurityGroupRulesResult,
  RevokedSecurityGroupRule,
  RevokeSecurityGroupIngressRequest,
  RevokeSecurityGroupIngressResult,
  SecurityGroupRule,
  SecurityGroupRuleRequest,
  UpdateSecurityGroupRuleDescriptionsIngressRequest,
  UpdateSecurityGroupRuleDescriptionsIngressResult,
  UserIdGroupPair,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../types.js';
import { checkDryRun } from './dry-run.js';
import { ec2Error, invalidParameterCombination, malformedId, missingParameter } from './errors.js';
import { filterMatcher } from './filters.js';
import { isWellFormedId } from './ids.js';
import { pageOf } from './pages.js';
import {
  describeForDuplicate,
  permissionsOf,
  requestedPermissions,
  ruleIdentity,
  rulesOf,
  securityGroupRuleOf,
} from './security-group-permissions.js';
import {
  allRules,
  deleteRule,
  findGroupByName,
  findRule,
  type GroupRow,
  insertRule,
  type NewRule,
  type RuleRow,
  rulesOfGroup,
  updateRule,
  updateRuleDescription,
} from './security-group-store.js';
import { groupNotFound, requireGroup, requireTargetGroup } from './security-groups.js';
import { tagsByResource, tagsBySpecification, writeTags } from './tags.js';
import { findVpc } from './vpc-records.js';

/** AWS's quota of inbound (and, separately, outbound) rules per group. */
const MAX_RULES_PER_DIRECTION = 60;

/** A UserIdGroupPair's group: by id, or by name in the target group's VPC. */
function groupResolver(ctx: RequestContext, target: GroupRow) {
  return (pair: UserIdGroupPair): GroupRow => {
    if (pair.GroupId) return requireGroup(ctx, pair.GroupId);
    if (!pair.GroupName) throw missingParameter('groupId or groupName');
    const group = findGroupByName(ctx, target.vpcId, pair.GroupName);
    if (!group) throw groupNotFound(pair.GroupName);
    return group;
  };
}

function requireRuleId(ctx: RequestContext, ruleId: string, group: GroupRow): RuleRow {
  if (!isWellFormedId('sgr', ruleId)) throw malformedId('InvalidSecurityGroupRuleId.Malformed', ruleId);
  const rule = findRule(ctx, ruleId);
  if (!rule || rule.groupId !== group.groupId)
    throw ec2Error(
      'InvalidSecurityGroupRuleId.NotFound',
      `The security group rule ID '${ruleId}' does not exist`,
    );
  return rule;
}

function duplicate(rule: NewRule) {
  return ec2Error(
    'InvalidPermission.Duplicate',
    `the specified rule "${describeForDuplicate(rule)}" already exists`,
  );
}

type AuthorizeInput = AuthorizeSecurityGroupIngressRequest | AuthorizeSecurityGroupEgressRequest;

function authorize(
  input: AuthorizeInput,
  ctx: RequestContext,
  isEgress: boolean,
): AuthorizeSecurityGroupIngressResult {
  const group = isEgress
    ? requireGroup(ctx, input.GroupId ?? missing('groupId'))
    : requireTargetGroup(ctx, input as AuthorizeSecurityGroupIngressRequest);
  const permissions = requestedPermissions(input);
  if (permissions.length === 0) throw missingParameter('ipPermissions');
  const rules = rulesOf(permissions, group, isEgress, groupResolver(ctx, group));
  const tags =
    tagsBySpecification(input.TagSpecifications, ['security-group-rule']).get('security-group-rule') ?? [];
  const existing = rulesOfGroup(ctx, group.groupId).filter((r) => r.isEgress === (isEgress ? 1 : 0));
  const seen = new Set(existing.map(ruleIdentity));
  for (const rule of rules) {
    const identity = ruleIdentity(rule);
    if (seen.has(identity)) throw duplicate(rule);
    seen.add(identity);
  }
  if (existing.length + rules.length > MAX_RULES_PER_DIRECTION)
    throw ec2Error(
      'RulesPerSecurityGroupLimitExceeded',
      'The maximum number of rules per security group has been reached.',
    );
  checkDryRun(input);
  const created = rules.map((rule) => insertRule(ctx, rule));
  for (const rule of created) writeTags(ctx, rule.ruleId, tags);
  return { Return: true, SecurityGroupRules: created.map((r) => securityGroupRuleOf(r, ctx, tags)) };
}

function missing(parameter: string): never {
  throw missingParameter(parameter);
}

function revokedOf(rule: RuleRow): RevokedSecurityGroupRule {
  return {
    SecurityGroupRuleId: rule.ruleId,
    GroupId: rule.groupId,
    IsEgress: rule.isEgress === 1,
    IpProtocol: rule.ipProtocol,
    FromPort: rule.fromPort,
    ToPort: rule.toPort,
    CidrIpv4: rule.cidrIpv4 ?? undefined,
    CidrIpv6: rule.cidrIpv6 ?? undefined,
    PrefixListId: rule.prefixListId ?? undefined,
    ReferencedGroupId: rule.referencedGroupId ?? undefined,
    Description: rule.description ?? undefined,
  };
}

/**
 * The rules a revoke names, and the permissions that match none. AWS forgives unknown rules
 * for a default VPC's group (reporting them) but refuses them elsewhere.
 */
function rulesToRevoke(
  ctx: RequestContext,
  input: RevokeSecurityGroupIngressRequest,
  group: GroupRow,
  isEgress: boolean,
): { rules: RuleRow[]; unknown: IpPermission[] } {
  const ids = input.SecurityGroupRuleIds ?? [];
  const permissions = requestedPermissions(input);
  if (ids.length > 0 && permissions.length > 0)
    throw invalidParameterCombination(
      'The parameter securityGroupRuleIds cannot be used with the parameter ipPermissions',
    );
  if (ids.length > 0) {
    const rules = ids.map((id) => requireRuleId(ctx, id, group));
    if (rules.some((r) => r.isEgress !== (isEgress ? 1 : 0)))
      throw ec2Error(
        'InvalidSecurityGroupRuleId.NotFound',
        `The security group rule ID '${ids.join(', ')}' does not exist`,
      );
    return { rules, unknown: [] };
  }
  if (permissions.length === 0) throw missingParameter('ipPermissions');
  const wanted = rulesOf(permissions, group, isEgress, groupResolver(ctx, group));
  const existing = new Map(
    rulesOfGroup(ctx, group.groupId)
      .filter((r) => r.isEgress === (isEgress ? 1 : 0))
      .map((r) => [ruleIdentity(r), r]),
  );
  const rules: RuleRow[] = [];
  const unmatched: RuleRow[] = [];
  for (const rule of wanted) {
    const found = existing.get(ruleIdentity(rule));
    if (found) rules.push(found);
    else unmatched.push({ ...rule, ruleId: '' });
  }
  if (unmatched.length > 0 && findVpc(ctx, group.vpcId)?.isDefault !== 1)
    throw ec2Error('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
  return { rules, unknown: permissionsOf(unmatched, ctx.accountId) };
}

function revoke(
  input: RevokeSecurityGroupIngressRequest,
  ctx: RequestContext,
  isEgress: boolean,
): RevokeSecurityGroupIngressResult {
  const group = isEgress
    ? requireGroup(ctx, input.GroupId ?? missing('groupId'))
    : requireTargetGroup(ctx, input);
  const { rules, unknown } = rulesToRevoke(ctx, input, group, isEgress);
  checkDryRun(input);
  for (const rule of rules) deleteRule(ctx, rule.ruleId);
  return {
    Return: true,
    UnknownIpPermissions: unknown.length > 0 ? unknown : undefined,
    RevokedSecurityGroupRules: rules.map(revokedOf),
  };
}

function DescribeSecurityGroupRules(
  input: DescribeSecurityGroupRulesRequest,
  ctx: RequestContext,
): DescribeSecurityGroupRulesResult {
  const ids = input.SecurityGroupRuleIds ?? [];
  for (const id of ids) {
    if (!isWellFormedId('sgr', id)) throw malformedId('InvalidSecurityGroupRuleId.Malformed', id);
    if (!findRule(ctx, id))
      throw ec2Error(
        'InvalidSecurityGroupRuleId.NotFound',
        `The security group rule ID '${id}' does not exist`,
      );
  }
  const matches = filterMatcher<SecurityGroupRule>(input.Filters, {
    'group-id': (r) => r.GroupId,
    'security-group-rule-id': (r) => r.SecurityGroupRuleId,
  });
  checkDryRun(input);
  const tags = tagsByResource(ctx, 'sgr');
  const wanted = ids.length > 0 ? new Set(ids) : undefined;
  const rules: SecurityGroupRule[] = [];
  for (const row of allRules(ctx)) {
    if (wanted && !wanted.has(row.ruleId)) continue;
    const ruleTags = tags.get(row.ruleId) ?? [];
    const rule = securityGroupRuleOf(row, ctx, ruleTags);
    if (matches(rule, ruleTags)) rules.push(rule);
  }
  const page = pageOf(rules, (r) => r.SecurityGroupRuleId as string, input, { min: 5, max: 1000 });
  return { SecurityGroupRules: page.items, NextToken: page.nextToken };
}

/** A SecurityGroupRuleRequest (one source) as the IpPermission it amounts to. */
function permissionOfRequest(request: SecurityGroupRuleRequest): IpPermission {
  const sources = [
    request.CidrIpv4,
    request.CidrIpv6,
    request.PrefixListId,
    request.ReferencedGroupId,
  ].filter((s) => s !== undefined);
  if (sources.length !== 1)
    throw invalidParameterCombination(
      'Exactly one of cidrIpv4, cidrIpv6, prefixListId or referencedGroupId must be specified',
    );
  const Description = request.Description;
  return {
    IpProtocol: request.IpProtocol,
    FromPort: request.FromPort,
    ToPort: request.ToPort,
    IpRanges: request.CidrIpv4 !== undefined ? [{ CidrIp: request.CidrIpv4, Description }] : undefined,
    Ipv6Ranges: request.CidrIpv6 !== undefined ? [{ CidrIpv6: request.CidrIpv6, Description }] : undefined,
    PrefixListIds:
      request.PrefixListId !== undefined ? [{ PrefixListId: request.PrefixListId, Description }] : undefined,
    UserIdGroupPairs:
      request.ReferencedGroupId !== undefined
        ? [{ GroupId: request.ReferencedGroupId, Description }]
        : undefined,
  };
}

function ModifySecurityGroupRules(
  input: ModifySecurityGroupRulesRequest,
  ctx: RequestContext,
): ModifySecurityGroupRulesResult {
  const group = requireGroup(ctx, input.GroupId ?? missing('groupId'));
  const updates = input.SecurityGroupRules ?? [];
  if (updates.length === 0) throw missingParameter('securityGroupRules');
  const current = new Map(rulesOfGroup(ctx, group.groupId).map((r) => [r.ruleId, r]));
  const replaced: RuleRow[] = [];
  for (const update of updates) {
    const old = requireRuleId(ctx, update.SecurityGroupRuleId ?? missing('securityGroupRuleId'), group);
    if (!update.SecurityGroupRule) throw missingParameter('securityGroupRule');
    const [rule] = rulesOf(
      [permissionOfRequest(update.SecurityGroupRule)],
      group,
      old.isEgress === 1,
      groupResolver(ctx, group),
    ) as [NewRule];
    const next = { ...rule, ruleId: old.ruleId };
    current.set(old.ruleId, next);
    replaced.push(next);
  }
  const seen = new Set<string>();
  for (const rule of current.values()) {
    const identity = ruleIdentity(rule);
    if (seen.has(identity)) throw duplicate(rule);
    seen.add(identity);
  }
  checkDryRun(input);
  for (const rule of replaced) updateRule(ctx, rule);
  return { Return: true };
}

function updateDescriptions(
  input: UpdateSecurityGroupRuleDescriptionsIngressRequest,
  ctx: RequestContext,
  isEgress: boolean,
): UpdateSecurityGroupRuleDescriptionsIngressResult {
  const group = requireTargetGroup(ctx, input);
  const direction = isEgress ? 1 : 0;
  const changes: [string, string | null][] = [];
  for (const item of input.SecurityGroupRuleDescriptions ?? []) {
    const rule = requireRuleId(ctx, item.SecurityGroupRuleId ?? missing('securityGroupRuleId'), group);
    changes.push([rule.ruleId, item.Description ?? null]);
  }
  const existing = new Map(
    rulesOfGroup(ctx, group.groupId)
      .filter((r) => r.isEgress === direction)
      .map((r) => [ruleIdentity(r), r]),
  );
  for (const rule of rulesOf(input.IpPermissions ?? [], group, isEgress, groupResolver(ctx, group))) {
    const found = existing.get(ruleIdentity(rule));
    if (!found)
      throw ec2Error(
        'InvalidPermission.NotFound',
        'The specified rule does not exist in this security group.',
      );
    changes.push([found.ruleId, rule.description]);
  }
  if (changes.length === 0) throw missingParameter('ipPermissions');
  checkDryRun(input);
  for (const [ruleId, description] of changes) updateRuleDescription(ctx, ruleId, description);
  return { Return: true };
}

export const securityGroupRuleHandlers = {
  AuthorizeSecurityGroupIngress: (input: AuthorizeSecurityGroupIngressRequest, ctx: RequestContext) =>
    authorize(input, ctx, false),
  AuthorizeSecurityGroupEgress: (input: AuthorizeSecurityGroupEgressRequest, ctx: RequestContext) =>
    authorize(input, ctx, true),
  RevokeSecurityGroupIngress: (input: RevokeSecurityGroupIngressRequest, ctx: RequestContext) =>
    revoke(input, ctx, false),
  RevokeSecurityGroupEgress: (input: RevokeSecurityGroupIngressRequest, ctx: RequestContext) =>
    revoke(input, ctx, true),
  DescribeSecurityGroupRules,
  ModifySecurityGroupRules,
  UpdateSecurityGroupRuleDescriptionsIngress: (
    input: UpdateSecurityGroupRuleDescriptionsIngressRequest,
    ctx: RequestContext,
  ) => updateDescriptions(input, ctx, false),
  UpdateSecurityGroupRuleDescriptionsEgress: (
    input: UpdateSecurityGroupRuleDescriptionsIngressRequest,
    ctx: RequestContext,
  ) => updateDescriptions(input, ctx, true),
};
