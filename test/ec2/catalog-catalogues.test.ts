import { describe, expect, it } from 'vitest';
import { isWellFormedId } from '../../src/services/ec2/ids.js';
import { PUBLIC_IMAGES } from '../../src/services/ec2/image-catalogue.js';
import { INSTANCE_TYPES, INSTANCE_TYPES_BY_NAME } from '../../src/services/ec2/instance-type-catalogue.js';
import { instanceTypeInfo } from '../../src/services/ec2/instance-types.js';

describe('instance type catalogue', () => {
  it('has AWS figures for common types', () => {
    expect(instanceTypeInfo('t3.micro')).toEqual({
      InstanceType: 't3.micro',
      VCpus: 2,
      MemoryMiB: 1024,
      Architectures: ['x86_64'],
    });
    expect(instanceTypeInfo('t2.micro')).toEqual({
      InstanceType: 't2.micro',
      VCpus: 1,
      MemoryMiB: 1024,
      Architectures: ['i386', 'x86_64'],
    });
    expect(instanceTypeInfo('m5.large')).toMatchObject({ VCpus: 2, MemoryMiB: 8192 });
    expect(instanceTypeInfo('c5.9xlarge')).toMatchObject({ VCpus: 36, MemoryMiB: 73728 });
    expect(instanceTypeInfo('r6g.medium')).toMatchObject({
      VCpus: 1,
      MemoryMiB: 8192,
      Architectures: ['arm64'],
    });
    expect(instanceTypeInfo('m7g.16xlarge')).toMatchObject({ VCpus: 64, MemoryMiB: 262144 });
    expect(instanceTypeInfo('t4g.nano')).toMatchObject({
      VCpus: 2,
      MemoryMiB: 512,
      Architectures: ['arm64'],
    });
    expect(instanceTypeInfo('x9.huge')).toBeUndefined();
  });

  it('describes network, cores and burstability as AWS does', () => {
    const t3 = INSTANCE_TYPES_BY_NAME.get('t3.micro');
    expect(t3).toMatchObject({
      BurstablePerformanceSupported: true,
      FreeTierEligible: true,
      Hypervisor: 'nitro',
      VCpuInfo: { DefaultVCpus: 2, DefaultCores: 1, DefaultThreadsPerCore: 2 },
      NetworkInfo: { NetworkPerformance: 'Up to 5 Gigabit', MaximumNetworkInterfaces: 2 },
    });
    expect(INSTANCE_TYPES_BY_NAME.get('m5.24xlarge')?.NetworkInfo?.NetworkPerformance).toBe('25 Gigabit');
    expect(INSTANCE_TYPES_BY_NAME.get('t2.micro')?.Hypervisor).toBe('xen');
    expect(INSTANCE_TYPES_BY_NAME.get('c7g.large')?.VCpuInfo?.DefaultThreadsPerCore).toBe(1);
  });

  it('is sorted by name, each name once', () => {
    const names = INSTANCE_TYPES.map((t) => t.InstanceType as string);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThan(100);
  });
});

describe('public image catalogue', () => {
  it('holds well-formed, distinct ids and snapshot ids', () => {
    const ids = PUBLIC_IMAGES.map((i) => i.ImageId as string);
    expect(ids.every((id) => isWellFormedId('ami', id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const snapshots = PUBLIC_IMAGES.map((i) => i.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId as string);
    expect(snapshots.every((id) => isWellFormedId('snap', id))).toBe(true);
  });

  it('names Amazon Linux and Ubuntu images as their publishers do', () => {
    const names = PUBLIC_IMAGES.map((i) => i.Name);
    expect(names).toContain('al2023-ami-2023.6.20241010.0-kernel-6.1-x86_64');
    expect(names).toContain('al2023-ami-2023.6.20241010.0-kernel-6.1-arm64');
    expect(names).toContain('ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241004');
    expect(names).toContain('ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20241002');
    const al2023 = PUBLIC_IMAGES.find((i) => i.Name === 'al2023-ami-2023.6.20241010.0-kernel-6.1-x86_64');
    expect(al2023).toMatchObject({
      OwnerId: '137112412989',
      ImageOwnerAlias: 'amazon',
      RootDeviceName: '/dev/xvda',
    });
    const noble = PUBLIC_IMAGES.find((i) => i.Name?.includes('noble-24.04-amd64'));
    expect(noble).toMatchObject({
      OwnerId: '099720109477',
      Architecture: 'x86_64',
      RootDeviceName: '/dev/sda1',
    });
    expect(noble?.ImageOwnerAlias).toBeUndefined();
  });
});
