/** VPCs as stored, and finding one from what a request names. */
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { malformedId, notFound } from './errors.js';
import { isWellFormedId, newId } from './ids.js';
import { createGroupRecord } from './security-group-store.js';
import { dropTags } from './tags.js';

export interface VpcRow {
  vpcId: string;
  cidr: string;
  isDefault: number;
  instanceTenancy: string;
  dnsSupport: number;
  dnsHostnames: number;
}

const COLUMNS = `vpc_id AS vpcId, cidr, is_default AS isDefault, instance_tenancy AS instanceTenancy,
  dns_support AS dnsSupport, dns_hostnames AS dnsHostnames`;

type Key = [string, string];

const statements = perDb((db) => ({
  byId: db.prepare<[...Key, string], VpcRow>(
    `SELECT ${COLUMNS} FROM ec2_vpcs WHERE account = ? AND region = ? AND vpc_id = ?`,
  ),
  all: db.prepare<Key, VpcRow>(
    `SELECT ${COLUMNS} FROM ec2_vpcs WHERE account = ? AND region = ? ORDER BY vpc_id`,
  ),
  defaultVpc: db.prepare<Key, VpcRow>(
    `SELECT ${COLUMNS} FROM ec2_vpcs WHERE account = ? AND region = ? AND is_default = 1`,
  ),
  insert: db.prepare<[...Key, string, string, number, string, number, number, number]>(
    `INSERT INTO ec2_vpcs (account, region, vpc_id, cidr, is_default, instance_tenancy, dns_support, dns_hostnames, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  setDnsSupport: db.prepare<[number, ...Key, string]>(
    'UPDATE ec2_vpcs SET dns_support = ? WHERE account = ? AND region = ? AND vpc_id = ?',
  ),
  setDnsHostnames: db.prepare<[number, ...Key, string]>(
    'UPDATE ec2_vpcs SET dns_hostnames = ? WHERE account = ? AND region = ? AND vpc_id = ?',
  ),
  delete: db.prepare<[...Key, string]>(
    'DELETE FROM ec2_vpcs WHERE account = ? AND region = ? AND vpc_id = ?',
  ),
}));

export function findVpc(ctx: RequestContext, vpcId: string): VpcRow | undefined {
  return statements(ctx.db).byId.get(ctx.accountId, ctx.region, vpcId);
}

export function listVpcs(ctx: RequestContext): VpcRow[] {
  return statements(ctx.db).all.all(ctx.accountId, ctx.region);
}

/** The default VPC as it stands (undefined once deleted); see default-network.ts for making it. */
export function storedDefaultVpc(ctx: RequestContext): VpcRow | undefined {
  return statements(ctx.db).defaultVpc.get(ctx.accountId, ctx.region);
}

/** InvalidVpcID.Malformed or InvalidVpcID.NotFound unless the VPC exists. */
export function requireVpc(ctx: RequestContext, vpcId: string): VpcRow {
  if (!isWellFormedId('vpc', vpcId)) throw malformedId('InvalidVpcID.Malformed', vpcId);
  const vpc = findVpc(ctx, vpcId);
  if (!vpc) throw notFound('InvalidVpcID.NotFound', 'vpc', vpcId);
  return vpc;
}

/**
 * A new VPC with its `default` security group. AWS turns DNS hostnames on only for the
 * default VPC.
 */
export function createVpcRecord(
  ctx: RequestContext,
  vpc: { cidr: string; isDefault: boolean; instanceTenancy: string },
): string {
  const vpcId = newId('vpc');
  statements(ctx.db).insert.run(
    ctx.accountId,
    ctx.region,
    vpcId,
    vpc.cidr,
    vpc.isDefault ? 1 : 0,
    vpc.instanceTenancy,
    1,
    vpc.isDefault ? 1 : 0,
    ctx.now(),
  );
  createGroupRecord(ctx, {
    vpcId,
    name: 'default',
    description: 'default VPC security group',
    isDefault: true,
  });
  return vpcId;
}

export function setVpcDnsSupport(ctx: RequestContext, vpcId: string, on: boolean): void {
  statements(ctx.db).setDnsSupport.run(on ? 1 : 0, ctx.accountId, ctx.region, vpcId);
}

export function setVpcDnsHostnames(ctx: RequestContext, vpcId: string, on: boolean): void {
  statements(ctx.db).setDnsHostnames.run(on ? 1 : 0, ctx.accountId, ctx.region, vpcId);
}

export function deleteVpcRecord(ctx: RequestContext, vpcId: string): void {
  statements(ctx.db).delete.run(ctx.accountId, ctx.region, vpcId);
  dropTags(ctx, vpcId);
}
