/**
 * Subnets as stored, and the private addresses handed out in each. An address is kept as its
 * offset in the subnet; AWS reserves the first four and the last, so offsets run from 4 to
 * size - 2. A cursor makes the next allocation O(1) until the subnet wraps around.
 */
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { addressCount, type Cidr, formatIpv4, nthAddress, parseCidr, parseIpv4 } from './cidr.js';
import { ec2Error, malformedId, notFound } from './errors.js';
import { isWellFormedId, newId } from './ids.js';
import { dropTags } from './tags.js';

export interface SubnetRow {
  subnetId: string;
  vpcId: string;
  cidr: string;
  zoneName: string;
  zoneId: string;
  defaultForAz: number;
  mapPublicIp: number;
  usedAddresses: number;
  nextOffset: number;
}

const COLUMNS = `subnet_id AS subnetId, vpc_id AS vpcId, cidr, zone_name AS zoneName, zone_id AS zoneId,
  default_for_az AS defaultForAz, map_public_ip AS mapPublicIp, used_addresses AS usedAddresses,
  next_offset AS nextOffset`;

/** The first four addresses and the last are AWS's. */
const RESERVED_AT_START = 4;
const RESERVED_ADDRESSES = 5;

type Key = [string, string];

const statements = perDb((db) => ({
  byId: db.prepare<[...Key, string], SubnetRow>(
    `SELECT ${COLUMNS} FROM ec2_subnets WHERE account = ? AND region = ? AND subnet_id = ?`,
  ),
  all: db.prepare<Key, SubnetRow>(
    `SELECT ${COLUMNS} FROM ec2_subnets WHERE account = ? AND region = ? ORDER BY subnet_id`,
  ),
  ofVpc: db.prepare<[...Key, string], SubnetRow>(
    `SELECT ${COLUMNS} FROM ec2_subnets WHERE account = ? AND region = ? AND vpc_id = ? ORDER BY subnet_id`,
  ),
  insert: db.prepare<[...Key, string, string, string, string, string, number, number, number]>(
    `INSERT INTO ec2_subnets (account, region, subnet_id, vpc_id, cidr, zone_name, zone_id, default_for_az,
      map_public_ip, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  setMapPublicIp: db.prepare<[number, ...Key, string]>(
    'UPDATE ec2_subnets SET map_public_ip = ? WHERE account = ? AND region = ? AND subnet_id = ?',
  ),
  delete: db.prepare<[...Key, string]>(
    'DELETE FROM ec2_subnets WHERE account = ? AND region = ? AND subnet_id = ?',
  ),
  addressUsed: db.prepare<[...Key, string, number], { one: number }>(
    'SELECT 1 AS one FROM ec2_subnet_addresses WHERE account = ? AND region = ? AND subnet_id = ? AND address_offset = ?',
  ),
  takeAddress: db.prepare<[...Key, string, number]>(
    'INSERT INTO ec2_subnet_addresses (account, region, subnet_id, address_offset) VALUES (?, ?, ?, ?)',
  ),
  freeAddress: db.prepare<[...Key, string, number]>(
    'DELETE FROM ec2_subnet_addresses WHERE account = ? AND region = ? AND subnet_id = ? AND address_offset = ?',
  ),
  freeAll: db.prepare<[...Key, string]>(
    'DELETE FROM ec2_subnet_addresses WHERE account = ? AND region = ? AND subnet_id = ?',
  ),
  counted: db.prepare<[number, number, ...Key, string]>(
    'UPDATE ec2_subnets SET used_addresses = used_addresses + ?, next_offset = ? WHERE account = ? AND region = ? AND subnet_id = ?',
  ),
  uncounted: db.prepare<[...Key, string]>(
    'UPDATE ec2_subnets SET used_addresses = used_addresses - 1 WHERE account = ? AND region = ? AND subnet_id = ?',
  ),
}));

export function findSubnet(ctx: RequestContext, subnetId: string): SubnetRow | undefined {
  return statements(ctx.db).byId.get(ctx.accountId, ctx.region, subnetId);
}

export function listSubnets(ctx: RequestContext): SubnetRow[] {
  return statements(ctx.db).all.all(ctx.accountId, ctx.region);
}

export function subnetsOfVpc(ctx: RequestContext, vpcId: string): SubnetRow[] {
  return statements(ctx.db).ofVpc.all(ctx.accountId, ctx.region, vpcId);
}

/** InvalidSubnetID.Malformed or InvalidSubnetID.NotFound unless the subnet exists. */
export function requireSubnetRow(ctx: RequestContext, subnetId: string): SubnetRow {
  if (!isWellFormedId('subnet', subnetId)) throw malformedId('InvalidSubnetID.Malformed', subnetId);
  const subnet = findSubnet(ctx, subnetId);
  if (!subnet) throw notFound('InvalidSubnetID.NotFound', 'subnet', subnetId);
  return subnet;
}

export function createSubnetRecord(
  ctx: RequestContext,
  subnet: { vpcId: string; cidr: string; zoneName: string; zoneId: string; defaultForAz: boolean },
): string {
  const subnetId = newId('subnet');
  // AWS maps public addresses on launch only in default subnets unless asked
  const flag = subnet.defaultForAz ? 1 : 0;
  statements(ctx.db).insert.run(
    ctx.accountId,
    ctx.region,
    subnetId,
    subnet.vpcId,
    subnet.cidr,
    subnet.zoneName,
    subnet.zoneId,
    flag,
    flag,
    ctx.now(),
  );
  return subnetId;
}

export function setMapPublicIpOnLaunch(ctx: RequestContext, subnetId: string, on: boolean): void {
  statements(ctx.db).setMapPublicIp.run(on ? 1 : 0, ctx.accountId, ctx.region, subnetId);
}

export function deleteSubnetRecord(ctx: RequestContext, subnetId: string): void {
  const s = statements(ctx.db);
  s.freeAll.run(ctx.accountId, ctx.region, subnetId);
  s.delete.run(ctx.accountId, ctx.region, subnetId);
  dropTags(ctx, subnetId);
}

export function availableAddressCount(subnet: SubnetRow): number {
  const cidr = parseCidr(subnet.cidr) as Cidr;
  return addressCount(cidr.prefix) - RESERVED_ADDRESSES - subnet.usedAddresses;
}

/** The next free private address of the subnet, taken. */
export function takeAddress(ctx: RequestContext, subnet: SubnetRow): string {
  const cidr = parseCidr(subnet.cidr) as Cidr;
  const last = addressCount(cidr.prefix) - 2;
  const s = statements(ctx.db);
  if (availableAddressCount(subnet) > 0) {
    let offset = subnet.nextOffset;
    for (let tried = 0; tried <= last - RESERVED_AT_START; tried++, offset++) {
      if (offset > last) offset = RESERVED_AT_START;
      if (s.addressUsed.get(ctx.accountId, ctx.region, subnet.subnetId, offset)) continue;
      s.takeAddress.run(ctx.accountId, ctx.region, subnet.subnetId, offset);
      s.counted.run(1, offset + 1, ctx.accountId, ctx.region, subnet.subnetId);
      return formatIpv4(nthAddress(cidr, offset) as number);
    }
  }
  throw ec2Error(
    'InsufficientFreeAddressesInSubnet',
    `There are not enough free addresses in subnet '${subnet.subnetId}' to satisfy the requested number of instances.`,
  );
}

/**
 * Where a requested address sits in the subnet (its offset), once it is known to be a free
 * address the subnet may hand out: AWS's errors for one outside the block, reserved or taken.
 */
export function requestedOffset(ctx: RequestContext, subnet: SubnetRow, ip: string): number {
  const cidr = parseCidr(subnet.cidr) as Cidr;
  const value = parseIpv4(ip);
  if (value === undefined)
    throw ec2Error('InvalidParameterValue', `invalid value for parameter address: ${ip}`);
  const offset = value - cidr.base;
  const size = addressCount(cidr.prefix);
  if (offset < 0 || offset >= size)
    throw ec2Error('InvalidParameterValue', `Address ${ip} does not fall within the subnet's address range`);
  if (offset < RESERVED_AT_START || offset === size - 1)
    throw ec2Error('InvalidParameterValue', `Address ${ip} is reserved by AWS and cannot be assigned`);
  if (statements(ctx.db).addressUsed.get(ctx.accountId, ctx.region, subnet.subnetId, offset))
    throw ec2Error('InvalidIPAddress.InUse', `Address ${ip} is in use.`);
  return offset;
}

/** Takes the address asked for (checked by requestedOffset), leaving the cursor where it was. */
export function takeRequestedAddress(ctx: RequestContext, subnet: SubnetRow, ip: string): string {
  const offset = requestedOffset(ctx, subnet, ip);
  const s = statements(ctx.db);
  s.takeAddress.run(ctx.accountId, ctx.region, subnet.subnetId, offset);
  s.counted.run(1, subnet.nextOffset, ctx.accountId, ctx.region, subnet.subnetId);
  return ip;
}

/** Gives an address back; one the subnet never handed out is ignored. */
export function freeAddress(ctx: RequestContext, subnet: SubnetRow, ip: string): void {
  const cidr = parseCidr(subnet.cidr) as Cidr;
  const value = parseIpv4(ip);
  if (value === undefined) return;
  const s = statements(ctx.db);
  if (s.freeAddress.run(ctx.accountId, ctx.region, subnet.subnetId, value - cidr.base).changes > 0)
    s.uncounted.run(ctx.accountId, ctx.region, subnet.subnetId);
}
