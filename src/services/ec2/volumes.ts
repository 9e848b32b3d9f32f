/**
 * EBS volumes: those made with instances (root volumes) and those made with CreateVolume.
 * States derive from stored times: `creating` until available_at; attached volumes are
 * `in-use`, their attachment `attaching` until attached_at and `detaching` until detached_at,
 * after which the volume is `available` again (the finished attachment stays in the row, unread,
 * until the next attach overwrites it).
 */
import type {
  CreateVolumeRequest,
  DeleteVolumeRequest,
  DescribeVolumesRequest,
  DescribeVolumesResult,
  ModifyVolumeRequest,
  ModifyVolumeResult,
  Tag,
  Volume,
  VolumeAttachmentState,
  VolumeState,
  VolumeType,
} from '@aws-sdk/client-ec2';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { checkDryRun } from './dry-run.js';
import { ec2Error, invalidParameterCombination, invalidParameterValue, missingParameter } from './errors.js';
import { type FilterFields, filterMatcher } from './filters.js';
import { isWellFormedId, newId } from './ids.js';
import { pageOf } from './pages.js';
import { availabilityZonesOf } from './regions.js';
import { dropTags, tagsByResource, tagsBySpecification, writeTags } from './tags.js';
import { checkVolumeSpec, effectivePerformance, type VolumeSpec } from './volume-rules.js';
import { requireSnapshot } from './volume-snapshots.js';

/** A volume is `creating` this long. */
const CREATING_SECONDS = 1;

export interface VolumeRow {
  volume_id: string;
  availability_zone: string;
  size: number;
  volume_type: string;
  iops: number | null;
  throughput: number | null;
  encrypted: number;
  kms_key_id: string | null;
  snapshot_id: string | null;
  multi_attach: number;
  created_at: number;
  available_at: number;
  instance_id: string | null;
  device: string | null;
  attach_time: number | null;
  attached_at: number | null;
  detached_at: number | null;
  delete_on_termination: number;
}

const COLUMNS = `volume_id, availability_zone, size, volume_type, iops, throughput, encrypted, kms_key_id,
  snapshot_id, multi_attach, created_at, available_at, instance_id, device, attach_time, attached_at,
  detached_at, delete_on_termination`;

type NewVolume = Omit<VolumeRow, 'multi_attach' | 'detached_at'> & {
  account: string;
  region: string;
  multi_attach: number;
};

const statements = perDb((db) => ({
  one: db.prepare<[string, string, string], VolumeRow>(
    `SELECT ${COLUMNS} FROM ec2_volumes WHERE account = ? AND region = ? AND volume_id = ?`,
  ),
  all: db.prepare<[string, string], VolumeRow>(
    `SELECT ${COLUMNS} FROM ec2_volumes WHERE account = ? AND region = ? ORDER BY volume_id`,
  ),
  // only what an instance's block device mappings show, for many instances at once
  ofInstances: db.prepare<[string, string, string], AttachmentRow>(
    `SELECT instance_id, volume_id, device, attach_time, attached_at, detached_at, delete_on_termination
      FROM ec2_volumes WHERE account = ? AND region = ? AND instance_id IN (SELECT value FROM json_each(?))
      ORDER BY instance_id, device`,
  ),
  insert: db.prepare<NewVolume>(
    `INSERT INTO ec2_volumes (account, region, volume_id, availability_zone, size, volume_type, iops, throughput,
      encrypted, kms_key_id, snapshot_id, multi_attach, created_at, available_at, instance_id, device, attach_time,
      attached_at, delete_on_termination)
     VALUES (@account, @region, @volume_id, @availability_zone, @size, @volume_type, @iops, @throughput, @encrypted,
      @kms_key_id, @snapshot_id, @multi_attach, @created_at, @available_at, @instance_id, @device, @attach_time,
      @attached_at, @delete_on_termination)`,
  ),
  remove: db.prepare<[string, string, string]>(
    'DELETE FROM ec2_volumes WHERE account = ? AND region = ? AND volume_id = ?',
  ),
  detachAll: db.prepare<[string, string, string]>(
    `UPDATE ec2_volumes SET instance_id = NULL, device = NULL, attach_time = NULL, attached_at = NULL,
      detached_at = NULL, delete_on_termination = 0 WHERE account = ? AND region = ? AND instance_id = ?`,
  ),
  deleteOnTermination: db.prepare<[string, string, string], { volume_id: string }>(
    `DELETE FROM ec2_volumes WHERE account = ? AND region = ? AND instance_id = ? AND delete_on_termination = 1
      AND (detached_at IS NULL) RETURNING volume_id`,
  ),
  modify: db.prepare<[number, string, number | null, number | null, string, string, string]>(
    'UPDATE ec2_volumes SET size = ?, volume_type = ?, iops = ?, throughput = ? WHERE account = ? AND region = ? AND volume_id = ?',
  ),
}));

