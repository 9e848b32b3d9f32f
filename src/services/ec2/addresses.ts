/**
 * Public IPv4 addresses: the ones EC2 hands an instance as it starts, and Elastic IPs
 * (AllocateAddress, AssociateAddress, DisassociateAddress, ReleaseAddress, DescribeAddresses).
 * An Elastic IP associated with an instance replaces its auto-assigned address; taking it
 * away gives the instance a fresh one, as EC2 does in a default subnet.
 */
import { randomInt } from 'node:crypto';
import type {
  Address,
  AllocateAddressRequest,
  AllocateAddressResult,
  AssociateAddressRequest,
  AssociateAddressResult,
  DescribeAddressesRequest,
  DescribeAddressesResult,
  DisassociateAddressRequest,
  ReleaseAddressRequest,
} from '@aws-sdk/client-ec2';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { checkDryRun } from './dry-run.js';
import {
  ec2Error,
  invalidParameterCombination,
  invalidParameterValue,
  malformedId,
  missingParameter,
  notFound,
} from './errors.js';
import { type FilterFields, filterMatcher } from './filters.js';
import { isWellFormedId, newId } from './ids.js';
import { requireInstance } from './instance-lookup.js';
import { docOf, type InstanceRow, instanceByEni, publicIpTaken, setPublicIp } from './instance-records.js';
import { stateAt } from './instance-state.js';
import { gatewayOfVpc } from './internet-gateways.js';
import { dropTags, tagsByResource, tagsBySpecification, writeTags } from './tags.js';

interface AddressRow {
  allocation_id: string;
  public_ip: string;
  association_id: string | null;
  instance_id: string | null;
  eni_id: string | null;
  private_ip: string | null;
}

const COLUMNS = 'allocation_id, public_ip, association_id, instance_id, eni_id, private_ip';

const statements = perDb((db) => ({
  insert: db.prepare<[string, string, string, string, number]>(
    'INSERT INTO ec2_addresses (account, region, allocation_id, public_ip, allocated_at) VALUES (?, ?, ?, ?, ?)',
  ),
  all: db.prepare<[string, string], AddressRow>(
    `SELECT ${COLUMNS} FROM ec2_addresses WHERE account = ? AND region = ? ORDER BY allocation_id`,
  ),
  byId: db.prepare<[string, string, string], AddressRow>(
    `SELECT ${COLUMNS} FROM ec2_addresses WHERE account = ? AND region = ? AND allocation_id = ?`,
  ),
  byIp: db.prepare<[string, string, string], AddressRow>(
    `SELECT ${COLUMNS} FROM ec2_addresses WHERE account = ? AND region = ? AND public_ip = ?`,
  ),
  byAssociation: db.prepare<[string, string, string], AddressRow>(
    `SELECT ${COLUMNS} FROM ec2_addresses WHERE account = ? AND region = ? AND association_id = ?`,
  ),
  ofInstance: db.prepare<[string, string, string], AddressRow>(
    `SELECT ${COLUMNS} FROM ec2_addresses WHERE account = ? AND region = ? AND instance_id = ?`,
  ),
  associated: db.prepare<[string, string], AddressRow>(
    `SELECT ${COLUMNS} FROM ec2_addresses WHERE account = ? AND region = ? AND instance_id IS NOT NULL`,
  ),
  associate: db.prepare<[string | null, string | null, string | null, string | null, string, string, string]>(
    `UPDATE ec2_addresses SET association_id = ?, instance_id = ?, eni_id = ?, private_ip = ?
      WHERE account = ? AND region = ? AND allocation_id = ?`,
  ),
  remove: db.prepare<[string, string, string]>(
    'DELETE FROM ec2_addresses WHERE account = ? AND region = ? AND allocation_id = ?',
  ),
}));

/** The /8s AWS's us-east-1 addresses come from; any plausible public range would do. */
const PUBLIC_FIRST_OCTETS = [3, 18, 34, 44, 52, 54] as const;

/** A public address no instance or Elastic IP of the account and region holds. */
export function newPublicIp(ctx: RequestContext): string {
  const s = statements(ctx.db);
  for (;;) {
    const first = PUBLIC_FIRST_OCTETS[randomInt(PUBLIC_FIRST_OCTETS.length)];
    const ip = `${first}.${randomInt(256)}.${randomInt(256)}.${1 + randomInt(254)}`;
    if (!publicIpTaken(ctx, ip) && !s.byIp.get(ctx.accountId, ctx.region, ip)) return ip;
  }
}

/** The Elastic IP each instance holds, read at once for a Describe call. */
export function elasticIpsByInstance(ctx: RequestContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const row of statements(ctx.db).associated.all(ctx.accountId, ctx.region))
    out.set(row.instance_id as string, row.public_ip);
  return out;
}

export function elasticIpOf(ctx: RequestContext, instanceId: string): string | undefined {
  return statements(ctx.db).ofInstance.get(ctx.accountId, ctx.region, instanceId)?.public_ip;
}

export function addressExists(ctx: RequestContext, allocationId: string): boolean {
  return statements(ctx.db).byId.get(ctx.accountId, ctx.region, allocationId) !== undefined;
}

