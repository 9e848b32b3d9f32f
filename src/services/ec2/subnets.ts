/**
 * Subnets: CreateSubnet (a block inside its VPC's, overlapping no other subnet, in one zone),
 * DeleteSubnet (refused while instances use it), DescribeSubnets, ModifySubnetAttribute.
 */
import type {
  CreateSubnetRequest,
  CreateSubnetResult,
  DeleteSubnetRequest,
  DescribeSubnetsRequest,
  DescribeSubnetsResult,
  ModifySubnetAttributeRequest,
  Subnet,
  Tag,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../types.js';
import { type Cidr, cidrContains, cidrsOverlap, parseCidr } from './cidr.js';
import { instancesUsing } from './compute-references.js';
import { checkDryRun } from './dry-run.js';
import { ec2Error, invalidParameterCombination, invalidParameterValue, missingParameter } from './errors.js';
import { filterMatcher } from './filters.js';
import { pageOf } from './pages.js';
import { availabilityZonesOf, type ZoneInfo } from './regions.js';
import {
  availableAddressCount,
  createSubnetRecord,
  deleteSubnetRecord,
  listSubnets,
  requireSubnetRow,
  type SubnetRow,
  setMapPublicIpOnLaunch,
  subnetsOfVpc,
} from './subnet-records.js';
import { tagsByResource, tagsBySpecification, writeTags } from './tags.js';
import { requireVpc } from './vpc-records.js';
import { blockCidr } from './vpcs.js';

function describeSubnet(ctx: RequestContext, row: SubnetRow, tags: Tag[]): Subnet {
  return {
    SubnetId: row.subnetId,
    SubnetArn: `arn:aws:ec2:${ctx.region}:${ctx.accountId}:subnet/${row.subnetId}`,
    VpcId: row.vpcId,
    OwnerId: ctx.accountId,
    State: 'available',
    CidrBlock: row.cidr,
    AvailabilityZone: row.zoneName,
    AvailabilityZoneId: row.zoneId,
    AvailableIpAddressCount: availableAddressCount(row),
    DefaultForAz: row.defaultForAz === 1,
    MapPublicIpOnLaunch: row.mapPublicIp === 1,
    MapCustomerOwnedIpOnLaunch: false,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    EnableDns64: false,
    Ipv6Native: false,
    PrivateDnsNameOptionsOnLaunch: {
      HostnameType: 'ip-name',
      EnableResourceNameDnsARecord: false,
      EnableResourceNameDnsAAAARecord: false,
    },
    BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    Tags: tags,
  };
}

const SUBNET_FILTERS = {
  'availability-zone': (s: Subnet) => s.AvailabilityZone,
  availabilityZone: (s: Subnet) => s.AvailabilityZone,
  'availability-zone-id': (s: Subnet) => s.AvailabilityZoneId,
  availabilityZoneId: (s: Subnet) => s.AvailabilityZoneId,
  'available-ip-address-count': (s: Subnet) => s.AvailableIpAddressCount,
  availableIpAddressCount: (s: Subnet) => s.AvailableIpAddressCount,
  'cidr-block': (s: Subnet) => s.CidrBlock,
  cidrBlock: (s: Subnet) => s.CidrBlock,
  cidr: (s: Subnet) => s.CidrBlock,
  'default-for-az': (s: Subnet) => s.DefaultForAz,
  defaultForAz: (s: Subnet) => s.DefaultForAz,
  'map-public-ip-on-launch': (s: Subnet) => s.MapPublicIpOnLaunch,
  'owner-id': (s: Subnet) => s.OwnerId,
  state: (s: Subnet) => s.State,
  'subnet-arn': (s: Subnet) => s.SubnetArn,
  'subnet-id': (s: Subnet) => s.SubnetId,
  'vpc-id': (s: Subnet) => s.VpcId,
};

/** The zone a CreateSubnet names by name or id, or the region's first. */
function zoneFor(input: CreateSubnetRequest, region: string): ZoneInfo {
  const zones = availabilityZonesOf(region);
  if (input.AvailabilityZone !== undefined && input.AvailabilityZoneId !== undefined)
    throw invalidParameterCombination(
      'The parameter availabilityZone cannot be used with the parameter availabilityZoneId',
    );
  const offered = () =>
    `Subnets can currently only be created in the following availability zones: ${zones.map((z) => z.ZoneName).join(', ')}.`;
  if (input.AvailabilityZone !== undefined) {
    const zone = zones.find((z) => z.ZoneName === input.AvailabilityZone);
    if (!zone)
      throw invalidParameterValue(
        `Value (${input.AvailabilityZone}) for parameter availabilityZone is invalid. ${offered()}`,
      );
    return zone;
  }
  if (input.AvailabilityZoneId !== undefined) {
    const zone = zones.find((z) => z.ZoneId === input.AvailabilityZoneId);
    if (!zone)
      throw invalidParameterValue(
        `Value (${input.AvailabilityZoneId}) for parameter availabilityZoneId is invalid. ${offered()}`,
      );
    return zone;
  }
  return zones[0] as ZoneInfo;
}

function CreateSubnet(input: CreateSubnetRequest, ctx: RequestContext): CreateSubnetResult {
  if (!input.VpcId) throw missingParameter('vpcId');
  const vpc = requireVpc(ctx, input.VpcId);
  const cidrText = blockCidr(input.CidrBlock, 'InvalidSubnet.Range');
  const cidr = parseCidr(cidrText) as Cidr;
  if (!cidrContains(parseCidr(vpc.cidr) as Cidr, cidr))
    throw ec2Error('InvalidSubnet.Range', `The CIDR '${input.CidrBlock}' is invalid.`);
  if (subnetsOfVpc(ctx, vpc.vpcId).some((s) => cidrsOverlap(parseCidr(s.cidr) as Cidr, cidr)))
    throw ec2Error('InvalidSubnet.Conflict', `The CIDR '${input.CidrBlock}' conflicts with another subnet`);
  const zone = zoneFor(input, ctx.region);
  const tags = tagsBySpecification(input.TagSpecifications, ['subnet']).get('subnet') ?? [];
  checkDryRun(input);
  const subnetId = createSubnetRecord(ctx, {
    vpcId: vpc.vpcId,
    cidr: cidrText,
    zoneName: zone.ZoneName,
    zoneId: zone.ZoneId,
    defaultForAz: false,
  });
  writeTags(ctx, subnetId, tags);
  return { Subnet: describeSubnet(ctx, requireSubnetRow(ctx, subnetId), tags) };
}

function DeleteSubnet(input: DeleteSubnetRequest, ctx: RequestContext): void {
  if (!input.SubnetId) throw missingParameter('subnetId');
  const subnet = requireSubnetRow(ctx, input.SubnetId);
  if (instancesUsing(ctx, { subnetId: subnet.subnetId }).length > 0)
    throw ec2Error(
      'DependencyViolation',
      `The subnet '${subnet.subnetId}' has dependencies and cannot be deleted.`,
    );
  checkDryRun(input);
  deleteSubnetRecord(ctx, subnet.subnetId);
}

function DescribeSubnets(input: DescribeSubnetsRequest, ctx: RequestContext): DescribeSubnetsResult {
  const ids = input.SubnetIds ?? [];
  for (const id of ids) requireSubnetRow(ctx, id);
  const matches = filterMatcher<Subnet>(input.Filters, SUBNET_FILTERS);
  checkDryRun(input);
  const tags = tagsByResource(ctx, 'subnet');
  const wanted = ids.length > 0 ? new Set(ids) : undefined;
  const subnets: Subnet[] = [];
  for (const row of listSubnets(ctx)) {
    if (wanted && !wanted.has(row.subnetId)) continue;
    const subnetTags = tags.get(row.subnetId) ?? [];
    const subnet = describeSubnet(ctx, row, subnetTags);
    if (matches(subnet, subnetTags)) subnets.push(subnet);
  }
  const page = pageOf(subnets, (s) => s.SubnetId as string, input, { min: 5, max: 1000 });
  return { Subnets: page.items, NextToken: page.nextToken };
}

/** Attributes localaws keeps; the others are refused by name rather than silently dropped. */
const UNMODELLED_ATTRIBUTES = [
  'AssignIpv6AddressOnCreation',
  'MapCustomerOwnedIpOnLaunch',
  'CustomerOwnedIpv4Pool',
  'EnableDns64',
  'PrivateDnsHostnameTypeOnLaunch',
  'EnableResourceNameDnsARecordOnLaunch',
  'EnableResourceNameDnsAAAARecordOnLaunch',
  'EnableLniAtDeviceIndex',
  'DisableLniAtDeviceIndex',
] as const;

function ModifySubnetAttribute(input: ModifySubnetAttributeRequest, ctx: RequestContext): void {
  if (!input.SubnetId) throw missingParameter('subnetId');
  const subnet = requireSubnetRow(ctx, input.SubnetId);
  const unmodelled = UNMODELLED_ATTRIBUTES.find((name) => input[name] !== undefined);
  if (unmodelled)
    throw invalidParameterValue(
      `localaws does not model the subnet attribute ${unmodelled}; only MapPublicIpOnLaunch`,
    );
  const value = input.MapPublicIpOnLaunch?.Value;
  if (value === undefined) throw missingParameter('mapPublicIpOnLaunch');
  setMapPublicIpOnLaunch(ctx, subnet.subnetId, value);
}

export const subnetHandlers = {
  CreateSubnet,
  DeleteSubnet,
  DescribeSubnets,
  ModifySubnetAttribute,
};
