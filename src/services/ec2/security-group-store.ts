/**
 * Security groups and their rules as stored: one row per group, one row per rule (`sgr-`),
 * each rule naming exactly one source or destination (an IPv4 or IPv6 CIDR, a prefix list or
 * another group), as AWS's SecurityGroupRule does.
 */
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { newId } from './ids.js';
import { dropTags } from './tags.js';

export interface GroupRow {
  groupId: string;
  vpcId: string;
  name: string;
  description: string;
}

export interface RuleRow {
  ruleId: string;
  groupId: string;
  isEgress: number;
  ipProtocol: string;
  fromPort: number;
  toPort: number;
  cidrIpv4: string | null;
  cidrIpv6: string | null;
  prefixListId: string | null;
  referencedGroupId: string | null;
  referencedUserId: string | null;
  description: string | null;
}

/** A rule before it has an id. */
export type NewRule = Omit<RuleRow, 'ruleId'>;

const GROUP_COLUMNS = 'group_id AS groupId, vpc_id AS vpcId, name, description';
const RULE_COLUMNS = `rule_id AS ruleId, group_id AS groupId, is_egress AS isEgress, ip_protocol AS ipProtocol,
  from_port AS fromPort, to_port AS toPort, cidr_ipv4 AS cidrIpv4, cidr_ipv6 AS cidrIpv6,
  prefix_list_id AS prefixListId, referenced_group_id AS referencedGroupId,
  referenced_user_id AS referencedUserId, description`;

type Key = [string, string];

