/**
 * What the other parts of EC2 (instances, launch templates) need of the network: the default
 * VPC with its subnets and group, a subnet by id, security groups by id or name, and private
 * addresses from a subnet.
 */
import type { RequestContext } from '../types.js';
import { requireDefaultVpc } from './default-network.js';
import { ec2Error, malformedId } from './errors.js';
import { isWellFormedId } from './ids.js';
import { findGroup, findGroupByName } from './security-group-store.js';
import {
  findSubnet,
  freeAddress,
  requestedOffset,
  requireSubnetRow,
  type SubnetRow,
  subnetsOfVpc,
  takeAddress,
  takeRequestedAddress,
} from './subnet-records.js';

export interface SubnetInfo {
  SubnetId: string;
  VpcId: string;
  AvailabilityZone: string;
  AvailabilityZoneId: string;
  CidrBlock: string;
  MapPublicIpOnLaunch: boolean;
  DefaultForAz: boolean;
}

function subnetInfo(row: SubnetRow): SubnetInfo {
  return {
    SubnetId: row.subnetId,
    VpcId: row.vpcId,
    AvailabilityZone: row.zoneName,
    AvailabilityZoneId: row.zoneId,
    CidrBlock: row.cidr,
    MapPublicIpOnLaunch: row.mapPublicIp === 1,
    DefaultForAz: row.defaultForAz === 1,
  };
}

/**
 * The account+region's default VPC, its default subnets (one per zone, in zone order) and its
 * `default` group; made on first use. VPCIdNotSpecified once the user has deleted it.
 */
export function defaultNetwork(ctx: RequestContext): {
  vpcId: string;
  subnets: SubnetInfo[];
  securityGroupId: string;
} {
  const vpc = requireDefaultVpc(ctx);
  const subnets = subnetsOfVpc(ctx, vpc.vpcId)
    .filter((s) => s.defaultForAz === 1)
    .map(subnetInfo)
    .sort((a, b) => (a.AvailabilityZone < b.AvailabilityZone ? -1 : 1));
  const group = findGroupByName(ctx, vpc.vpcId, 'default');
  return { vpcId: vpc.vpcId, subnets, securityGroupId: group?.groupId ?? '' };
}

/** InvalidSubnetID.Malformed / InvalidSubnetID.NotFound unless the subnet exists. */
export function requireSubnet(ctx: RequestContext, subnetId: string): SubnetInfo {
  return subnetInfo(requireSubnetRow(ctx, subnetId));
}

/**
 * The groups an instance in `vpcId` gets: those named by id or by name (names are looked up in
 * that VPC), or the VPC's `default` group when neither is given. A group of another VPC is
 * refused as RunInstances refuses it (naming the subnet when one is given).
 */
export function resolveSecurityGroups(
  ctx: RequestContext,
  vpcId: string,
  ids?: string[],
  names?: string[],
  subnetId?: string,
): { GroupId: string; GroupName: string }[] {
  const out = new Map<string, { GroupId: string; GroupName: string }>();
  for (const id of ids ?? []) {
    if (!isWellFormedId('sg', id)) throw malformedId('InvalidGroupId.Malformed', id);
    const group = findGroup(ctx, id);
    if (!group) throw ec2Error('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
    if (group.vpcId !== vpcId)
      throw subnetId
        ? ec2Error(
            'InvalidParameter',
            `Security group ${id} and subnet ${subnetId} belong to different networks.`,
          )
        : ec2Error('InvalidGroup.NotFound', `The security group '${id}' does not exist in VPC '${vpcId}'`);
    out.set(group.groupId, { GroupId: group.groupId, GroupName: group.name });
  }
  for (const name of names ?? []) {
    const group = findGroupByName(ctx, vpcId, name);
    if (!group)
      throw ec2Error(
        'InvalidGroup.NotFound',
        `The security group '${name}' does not exist in VPC '${vpcId}'`,
      );
    out.set(group.groupId, { GroupId: group.groupId, GroupName: group.name });
  }
  if (out.size === 0) {
    const group = findGroupByName(ctx, vpcId, 'default');
    if (group) out.set(group.groupId, { GroupId: group.groupId, GroupName: group.name });
  }
  return [...out.values()];
}

/**
 * The address asked for, or else the subnet's next free one (InsufficientFreeAddressesInSubnet
 * when full). A requested address must be the subnet's, not reserved, and free
 * (InvalidParameterValue / InvalidIPAddress.InUse).
 */
export function allocatePrivateIp(ctx: RequestContext, subnetId: string, requested?: string): string {
  const subnet = requireSubnetRow(ctx, subnetId);
  return requested === undefined ? takeAddress(ctx, subnet) : takeRequestedAddress(ctx, subnet, requested);
}

/** The errors allocatePrivateIp would give a requested address, without taking it. */
export function checkPrivateIp(ctx: RequestContext, subnetId: string, requested: string): void {
  requestedOffset(ctx, requireSubnetRow(ctx, subnetId), requested);
}

/** Gives an address back to its subnet; nothing happens if the subnet has gone. */
export function releasePrivateIp(ctx: RequestContext, subnetId: string, ip: string): void {
  const subnet = findSubnet(ctx, subnetId);
  if (subnet) freeAddress(ctx, subnet, ip);
}
