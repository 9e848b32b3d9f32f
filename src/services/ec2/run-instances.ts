/**
 * RunInstances: validates what the call (and its launch template) asks for, then records a
 * reservation of MaxCount instances, each `pending` until its boot time has passed, with its
 * root volume, network interface, private and public addresses. A ClientToken seen before
 * answers the reservation it made.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Reservation, RunInstancesRequest, Tag } from '@aws-sdk/client-ec2';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { newPublicIp } from './addresses.js';
import { checkDryRun } from './dry-run.js';
import { ec2Error, invalidParameterCombination, invalidParameterValue, missingParameter } from './errors.js';
import { newId } from './ids.js';
import { type ImageInfo, requireImage } from './images.js';
import { type LaunchSpec, launchSpec } from './instance-launch-spec.js';
import { type Placement, placementOf } from './instance-placement.js';
import {
  type InstanceDoc,
  insertInstance,
  instancesOfReservation,
  purgeVanished,
} from './instance-records.js';
import { TERMINATED_VISIBLE_MS } from './instance-state.js';
import { INSTANCE_TYPES_BY_NAME } from './instance-type-catalogue.js';
import { type InstanceTypeFigures, instanceTypeInfo } from './instance-types.js';
import { showInstances } from './instances.js';
import { requireKeyPair } from './key-pairs.js';
import { allocatePrivateIp } from './network-lookup.js';
import { tagsBySpecification, writeAwsTags, writeTags } from './tags.js';
import { checkVolumeSpec } from './volume-rules.js';
import { createRootVolume, type RootVolumeRequest } from './volumes.js';

/** EC2's documented default type; not in the catalogue of current types, so described here. */
const DEFAULT_TYPE: InstanceTypeFigures = {
  InstanceType: 'm1.small',
  VCpus: 1,
  MemoryMiB: 1740,
  Architectures: ['i386', 'x86_64'],
};

/** The most instances one RunInstances launches (localaws's stand-in for an account's limit). */
const INSTANCE_LIMIT = 1000;

const statements = perDb((db) => ({
  byToken: db.prepare<[string, string, string], { reservation_id: string; request_hash: string }>(
    'SELECT reservation_id, request_hash FROM ec2_reservations WHERE account = ? AND region = ? AND client_token = ?',
  ),
  insert: db.prepare<[string, string, string, string | null, string, string]>(
    'INSERT INTO ec2_reservations (account, region, reservation_id, client_token, request_hash, requester_id) VALUES (?, ?, ?, ?, ?, ?)',
  ),
}));

export function RunInstances(input: RunInstancesRequest, ctx: RequestContext): Reservation {
  const requestHash = hashRequest(input);
  const earlier = repeated(ctx, input.ClientToken, requestHash);
  if (earlier) return earlier;
  const count = instanceCount(input);
  const spec = launchSpec(ctx, input);
  const launch = prepareLaunch(ctx, spec);
  if (launch.placement.privateIp !== undefined && count > 1)
    throw invalidParameterCombination(
      'A private IP address cannot be specified when launching more than one instance',
    );
  checkDryRun(input);
  const now = ctx.now();
  purgeVanished(ctx, now - TERMINATED_VISIBLE_MS);
  const reservationId = newId('r');
  statements(ctx.db).insert.run(
    ctx.accountId,
    ctx.region,
    reservationId,
    input.ClientToken ?? null,
    requestHash,
    ctx.accountId,
  );
  const clientToken = input.ClientToken ?? '';
  for (let index = 0; index < count; index++)
    launchOne(ctx, launch, { reservationId, index, now, clientToken });
  return reservationOf(ctx, reservationId, true);
}

/** Everything a launch needs, checked before anything is made. */
interface Launch {
  spec: LaunchSpec;
  image: ImageInfo;
  type: InstanceTypeFigures;
  keyName?: string;
  placement: Placement;
  tags: Map<string, Tag[]>;
  volumes: Omit<RootVolumeRequest, 'instanceId' | 'availabilityZone' | 'tags'>[];
}

