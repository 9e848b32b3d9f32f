/**
 * Security group rules between their two faces: the IpPermission a request carries (one
 * protocol and port range, many sources; or the old flat CidrIp/IpProtocol/FromPort/ToPort
 * form) and the one-source rule rows AWS keeps as SecurityGroupRules. Describe folds the rows
 * back into IpPermissions grouped by protocol and ports.
 */
import type { IpPermission, SecurityGroupRule, Tag, UserIdGroupPair } from '@aws-sdk/client-ec2';
import { isIpv6Cidr, parseCidr } from './cidr.js';
import { ec2Error, invalidParameterCombination, invalidParameterValue } from './errors.js';
import type { GroupRow, NewRule, RuleRow } from './security-group-store.js';

const PROTOCOL_NAMES: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'icmpv6' };
const NAMED = new Set(['tcp', 'udp', 'icmp', 'icmpv6', '-1']);

/** `tcp`, `6` -> `tcp`; `-1`/`all` -> `-1`; other protocol numbers stay numbers. */
function normaliseProtocol(protocol: string | undefined): string {
  if (protocol === undefined || protocol === '')
    throw ec2Error('MissingParameter', 'The request must contain the parameter ipProtocol');
  const lower = protocol.toLowerCase();
  if (NAMED.has(lower)) return lower;
  if (lower === 'all') return '-1';
  if (/^\d{1,3}$/.test(lower) && Number(lower) <= 255)
    return PROTOCOL_NAMES[String(Number(lower))] ?? String(Number(lower));
  throw invalidParameterValue(`Invalid value '${protocol}' for IP protocol. Unknown protocol.`);
}

const hasPorts = (protocol: string) => protocol === 'tcp' || protocol === 'udp';
const isIcmp = (protocol: string) => protocol === 'icmp' || protocol === 'icmpv6';

/** The stored port range: TCP/UDP ports 0-65535, ICMP type and code (-1 for any), else -1/-1. */
function portRange(protocol: string, from: number | undefined, to: number | undefined): [number, number] {
  if (hasPorts(protocol)) {
    if (from === undefined || to === undefined)
      throw invalidParameterValue(
        `Invalid value '${from === undefined ? 'null' : to}' for ${from === undefined ? 'fromPort' : 'toPort'}. Must specify both from and to ports with TCP/UDP.`,
      );
    if (from < 0 || to > 65535 || from > to)
      throw invalidParameterValue(
        `Invalid value for portRange. Must specify a valid fromPort (${from}) and toPort (${to}) between 0 and 65535.`,
      );
    return [from, to];
  }
  if (isIcmp(protocol)) {
    const type = from ?? -1;
    const code = to ?? -1;
    if (type < -1 || type > 255) throw invalidParameterValue(`Invalid value '${type}' for icmp type.`);
    if (code < -1 || code > 255) throw invalidParameterValue(`Invalid value '${code}' for icmp code.`);
    return [type, code];
  }
  return [-1, -1];
}

/** Finds a group a UserIdGroupPair names (by id, or by name in the target group's VPC). */
type GroupResolver = (pair: UserIdGroupPair) => GroupRow;

/** The permissions a request gives: its IpPermissions, or the old flat form as one. */
export function requestedPermissions(input: {
  CidrIp?: string;
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  SourceSecurityGroupName?: string;
  SourceSecurityGroupOwnerId?: string;
  IpPermissions?: IpPermission[];
}): IpPermission[] {
  const flat =
    input.CidrIp !== undefined ||
    input.IpProtocol !== undefined ||
    input.FromPort !== undefined ||
    input.ToPort !== undefined ||
    input.SourceSecurityGroupName !== undefined;
  if (!flat) return input.IpPermissions ?? [];
  if (input.IpPermissions?.length)
    throw invalidParameterCombination(
      'The parameter ipPermissions cannot be used with the parameter cidrIp, ipProtocol, fromPort or toPort',
    );
  const source = input.SourceSecurityGroupName;
  return [
    {
      // naming a source group alone grants every protocol, as AWS does
      IpProtocol: input.IpProtocol ?? (source !== undefined ? '-1' : undefined),
      FromPort: input.FromPort,
      ToPort: input.ToPort,
      IpRanges: input.CidrIp !== undefined ? [{ CidrIp: input.CidrIp }] : undefined,
      UserIdGroupPairs:
        source !== undefined ? [{ GroupName: source, UserId: input.SourceSecurityGroupOwnerId }] : undefined,
    },
  ];
}

const NO_SOURCE = {
  cidrIpv4: null,
  cidrIpv6: null,
  prefixListId: null,
  referencedGroupId: null,
  referencedUserId: null,
};

