/**
 * Where a launch puts its instances: the subnet (named, the default subnet of the asked zone,
 * or the first default subnet), the security groups, and whether they get a public address.
 * The instance-level fields and a network interface at device 0 (Terraform's usual form) are
 * alternatives, as in EC2.
 */
import type { GroupIdentifier, InstanceNetworkInterfaceSpecification } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../types.js';
import { ec2Error, invalidParameterCombination, invalidParameterValue } from './errors.js';
import type { LaunchSpec } from './instance-launch-spec.js';
import {
  checkPrivateIp,
  defaultNetwork,
  requireSubnet,
  resolveSecurityGroups,
  type SubnetInfo,
} from './network-lookup.js';

export interface Placement {
  subnet: SubnetInfo;
  groups: GroupIdentifier[];
  wantsPublicIp: boolean;
  eniDescription: string;
  eniDeleteOnTermination: boolean;
  /** The primary private address asked for (checked free), else the subnet picks one. */
  privateIp?: string;
}

export function placementOf(ctx: RequestContext, spec: LaunchSpec): Placement {
  const interfaces = spec.networkInterfaces;
  if (!interfaces) return instanceLevel(ctx, spec);
  if (spec.subnetId !== undefined)
    throw invalidParameterCombination(
      'Network interfaces and an instance-level subnet ID may not be specified on the same request',
    );
  if (spec.securityGroupIds || spec.securityGroupNames)
    throw invalidParameterCombination(
      'Network interfaces and an instance-level security groups may not be specified on the same request',
    );
  if (spec.privateIpAddress !== undefined)
    throw invalidParameterCombination(
      'Network interfaces and an instance-level private IP address may not be specified on the same request',
    );
  const primary = interfaces.find((i) => (i.DeviceIndex ?? 0) === 0);
  if (!primary || interfaces.length > 1)
    throw invalidParameterValue('localaws launches instances with one network interface, at device index 0');
  if (primary.NetworkInterfaceId !== undefined)
    throw ec2Error(
      'InvalidNetworkInterfaceID.NotFound',
      `The networkInterface ID '${primary.NetworkInterfaceId}' does not exist`,
    );
  const subnet = chooseSubnet(ctx, primary.SubnetId, spec.availabilityZone);
  return {
    subnet,
    groups: resolveSecurityGroups(ctx, subnet.VpcId, primary.Groups, undefined, primary.SubnetId),
    wantsPublicIp: primary.AssociatePublicIpAddress ?? subnet.MapPublicIpOnLaunch,
    eniDescription: primary.Description ?? '',
    eniDeleteOnTermination: primary.DeleteOnTermination ?? true,
    privateIp: requestedAddress(ctx, subnet, primaryAddressOf(primary)),
  };
}

/**
 * The interface's primary address: PrivateIpAddress, or the entry of PrivateIpAddresses marked
 * primary (the older form). An instance here has one address: secondary ones are refused.
 */
function primaryAddressOf(spec: InstanceNetworkInterfaceSpecification): string | undefined {
  const listed = spec.PrivateIpAddresses ?? [];
  const secondary = listed.filter((a) => !a.Primary).length + (spec.SecondaryPrivateIpAddressCount ?? 0);
  if (secondary > 0)
    throw invalidParameterValue(
      'localaws launches instances with one private address: secondary addresses are not supported',
    );
  const primaries = [
    ...new Set(
      [spec.PrivateIpAddress, ...listed.map((a) => a.PrivateIpAddress)].filter((a) => a !== undefined),
    ),
  ];
  if (primaries.length > 1)
    throw invalidParameterCombination(
      'Only one primary private IP address may be specified for a network interface',
    );
  return primaries[0];
}

function requestedAddress(
  ctx: RequestContext,
  subnet: SubnetInfo,
  ip: string | undefined,
): string | undefined {
  if (ip !== undefined) checkPrivateIp(ctx, subnet.SubnetId, ip);
  return ip;
}

function instanceLevel(ctx: RequestContext, spec: LaunchSpec): Placement {
  if (spec.securityGroupNames && spec.subnetId !== undefined)
    throw invalidParameterCombination('The parameter groupName cannot be used with the parameter subnet');
  const subnet = chooseSubnet(ctx, spec.subnetId, spec.availabilityZone);
  return {
    subnet,
    groups: resolveSecurityGroups(
      ctx,
      subnet.VpcId,
      spec.securityGroupIds,
      spec.securityGroupNames,
      spec.subnetId,
    ),
    wantsPublicIp: subnet.MapPublicIpOnLaunch,
    eniDescription: '',
    eniDeleteOnTermination: true,
    privateIp: requestedAddress(ctx, subnet, spec.privateIpAddress),
  };
}

function chooseSubnet(
  ctx: RequestContext,
  subnetId: string | undefined,
  zone: string | undefined,
): SubnetInfo {
  if (subnetId !== undefined) {
    const subnet = requireSubnet(ctx, subnetId);
    if (zone !== undefined && zone !== subnet.AvailabilityZone)
      throw invalidParameterValue(
        `Value (${zone}) for parameter availabilityZone is invalid. Subnet ${subnetId} is in availability zone ${subnet.AvailabilityZone}`,
      );
    return subnet;
  }
  const { subnets } = defaultNetwork(ctx);
  const subnet = zone === undefined ? subnets[0] : subnets.find((s) => s.AvailabilityZone === zone);
  if (!subnet)
    throw zone === undefined
      ? ec2Error('MissingInput', 'No subnets found for the default VPC. Please specify a subnet.')
      : invalidParameterValue(`Invalid availability zone: [${zone}]`);
  return subnet;
}