function prepareLaunch(ctx: RequestContext, spec: LaunchSpec): Launch {
  const image = requireImage(ctx, spec.imageId);
  const type = instanceTypeOf(spec.instanceType);
  if (!type.Architectures.includes(image.Architecture))
    throw invalidParameterValue(
      `The architecture '${type.Architectures.join(',')}' of the specified instance type does not match the architecture '${image.Architecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`,
    );
  const keyName = spec.keyName === undefined ? undefined : requireKeyPair(ctx, spec.keyName).KeyName;
  if (
    spec.shutdownBehavior !== undefined &&
    spec.shutdownBehavior !== 'stop' &&
    spec.shutdownBehavior !== 'terminate'
  )
    throw invalidParameterValue(
      `Value (${spec.shutdownBehavior}) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values are: stop, terminate.`,
    );
  const tags = tagsBySpecification(spec.tagSpecifications, ['instance', 'volume', 'network-interface']);
  return {
    spec,
    image,
    type,
    keyName,
    placement: placementOf(ctx, spec),
    tags,
    volumes: volumesOf(spec, image),
  };
}

function instanceTypeOf(name: string | undefined): InstanceTypeFigures {
  if (name === undefined || name === DEFAULT_TYPE.InstanceType)
    return instanceTypeInfo('m1.small') ?? DEFAULT_TYPE;
  const figures = instanceTypeInfo(name);
  if (!figures) throw invalidParameterValue(`Invalid value '${name}' for InstanceType.`);
  return figures;
}

function instanceCount(input: RunInstancesRequest): number {
  const { MinCount: min, MaxCount: max } = input;
  if (min === undefined) throw missingParameter('MinCount');
  if (max === undefined) throw missingParameter('MaxCount');
  if (min < 1)
    throw invalidParameterValue(
      `Value (${min}) for parameter minCount is invalid. Expected a positive integer.`,
    );
  if (max < 1)
    throw invalidParameterValue(
      `Value (${max}) for parameter maxCount is invalid. Expected a positive integer.`,
    );
  if (min > max)
    throw invalidParameterValue(
      `Value (${min}) for parameter minCount is invalid. Expected a value less than or equal to maxCount (${max}).`,
    );
  if (min > INSTANCE_LIMIT)
    throw ec2Error(
      'InstanceLimitExceeded',
      `You have requested more instances (${min}) than your current instance limit of ${INSTANCE_LIMIT} allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.`,
    );
  // as EC2 does within its limit: as many as MaxCount asks, or as many as the limit allows
  return Math.min(max, INSTANCE_LIMIT);
}

/** The root volume from the image, resized or retyped by a mapping of its device; other EBS mappings add volumes. */
function volumesOf(spec: LaunchSpec, image: ImageInfo): Launch['volumes'] {
  const mappings = spec.blockDeviceMappings ?? [];
  const root = mappings.find((m) => m.DeviceName === image.RootDeviceName)?.Ebs;
  const rootSize = root?.VolumeSize ?? image.RootVolumeSize;
  if (rootSize < image.RootVolumeSize)
    throw ec2Error(
      'InvalidBlockDeviceMapping',
      `Volume of size ${rootSize}GB is smaller than snapshot '${image.RootSnapshotId ?? ''}', expect size >= ${image.RootVolumeSize}GB`,
    );
  const volumes: Launch['volumes'] = [
    {
      deviceName: image.RootDeviceName,
      size: rootSize,
      volumeType: root?.VolumeType ?? image.RootVolumeType,
      deleteOnTermination: root?.DeleteOnTermination ?? true,
      snapshotId: image.RootSnapshotId,
      iops: root?.Iops ?? (root?.VolumeType ? undefined : image.RootIops),
      throughput: root?.Throughput ?? (root?.VolumeType ? undefined : image.RootThroughput),
      encrypted: root?.Encrypted ?? image.RootEncrypted,
      kmsKeyId: root?.KmsKeyId,
    },
  ];
  for (const mapping of mappings) {
    const ebs = mapping.Ebs;
    if (!ebs || mapping.DeviceName === image.RootDeviceName || mapping.NoDevice !== undefined) continue;
    if (ebs.VolumeSize === undefined && ebs.SnapshotId === undefined)
      throw ec2Error(
        'InvalidBlockDeviceMapping',
        'The request must contain either a valid snapshot or a volume size.',
      );
    volumes.push({
      deviceName: mapping.DeviceName ?? '',
      size: ebs.VolumeSize ?? 8,
      volumeType: ebs.VolumeType ?? 'gp2',
      deleteOnTermination: ebs.DeleteOnTermination ?? true,
      snapshotId: ebs.SnapshotId,
      iops: ebs.Iops,
      throughput: ebs.Throughput,
      encrypted: ebs.Encrypted,
      kmsKeyId: ebs.KmsKeyId,
    });
  }
  for (const v of volumes)
    checkVolumeSpec({ type: v.volumeType, size: v.size, iops: v.iops, throughput: v.throughput });
  return volumes;
}

