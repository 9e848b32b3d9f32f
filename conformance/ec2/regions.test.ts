/**
 * DescribeRegions and DescribeAvailabilityZones: AWS's real region names and endpoints, and
 * each region's zones with their names and zone ids.
 */
import { DescribeAvailabilityZonesCommand, DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { expectEc2Error, useEC2 } from './setup.js';

const t = useEC2();

describe('DescribeRegions', () => {
  it('lists the regions with their EC2 endpoints', async () => {
    const { Regions } = await t.ec2.send(new DescribeRegionsCommand({}));
    const names = (Regions ?? []).map((r) => r.RegionName);
    for (const name of [
      'us-east-1',
      'us-east-2',
      'us-west-2',
      'eu-west-1',
      'eu-central-1',
      'ap-northeast-1',
    ]) {
      expect(names).toContain(name);
    }
    expect(Regions?.find((r) => r.RegionName === 'eu-west-1')).toEqual({
      RegionName: 'eu-west-1',
      Endpoint: 'ec2.eu-west-1.amazonaws.com',
      OptInStatus: 'opt-in-not-required',
    });
  });

  it('filters by region-name and picks by RegionNames', async () => {
    const filtered = await t.ec2.send(
      new DescribeRegionsCommand({ Filters: [{ Name: 'region-name', Values: ['us-*'] }] }),
    );
    const names = (filtered.Regions ?? []).map((r) => r.RegionName ?? '');
    expect(names.length).toBeGreaterThanOrEqual(4);
    for (const name of names) expect(name).toMatch(/^us-/);

    const picked = await t.ec2.send(new DescribeRegionsCommand({ RegionNames: ['us-west-2', 'eu-west-1'] }));
    expect((picked.Regions ?? []).map((r) => r.RegionName).sort()).toEqual(['eu-west-1', 'us-west-2']);
  });

  it('a region that does not exist', async () => {
    await expectEc2Error(
      t.ec2.send(new DescribeRegionsCommand({ RegionNames: ['mars-north-1'] })),
      'InvalidParameterValue',
    );
  });
});

describe('DescribeAvailabilityZones', () => {
  it("lists us-east-1's six zones with their zone ids", async () => {
    const { AvailabilityZones } = await t.ec2.send(new DescribeAvailabilityZonesCommand({}));
    const zones = AvailabilityZones ?? [];
    expect(zones.map((z) => z.ZoneName)).toEqual([
      'us-east-1a',
      'us-east-1b',
      'us-east-1c',
      'us-east-1d',
      'us-east-1e',
      'us-east-1f',
    ]);
    for (const zone of zones) {
      expect(zone).toMatchObject({
        State: 'available',
        RegionName: 'us-east-1',
        ZoneType: 'availability-zone',
        GroupName: 'us-east-1-zg-1',
        OptInStatus: 'opt-in-not-required',
      });
      expect(zone.ZoneId).toMatch(/^use1-az\d$/);
    }
    expect(new Set(zones.map((z) => z.ZoneId)).size).toBe(6);
  });

  it("answers for the client's region", async () => {
    const { AvailabilityZones } = await t
      .client({ region: 'eu-central-1' })
      .send(new DescribeAvailabilityZonesCommand({}));
    expect((AvailabilityZones ?? []).map((z) => z.ZoneName)).toEqual([
      'eu-central-1a',
      'eu-central-1b',
      'eu-central-1c',
    ]);
    for (const zone of AvailabilityZones ?? []) expect(zone.ZoneId).toMatch(/^euc1-az\d$/);
  });

  it('filters by zone-name and zone-id, and picks by ZoneNames', async () => {
    const { AvailabilityZones: all } = await t.ec2.send(new DescribeAvailabilityZonesCommand({}));
    const b = all?.find((z) => z.ZoneName === 'us-east-1b');
    const byId = await t.ec2.send(
      new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-id', Values: [b?.ZoneId ?? ''] }] }),
    );
    expect(byId.AvailabilityZones?.map((z) => z.ZoneName)).toEqual(['us-east-1b']);
    const byName = await t.ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1c'] }));
    expect(byName.AvailabilityZones?.map((z) => z.ZoneName)).toEqual(['us-east-1c']);
  });

  it('a zone that does not exist', async () => {
    await expectEc2Error(
      t.ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1z'] })),
      'InvalidParameterValue',
      'Invalid availability zone: [us-east-1z]',
    );
  });
});
