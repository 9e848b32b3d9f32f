/**
 * The instance types localaws knows, with AWS's figures for the common families: a compact
 * table of families and sizes from which each type's full description is generated once.
 * Memory is the family's GiB per vCPU (t-family sizes carry their own), network performance
 * comes from the family's profile by size.
 */
import type { ArchitectureType, InstanceTypeInfo } from '@aws-sdk/client-ec2';

type NetworkProfile = 'm5' | 'c5' | 'g6' | 'i6' | 'g7' | 't2' | 't3';

interface Family {
  family: string;
  architectures: ArchitectureType[];
  manufacturer: 'Intel' | 'AMD' | 'AWS';
  clockGhz: number;
  hypervisor: 'nitro' | 'xen';
  /** GiB of memory per vCPU; undefined for the burstable families, whose sizes say. */
  gibPerVcpu?: number;
  network: NetworkProfile;
  sizes: readonly string[];
  /** vCPU and MiB per size, for the burstable families. */
  burstable?: Readonly<Record<string, readonly [vcpus: number, mib: number]>>;
}

const T_SIZES = {
  nano: [2, 512],
  micro: [2, 1024],
  small: [2, 2048],
  medium: [2, 4096],
  large: [2, 8192],
  xlarge: [4, 16384],
  '2xlarge': [8, 32768],
} as const;

const T2_SIZES = {
  nano: [1, 512],
  micro: [1, 1024],
  small: [1, 2048],
  medium: [2, 4096],
  large: [2, 8192],
  xlarge: [4, 16384],
  '2xlarge': [8, 32768],
} as const;

