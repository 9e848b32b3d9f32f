/**
 * The default network every account+region has: VPC 172.31.0.0/16, a /20 default subnet per
 * Availability Zone, the VPC's `default` security group and an attached internet gateway.
 * Made on first use; once the user deletes the default VPC it stays gone until
 * CreateDefaultVpc makes a new one.
 */
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { addressCount, formatCidr, parseCidr } from './cidr.js';
import { ec2Error } from './errors.js';
import { createGatewayRecord } from './internet-gateways.js';
import { availabilityZonesOf } from './regions.js';
import { createSubnetRecord } from './subnet-records.js';
import { createVpcRecord, storedDefaultVpc, type VpcRow } from './vpc-records.js';

const DEFAULT_VPC_CIDR = '172.31.0.0/16';
const DEFAULT_SUBNET_PREFIX = 20;

const statements = perDb((db) => ({
  mark: db.prepare<[string, string]>(
    'INSERT INTO ec2_default_networks (account, region) VALUES (?, ?) ON CONFLICT DO NOTHING',
  ),
}));

/** Makes the default network if this account+region never had one. */
export function ensureDefaultNetwork(ctx: RequestContext): void {
  if (statements(ctx.db).mark.run(ctx.accountId, ctx.region).changes > 0) createDefaultNetwork(ctx);
}

/** The default VPC (made on first use), or VPCIdNotSpecified once the user has deleted it. */
export function requireDefaultVpc(ctx: RequestContext): VpcRow {
  ensureDefaultNetwork(ctx);
  const vpc = storedDefaultVpc(ctx);
  if (!vpc) throw ec2Error('VPCIdNotSpecified', 'No default VPC for this user');
  return vpc;
}

/** A new default VPC with its subnets, group and gateway; returns the VPC's id. */
export function createDefaultNetwork(ctx: RequestContext): string {
  const vpcId = createVpcRecord(ctx, { cidr: DEFAULT_VPC_CIDR, isDefault: true, instanceTenancy: 'default' });
  const base = (parseCidr(DEFAULT_VPC_CIDR) as { base: number }).base;
  availabilityZonesOf(ctx.region).forEach((zone, i) => {
    const cidr = formatCidr({
      base: base + i * addressCount(DEFAULT_SUBNET_PREFIX),
      prefix: DEFAULT_SUBNET_PREFIX,
    });
    createSubnetRecord(ctx, {
      vpcId,
      cidr,
      zoneName: zone.ZoneName,
      zoneId: zone.ZoneId,
      defaultForAz: true,
    });
  });
  createGatewayRecord(ctx, vpcId);
  return vpcId;
}
