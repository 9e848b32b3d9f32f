/**
 * VPCs: CreateVpc, DeleteVpc, DescribeVpcs, CreateDefaultVpc, and the DNS attributes. A VPC
 * is available at once and comes with its own `default` security group.
 */
import { createHash } from 'node:crypto';
import type {
  CreateDefaultVpcRequest,
  CreateDefaultVpcResult,
  CreateVpcRequest,
  CreateVpcResult,
  DeleteVpcRequest,
  DescribeVpcAttributeRequest,
  DescribeVpcAttributeResult,
  DescribeVpcsRequest,
  DescribeVpcsResult,
  ModifyVpcAttributeRequest,
  Tag,
  Tenancy,
  Vpc,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../types.js';
import { formatCidr, parseCidr } from './cidr.js';
import { createDefaultNetwork } from './default-network.js';
import { checkDryRun } from './dry-run.js';
import { ec2Error, invalidParameterCombination, invalidParameterValue, missingParameter } from './errors.js';
import { filterMatcher } from './filters.js';
import { gatewayOfVpc } from './internet-gateways.js';
import { pageOf } from './pages.js';
import { deleteGroupRecord, groupsOfVpc } from './security-group-store.js';
import { subnetsOfVpc } from './subnet-records.js';
import { tagsByResource, tagsBySpecification, writeTags } from './tags.js';
import {
  createVpcRecord,
  deleteVpcRecord,
  listVpcs,
  requireVpc,
  setVpcDnsHostnames,
  setVpcDnsSupport,
  storedDefaultVpc,
  type VpcRow,
} from './vpc-records.js';

const MIN_PREFIX = 16;
const MAX_PREFIX = 28;

/** A block for a VPC or subnet: well formed, host bits clear, /16 to /28. */
export function blockCidr(text: string | undefined, rangeCode: string): string {
  if (text === undefined || text === '') throw missingParameter('cidrBlock');
  const cidr = parseCidr(text, false);
  if (!cidr)
    throw invalidParameterValue(
      `Value (${text}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`,
    );
  if (cidr.prefix < MIN_PREFIX || cidr.prefix > MAX_PREFIX)
    throw ec2Error(rangeCode, `The CIDR '${text}' is invalid.`);
  return formatCidr(cidr);
}

/** An id derived from another, so it stays the same on every read without being stored. */
function derivedId(prefix: string, seed: string): string {
  return `${prefix}-${createHash('sha256').update(seed).digest('hex').slice(0, 17)}`;
}

function describeVpc(ctx: RequestContext, vpc: VpcRow, tags: Tag[]): Vpc {
  return {
    VpcId: vpc.vpcId,
    OwnerId: ctx.accountId,
    InstanceTenancy: vpc.instanceTenancy as Tenancy,
    State: 'available',
    CidrBlock: vpc.cidr,
    CidrBlockAssociationSet: [
      {
        AssociationId: derivedId('vpc-cidr-assoc', vpc.vpcId),
        CidrBlock: vpc.cidr,
        CidrBlockState: { State: 'associated' },
      },
    ],
    DhcpOptionsId: derivedId('dopt', `${ctx.accountId}/${ctx.region}`),
    IsDefault: vpc.isDefault === 1,
    BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    Tags: tags,
  };
}

const VPC_FILTERS = {
  cidr: (v: Vpc) => v.CidrBlock,
  'cidr-block-association.cidr-block': (v: Vpc) => v.CidrBlockAssociationSet?.map((a) => a.CidrBlock ?? ''),
  'cidr-block-association.association-id': (v: Vpc) =>
    v.CidrBlockAssociationSet?.map((a) => a.AssociationId ?? ''),
  'cidr-block-association.state': (v: Vpc) =>
    v.CidrBlockAssociationSet?.map((a) => a.CidrBlockState?.State ?? ''),
  'dhcp-options-id': (v: Vpc) => v.DhcpOptionsId,
  'instance-tenancy': (v: Vpc) => v.InstanceTenancy,
  'is-default': (v: Vpc) => v.IsDefault,
  isDefault: (v: Vpc) => v.IsDefault,
  'owner-id': (v: Vpc) => v.OwnerId,
  state: (v: Vpc) => v.State,
  'vpc-id': (v: Vpc) => v.VpcId,
};

function CreateVpc(input: CreateVpcRequest, ctx: RequestContext): CreateVpcResult {
  const cidr = blockCidr(input.CidrBlock, 'InvalidVpc.Range');
  const tenancy = input.InstanceTenancy ?? 'default';
  if (tenancy !== 'default' && tenancy !== 'dedicated')
    throw invalidParameterValue(`Value (${tenancy}) for parameter instanceTenancy is invalid.`);
  const tags = tagsBySpecification(input.TagSpecifications, ['vpc']).get('vpc') ?? [];
  checkDryRun(input);
  const vpcId = createVpcRecord(ctx, { cidr, isDefault: false, instanceTenancy: tenancy });
  writeTags(ctx, vpcId, tags);
  return { Vpc: describeVpc(ctx, requireVpc(ctx, vpcId), tags) };
}

function CreateDefaultVpc(input: CreateDefaultVpcRequest, ctx: RequestContext): CreateDefaultVpcResult {
  if (storedDefaultVpc(ctx))
    throw ec2Error(
      'DefaultVpcAlreadyExists',
      'A Default VPC already exists for this account in this region.',
    );
  checkDryRun(input);
  const vpcId = createDefaultNetwork(ctx);
  return { Vpc: describeVpc(ctx, requireVpc(ctx, vpcId), []) };
}

function DeleteVpc(input: DeleteVpcRequest, ctx: RequestContext): void {
  if (!input.VpcId) throw missingParameter('vpcId');
  const vpc = requireVpc(ctx, input.VpcId);
  const groups = groupsOfVpc(ctx, vpc.vpcId);
  const inUse =
    subnetsOfVpc(ctx, vpc.vpcId).length > 0 ||
    groups.some((g) => g.name !== 'default') ||
    gatewayOfVpc(ctx, vpc.vpcId) !== undefined;
  if (inUse)
    throw ec2Error('DependencyViolation', `The vpc '${vpc.vpcId}' has dependencies and cannot be deleted.`);
  checkDryRun(input);
  for (const group of groups) deleteGroupRecord(ctx, group.groupId);
  deleteVpcRecord(ctx, vpc.vpcId);
}

function DescribeVpcs(input: DescribeVpcsRequest, ctx: RequestContext): DescribeVpcsResult {
  const ids = input.VpcIds ?? [];
  for (const id of ids) requireVpc(ctx, id);
  const matches = filterMatcher<Vpc>(input.Filters, VPC_FILTERS);
  checkDryRun(input);
  const tags = tagsByResource(ctx, 'vpc');
  const wanted = ids.length > 0 ? new Set(ids) : undefined;
  const vpcs: Vpc[] = [];
  for (const row of listVpcs(ctx)) {
    if (wanted && !wanted.has(row.vpcId)) continue;
    const vpcTags = tags.get(row.vpcId) ?? [];
    const vpc = describeVpc(ctx, row, vpcTags);
    if (matches(vpc, vpcTags)) vpcs.push(vpc);
  }
  const page = pageOf(vpcs, (v) => v.VpcId as string, input, { min: 5, max: 1000 });
  return { Vpcs: page.items, NextToken: page.nextToken };
}

const VPC_ATTRIBUTES = ['enableDnsSupport', 'enableDnsHostnames', 'enableNetworkAddressUsageMetrics'];

function DescribeVpcAttribute(
  input: DescribeVpcAttributeRequest,
  ctx: RequestContext,
): DescribeVpcAttributeResult {
  if (!input.Attribute) throw missingParameter('attribute');
  if (!VPC_ATTRIBUTES.includes(input.Attribute))
    throw invalidParameterValue(
      `Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`,
    );
  if (!input.VpcId) throw missingParameter('vpcId');
  const vpc = requireVpc(ctx, input.VpcId);
  checkDryRun(input);
  if (input.Attribute === 'enableDnsSupport')
    return { VpcId: vpc.vpcId, EnableDnsSupport: { Value: vpc.dnsSupport === 1 } };
  if (input.Attribute === 'enableDnsHostnames')
    return { VpcId: vpc.vpcId, EnableDnsHostnames: { Value: vpc.dnsHostnames === 1 } };
  return { VpcId: vpc.vpcId, EnableNetworkAddressUsageMetrics: { Value: false } };
}

function ModifyVpcAttribute(input: ModifyVpcAttributeRequest, ctx: RequestContext): void {
  if (!input.VpcId) throw missingParameter('vpcId');
  const vpc = requireVpc(ctx, input.VpcId);
  const given = [
    input.EnableDnsSupport,
    input.EnableDnsHostnames,
    input.EnableNetworkAddressUsageMetrics,
  ].filter((a) => a?.Value !== undefined);
  if (given.length === 0)
    throw missingParameter('enableDnsSupport, enableDnsHostnames or enableNetworkAddressUsageMetrics');
  if (given.length > 1) throw invalidParameterCombination('Only one attribute can be modified at a time');
  if (input.EnableDnsSupport?.Value !== undefined)
    setVpcDnsSupport(ctx, vpc.vpcId, input.EnableDnsSupport.Value);
  if (input.EnableDnsHostnames?.Value !== undefined)
    setVpcDnsHostnames(ctx, vpc.vpcId, input.EnableDnsHostnames.Value);
}

export const vpcHandlers = {
  CreateVpc,
  CreateDefaultVpc,
  DeleteVpc,
  DescribeVpcs,
  DescribeVpcAttribute,
  ModifyVpcAttribute,
};