/** Expands permissions into one rule per source, validating each. */
export function rulesOf(
  permissions: readonly IpPermission[],
  group: GroupRow,
  isEgress: boolean,
  resolveGroup: GroupResolver,
): NewRule[] {
  const rules: NewRule[] = [];
  for (const permission of permissions) {
    const ipProtocol = normaliseProtocol(permission.IpProtocol);
    const [fromPort, toPort] = portRange(ipProtocol, permission.FromPort, permission.ToPort);
    const base = { groupId: group.groupId, isEgress: isEgress ? 1 : 0, ipProtocol, fromPort, toPort };
    const before = rules.length;
    for (const range of permission.IpRanges ?? []) {
      const cidr = parseCidr(range.CidrIp ?? '');
      if (!cidr) throw invalidParameterValue(`CIDR block ${range.CidrIp} is malformed`);
      rules.push({
        ...base,
        ...NO_SOURCE,
        cidrIpv4: range.CidrIp as string,
        description: range.Description ?? null,
      });
    }
    for (const range of permission.Ipv6Ranges ?? []) {
      if (!isIpv6Cidr(range.CidrIpv6 ?? ''))
        throw invalidParameterValue(`CIDR block ${range.CidrIpv6} is malformed`);
      rules.push({
        ...base,
        ...NO_SOURCE,
        cidrIpv6: range.CidrIpv6 as string,
        description: range.Description ?? null,
      });
    }
    for (const list of permission.PrefixListIds ?? []) {
      if (!list.PrefixListId?.startsWith('pl-'))
        throw ec2Error(
          'InvalidPrefixListId.Malformed',
          `Invalid id: "${list.PrefixListId ?? ''}" (expecting "pl-...")`,
        );
      rules.push({
        ...base,
        ...NO_SOURCE,
        prefixListId: list.PrefixListId,
        description: list.Description ?? null,
      });
    }
    for (const pair of permission.UserIdGroupPairs ?? []) {
      const referenced = resolveGroup(pair);
      rules.push({
        ...base,
        ...NO_SOURCE,
        referencedGroupId: referenced.groupId,
        referencedUserId: pair.UserId ?? null,
        description: pair.Description ?? null,
      });
    }
    if (rules.length === before)
      throw ec2Error(
        'MissingParameter',
        'The request must contain the parameter ipRanges, ipv6Ranges, prefixListIds or groups',
      );
  }
  return rules;
}

/** What makes two rules the same rule (the description does not). */
export function ruleIdentity(rule: NewRule): string {
  return [
    rule.isEgress,
    rule.ipProtocol,
    rule.fromPort,
    rule.toPort,
    rule.cidrIpv4 ?? '',
    rule.cidrIpv6 ?? '',
    rule.prefixListId ?? '',
    rule.referencedGroupId ?? '',
  ].join('|');
}

/** AWS's words for a rule in InvalidPermission.Duplicate. */
export function describeForDuplicate(rule: NewRule): string {
  const peer = rule.cidrIpv4 ?? rule.cidrIpv6 ?? rule.prefixListId ?? rule.referencedGroupId ?? '';
  const protocol = rule.ipProtocol === '-1' ? 'ALL' : rule.ipProtocol.toUpperCase();
  if (hasPorts(rule.ipProtocol))
    return `peer: ${peer}, ${protocol}, from port: ${rule.fromPort}, to port: ${rule.toPort}, ALLOW`;
  if (isIcmp(rule.ipProtocol))
    return `peer: ${peer}, ${protocol}, type: ${rule.fromPort}, code: ${rule.toPort}, ALLOW`;
  return `peer: ${peer}, ${protocol}, ALLOW`;
}

/** Rows folded into IpPermissions, one per protocol and port range, in rule order. */
export function permissionsOf(rules: readonly RuleRow[], accountId: string): IpPermission[] {
  const byRange = new Map<
    string,
    Required<Pick<IpPermission, 'IpRanges' | 'Ipv6Ranges' | 'PrefixListIds' | 'UserIdGroupPairs'>> &
      IpPermission
  >();
  for (const rule of rules) {
    const key = `${rule.ipProtocol}|${rule.fromPort}|${rule.toPort}`;
    let permission = byRange.get(key);
    if (!permission) {
      const showPorts = hasPorts(rule.ipProtocol) || isIcmp(rule.ipProtocol);
      permission = {
        IpProtocol: rule.ipProtocol,
        ...(showPorts ? { FromPort: rule.fromPort, ToPort: rule.toPort } : {}),
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      };
      byRange.set(key, permission);
    }
    const description = rule.description ?? undefined;
    if (rule.cidrIpv4 !== null) permission.IpRanges.push({ CidrIp: rule.cidrIpv4, Description: description });
    else if (rule.cidrIpv6 !== null)
      permission.Ipv6Ranges.push({ CidrIpv6: rule.cidrIpv6, Description: description });
    else if (rule.prefixListId !== null)
      permission.PrefixListIds.push({ PrefixListId: rule.prefixListId, Description: description });
    else if (rule.referencedGroupId !== null)
      permission.UserIdGroupPairs.push({
        GroupId: rule.referencedGroupId,
        UserId: rule.referencedUserId ?? accountId,
        Description: description,
      });
  }
  return [...byRange.values()];
}

/** A row as DescribeSecurityGroupRules shows it. */
export function securityGroupRuleOf(
  rule: RuleRow,
  ctx: { accountId: string; region: string },
  tags: Tag[],
): SecurityGroupRule {
  return {
    SecurityGroupRuleId: rule.ruleId,
    SecurityGroupRuleArn: `arn:aws:ec2:${ctx.region}:${ctx.accountId}:security-group-rule/${rule.ruleId}`,
    GroupId: rule.groupId,
    GroupOwnerId: ctx.accountId,
    IsEgress: rule.isEgress === 1,
    IpProtocol: rule.ipProtocol,
    FromPort: rule.fromPort,
    ToPort: rule.toPort,
    CidrIpv4: rule.cidrIpv4 ?? undefined,
    CidrIpv6: rule.cidrIpv6 ?? undefined,
    PrefixListId: rule.prefixListId ?? undefined,
    ReferencedGroupInfo:
      rule.referencedGroupId !== null
        ? { GroupId: rule.referencedGroupId, UserId: rule.referencedUserId ?? ctx.accountId }
        : undefined,
    Description: rule.description ?? undefined,
    Tags: tags,
  };
}