const BIG = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'];
const GRAVITON = ['medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];
const C5 = ['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '12xlarge', '18xlarge', '24xlarge'];
const ICE_LAKE = [...BIG, '32xlarge'];

const FAMILIES: readonly Family[] = [
  burstableFamily('t2', ['i386', 'x86_64'], 'Intel', 2.3, 'xen', 't2', T2_SIZES),
  burstableFamily('t3', ['x86_64'], 'Intel', 2.5, 'nitro', 't3', T_SIZES),
  burstableFamily('t3a', ['x86_64'], 'AMD', 2.2, 'nitro', 't3', T_SIZES),
  burstableFamily('t4g', ['arm64'], 'AWS', 2.5, 'nitro', 't3', T_SIZES),
  fixedFamily('m5', ['x86_64'], 'Intel', 3.1, 4, 'm5', BIG),
  fixedFamily('m6i', ['x86_64'], 'Intel', 3.5, 4, 'i6', ICE_LAKE),
  fixedFamily('m6g', ['arm64'], 'AWS', 2.5, 4, 'g6', GRAVITON),
  fixedFamily('m7g', ['arm64'], 'AWS', 2.6, 4, 'g7', GRAVITON),
  fixedFamily('m7i', ['x86_64'], 'Intel', 3.2, 4, 'i6', [...BIG, '48xlarge']),
  fixedFamily('c5', ['x86_64'], 'Intel', 3.4, 2, 'c5', C5),
  fixedFamily('c6i', ['x86_64'], 'Intel', 3.5, 2, 'i6', ICE_LAKE),
  fixedFamily('c6g', ['arm64'], 'AWS', 2.5, 2, 'g6', GRAVITON),
  fixedFamily('c7g', ['arm64'], 'AWS', 2.6, 2, 'g7', GRAVITON),
  fixedFamily('r5', ['x86_64'], 'Intel', 3.1, 8, 'm5', BIG),
  fixedFamily('r6i', ['x86_64'], 'Intel', 3.5, 8, 'i6', ICE_LAKE),
  fixedFamily('r6g', ['arm64'], 'AWS', 2.5, 8, 'g6', GRAVITON),
];

function burstableFamily(
  family: string,
  architectures: ArchitectureType[],
  manufacturer: Family['manufacturer'],
  clockGhz: number,
  hypervisor: Family['hypervisor'],
  network: NetworkProfile,
  burstable: Family['burstable'] & object,
): Family {
  return {
    family,
    architectures,
    manufacturer,
    clockGhz,
    hypervisor,
    network,
    sizes: Object.keys(burstable),
    burstable,
  };
}

function fixedFamily(
  family: string,
  architectures: ArchitectureType[],
  manufacturer: Family['manufacturer'],
  clockGhz: number,
  gibPerVcpu: number,
  network: NetworkProfile,
  sizes: readonly string[],
): Family {
  return { family, architectures, manufacturer, clockGhz, hypervisor: 'nitro', gibPerVcpu, network, sizes };
}

const VCPUS_BY_SIZE: Record<string, number> = {
  medium: 1,
  large: 2,
  xlarge: 4,
  '2xlarge': 8,
  '4xlarge': 16,
  '8xlarge': 32,
  '9xlarge': 36,
  '12xlarge': 48,
  '16xlarge': 64,
  '18xlarge': 72,
  '24xlarge': 96,
  '32xlarge': 128,
  '48xlarge': 192,
};

/** Network performance by profile: the sizes named get their own figure, the rest the first. */
const NETWORK: Record<NetworkProfile, readonly [upTo: string, bySize: Record<string, string>]> = {
  t2: ['Low to Moderate', { xlarge: 'Moderate', '2xlarge': 'Moderate' }],
  t3: ['Up to 5 Gigabit', {}],
  m5: [
    'Up to 10 Gigabit',
    { '8xlarge': '10 Gigabit', '12xlarge': '12 Gigabit', '16xlarge': '20 Gigabit', '24xlarge': '25 Gigabit' },
  ],
  c5: [
    'Up to 10 Gigabit',
    { '9xlarge': '12 Gigabit', '12xlarge': '12 Gigabit', '18xlarge': '25 Gigabit', '24xlarge': '25 Gigabit' },
  ],
  g6: ['Up to 10 Gigabit', { '8xlarge': '12 Gigabit', '12xlarge': '20 Gigabit', '16xlarge': '25 Gigabit' }],
  g7: [
    'Up to 12.5 Gigabit',
    { '8xlarge': '15 Gigabit', '12xlarge': '22.5 Gigabit', '16xlarge': '30 Gigabit' },
  ],
  i6: [
    'Up to 12.5 Gigabit',
    {
      '8xlarge': '12.5 Gigabit',
      '12xlarge': '18.75 Gigabit',
      '16xlarge': '25 Gigabit',
      '24xlarge': '37.5 Gigabit',
      '32xlarge': '50 Gigabit',
      '48xlarge': '50 Gigabit',
    },
  ],
};

/** Network interfaces and IPv4 addresses per interface, by size. */
const INTERFACES: Record<string, readonly [interfaces: number, addresses: number]> = {
  nano: [2, 2],
  micro: [2, 2],
  small: [3, 4],
  medium: [3, 6],
  large: [3, 10],
  xlarge: [4, 15],
  '2xlarge': [4, 15],
  '4xlarge': [8, 30],
  '8xlarge': [8, 30],
  '9xlarge': [8, 30],
  '12xlarge': [8, 30],
  '16xlarge': [15, 50],
  '18xlarge': [15, 50],
  '24xlarge': [15, 50],
  '32xlarge': [15, 50],
  '48xlarge': [15, 50],
};

const FREE_TIER = new Set(['t2.micro', 't3.micro']);

function describe(family: Family, size: string): InstanceTypeInfo {
  const type = `${family.family}.${size}`;
  const [vcpus, mib] = family.burstable?.[size] ?? [
    VCPUS_BY_SIZE[size] ?? 2,
    (VCPUS_BY_SIZE[size] ?? 2) * (family.gibPerVcpu ?? 4) * 1024,
  ];
  const threads = family.manufacturer === 'AWS' || family.family === 't2' ? 1 : 2;
  const [upTo, bySize] = NETWORK[family.network];
  const [interfaces, addresses] = INTERFACES[size] ?? [3, 10];
  const nitro = family.hypervisor === 'nitro';
  const burstable = family.burstable !== undefined;
  const arm = family.architectures.includes('arm64');
  const performance = bySize[size] ?? upTo;
  return {
    InstanceType: type as InstanceTypeInfo['InstanceType'],
    CurrentGeneration: true,
    FreeTierEligible: FREE_TIER.has(type),
    SupportedUsageClasses: ['on-demand', 'spot'],
    SupportedRootDeviceTypes: ['ebs'],
    SupportedVirtualizationTypes: ['hvm'],
    BareMetal: false,
    Hypervisor: family.hypervisor,
    ProcessorInfo: {
      SupportedArchitectures: family.architectures,
      SustainedClockSpeedInGhz: family.clockGhz,
      Manufacturer: family.manufacturer,
    },
    VCpuInfo: {
      DefaultVCpus: vcpus,
      DefaultCores: Math.max(1, vcpus / threads),
      DefaultThreadsPerCore: threads,
      ValidThreadsPerCore: threads === 2 ? [1, 2] : [1],
    },
    MemoryInfo: { SizeInMiB: mib },
    InstanceStorageSupported: false,
    EbsInfo: {
      EbsOptimizedSupport: nitro ? 'default' : 'unsupported',
      EncryptionSupport: 'supported',
      NvmeSupport: nitro ? 'required' : 'unsupported',
    },
    NetworkInfo: {
      NetworkPerformance: performance,
      MaximumNetworkInterfaces: interfaces,
      MaximumNetworkCards: 1,
      DefaultNetworkCardIndex: 0,
      NetworkCards: [
        { NetworkCardIndex: 0, NetworkPerformance: performance, MaximumNetworkInterfaces: interfaces },
      ],
      Ipv4AddressesPerInterface: addresses,
      Ipv6AddressesPerInterface: addresses,
      Ipv6Supported: true,
      EnaSupport: nitro ? 'required' : 'unsupported',
      EfaSupported: false,
      EncryptionInTransitSupported:
        family.family.endsWith('i') || family.family === 'c7g' || family.family === 'm7g',
      EnaSrdSupported: false,
    },
    PlacementGroupInfo: {
      SupportedStrategies: burstable ? ['partition', 'spread'] : ['cluster', 'partition', 'spread'],
    },
    HibernationSupported:
      !arm || family.family === 'm6g' || family.family === 'c6g' || family.family === 'r6g',
    BurstablePerformanceSupported: burstable,
    DedicatedHostsSupported: !burstable || family.family === 't3',
    AutoRecoverySupported: true,
    SupportedBootModes: arm ? ['uefi'] : ['legacy-bios', 'uefi'],
    NitroEnclavesSupport: nitro && !burstable ? 'supported' : 'unsupported',
    NitroTpmSupport: nitro ? 'supported' : 'unsupported',
    NitroTpmInfo: nitro ? { SupportedVersions: ['2.0'] } : undefined,
    PhcSupport: nitro ? 'supported' : 'unsupported',
  };
}

/** Every known type, sorted by name (the order DescribeInstanceTypes pages in). */
export const INSTANCE_TYPES: readonly InstanceTypeInfo[] = FAMILIES.flatMap((family) =>
  family.sizes.map((size) => describe(family, size)),
).sort((a, b) => ((a.InstanceType ?? '') < (b.InstanceType ?? '') ? -1 : 1));

export const INSTANCE_TYPES_BY_NAME: ReadonlyMap<string, InstanceTypeInfo> = new Map(
  INSTANCE_TYPES.map((info) => [info.InstanceType as string, info]),
);