function launchOne(
  ctx: RequestContext,
  launch: Launch,
  at: { reservationId: string; index: number; now: number; clientToken: string },
): void {
  const { spec, placement, image } = launch;
  const instanceId = newId('i');
  const eniId = newId('eni');
  const runningAt = at.now + ctx.config.ec2BootSeconds * 1000;
  insertInstance(ctx, {
    instance_id: instanceId,
    reservation_id: at.reservationId,
    launch_index: at.index,
    image_id: image.ImageId,
    instance_type: launch.type.InstanceType,
    key_name: launch.keyName ?? null,
    vpc_id: placement.subnet.VpcId,
    subnet_id: placement.subnet.SubnetId,
    availability_zone: placement.subnet.AvailabilityZone,
    private_ip: allocatePrivateIp(ctx, placement.subnet.SubnetId, placement.privateIp),
    public_ip: placement.wantsPublicIp ? newPublicIp(ctx) : null,
    eni_id: eniId,
    group_ids: placement.groups.map((g) => g.GroupId).join(','),
    launched_at: at.now,
    transition: 'pending',
    transition_at: at.now,
    settles_at: runningAt,
    checks_ok_at: runningAt + ctx.config.ec2StatusCheckSeconds * 1000,
    disable_api_termination: spec.disableApiTermination ? 1 : 0,
    shutdown_behavior: spec.shutdownBehavior ?? 'stop',
    user_data: spec.userData ?? null,
    doc: instanceDoc(ctx, launch, at.now, at.clientToken),
  });
  const volumeTags = launch.tags.get('volume') ?? [];
  for (const volume of launch.volumes)
    createRootVolume(ctx, {
      ...volume,
      instanceId,
      availabilityZone: placement.subnet.AvailabilityZone,
      tags: volumeTags,
    });
  const instanceTags = launch.tags.get('instance');
  if (instanceTags?.length) writeTags(ctx, instanceId, instanceTags);
  if (spec.template)
    writeAwsTags(ctx, instanceId, [
      { Key: 'aws:ec2launchtemplate:id', Value: spec.template.id },
      { Key: 'aws:ec2launchtemplate:version', Value: String(spec.template.version) },
    ]);
  const eniTags = launch.tags.get('network-interface');
  if (eniTags?.length) writeTags(ctx, eniId, eniTags);
}