/** Whether an attachment still holds the volume at `now` (a finished detach does not). */
export function isAttached(row: VolumeRow, now: number): boolean {
  return row.instance_id !== null && (row.detached_at === null || row.detached_at > now);
}

function attachmentState(
  row: Pick<VolumeRow, 'attached_at' | 'detached_at'>,
  now: number,
): VolumeAttachmentState {
  if (row.detached_at !== null) return 'detaching';
  return (row.attached_at ?? 0) > now ? 'attaching' : 'attached';
}

function volumeStateOf(row: VolumeRow, now: number): VolumeState {
  if (row.available_at > now) return 'creating';
  return isAttached(row, now) ? 'in-use' : 'available';
}

/** The volume's row, or undefined when the account has none of that id. */
export function volumeRow(ctx: RequestContext, volumeId: string): VolumeRow | undefined {
  return statements(ctx.db).one.get(ctx.accountId, ctx.region, volumeId);
}

/** A volume by id, with AWS's errors for a malformed or unknown one. */
export function requireVolume(ctx: RequestContext, volumeId: string | undefined): VolumeRow {
  if (!volumeId) throw missingParameter('volumeId');
  if (!isWellFormedId('vol', volumeId))
    throw ec2Error('InvalidVolumeID.Malformed', `Invalid id: "${volumeId}" (expecting "vol-...")`);
  const row = volumeRow(ctx, volumeId);
  if (!row) throw volumeNotFound(volumeId);
  return row;
}

export const volumeNotFound = (volumeId: string) =>
  ec2Error('InvalidVolume.NotFound', `The volume '${volumeId}' does not exist.`);

/** What CreateImage needs of a volume. */
export function volumeDetails(
  ctx: RequestContext,
  volumeId: string,
):
  | {
      VolumeId: string;
      InstanceId?: string;
      Size: number;
      VolumeType: string;
      Iops?: number;
      Throughput?: number;
      Encrypted: boolean;
      DeleteOnTermination: boolean;
    }
  | undefined {
  const row = volumeRow(ctx, volumeId);
  if (!row) return undefined;
  return {
    VolumeId: row.volume_id,
    InstanceId: row.instance_id ?? undefined,
    Size: row.size,
    VolumeType: row.volume_type,
    Iops: row.iops ?? undefined,
    Throughput: row.throughput ?? undefined,
    Encrypted: row.encrypted === 1,
    DeleteOnTermination: row.delete_on_termination === 1,
  };
}

export interface RootVolumeRequest {
  instanceId: string;
  availabilityZone: string;
  size: number;
  volumeType: string;
  deleteOnTermination: boolean;
  deviceName: string;
  snapshotId?: string;
  tags: readonly Tag[];
  iops?: number;
  throughput?: number;
  encrypted?: boolean;
  kmsKeyId?: string;
}

/**
 * A volume made with an instance (its root, or another device of its block device mapping):
 * in-use and attached from the start. The caller has validated the figures (checkVolumeSpec).
 */