/** The instance lets go of its Elastic IP (terminated, or given another), which stays allocated. */
export function releaseInstanceAddress(ctx: RequestContext, instanceId: string): void {
  const row = statements(ctx.db).ofInstance.get(ctx.accountId, ctx.region, instanceId);
  if (row)
    statements(ctx.db).associate.run(null, null, null, null, ctx.accountId, ctx.region, row.allocation_id);
}

export function AllocateAddress(input: AllocateAddressRequest, ctx: RequestContext): AllocateAddressResult {
  const tags = tagsBySpecification(input.TagSpecifications, ['elastic-ip']).get('elastic-ip') ?? [];
  if (input.Domain !== undefined && input.Domain !== 'vpc' && input.Domain !== 'standard')
    throw invalidParameterValue(`Invalid value '${input.Domain}' for domain.`);
  const s = statements(ctx.db);
  if (input.Address !== undefined && s.byIp.get(ctx.accountId, ctx.region, input.Address))
    throw ec2Error('InvalidAddress.InUse', `Address ${input.Address} is in use.`);
  checkDryRun(input);
  const allocationId = newId('eipalloc');
  const publicIp = input.Address ?? newPublicIp(ctx);
  s.insert.run(ctx.accountId, ctx.region, allocationId, publicIp, ctx.now());
  if (tags.length > 0) writeTags(ctx, allocationId, tags);
  return {
    AllocationId: allocationId,
    PublicIp: publicIp,
    PublicIpv4Pool: 'amazon',
    NetworkBorderGroup: ctx.region,
    Domain: 'vpc',
  };
}

export function AssociateAddress(
  input: AssociateAddressRequest,
  ctx: RequestContext,
): AssociateAddressResult {
  const address = requireAddress(ctx, input.AllocationId, input.PublicIp);
  const instance = targetInstance(ctx, input);
  if (address.instance_id === instance.instance_id && address.association_id)
    return { AssociationId: address.association_id };
  if (address.association_id && input.AllowReassociation === false)
    throw ec2Error(
      'Resource.AlreadyAssociated',
      `resource ${address.allocation_id} is already associated with associate-id ${address.association_id}`,
    );
  checkDryRun(input);
  if (address.instance_id) dissociate(ctx, address);
  releaseInstanceAddress(ctx, instance.instance_id);
  const associationId = newId('eipassoc');
  statements(ctx.db).associate.run(
    associationId,
    instance.instance_id,
    instance.eni_id,
    input.PrivateIpAddress ?? instance.private_ip,
    ctx.accountId,
    ctx.region,
    address.allocation_id,
  );
  setPublicIp(ctx, instance.instance_id, null);
  return { AssociationId: associationId };
}

export function DisassociateAddress(input: DisassociateAddressRequest, ctx: RequestContext): void {
  const s = statements(ctx.db);
  let address: AddressRow | undefined;
  if (input.AssociationId !== undefined) {
    if (!isWellFormedId('eipassoc', input.AssociationId))
      throw malformedId('InvalidAssociationID.Malformed', input.AssociationId);
    address = s.byAssociation.get(ctx.accountId, ctx.region, input.AssociationId);
    if (!address) throw notFound('InvalidAssociationID.NotFound', 'association', input.AssociationId);
  } else if (input.PublicIp !== undefined) {
    address = s.byIp.get(ctx.accountId, ctx.region, input.PublicIp);
    if (!address?.association_id)
      throw ec2Error('InvalidAddress.NotFound', `Address '${input.PublicIp}' not found.`);
  } else {
    throw missingParameter('AssociationId');
  }
  checkDryRun(input);
  dissociate(ctx, address);
}

export function ReleaseAddress(input: ReleaseAddressRequest, ctx: RequestContext): void {
  const address = requireAddress(ctx, input.AllocationId, input.PublicIp);
  if (address.association_id)
    throw ec2Error('InvalidIPAddress.InUse', `Address ${address.public_ip} is in use.`);
  checkDryRun(input);
  statements(ctx.db).remove.run(ctx.accountId, ctx.region, address.allocation_id);
  dropTags(ctx, address.allocation_id);
}

const ADDRESS_FIELDS: FilterFields<Address> = {
  'allocation-id': (a) => a.AllocationId,
  'association-id': (a) => a.AssociationId,
  domain: (a) => a.Domain,
  'instance-id': (a) => a.InstanceId,
  'network-border-group': (a) => a.NetworkBorderGroup,
  'network-interface-id': (a) => a.NetworkInterfaceId,
  'network-interface-owner-id': (a) => a.NetworkInterfaceOwnerId,
  'private-ip-address': (a) => a.PrivateIpAddress,
  'public-ip': (a) => a.PublicIp,
  'public-ipv4-pool': (a) => a.PublicIpv4Pool,
};

