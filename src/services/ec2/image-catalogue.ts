/**
 * The public images every account sees in every region: recent releases of Amazon Linux 2023,
 * Amazon Linux 2, Ubuntu 22.04 and 24.04 LTS and Windows Server 2022, named and described as
 * their publishers name them. One superseded Amazon Linux 2023 release is deprecated, so
 * IncludeDeprecated has something to show. (Real AMI ids differ by region; these are the same
 * everywhere so a test may name one.)
 */
import type { ArchitectureValues, Image, PlatformValues } from '@aws-sdk/client-ec2';

const AMAZON_OWNER = '137112412989';
const CANONICAL_OWNER = '099720109477';
const WINDOWS_OWNER = '801119661308';

interface PublicImageSpec {
  id: string;
  name: string;
  description: string;
  architecture: ArchitectureValues;
  owner: string;
  rootDevice: '/dev/xvda' | '/dev/sda1';
  size: number;
  volumeType: 'gp2' | 'gp3';
  snapshot: string;
  created: string;
  windows?: boolean;
  bootMode?: 'uefi' | 'uefi-preferred' | 'legacy-bios';
  deprecated?: string;
}

const AL2023 = '2023.6.20241010.0';
const AL2023_OLD = '2023.5.20240624.0';
const AL2 = '2.0.20241001.0';

const SPECS: readonly PublicImageSpec[] = [
  al2023('ami-0fff1b9a61dec8a5f', AL2023, 'x86_64', 'snap-0a4c9e1f3b2d5e6f7', '2024-10-10T21:03:29.000Z'),
  al2023('ami-02801556a781a4499', AL2023, 'arm64', 'snap-0b5d0f2a4c3e6f7a8', '2024-10-10T21:03:31.000Z'),
  {
    ...al2023(
      'ami-01fccab91b456acc2',
      AL2023_OLD,
      'x86_64',
      'snap-0c6e1a3b5d4f7a8b9',
      '2024-06-24T22:10:48.000Z',
    ),
    deprecated: '2024-09-22T22:10:00.000Z',
  },
  al2('ami-0ebfd941bbafe70c6', 'x86_64', 'snap-0d7f2b4c6e5a8b9c0', '2024-10-01T23:15:43.000Z'),
  al2('ami-0b8c2bd77c5e270cf', 'arm64', 'snap-0e8a3c5d7f6b9c0d1', '2024-10-01T23:16:02.000Z'),
  ubuntu('ami-005fc0f236362e99f', 'jammy', '22.04', 'amd64', '20241002', 'snap-0f9b4d6e8a7c0d1e2'),
  ubuntu('ami-0ba55fb6b6c3b7f8e', 'jammy', '22.04', 'arm64', '20241002', 'snap-00ac5e7f9b8d1e2f3'),
  ubuntu('ami-0866a3c8686eaeeba', 'noble', '24.04', 'amd64', '20241004', 'snap-01bd6f8a0c9e2f3a4'),
  ubuntu('ami-0325498274077fac5', 'noble', '24.04', 'arm64', '20241004', 'snap-02ce7a9b1d0f3a4b5'),
  {
    id: 'ami-0324a83b82023f0b3',
    name: 'Windows_Server-2022-English-Full-Base-2024.10.09',
    description: 'Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon',
    architecture: 'x86_64',
    owner: WINDOWS_OWNER,
    rootDevice: '/dev/sda1',
    size: 30,
    volumeType: 'gp2',
    snapshot: 'snap-03df8b0c2e1a4b5c6',
    created: '2024-10-09T20:31:55.000Z',
    windows: true,
    bootMode: 'uefi-preferred',
  },
];

function al2023(
  id: string,
  release: string,
  arch: ArchitectureValues,
  snapshot: string,
  created: string,
): PublicImageSpec {
  return {
    id,
    name: `al2023-ami-${release}-kernel-6.1-${arch}`,
    description: `Amazon Linux 2023 AMI ${release} ${arch} HVM kernel-6.1`,
    architecture: arch,
    owner: AMAZON_OWNER,
    rootDevice: '/dev/xvda',
    size: 8,
    volumeType: 'gp3',
    snapshot,
    created,
    bootMode: arch === 'arm64' ? 'uefi' : 'uefi-preferred',
  };
}