export function createRootVolume(ctx: RequestContext, request: RootVolumeRequest): string {
  const now = ctx.now();
  const volumeId = newId('vol');
  const performance = effectivePerformance({
    type: request.volumeType,
    size: request.size,
    iops: request.iops,
    throughput: request.throughput,
  });
  statements(ctx.db).insert.run({
    account: ctx.accountId,
    region: ctx.region,
    volume_id: volumeId,
    availability_zone: request.availabilityZone,
    size: request.size,
    volume_type: request.volumeType,
    iops: performance.iops ?? null,
    throughput: performance.throughput ?? null,
    encrypted: request.encrypted ? 1 : 0,
    kms_key_id: request.kmsKeyId ?? null,
    snapshot_id: request.snapshotId ?? null,
    multi_attach: 0,
    created_at: now,
    available_at: now,
    instance_id: request.instanceId,
    device: request.deviceName,
    attach_time: now,
    attached_at: now,
    delete_on_termination: request.deleteOnTermination ? 1 : 0,
  });
  if (request.tags.length > 0) writeTags(ctx, volumeId, request.tags);
  return volumeId;
}

export interface InstanceVolume {
  DeviceName: string;
  VolumeId: string;
  Status: VolumeAttachmentState;
  AttachTime: Date;
  DeleteOnTermination: boolean;
}

type AttachmentRow = Pick<
  VolumeRow,
  | 'instance_id'
  | 'volume_id'
  | 'device'
  | 'attach_time'
  | 'attached_at'
  | 'detached_at'
  | 'delete_on_termination'
>;

/** The volumes attached to an instance (attaching, attached or detaching), by device name. */
export function volumesOfInstance(ctx: RequestContext, instanceId: string): InstanceVolume[] {
  return volumesOfInstances(ctx, [instanceId]).get(instanceId) ?? [];
}

/** The volumes attached to each of these instances, read at once (instances without any are left out). */
export function volumesOfInstances(
  ctx: RequestContext,
  instanceIds: readonly string[],
): Map<string, InstanceVolume[]> {
  const now = ctx.now();
  const out = new Map<string, InstanceVolume[]>();
  if (instanceIds.length === 0) return out;
  const rows = statements(ctx.db).ofInstances.all(ctx.accountId, ctx.region, JSON.stringify(instanceIds));
  for (const row of rows) {
    if (row.detached_at !== null && row.detached_at <= now) continue;
    const instanceId = row.instance_id as string;
    const volumes = out.get(instanceId) ?? [];
    if (volumes.length === 0) out.set(instanceId, volumes);
    volumes.push({
      DeviceName: row.device ?? '',
      VolumeId: row.volume_id,
      Status: attachmentState(row, now),
      AttachTime: new Date(row.attach_time ?? now),
      DeleteOnTermination: row.delete_on_termination === 1,
    });
  }
  return out;
}

/** An instance has terminated: its DeleteOnTermination volumes go, the others come free. */
export function instanceTerminated(ctx: RequestContext, instanceId: string): void {
  const s = statements(ctx.db);
  for (const { volume_id } of s.deleteOnTermination.all(ctx.accountId, ctx.region, instanceId))
    dropTags(ctx, volume_id);
  s.detachAll.run(ctx.accountId, ctx.region, instanceId);
}

export function CreateVolume(input: CreateVolumeRequest, ctx: RequestContext): Volume {
  const zone = zoneOf(ctx, input.AvailabilityZone, input.AvailabilityZoneId);
  const snapshot = input.SnapshotId ? requireSnapshot(ctx, input.SnapshotId) : undefined;
  if (input.Size === undefined && !snapshot) throw missingParameter('size/snapshotId');
  const spec: VolumeSpec = {
    type: input.VolumeType ?? 'gp2',
    size: input.Size ?? snapshot?.VolumeSize ?? 0,
    iops: input.Iops,
    throughput: input.Throughput,
  };
  checkVolumeSpec(spec);
  if (snapshot && spec.size < snapshot.VolumeSize)
    throw invalidParameterValue(
      `Volume of ${spec.size}GiB is too small; minimum is ${snapshot.VolumeSize}GiB for snapshot '${snapshot.SnapshotId}'`,
    );
  if (input.MultiAttachEnabled && spec.type !== 'io1' && spec.type !== 'io2')
    throw invalidParameterCombination(`The multi-attach feature is not supported for ${spec.type} volumes.`);
  const tags = tagsBySpecification(input.TagSpecifications, ['volume']).get('volume') ?? [];
  checkDryRun(input);
  const now = ctx.now();
  const volumeId = newId('vol');
  const performance = effectivePerformance(spec);
  const encrypted = input.Encrypted === true || snapshot?.Encrypted === true || input.KmsKeyId !== undefined;
  const row: NewVolume = {
    account: ctx.accountId,
    region: ctx.region,
    volume_id: volumeId,
    availability_zone: zone,
    size: spec.size,
    volume_type: spec.type,
    iops: performance.iops ?? null,
    throughput: performance.throughput ?? null,
    encrypted: encrypted ? 1 : 0,
    kms_key_id: encrypted ? (input.KmsKeyId ?? defaultKmsKey(ctx)) : null,
    snapshot_id: snapshot?.SnapshotId ?? null,
    multi_attach: input.MultiAttachEnabled ? 1 : 0,
    created_at: now,
    available_at: now + CREATING_SECONDS * 1000,
    instance_id: null,
    device: null,
    attach_time: null,
    attached_at: null,
    delete_on_termination: 0,
  };
  statements(ctx.db).insert.run(row);
  if (tags.length > 0) writeTags(ctx, volumeId, tags);
  return {
    ...describeVolume({ ...row, detached_at: null }, now),
    Tags: tags.length > 0 ? [...tags] : undefined,
  };
}

