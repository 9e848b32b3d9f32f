/**
 * AWS's commercial regions and their Availability Zones, with real names and zone ids. Zone
 * ids map to names per account in AWS; localaws uses one plausible mapping for every account.
 * Regions that need opting in are reported as not opted in, but for the caller's own region.
 */
import type {
  AvailabilityZone,
  DescribeAvailabilityZonesRequest,
  DescribeAvailabilityZonesResult,
  DescribeRegionsRequest,
  DescribeRegionsResult,
  Region,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../types.js';
import { checkDryRun } from './dry-run.js';
import { invalidParameterValue } from './errors.js';
import { filterMatcher } from './filters.js';

export interface RegionInfo {
  RegionName: string;
  /** The name AWS's consoles show, e.g. US East (N. Virginia): GroupLongName's stem. */
  LongName: string;
  optIn: boolean;
  /** Zone letters with the number of their zone id (`a` -> 6 is `<region>a` = `use1-az6`). */
  zones: readonly (readonly [letter: string, idNumber: number])[];
  /** The zone id's region code, e.g. use1. */
  zoneCode: string;
}

const abc = [
  ['a', 1],
  ['b', 2],
  ['c', 3],
] as const;

const REGIONS: readonly RegionInfo[] = [
  region('af-south-1', 'Africa (Cape Town)', true, 'afs1', abc),
  region('ap-east-1', 'Asia Pacific (Hong Kong)', true, 'ape1', abc),
  region('ap-northeast-1', 'Asia Pacific (Tokyo)', false, 'apne1', [
    ['a', 4],
    ['c', 1],
    ['d', 2],
  ]),
  region('ap-northeast-2', 'Asia Pacific (Seoul)', false, 'apne2', [...abc, ['d', 4]]),
  region('ap-northeast-3', 'Asia Pacific (Osaka)', false, 'apne3', [
    ['a', 3],
    ['b', 1],
    ['c', 2],
  ]),
  region('ap-south-1', 'Asia Pacific (Mumbai)', false, 'aps1', abc),
  region('ap-south-2', 'Asia Pacific (Hyderabad)', true, 'aps2', abc),
  region('ap-southeast-1', 'Asia Pacific (Singapore)', false, 'apse1', abc),
  region('ap-southeast-2', 'Asia Pacific (Sydney)', false, 'apse2', abc),
  region('ap-southeast-3', 'Asia Pacific (Jakarta)', true, 'apse3', abc),
  region('ap-southeast-4', 'Asia Pacific (Melbourne)', true, 'apse4', abc),
  region('ap-southeast-5', 'Asia Pacific (Malaysia)', true, 'apse5', abc),
  region('ap-southeast-7', 'Asia Pacific (Thailand)', true, 'apse7', abc),
  region('ca-central-1', 'Canada (Central)', false, 'cac1', [
    ['a', 1],
    ['b', 2],
    ['d', 4],
  ]),
  region('ca-west-1', 'Canada West (Calgary)', true, 'caw1', abc),
  region('eu-central-1', 'Europe (Frankfurt)', false, 'euc1', [
    ['a', 2],
    ['b', 3],
    ['c', 1],
  ]),
  region('eu-central-2', 'Europe (Zurich)', true, 'euc2', abc),
  region('eu-north-1', 'Europe (Stockholm)', false, 'eun1', abc),
  region('eu-south-1', 'Europe (Milan)', true, 'eus1', abc),
  region('eu-south-2', 'Europe (Spain)', true, 'eus2', abc),
  region('eu-west-1', 'Europe (Ireland)', false, 'euw1', abc),
  region('eu-west-2', 'Europe (London)', false, 'euw2', [
    ['a', 2],
    ['b', 3],
    ['c', 1],
  ]),
  region('eu-west-3', 'Europe (Paris)', false, 'euw3', abc),
  region('il-central-1', 'Israel (Tel Aviv)', true, 'ilc1', abc),
  region('me-central-1', 'Middle East (UAE)', true, 'mec1', abc),
  region('me-south-1', 'Middle East (Bahrain)', true, 'mes1', abc),
  region('mx-central-1', 'Mexico (Central)', true, 'mxc1', abc),
  region('sa-east-1', 'South America (Sao Paulo)', false, 'sae1', abc),
  region('us-east-1', 'US East (N. Virginia)', false, 'use1', [
    ['a', 6],
    ['b', 1],
    ['c', 2],
    ['d', 4],
    ['e', 3],
    ['f', 5],
  ]),
  region('us-east-2', 'US East (Ohio)', false, 'use2', abc),
  region('us-west-1', 'US West (N. California)', false, 'usw1', [
    ['a', 3],
    ['c', 1],
  ]),
  region('us-west-2', 'US West (Oregon)', false, 'usw2', [...abc, ['d', 4]]),
];

function region(
  name: string,
  longName: string,
  optIn: boolean,
  zoneCode: string,
  zones: RegionInfo['zones'],
): RegionInfo {
  return { RegionName: name, LongName: longName, optIn, zoneCode, zones };
}

const byName = new Map(REGIONS.map((r) => [r.RegionName, r]));

export interface ZoneInfo {
  ZoneName: string;
  ZoneId: string;
}

const zonesCache = new Map<string, ZoneInfo[]>();

/**
 * The region's Availability Zones. A region localaws does not know (a new one, or a made-up
 * name a test uses) gets three zones a, b, c so that everything zonal still works there.
 */
export function availabilityZonesOf(regionName: string): ZoneInfo[] {
  let zones = zonesCache.get(regionName);
  if (!zones) {
    const info = byName.get(regionName);
    const code = info?.zoneCode ?? regionName;
    zones = (info?.zones ?? abc).map(([letter, n]) => ({
      ZoneName: `${regionName}${letter}`,
      ZoneId: `${code}-az${n}`,
    }));
    zonesCache.set(regionName, zones);
  }
  return zones;
}

/** `opt-in-not-required`, `opted-in` (the caller's own opt-in region) or `not-opted-in`. */
function optInStatusOf(info: RegionInfo, callerRegion: string): string {
  if (!info.optIn) return 'opt-in-not-required';
  return info.RegionName === callerRegion ? 'opted-in' : 'not-opted-in';
}

const zoneFilters = {
  'group-long-name': (z: AvailabilityZone) => z.GroupLongName,
  'group-name': (z: AvailabilityZone) => z.GroupName,
  message: (z: AvailabilityZone) => (z.Messages ?? []).map((m) => m.Message ?? ''),
  'network-border-group': (z: AvailabilityZone) => z.NetworkBorderGroup,
  'opt-in-status': (z: AvailabilityZone) => z.OptInStatus,
  'region-name': (z: AvailabilityZone) => z.RegionName,
  state: (z: AvailabilityZone) => z.State,
  'zone-id': (z: AvailabilityZone) => z.ZoneId,
  'zone-name': (z: AvailabilityZone) => z.ZoneName,
  'zone-type': (z: AvailabilityZone) => z.ZoneType,
};

function describeZone(regionName: string, zone: ZoneInfo): AvailabilityZone {
  const longName = byName.get(regionName)?.LongName ?? regionName;
  return {
    State: 'available',
    OptInStatus: 'opt-in-not-required',
    Messages: [],
    RegionName: regionName,
    ZoneName: zone.ZoneName,
    ZoneId: zone.ZoneId,
    GroupName: `${regionName}-zg-1`,
    GroupLongName: `${longName} 1`,
    NetworkBorderGroup: regionName,
    ZoneType: 'availability-zone',
  };
}

function DescribeAvailabilityZones(
  input: DescribeAvailabilityZonesRequest,
  ctx: RequestContext,
): DescribeAvailabilityZonesResult {
  const zones = availabilityZonesOf(ctx.region);
  const names = input.ZoneNames ?? [];
  const ids = input.ZoneIds ?? [];
  for (const name of [...names, ...ids])
    if (!zones.some((z) => z.ZoneName === name || z.ZoneId === name))
      throw invalidParameterValue(`Invalid availability zone: [${name}]`);
  const matches = filterMatcher<AvailabilityZone>(input.Filters, zoneFilters);
  checkDryRun(input);
  const named = (z: ZoneInfo) =>
    (names.length === 0 && ids.length === 0) || names.includes(z.ZoneName) || ids.includes(z.ZoneId);
  const described = zones.filter(named).map((z) => describeZone(ctx.region, z));
  return { AvailabilityZones: described.filter((z) => matches(z, [])) };
}

const regionFilters = {
  endpoint: (r: Region) => r.Endpoint,
  'opt-in-status': (r: Region) => r.OptInStatus,
  'region-name': (r: Region) => r.RegionName,
};

function DescribeRegions(input: DescribeRegionsRequest, ctx: RequestContext): DescribeRegionsResult {
  const names = input.RegionNames ?? [];
  for (const name of names) if (!byName.has(name)) throw invalidParameterValue(`Invalid region: ${name}`);
  const matches = filterMatcher<Region>(input.Filters, regionFilters);
  checkDryRun(input);
  const regions: Region[] = [];
  for (const info of REGIONS) {
    const OptInStatus = optInStatusOf(info, ctx.region);
    const listed =
      names.length > 0 ? names.includes(info.RegionName) : input.AllRegions || OptInStatus !== 'not-opted-in';
    if (!listed) continue;
    const region = {
      RegionName: info.RegionName,
      Endpoint: `ec2.${info.RegionName}.amazonaws.com`,
      OptInStatus,
    };
    if (matches(region, [])) regions.push(region);
  }
  return { Regions: regions };
}

export const regionHandlers = { DescribeAvailabilityZones, DescribeRegions };
