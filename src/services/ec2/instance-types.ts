/**
 * Instance types: what RunInstances checks a type against, DescribeInstanceTypes and
 * DescribeInstanceTypeOfferings (every known type is offered in the region and each of its zones).
 */
import type {
  DescribeInstanceTypeOfferingsRequest,
  DescribeInstanceTypeOfferingsResult,
  DescribeInstanceTypesRequest,
  DescribeInstanceTypesResult,
  InstanceTypeInfo,
  InstanceTypeOffering,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../types.js';
import { checkDryRun } from './dry-run.js';
import { ec2Error, invalidParameterValue } from './errors.js';
import { type FilterFields, filterMatcher } from './filters.js';
import { INSTANCE_TYPES, INSTANCE_TYPES_BY_NAME } from './instance-type-catalogue.js';
import { pageOf } from './pages.js';
import { availabilityZonesOf } from './regions.js';

export interface InstanceTypeFigures {
  InstanceType: string;
  VCpus: number;
  MemoryMiB: number;
  Architectures: string[];
}

const figures = new Map<string, InstanceTypeFigures>();

/** A known type's figures; undefined for a type localaws does not know. */
export function instanceTypeInfo(type: string): InstanceTypeFigures | undefined {
  let found = figures.get(type);
  if (!found) {
    const info = INSTANCE_TYPES_BY_NAME.get(type);
    if (!info) return undefined;
    found = {
      InstanceType: type,
      VCpus: info.VCpuInfo?.DefaultVCpus ?? 1,
      MemoryMiB: info.MemoryInfo?.SizeInMiB ?? 0,
      Architectures: info.ProcessorInfo?.SupportedArchitectures ?? [],
    };
    figures.set(type, found);
  }
  return found;
}

const TYPE_FIELDS: FilterFields<InstanceTypeInfo> = {
  'instance-type': (t) => t.InstanceType,
  'current-generation': (t) => t.CurrentGeneration,
  'free-tier-eligible': (t) => t.FreeTierEligible,
  'burstable-performance-supported': (t) => t.BurstablePerformanceSupported,
  'bare-metal': (t) => t.BareMetal,
  hypervisor: (t) => t.Hypervisor,
  'hibernation-supported': (t) => t.HibernationSupported,
  'dedicated-hosts-supported': (t) => t.DedicatedHostsSupported,
  'auto-recovery-supported': (t) => t.AutoRecoverySupported,
  'instance-storage-supported': (t) => t.InstanceStorageSupported,
  'supported-usage-class': (t) => t.SupportedUsageClasses,
  'supported-root-device-type': (t) => t.SupportedRootDeviceTypes,
  'supported-virtualization-type': (t) => t.SupportedVirtualizationTypes,
  'supported-boot-mode': (t) => t.SupportedBootModes,
  'vcpu-info.default-vcpus': (t) => t.VCpuInfo?.DefaultVCpus,
  'vcpu-info.default-cores': (t) => t.VCpuInfo?.DefaultCores,
  'vcpu-info.default-threads-per-core': (t) => t.VCpuInfo?.DefaultThreadsPerCore,
  'vcpu-info.valid-threads-per-core': (t) => t.VCpuInfo?.ValidThreadsPerCore?.map(String),
  'memory-info.size-in-mib': (t) => t.MemoryInfo?.SizeInMiB,
  'processor-info.supported-architecture': (t) => t.ProcessorInfo?.SupportedArchitectures,
  'processor-info.sustained-clock-speed-in-ghz': (t) => t.ProcessorInfo?.SustainedClockSpeedInGhz,
  'processor-info.manufacturer': (t) => t.ProcessorInfo?.Manufacturer,
  'ebs-info.ebs-optimized-support': (t) => t.EbsInfo?.EbsOptimizedSupport,
  'ebs-info.encryption-support': (t) => t.EbsInfo?.EncryptionSupport,
  'ebs-info.nvme-support': (t) => t.EbsInfo?.NvmeSupport,
  'network-info.network-performance': (t) => t.NetworkInfo?.NetworkPerformance,
  'network-info.maximum-network-interfaces': (t) => t.NetworkInfo?.MaximumNetworkInterfaces,
  'network-info.maximum-network-cards': (t) => t.NetworkInfo?.MaximumNetworkCards,
  'network-info.ipv4-addresses-per-interface': (t) => t.NetworkInfo?.Ipv4AddressesPerInterface,
  'network-info.ipv6-addresses-per-interface': (t) => t.NetworkInfo?.Ipv6AddressesPerInterface,
  'network-info.ipv6-supported': (t) => t.NetworkInfo?.Ipv6Supported,
  'network-info.ena-support': (t) => t.NetworkInfo?.EnaSupport,
  'network-info.efa-supported': (t) => t.NetworkInfo?.EfaSupported,
  'network-info.encryption-in-transit-supported': (t) => t.NetworkInfo?.EncryptionInTransitSupported,
  'nitro-enclaves-support': (t) => t.NitroEnclavesSupport,
  'nitro-tpm-support': (t) => t.NitroTpmSupport,
  'placement-group-info.supported-strategies': (t) => t.PlacementGroupInfo?.SupportedStrategies,
};

export function DescribeInstanceTypes(input: DescribeInstanceTypesRequest): DescribeInstanceTypesResult {
  const named = input.InstanceTypes ?? [];
  const unknown = named.filter((type) => !INSTANCE_TYPES_BY_NAME.has(type));
  if (unknown.length > 0)
    throw ec2Error(
      'InvalidInstanceType',
      `The following supplied instance types do not exist: [${unknown.join(', ')}]`,
    );
  const matches = filterMatcher(input.Filters, TYPE_FIELDS);
  checkDryRun(input);
  const wanted = named.length > 0 ? new Set<string>(named) : undefined;
  const types = INSTANCE_TYPES.filter(
    (t) => (!wanted || wanted.has(t.InstanceType as string)) && matches(t, []),
  );
  const page = pageOf(types, (t) => t.InstanceType as string, input, { min: 5, max: 100 });
  return { InstanceTypes: page.items, NextToken: page.nextToken };
}

const LOCATION_TYPES = new Set(['region', 'availability-zone', 'availability-zone-id']);

const OFFERING_FIELDS: FilterFields<InstanceTypeOffering> = {
  location: (o) => o.Location,
  'instance-type': (o) => o.InstanceType,
};

export function DescribeInstanceTypeOfferings(
  input: DescribeInstanceTypeOfferingsRequest,
  ctx: RequestContext,
): DescribeInstanceTypeOfferingsResult {
  const locationType = input.LocationType ?? 'region';
  if (!LOCATION_TYPES.has(locationType))
    throw invalidParameterValue(`Invalid value '${locationType}' for LocationType`);
  const matches = filterMatcher(input.Filters, OFFERING_FIELDS);
  checkDryRun(input);
  const offerings: InstanceTypeOffering[] = [];
  for (const location of locationsOf(ctx.region, locationType)) {
    for (const type of INSTANCE_TYPES) {
      const offering = {
        InstanceType: type.InstanceType,
        LocationType: locationType,
        Location: location,
      } as InstanceTypeOffering;
      if (matches(offering, [])) offerings.push(offering);
    }
  }
  const page = pageOf(offerings, (o) => `${o.Location}\u0000${o.InstanceType}`, input, { min: 5, max: 1000 });
  return { InstanceTypeOfferings: page.items, NextToken: page.nextToken };
}

function locationsOf(region: string, locationType: string): string[] {
  if (locationType === 'region') return [region];
  const zones = availabilityZonesOf(region);
  return zones.map((z) => (locationType === 'availability-zone' ? z.ZoneName : z.ZoneId)).sort();
}
