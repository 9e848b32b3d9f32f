/**
 * Garbage for the EC2 operations, to prove none answers a 5xx: inputs generated from each
 * operation's input shape (test/protocol/samples.ts), with ids and names swapped, mostly, for
 * those of real resources so that calls get past the first lookup; and the same requests on
 * the wire with parameters dropped, given values of the wrong type, or indexed oddly.
 */
import type { ServiceModel } from '../../src/protocol/model.js';
import type { Sampler } from '../../test/protocol/samples.js';

/** Real resources to name, by kind: an id prefix (i, vpc, sg...) or a name kind (keyName...). */
export type ResourcePool = Record<string, string[]>;

/** Which kind of resource a member names, by the member's name. */
const KIND_OF_MEMBER: Record<string, string> = {
  InstanceId: 'i',
  InstanceIds: 'i',
  VpcId: 'vpc',
  VpcIds: 'vpc',
  SubnetId: 'subnet',
  SubnetIds: 'subnet',
  GroupId: 'sg',
  GroupIds: 'sg',
  SecurityGroupIds: 'sg',
  Groups: 'sg',
  VolumeId: 'vol',
  VolumeIds: 'vol',
  ImageId: 'ami',
  ImageIds: 'ami',
  SourceImageId: 'ami',
  SnapshotId: 'snap',
  SnapshotIds: 'snap',
  AllocationId: 'eipalloc',
  AllocationIds: 'eipalloc',
  AssociationId: 'eipassoc',
  LaunchTemplateId: 'lt',
  LaunchTemplateIds: 'lt',
  InternetGatewayId: 'igw',
  InternetGatewayIds: 'igw',
  KeyPairId: 'key',
  KeyPairIds: 'key',
  NetworkInterfaceId: 'eni',
  SecurityGroupRuleIds: 'sgr',
  Resources: 'any',
  KeyName: 'keyName',
  KeyNames: 'keyName',
  LaunchTemplateName: 'templateName',
  LaunchTemplateNames: 'templateName',
  GroupName: 'groupName',
  GroupNames: 'groupName',
  SecurityGroups: 'groupName',
  InstanceType: 'instanceType',
  InstanceTypes: 'instanceType',
  AvailabilityZone: 'zone',
  ZoneNames: 'zone',
  RegionNames: 'region',
  CidrBlock: 'cidr',
  CidrIp: 'cidr',
  PublicIp: 'publicIp',
  Device: 'device',
  DeviceName: 'device',
  Version: 'version',
  Versions: 'version',
  DefaultVersion: 'version',
  SourceVersion: 'version',
  Attribute: 'attribute',
  Name: 'filterName',
};

/** Values that are well formed for their kind, whatever the pool holds. */
const FIXED: ResourcePool = {
  instanceType: ['t3.micro', 't4g.nano', 'm5.large', 'c6i.xlarge'],
  zone: ['us-east-1a', 'us-east-1b', 'eu-west-1a'],
  region: ['us-east-1', 'eu-west-1'],
  cidr: ['10.0.0.0/16', '10.0.1.0/24', '172.31.0.0/20', '0.0.0.0/0', '10.0.0.0/28'],
  device: ['/dev/xvda', '/dev/sdf', '/dev/sdz', 'xvdh'],
  version: ['$Latest', '$Default', '1', '2'],
  attribute: ['instanceType', 'userData', 'blockDeviceMapping', 'groupSet', 'disableApiTermination'],
  filterName: ['instance-state-name', 'tag:Name', 'tag-key', 'vpc-id', 'group-name', 'state', 'name'],
  groupName: ['default'],
};

/** An input for `operation`, with real ids and names swapped in most of the time. */
export function fuzzInput(
  sampler: Sampler,
  model: ServiceModel,
  operation: string,
  pool: ResourcePool,
): Record<string, unknown> {
  const shapeId = model.operations[operation]?.input;
  const input = shapeId ? sampler.structure(shapeId) : {};
  return withRealNames(input, sampler, pool) as Record<string, unknown>;
}

function withRealNames(value: unknown, sampler: Sampler, pool: ResourcePool, member?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => withRealNames(item, sampler, pool, member));
  if (value instanceof Date || value instanceof Uint8Array || value === null) return value;
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = withRealNames(inner, sampler, pool, key);
    return out;
  }
  // a DryRun stops a call before it changes anything: keep it rare so calls go all the way
  if (member === 'DryRun') return sampler.int(10) === 0;
  const kind = member === undefined ? undefined : KIND_OF_MEMBER[member];
  if (typeof value !== 'string' || kind === undefined || sampler.int(4) === 0) return value;
  const choices = kind === 'any' ? Object.values(pool).flat() : (pool[kind] ?? FIXED[kind] ?? []);
  return choices.length > 0 ? sampler.pick(choices) : value;
}

/** Values of every wrong type a query parameter may carry. */
export const GARBAGE = [
  '',
  'abc',
  '-1',
  '0',
  '1.5',
  '1e309',
  '99999999999999999999',
  'true',
  'null',
  '%',
  'ünïcödé',
  'i-',
  'x'.repeat(3000),
];

/** Parameters a form may carry that the operation's own input does not. */
export const ADDABLE = ['Filter.1.Value.1', 'InstanceId.1', 'TagSpecification.1.Tag.1.Key', 'MaxResults'];
