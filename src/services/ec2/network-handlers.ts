/**
 * The networking part of EC2: regions and zones, account attributes, VPCs, subnets, security
 * groups and their rules, internet gateways; and what CreateTags must know of those resources.
 */
import type { Handler, RequestContext } from '../types.js';
import { accountAttributeHandlers } from './account-attributes.js';
import { ensureDefaultNetwork } from './default-network.js';
import { ec2Error, notFound } from './errors.js';
import { gatewayExists, internetGatewayHandlers } from './internet-gateways.js';
import { regionHandlers } from './regions.js';
import { securityGroupRuleHandlers } from './security-group-rules.js';
import { findGroup, findRule } from './security-group-store.js';
import { groupNotFound, securityGroupHandlers } from './security-groups.js';
import { findSubnet } from './subnet-records.js';
import { subnetHandlers } from './subnets.js';
import type { ResourceKinds } from './tags.js';
import { findVpc } from './vpc-records.js';
import { vpcHandlers } from './vpcs.js';

/** Calls that list what an account has: the default network must exist before they look. */
const SEE_DEFAULT_NETWORK = new Set([
  'DescribeAccountAttributes',
  'DescribeVpcs',
  'DescribeSubnets',
  'DescribeSecurityGroups',
  'DescribeSecurityGroupRules',
  'DescribeInternetGateways',
  'CreateDefaultVpc',
]);

function withDefaultNetwork(handler: Handler): Handler {
  return (input, ctx: RequestContext) => {
    ensureDefaultNetwork(ctx);
    return handler(input, ctx);
  };
}

const all: Record<string, Handler> = {
  ...regionHandlers,
  ...accountAttributeHandlers,
  ...vpcHandlers,
  ...subnetHandlers,
  ...securityGroupHandlers,
  ...securityGroupRuleHandlers,
  ...internetGatewayHandlers,
};

export const networkHandlers: Record<string, Handler> = Object.fromEntries(
  Object.entries(all).map(([name, handler]) => [
    name,
    SEE_DEFAULT_NETWORK.has(name) ? withDefaultNetwork(handler) : handler,
  ]),
);

export const NETWORK_KINDS: ResourceKinds = {
  vpc: {
    type: 'vpc',
    exists: (ctx, id) => findVpc(ctx, id) !== undefined,
    notFound: (id) => notFound('InvalidVpcID.NotFound', 'vpc', id),
  },
  subnet: {
    type: 'subnet',
    exists: (ctx, id) => findSubnet(ctx, id) !== undefined,
    notFound: (id) => notFound('InvalidSubnetID.NotFound', 'subnet', id),
  },
  sg: {
    type: 'security-group',
    exists: (ctx, id) => findGroup(ctx, id) !== undefined,
    notFound: groupNotFound,
  },
  igw: {
    type: 'internet-gateway',
    exists: gatewayExists,
    notFound: (id) => notFound('InvalidInternetGatewayID.NotFound', 'internetGateway', id),
  },
  sgr: {
    type: 'security-group-rule',
    exists: (ctx, id) => findRule(ctx, id) !== undefined,
    notFound: (id) =>
      ec2Error('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`),
  },
};
