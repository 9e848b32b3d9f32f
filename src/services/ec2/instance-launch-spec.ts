/**
 * What a RunInstances call asks for, with its launch template's values filled in where the
 * request is silent: the request overrides the template field by field, and tags of one
 * resource type merge (the request's value winning for a key both give).
 */
import type {
  BlockDeviceMapping,
  InstanceMetadataOptionsRequest,
  InstanceNetworkInterfaceSpecification,
  RequestLaunchTemplateData,
  RunInstancesRequest,
  Tag,
  TagSpecification,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../types.js';
import { resolveLaunchTemplate } from './launch-templates.js';

export interface LaunchSpec {
  imageId?: string;
  instanceType?: string;
  keyName?: string;
  subnetId?: string;
  securityGroupIds?: string[];
  securityGroupNames?: string[];
  privateIpAddress?: string;
  networkInterfaces?: InstanceNetworkInterfaceSpecification[];
  userData?: string;
  iamInstanceProfile?: { Arn?: string; Name?: string };
  availabilityZone?: string;
  tenancy?: string;
  placementGroup?: string;
  blockDeviceMappings?: BlockDeviceMapping[];
  disableApiTermination?: boolean;
  disableApiStop?: boolean;
  shutdownBehavior?: string;
  ebsOptimized?: boolean;
  monitoring?: boolean;
  metadataOptions?: InstanceMetadataOptionsRequest;
  cpuOptions?: { CoreCount?: number; ThreadsPerCore?: number };
  tagSpecifications: TagSpecification[];
  /** The template and version the launch took values from. */
  template?: { id: string; version: number };
}

export function launchSpec(ctx: RequestContext, input: RunInstancesRequest): LaunchSpec {
  const request = fromRequest(input);
  if (!input.LaunchTemplate) return request;
  const resolved = resolveLaunchTemplate(ctx, input.LaunchTemplate);
  const template = fromTemplate(resolved);
  const merged: LaunchSpec = {
    ...template,
    template: { id: resolved.LaunchTemplateId, version: resolved.VersionNumber },
  };
  for (const [key, value] of Object.entries(request) as [keyof LaunchSpec, unknown][])
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  merged.tagSpecifications = mergeTagSpecifications(template.tagSpecifications, request.tagSpecifications);
  return merged;
}

function fromRequest(input: RunInstancesRequest): LaunchSpec {
  return {
    imageId: input.ImageId,
    instanceType: input.InstanceType,
    keyName: input.KeyName,
    subnetId: input.SubnetId,
    securityGroupIds: nonEmpty(input.SecurityGroupIds),
    securityGroupNames: nonEmpty(input.SecurityGroups),
    privateIpAddress: input.PrivateIpAddress,
    networkInterfaces: nonEmpty(input.NetworkInterfaces),
    userData: input.UserData,
    iamInstanceProfile: input.IamInstanceProfile,
    availabilityZone: input.Placement?.AvailabilityZone,
    tenancy: input.Placement?.Tenancy,
    placementGroup: input.Placement?.GroupName,
    blockDeviceMappings: nonEmpty(input.BlockDeviceMappings),
    disableApiTermination: input.DisableApiTermination,
    disableApiStop: input.DisableApiStop,
    shutdownBehavior: input.InstanceInitiatedShutdownBehavior,
    ebsOptimized: input.EbsOptimized,
    monitoring: input.Monitoring?.Enabled,
    metadataOptions: input.MetadataOptions,
    cpuOptions: input.CpuOptions,
    tagSpecifications: input.TagSpecifications ?? [],
  };
}

function fromTemplate(data: RequestLaunchTemplateData): LaunchSpec {
  return {
    imageId: data.ImageId,
    instanceType: data.InstanceType,
    keyName: data.KeyName,
    securityGroupIds: nonEmpty(data.SecurityGroupIds),
    securityGroupNames: nonEmpty(data.SecurityGroups),
    networkInterfaces: nonEmpty(data.NetworkInterfaces) as
      | InstanceNetworkInterfaceSpecification[]
      | undefined,
    userData: data.UserData,
    iamInstanceProfile: data.IamInstanceProfile,
    availabilityZone: data.Placement?.AvailabilityZone,
    tenancy: data.Placement?.Tenancy,
    placementGroup: data.Placement?.GroupName,
    blockDeviceMappings: nonEmpty(data.BlockDeviceMappings) as BlockDeviceMapping[] | undefined,
    disableApiTermination: data.DisableApiTermination,
    disableApiStop: data.DisableApiStop,
    shutdownBehavior: data.InstanceInitiatedShutdownBehavior,
    ebsOptimized: data.EbsOptimized,
    monitoring: data.Monitoring?.Enabled,
    metadataOptions: data.MetadataOptions,
    cpuOptions: data.CpuOptions,
    tagSpecifications: (data.TagSpecifications ?? []) as TagSpecification[],
  };
}

function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}

function mergeTagSpecifications(
  template: readonly TagSpecification[],
  request: readonly TagSpecification[],
): TagSpecification[] {
  const byType = new Map<string, Map<string, Tag>>();
  for (const spec of [...template, ...request]) {
    const type = spec.ResourceType ?? '';
    const tags = byType.get(type) ?? new Map<string, Tag>();
    for (const tag of spec.Tags ?? []) tags.set(tag.Key ?? '', tag);
    byType.set(type, tags);
  }
  return [...byType].map(([type, tags]) => ({
    ResourceType: type as TagSpecification['ResourceType'],
    Tags: [...tags.values()],
  }));
}
