/**
 * Where a launch puts its instances: the subnet (named, the default subnet of the asked zone,
 * or the first default subnet), the security groups, and whether they get a public address.
 * The instance-level fields and a network interface at device 0 (Terraform's usual form) are
 * alternatives, as in EC2.
 */
import type { GroupIdentifier } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../types.js';
import { ec2Error, invalidParameterCombination, invalidParameterValue } from './errors.js';
import type { LaunchSpec } from './instance-launch-spec.js';
import { defaultNetwork, requireSubnet, resolveSecurityGroups, type SubnetInfo } from './network-lookup.js';

export interface Placement {
  subnet: SubnetInfo;
  groups: GroupIdentifier[];
  wantsPublicIp: boolean;
  eniDescription: string;
  eniDeleteOnTermination: boolean;
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
  if (primary.PrivateIpAddress !== undefined || primary.PrivateIpAddresses?.length) throw chosenAddress();
  const subnet = chooseSubnet(ctx, primary.SubnetId, spec.availabilityZone);
  return {
    subnet,
    groups: resolveSecurityGroups(ctx, subnet.VpcId, primary.Groups, undefined, primary.SubnetId),
    wantsPublicIp: primary.AssociatePublicIpAddress ?? subnet.MapPublicIpOnLaunch,
    eniDescription: primary.Description ?? '',
    eniDeleteOnTermination: primary.DeleteOnTermination ?? true,
  };
}

/** The network part hands out addresses in order; it cannot yet reserve one asked for. */
const chosenAddress = () =>
  invalidParameterValue(
    'localaws chooses private addresses itself: a requested private IP address is not supported yet',
  );

function instanceLevel(ctx: RequestContext, spec: LaunchSpec): Placement {
  if (spec.privateIpAddress !== undefined) throw chosenAddress();
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