function al2(id: string, arch: ArchitectureValues, snapshot: string, created: string): PublicImageSpec {
  return {
    id,
    name: `amzn2-ami-kernel-5.10-hvm-${AL2}-${arch}-gp2`,
    description: `Amazon Linux 2 Kernel 5.10 AMI ${AL2} ${arch} HVM gp2`,
    architecture: arch,
    owner: AMAZON_OWNER,
    rootDevice: '/dev/xvda',
    size: 8,
    volumeType: 'gp2',
    snapshot,
    created,
  };
}

function ubuntu(
  id: string,
  code: string,
  version: string,
  arch: 'amd64' | 'arm64',
  build: string,
  snapshot: string,
) {
  const noble = code === 'noble';
  const date = `${build.slice(0, 4)}-${build.slice(4, 6)}-${build.slice(6, 8)}`;
  return {
    id,
    name: `ubuntu/images/${noble ? 'hvm-ssd-gp3' : 'hvm-ssd'}/ubuntu-${code}-${version}-${arch}-server-${build}`,
    description: `Canonical, Ubuntu, ${version}${noble ? '' : ' LTS'}, ${arch} ${code} image${noble ? '' : ` build on ${date}`}`,
    architecture: arch === 'amd64' ? 'x86_64' : 'arm64',
    owner: CANONICAL_OWNER,
    rootDevice: '/dev/sda1',
    size: 8,
    volumeType: noble ? 'gp3' : 'gp2',
    snapshot,
    created: `${date}T07:12:00.000Z`,
  } satisfies PublicImageSpec;
}

function toImage(spec: PublicImageSpec): Image {
  const amazon = spec.owner !== CANONICAL_OWNER;
  return {
    ImageId: spec.id,
    ImageLocation: amazon ? `amazon/${spec.name}` : `${spec.owner}/${spec.name}`,
    ImageOwnerAlias: amazon ? 'amazon' : undefined,
    OwnerId: spec.owner,
    Name: spec.name,
    Description: spec.description,
    Architecture: spec.architecture,
    ImageType: 'machine',
    Public: true,
    Hypervisor: 'xen',
    VirtualizationType: 'hvm',
    RootDeviceType: 'ebs',
    RootDeviceName: spec.rootDevice,
    EnaSupport: true,
    SriovNetSupport: 'simple',
    BootMode: spec.bootMode,
    ImdsSupport: spec.name.startsWith('al2023') ? 'v2.0' : undefined,
    // AWS writes the value in lower case, though the SDK's enum spells it Windows
    Platform: spec.windows ? ('windows' as PlatformValues) : undefined,
    PlatformDetails: spec.windows ? 'Windows' : 'Linux/UNIX',
    UsageOperation: spec.windows ? 'RunInstances:0002' : 'RunInstances',
    CreationDate: spec.created,
    DeprecationTime: spec.deprecated,
    BlockDeviceMappings: [
      {
        DeviceName: spec.rootDevice,
        Ebs: {
          DeleteOnTermination: true,
          SnapshotId: spec.snapshot,
          VolumeSize: spec.size,
          VolumeType: spec.volumeType,
          Encrypted: false,
          ...(spec.volumeType === 'gp3' ? { Iops: 3000, Throughput: 125 } : {}),
        },
      },
    ],
  };
}

/** The public images, sorted by id. `State` is always available. */
export const PUBLIC_IMAGES: readonly Image[] = SPECS.map(toImage).sort((a, b) =>
  (a.ImageId as string) < (b.ImageId as string) ? -1 : 1,
);

export const PUBLIC_IMAGES_BY_ID: ReadonlyMap<string, Image> = new Map(
  PUBLIC_IMAGES.map((image) => [image.ImageId as string, image]),
);