const statements = perDb((db) => ({
  group: db.prepare<[...Key, string], GroupRow>(
    `SELECT ${GROUP_COLUMNS} FROM ec2_security_groups WHERE account = ? AND region = ? AND group_id = ?`,
  ),
  groupByName: db.prepare<[...Key, string, string], GroupRow>(
    `SELECT ${GROUP_COLUMNS} FROM ec2_security_groups WHERE account = ? AND region = ? AND vpc_id = ? AND name = ?`,
  ),
  groups: db.prepare<Key, GroupRow>(
    `SELECT ${GROUP_COLUMNS} FROM ec2_security_groups WHERE account = ? AND region = ? ORDER BY group_id`,
  ),
  groupsOfVpc: db.prepare<[...Key, string], GroupRow>(
    `SELECT ${GROUP_COLUMNS} FROM ec2_security_groups WHERE account = ? AND region = ? AND vpc_id = ? ORDER BY group_id`,
  ),
  insertGroup: db.prepare<[...Key, string, string, string, string, number]>(
    'INSERT INTO ec2_security_groups (account, region, group_id, vpc_id, name, description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ),
  deleteGroup: db.prepare<[...Key, string]>(
    'DELETE FROM ec2_security_groups WHERE account = ? AND region = ? AND group_id = ?',
  ),
  rule: db.prepare<[...Key, string], RuleRow>(
    `SELECT ${RULE_COLUMNS} FROM ec2_security_group_rules WHERE account = ? AND region = ? AND rule_id = ?`,
  ),
  rulesOfGroup: db.prepare<[...Key, string], RuleRow>(
    `SELECT ${RULE_COLUMNS} FROM ec2_security_group_rules WHERE account = ? AND region = ? AND group_id = ? ORDER BY seq`,
  ),
  allRules: db.prepare<Key, RuleRow>(
    `SELECT ${RULE_COLUMNS} FROM ec2_security_group_rules WHERE account = ? AND region = ? ORDER BY group_id, seq`,
  ),
  referencingGroups: db.prepare<[...Key, string, string], { groupId: string }>(
    'SELECT DISTINCT group_id AS groupId FROM ec2_security_group_rules WHERE account = ? AND region = ? AND referenced_group_id = ? AND group_id <> ? ORDER BY group_id',
  ),
  insertRule: db.prepare<
    [
      ...Key,
      string,
      string,
      number,
      string,
      number,
      number,
      string | null,
      string | null,
      string | null,
      string | null,
      string | null,
      string | null,
      ...Key,
      string,
    ]
  >(
    `INSERT INTO ec2_security_group_rules (account, region, rule_id, group_id, is_egress, ip_protocol, from_port,
      to_port, cidr_ipv4, cidr_ipv6, prefix_list_id, referenced_group_id, referenced_user_id, description, seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
      (SELECT coalesce(max(seq), 0) + 1 FROM ec2_security_group_rules WHERE account = ? AND region = ? AND group_id = ?))`,
  ),
  updateRule: db.prepare<
    [
      string,
      number,
      number,
      string | null,
      string | null,
      string | null,
      string | null,
      string | null,
      string | null,
      ...Key,
      string,
    ]
  >(
    `UPDATE ec2_security_group_rules SET ip_protocol = ?, from_port = ?, to_port = ?, cidr_ipv4 = ?, cidr_ipv6 = ?,
      prefix_list_id = ?, referenced_group_id = ?, referenced_user_id = ?, description = ?
     WHERE account = ? AND region = ? AND rule_id = ?`,
  ),
  updateDescription: db.prepare<[string | null, ...Key, string]>(
    'UPDATE ec2_security_group_rules SET description = ? WHERE account = ? AND region = ? AND rule_id = ?',
  ),
  deleteRule: db.prepare<[...Key, string]>(
    'DELETE FROM ec2_security_group_rules WHERE account = ? AND region = ? AND rule_id = ?',
  ),
  deleteRulesOfGroup: db.prepare<[...Key, string]>(
    'DELETE FROM ec2_security_group_rules WHERE account = ? AND region = ? AND group_id = ?',
  ),
}));

const key = (ctx: RequestContext): Key => [ctx.accountId, ctx.region];

export function findGroup(ctx: RequestContext, groupId: string): GroupRow | undefined {
  return statements(ctx.db).group.get(...key(ctx), groupId);
}

export function findGroupByName(ctx: RequestContext, vpcId: string, name: string): GroupRow | undefined {
  return statements(ctx.db).groupByName.get(...key(ctx), vpcId, name);
}

export function listGroups(ctx: RequestContext): GroupRow[] {
  return statements(ctx.db).groups.all(...key(ctx));
}

export function groupsOfVpc(ctx: RequestContext, vpcId: string): GroupRow[] {
  return statements(ctx.db).groupsOfVpc.all(...key(ctx), vpcId);
}

/** Groups (other than itself) with a rule naming this group. */
export function groupsReferencing(ctx: RequestContext, groupId: string): string[] {
  return statements(ctx.db)
    .referencingGroups.all(...key(ctx), groupId, groupId)
    .map((r) => r.groupId);
}

/** A new group with AWS's default rules: all traffic out to anywhere, and for a VPC's
 * `default` group, all traffic in from members of the group itself. */
export function createGroupRecord(
  ctx: RequestContext,
  group: { vpcId: string; name: string; description: string; isDefault: boolean },
): string {
  const groupId = newId('sg');
  statements(ctx.db).insertGroup.run(
    ...key(ctx),
    groupId,
    group.vpcId,
    group.name,
    group.description,
    ctx.now(),
  );
  const allTraffic = { groupId, ipProtocol: '-1', fromPort: -1, toPort: -1, description: null };
  const nothing = {
    cidrIpv4: null,
    cidrIpv6: null,
    prefixListId: null,
    referencedGroupId: null,
    referencedUserId: null,
  };
  if (group.isDefault)
    insertRule(ctx, {
      ...allTraffic,
      ...nothing,
      isEgress: 0,
      referencedGroupId: groupId,
      referencedUserId: ctx.accountId,
    });
  insertRule(ctx, { ...allTraffic, ...nothing, isEgress: 1, cidrIpv4: '0.0.0.0/0' });
  return groupId;
}

export function deleteGroupRecord(ctx: RequestContext, groupId: string): void {
  const s = statements(ctx.db);
  for (const rule of s.rulesOfGroup.all(...key(ctx), groupId)) dropTags(ctx, rule.ruleId);
  s.deleteRulesOfGroup.run(...key(ctx), groupId);
  s.deleteGroup.run(...key(ctx), groupId);
  dropTags(ctx, groupId);
}

export function findRule(ctx: RequestContext, ruleId: string): RuleRow | undefined {
  return statements(ctx.db).rule.get(...key(ctx), ruleId);
}

export function rulesOfGroup(ctx: RequestContext, groupId: string): RuleRow[] {
  return statements(ctx.db).rulesOfGroup.all(...key(ctx), groupId);
}

export function allRules(ctx: RequestContext): RuleRow[] {
  return statements(ctx.db).allRules.all(...key(ctx));
}

export function insertRule(ctx: RequestContext, rule: NewRule): RuleRow {
  const ruleId = newId('sgr');
  statements(ctx.db).insertRule.run(
    ...key(ctx),
    ruleId,
    rule.groupId,
    rule.isEgress,
    rule.ipProtocol,
    rule.fromPort,
    rule.toPort,
    rule.cidrIpv4,
    rule.cidrIpv6,
    rule.prefixListId,
    rule.referencedGroupId,
    rule.referencedUserId,
    rule.description,
    ...key(ctx),
    rule.groupId,
  );
  return { ruleId, ...rule };
}

export function updateRule(ctx: RequestContext, rule: RuleRow): void {
  statements(ctx.db).updateRule.run(
    rule.ipProtocol,
    rule.fromPort,
    rule.toPort,
    rule.cidrIpv4,
    rule.cidrIpv6,
    rule.prefixListId,
    rule.referencedGroupId,
    rule.referencedUserId,
    rule.description,
    ...key(ctx),
    rule.ruleId,
  );
}

export function updateRuleDescription(ctx: RequestContext, ruleId: string, description: string | null): void {
  statements(ctx.db).updateDescription.run(description, ...key(ctx), ruleId);
}

export function deleteRule(ctx: RequestContext, ruleId: string): void {
  statements(ctx.db).deleteRule.run(...key(ctx), ruleId);
  dropTags(ctx, ruleId);
}