/** The account's default EBS key, as AWS names the alias-backed key in ARNs. */
function defaultKmsKey(ctx: RequestContext): string {
  return `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/aws-ebs-default`;
}

function zoneOf(ctx: RequestContext, name: string | undefined, id: string | undefined): string {
  if (!name && !id) throw missingParameter('AvailabilityZone');
  const zones = availabilityZonesOf(ctx.region);
  const zone = zones.find((z) => (name ? z.ZoneName === name : z.ZoneId === id));
  if (!zone) throw invalidParameterValue(`Invalid availability zone: [${name ?? id}]`);
  return zone.ZoneName;
}

/** A volume as DescribeVolumes shows it (without tags). */
function describeVolume(row: VolumeRow, now: number): Volume {
  const attached = isAttached(row, now);
  return {
    VolumeId: row.volume_id,
    Size: row.size,
    SnapshotId: row.snapshot_id ?? '',
    AvailabilityZone: row.availability_zone,
    State: volumeStateOf(row, now),
    CreateTime: new Date(row.created_at),
    Attachments: attached
      ? [
          {
            VolumeId: row.volume_id,
            InstanceId: row.instance_id as string,
            Device: row.device as string,
            State: attachmentState(row, now),
            AttachTime: new Date(row.attach_time ?? now),
            DeleteOnTermination: row.delete_on_termination === 1,
          },
        ]
      : [],
    VolumeType: row.volume_type as VolumeType,
    Iops: row.iops ?? undefined,
    Throughput: row.throughput ?? undefined,
    Encrypted: row.encrypted === 1,
    KmsKeyId: row.kms_key_id ?? undefined,
    MultiAttachEnabled: row.multi_attach === 1,
  };
}

const VOLUME_FIELDS: FilterFields<Volume> = {
  'volume-id': (v) => v.VolumeId,
  status: (v) => v.State,
  'availability-zone': (v) => v.AvailabilityZone,
  size: (v) => v.Size,
  'volume-type': (v) => v.VolumeType,
  'snapshot-id': (v) => v.SnapshotId,
  encrypted: (v) => v.Encrypted,
  'multi-attach-enabled': (v) => v.MultiAttachEnabled,
  'create-time': (v) => v.CreateTime?.toISOString(),
  'attachment.instance-id': (v) => v.Attachments?.map((a) => a.InstanceId as string),
  'attachment.device': (v) => v.Attachments?.map((a) => a.Device as string),
  'attachment.status': (v) => v.Attachments?.map((a) => a.State as string),
  'attachment.delete-on-termination': (v) => v.Attachments?.map((a) => String(a.DeleteOnTermination)),
  'attachment.attach-time': (v) => v.Attachments?.map((a) => a.AttachTime?.toISOString() ?? ''),
};