function instanceDoc(ctx: RequestContext, launch: Launch, now: number, clientToken: string): InstanceDoc {
  const { spec, image, placement } = launch;
  // images that require IMDSv2 (Amazon Linux 2023) launch with tokens required and two hops
  const imdsV2 = image.ImdsSupport === 'v2.0';
  return {
    architecture: image.Architecture,
    platformDetails: image.PlatformDetails,
    platform: image.Platform,
    virtualizationType: image.VirtualizationType,
    rootDeviceName: image.RootDeviceName,
    bootMode: image.BootMode,
    groups: placement.groups,
    iamInstanceProfile: spec.iamInstanceProfile && instanceProfile(ctx, spec.iamInstanceProfile),
    monitoring: spec.monitoring ?? false,
    ebsOptimized: spec.ebsOptimized ?? false,
    sourceDestCheck: true,
    enaSupport: image.EnaSupport,
    disableApiStop: spec.disableApiStop ?? false,
    metadataOptions: {
      HttpTokens: spec.metadataOptions?.HttpTokens ?? (imdsV2 ? 'required' : 'optional'),
      HttpPutResponseHopLimit: spec.metadataOptions?.HttpPutResponseHopLimit ?? (imdsV2 ? 2 : 1),
      HttpEndpoint: spec.metadataOptions?.HttpEndpoint ?? 'enabled',
      HttpProtocolIpv6: spec.metadataOptions?.HttpProtocolIpv6 ?? 'disabled',
      InstanceMetadataTags: spec.metadataOptions?.InstanceMetadataTags ?? 'disabled',
    },
    cpuOptions: cpuOptions(launch.type, spec.cpuOptions),
    tenancy: spec.tenancy ?? 'default',
    placementGroup: spec.placementGroup,
    clientToken,
    macAddress: macAddress(),
    eniAttachmentId: newId('eni-attach'),
    eniDescription: placement.eniDescription,
    eniDeleteOnTermination: placement.eniDeleteOnTermination,
    eniAttachedAt: now,
    wantsPublicIp: placement.wantsPublicIp,
  };
}

/** The type's default cores and threads (from the catalogue), unless the launch sets them. */
function cpuOptions(
  type: InstanceTypeFigures,
  asked: LaunchSpec['cpuOptions'],
): { CoreCount: number; ThreadsPerCore: number } {
  const info = INSTANCE_TYPES_BY_NAME.get(type.InstanceType)?.VCpuInfo;
  const threads = asked?.ThreadsPerCore ?? info?.DefaultThreadsPerCore ?? 1;
  return {
    CoreCount: asked?.CoreCount ?? info?.DefaultCores ?? Math.max(1, type.VCpus / threads),
    ThreadsPerCore: threads,
  };
}

/** IAM is not simulated: a profile named by ARN or name is taken as given, its id stable per ARN. */
function instanceProfile(
  ctx: RequestContext,
  profile: { Arn?: string; Name?: string },
): { Arn: string; Id: string } {
  const arn = profile.Arn ?? `arn:aws:iam::${ctx.accountId}:instance-profile/${profile.Name ?? ''}`;
  const digest = createHash('sha256').update(arn).digest();
  let id = 'AIPA';
  for (let i = 0; i < 17; i++) id += ID_ALPHABET[(digest[i] as number) % ID_ALPHABET.length];
  return { Arn: arn, Id: id };
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A locally administered unicast address, as EC2's `0e:` and `12:` MACs are. */
function macAddress(): string {
  const bytes = randomBytes(5);
  return `0e:${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
}

/** A reservation as RunInstances answers it. */
function reservationOf(ctx: RequestContext, reservationId: string, launching: boolean): Reservation {
  const rows = instancesOfReservation(ctx, reservationId);
  return {
    ReservationId: reservationId,
    OwnerId: ctx.accountId,
    Groups: [],
    Instances: showInstances(ctx, rows, { launching }),
  };
}

/** The earlier answer to the same ClientToken, or IdempotentParameterMismatch when the call differs. */
function repeated(
  ctx: RequestContext,
  token: string | undefined,
  requestHash: string,
): Reservation | undefined {
  if (token === undefined) return undefined;
  const earlier = statements(ctx.db).byToken.get(ctx.accountId, ctx.region, token);
  if (!earlier) return undefined;
  if (earlier.request_hash !== requestHash)
    throw ec2Error(
      'IdempotentParameterMismatch',
      'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).',
    );
  return reservationOf(ctx, earlier.reservation_id, false);
}

function hashRequest(input: RunInstancesRequest): string {
  const { ClientToken: _token, DryRun: _dryRun, ...rest } = input;
  return createHash('sha256').update(stableJson(rest)).digest('base64');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