export function DescribeAddresses(
  input: DescribeAddressesRequest,
  ctx: RequestContext,
): DescribeAddressesResult {
  const matches = filterMatcher(input.Filters, ADDRESS_FIELDS);
  for (const id of input.AllocationIds ?? [])
    if (!isWellFormedId('eipalloc', id)) throw malformedId('InvalidAllocationID.Malformed', id);
  checkDryRun(input);
  const rows = statements(ctx.db).all.all(ctx.accountId, ctx.region);
  const ids = new Set(rows.map((r) => r.allocation_id));
  const missingId = input.AllocationIds?.find((id) => !ids.has(id));
  if (missingId) throw notFound('InvalidAllocationID.NotFound', 'allocation', missingId);
  const ips = new Set(rows.map((r) => r.public_ip));
  const missingIp = input.PublicIps?.find((ip) => !ips.has(ip));
  if (missingIp) throw ec2Error('InvalidAddress.NotFound', `Address '${missingIp}' not found.`);
  const wantedIds = input.AllocationIds?.length ? new Set(input.AllocationIds) : undefined;
  const wantedIps = input.PublicIps?.length ? new Set(input.PublicIps) : undefined;
  const tags = tagsByResource(ctx, 'eipalloc');
  const addresses: Address[] = [];
  for (const row of rows) {
    if (wantedIds && !wantedIds.has(row.allocation_id)) continue;
    if (wantedIps && !wantedIps.has(row.public_ip)) continue;
    const address = addressView(ctx, row, tags.get(row.allocation_id) ?? []);
    if (matches(address, address.Tags ?? [])) addresses.push(address);
  }
  return { Addresses: addresses };
}

function addressView(ctx: RequestContext, row: AddressRow, tags: Address['Tags']): Address {
  const associated = row.association_id
    ? {
        AssociationId: row.association_id,
        InstanceId: row.instance_id ?? undefined,
        NetworkInterfaceId: row.eni_id ?? undefined,
        NetworkInterfaceOwnerId: ctx.accountId,
        PrivateIpAddress: row.private_ip ?? undefined,
      }
    : {};
  return {
    AllocationId: row.allocation_id,
    PublicIp: row.public_ip,
    Domain: 'vpc',
    PublicIpv4Pool: 'amazon',
    NetworkBorderGroup: ctx.region,
    ...associated,
    Tags: tags,
  };
}

function requireAddress(ctx: RequestContext, allocationId?: string, publicIp?: string): AddressRow {
  const s = statements(ctx.db);
  if (allocationId !== undefined) {
    if (!isWellFormedId('eipalloc', allocationId))
      throw malformedId('InvalidAllocationID.Malformed', allocationId);
    const row = s.byId.get(ctx.accountId, ctx.region, allocationId);
    if (!row) throw notFound('InvalidAllocationID.NotFound', 'allocation', allocationId);
    return row;
  }
  if (publicIp !== undefined) {
    const row = s.byIp.get(ctx.accountId, ctx.region, publicIp);
    if (!row) throw ec2Error('InvalidAddress.NotFound', `Address '${publicIp}' not found.`);
    return row;
  }
  throw missingParameter('AllocationId');
}

/** The instance an association targets: by id, or as the owner of the network interface. */
function targetInstance(ctx: RequestContext, input: AssociateAddressRequest): InstanceRow {
  if (input.InstanceId !== undefined && input.NetworkInterfaceId !== undefined)
    throw invalidParameterCombination(
      'You may specify instanceId or networkInterfaceId, but not both in the same call.',
    );
  let instance: InstanceRow;
  if (input.NetworkInterfaceId !== undefined) {
    const id = input.NetworkInterfaceId;
    if (!isWellFormedId('eni', id)) throw malformedId('InvalidNetworkInterfaceID.Malformed', id);
    const found = instanceByEni(ctx, id);
    if (!found) throw notFound('InvalidNetworkInterfaceID.NotFound', 'networkInterface', id);
    instance = found;
  } else if (input.InstanceId !== undefined) {
    instance = requireInstance(ctx, input.InstanceId);
  } else {
    throw missingParameter('InstanceId');
  }
  const state = stateAt(instance.transition, instance.settles_at, ctx.now());
  if (state !== 'running' && state !== 'stopped' && state !== 'pending')
    throw ec2Error(
      'IncorrectInstanceState',
      `The instance '${instance.instance_id}' is not in a valid state for this operation.`,
    );
  if (!gatewayOfVpc(ctx, instance.vpc_id))
    throw ec2Error(
      'Gateway.NotAttached',
      `Network ${instance.vpc_id} is not attached to any internet gateway`,
    );
  return instance;
}

/** Ends an association; a running instance that had a public address on its own gets a new one. */
function dissociate(ctx: RequestContext, address: AddressRow): void {
  statements(ctx.db).associate.run(null, null, null, null, ctx.accountId, ctx.region, address.allocation_id);
  const instanceId = address.instance_id;
  if (!instanceId) return;
  const instance = requireInstance(ctx, instanceId);
  const state = stateAt(instance.transition, instance.settles_at, ctx.now());
  if ((state === 'running' || state === 'pending') && docOf(ctx, instanceId).wantsPublicIp)
    setPublicIp(ctx, instanceId, newPublicIp(ctx));
}