export function DescribeVolumes(input: DescribeVolumesRequest, ctx: RequestContext): DescribeVolumesResult {
  const named = input.VolumeIds ?? [];
  for (const id of named)
    if (!isWellFormedId('vol', id))
      throw ec2Error('InvalidVolumeID.Malformed', `Invalid id: "${id}" (expecting "vol-...")`);
  const matches = filterMatcher(input.Filters, VOLUME_FIELDS);
  if (named.length > 0 && (input.MaxResults !== undefined || input.NextToken !== undefined))
    throw invalidParameterCombination('The parameter volumeSet cannot be used with the parameter maxResults');
  checkDryRun(input);
  const now = ctx.now();
  const rows =
    named.length > 0 ? namedVolumes(ctx, named) : statements(ctx.db).all.all(ctx.accountId, ctx.region);
  const tags = tagsByResource(ctx, 'vol');
  const volumes: Volume[] = [];
  for (const row of rows) {
    const volume = describeVolume(row, now);
    const volumeTags = tags.get(row.volume_id) ?? [];
    if (!matches(volume, volumeTags)) continue;
    if (volumeTags.length > 0) volume.Tags = volumeTags;
    volumes.push(volume);
  }
  const page = pageOf(volumes, (v) => v.VolumeId as string, input, { min: 5, max: 500 });
  return { Volumes: page.items, NextToken: page.nextToken };
}

function namedVolumes(ctx: RequestContext, ids: readonly string[]): VolumeRow[] {
  const rows = [...new Set(ids)].map((id) => volumeRow(ctx, id));
  const missing = ids.filter((_, i) => rows[i] === undefined);
  if (missing.length > 0) throw volumeNotFound(missing.join(', '));
  return (rows as VolumeRow[]).sort((a, b) => (a.volume_id < b.volume_id ? -1 : 1));
}

export function DeleteVolume(input: DeleteVolumeRequest, ctx: RequestContext): void {
  const row = requireVolume(ctx, input.VolumeId);
  const now = ctx.now();
  if (isAttached(row, now))
    throw ec2Error('VolumeInUse', `Volume ${row.volume_id} is currently attached to ${row.instance_id}`);
  if (row.available_at > now) throw ec2Error('IncorrectState', `The volume '${row.volume_id}' is 'creating'`);
  checkDryRun(input);
  statements(ctx.db).remove.run(ctx.accountId, ctx.region, row.volume_id);
  dropTags(ctx, row.volume_id);
}

/** ModifyVolume: the change applies at once and reports itself completed. */
export function ModifyVolume(input: ModifyVolumeRequest, ctx: RequestContext): ModifyVolumeResult {
  const row = requireVolume(ctx, input.VolumeId);
  const type = input.VolumeType ?? row.volume_type;
  const typeChanged = type !== row.volume_type;
  const spec: VolumeSpec = {
    type,
    size: input.Size ?? row.size,
    iops: input.Iops ?? (typeChanged || type === 'gp2' ? undefined : (row.iops ?? undefined)),
    throughput: input.Throughput ?? (typeChanged ? undefined : (row.throughput ?? undefined)),
  };
  if (spec.type === 'gp2') spec.iops = input.Iops;
  if (spec.size < row.size)
    throw invalidParameterValue(`New size cannot be smaller than existing size (${row.size}GiB)`);
  checkVolumeSpec(spec);
  checkDryRun(input);
  const performance = effectivePerformance(spec);
  statements(ctx.db).modify.run(
    spec.size,
    spec.type,
    performance.iops ?? null,
    performance.throughput ?? null,
    ctx.accountId,
    ctx.region,
    row.volume_id,
  );
  const now = new Date(ctx.now());
  return {
    VolumeModification: {
      VolumeId: row.volume_id,
      ModificationState: 'completed',
      Progress: 100,
      StartTime: now,
      EndTime: now,
      OriginalSize: row.size,
      TargetSize: spec.size,
      OriginalVolumeType: row.volume_type as VolumeType,
      TargetVolumeType: spec.type as VolumeType,
      OriginalIops: row.iops ?? undefined,
      TargetIops: performance.iops,
      OriginalThroughput: row.throughput ?? undefined,
      TargetThroughput: performance.throughput,
      OriginalMultiAttachEnabled: row.multi_attach === 1,
      TargetMultiAttachEnabled: row.multi_attach === 1,
    },
  };
}
