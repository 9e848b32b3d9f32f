/**
 * DescribeInstanceTypes with the real vCPU and memory figures of the common families, its
 * filters and pages, and DescribeInstanceTypeOfferings by region and by zone.
 */
import {
  DescribeAvailabilityZonesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  paginateDescribeInstanceTypes,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { expectEc2Error, useEC2 } from './setup.js';

const t = useEC2();

/** AWS's published figures: [vCPUs, MiB, architecture]. */
const KNOWN: Record<string, [number, number, string]> = {
  't3.micro': [2, 1024, 'x86_64'],
  't3.large': [2, 8192, 'x86_64'],
  't4g.micro': [2, 1024, 'arm64'],
  'm5.large': [2, 8192, 'x86_64'],
  'm5.xlarge': [4, 16384, 'x86_64'],
  'm6i.large': [2, 8192, 'x86_64'],
  'm7g.medium': [1, 4096, 'arm64'],
  'c5.large': [2, 4096, 'x86_64'],
  'c6i.xlarge': [4, 8192, 'x86_64'],
  'r5.large': [2, 16384, 'x86_64'],
};

describe('DescribeInstanceTypes', () => {
  it('t3.micro: 2 vCPUs, 1024 MiB, x86_64, burstable', async () => {
    const { InstanceTypes } = await t.ec2.send(
      new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.micro'] }),
    );
    expect(InstanceTypes).toHaveLength(1);
    expect(InstanceTypes?.[0]).toMatchObject({
      InstanceType: 't3.micro',
      CurrentGeneration: true,
      BurstablePerformanceSupported: true,
      VCpuInfo: { DefaultVCpus: 2, DefaultCores: 1, DefaultThreadsPerCore: 2 },
      MemoryInfo: { SizeInMiB: 1024 },
      ProcessorInfo: { SupportedArchitectures: ['x86_64'] },
    });
  });

  it('has the real figures of the common families', async () => {
    const { InstanceTypes } = await t.ec2.send(
      new DescribeInstanceTypesCommand({ InstanceTypes: Object.keys(KNOWN) as 't3.micro'[] }),
    );
    const found = Object.fromEntries(
      (InstanceTypes ?? []).map((i) => [
        i.InstanceType,
        [i.VCpuInfo?.DefaultVCpus, i.MemoryInfo?.SizeInMiB, i.ProcessorInfo?.SupportedArchitectures?.[0]],
      ]),
    );
    expect(found).toEqual(KNOWN);
  });

  it('filters by architecture and by instance type with wildcards', async () => {
    const arm = await t.ec2.send(
      new DescribeInstanceTypesCommand({
        Filters: [{ Name: 'processor-info.supported-architecture', Values: ['arm64'] }],
      }),
    );
    const armTypes = (arm.InstanceTypes ?? []).map((i) => i.InstanceType ?? '');
    expect(armTypes).toContain('t4g.micro');
    expect(armTypes).toContain('m7g.medium');
    expect(armTypes).not.toContain('t3.micro');

    const t3 = await t.ec2.send(
      new DescribeInstanceTypesCommand({ Filters: [{ Name: 'instance-type', Values: ['t3.*'] }] }),
    );
    const t3Types = (t3.InstanceTypes ?? []).map((i) => i.InstanceType ?? '');
    expect(t3Types).toContain('t3.micro');
    expect(t3Types).toContain('t3.large');
    for (const type of t3Types) expect(type).toMatch(/^t3\./);
  });

  it('pages cover the catalogue without repeating a type', async () => {
    const seen: string[] = [];
    for await (const page of paginateDescribeInstanceTypes({ client: t.ec2, pageSize: 5 }, {})) {
      expect((page.InstanceTypes ?? []).length).toBeLessThanOrEqual(5);
      seen.push(...(page.InstanceTypes ?? []).map((i) => i.InstanceType ?? ''));
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const type of Object.keys(KNOWN)) expect(seen).toContain(type);
  });

  it('a type that does not exist is InvalidInstanceType', async () => {
    await expectEc2Error(
      t.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.giant' as 't3.micro'] })),
      'InvalidInstanceType',
    );
  });
});

describe('DescribeInstanceTypeOfferings', () => {
  it('by region (the default location type)', async () => {
    const { InstanceTypeOfferings } = await t.ec2.send(
      new DescribeInstanceTypeOfferingsCommand({
        Filters: [{ Name: 'instance-type', Values: ['t3.micro'] }],
      }),
    );
    expect(InstanceTypeOfferings).toEqual([
      { InstanceType: 't3.micro', LocationType: 'region', Location: 'us-east-1' },
    ]);
  });

  it('by availability zone, only in zones of the region', async () => {
    const { AvailabilityZones } = await t.ec2.send(new DescribeAvailabilityZonesCommand({}));
    const zones = (AvailabilityZones ?? []).map((z) => z.ZoneName);
    const { InstanceTypeOfferings } = await t.ec2.send(
      new DescribeInstanceTypeOfferingsCommand({
        LocationType: 'availability-zone',
        Filters: [{ Name: 'instance-type', Values: ['m5.large'] }],
      }),
    );
    const offered = (InstanceTypeOfferings ?? []).map((o) => o.Location);
    expect(offered).toContain('us-east-1a');
    for (const offering of InstanceTypeOfferings ?? []) {
      expect(offering).toMatchObject({ InstanceType: 'm5.large', LocationType: 'availability-zone' });
      expect(zones).toContain(offering.Location);
    }
  });

  it('filters by location', async () => {
    const { InstanceTypeOfferings } = await t.ec2.send(
      new DescribeInstanceTypeOfferingsCommand({
        LocationType: 'availability-zone',
        Filters: [
          { Name: 'location', Values: ['us-east-1b'] },
          { Name: 'instance-type', Values: ['t3.micro', 'c5.large'] },
        ],
      }),
    );
    expect((InstanceTypeOfferings ?? []).map((o) => o.InstanceType).sort()).toEqual(['c5.large', 't3.micro']);
  });
});
