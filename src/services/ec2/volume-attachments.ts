/**
 * AttachVolume and DetachVolume: an attachment is `attaching` for a moment, then `attached`;
 * a detach leaves it `detaching` until detached_at, after which the volume is available.
 */
import type { AttachVolumeRequest, DetachVolumeRequest, VolumeAttachment } from '@aws-sdk/client-ec2';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { instanceSnapshot } from './compute-references.js';
import { checkDryRun } from './dry-run.js';
import { ec2Error, invalidParameterValue, malformedId, missingParameter, notFound } from './errors.js';
import { isWellFormedId } from './ids.js';
import { isAttached, requireVolume, type VolumeRow, volumesOfInstance } from './volumes.js';

/** An attachment is `attaching` (and a detach `detaching`) this long. */
const ATTACH_SECONDS = 1;

const statements = perDb((db) => ({
  attach: db.prepare<[string, string, number, number, string, string, string]>(
    `UPDATE ec2_volumes SET instance_id = ?, device = ?, attach_time = ?, attached_at = ?, detached_at = NULL,
      delete_on_termination = 0 WHERE account = ? AND region = ? AND volume_id = ?`,
  ),
  detach: db.prepare<[number, string, string, string]>(
    'UPDATE ec2_volumes SET detached_at = ? WHERE account = ? AND region = ? AND volume_id = ?',
  ),
  deleteOnTermination: db.prepare<[number, string, string, string]>(
    'UPDATE ec2_volumes SET delete_on_termination = ? WHERE account = ? AND region = ? AND volume_id = ?',
  ),
}));

/** Whether an attached volume goes with its instance (ModifyInstanceAttribute's block device mapping). */
export function setDeleteOnTermination(ctx: RequestContext, volumeId: string, on: boolean): void {
  statements(ctx.db).deleteOnTermination.run(on ? 1 : 0, ctx.accountId, ctx.region, volumeId);
}

/** Device names EC2 takes for a Linux or Windows attachment: /dev/sd[b-z], /dev/xvd[b-z]..., xvd[f-p]. */
const DEVICE_PATTERN = /^(\/dev\/(sd|xvd|hd)[a-z]{1,2}[0-9]{0,2}|xvd[a-z]{1,2})$/;

export function AttachVolume(input: AttachVolumeRequest, ctx: RequestContext): VolumeAttachment {
  const device = input.Device;
  if (!device) throw missingParameter('device');
  const volume = requireVolume(ctx, input.VolumeId);
  const instanceId = input.InstanceId;
  if (!instanceId) throw missingParameter('instanceId');
  if (!isWellFormedId('i', instanceId)) throw malformedId('InvalidInstanceID.Malformed', instanceId);
  const instance = instanceSnapshot(ctx, instanceId);
  if (!instance) throw notFound('InvalidInstanceID.NotFound', 'instance', instanceId);
  if (!DEVICE_PATTERN.test(device))
    throw invalidParameterValue(
      `Value (${device}) for parameter device is invalid. ${device} is not a valid EBS device name.`,
    );
  const now = ctx.now();
  checkAttachable(volume, now);
  if (instance.AvailabilityZone !== volume.availability_zone)
    throw ec2Error(
      'InvalidVolume.ZoneMismatch',
      `The volume '${volume.volume_id}' is not in the same availability zone as instance '${instanceId}'`,
    );
  if (instance.State !== 'running' && instance.State !== 'stopped')
    throw ec2Error('IncorrectState', `Instance '${instanceId}' is not 'running'.`);
  if (volumesOfInstance(ctx, instanceId).some((v) => v.DeviceName === device))
    throw invalidParameterValue(
      `Invalid value '${device}' for unixDevice. Attachment point ${device} is already in use`,
    );
  checkDryRun(input);
  const attachedAt = now + ATTACH_SECONDS * 1000;
  statements(ctx.db).attach.run(
    instanceId,
    device,
    now,
    attachedAt,
    ctx.accountId,
    ctx.region,
    volume.volume_id,
  );
  return {
    VolumeId: volume.volume_id,
    InstanceId: instanceId,
    Device: device,
    State: attachedAt > now ? 'attaching' : 'attached',
    AttachTime: new Date(now),
    DeleteOnTermination: false,
  };
}

function checkAttachable(volume: VolumeRow, now: number): void {
  if (volume.available_at > now)
    throw ec2Error('IncorrectState', `The volume '${volume.volume_id}' is not 'available'.`);
  if (isAttached(volume, now))
    throw ec2Error('VolumeInUse', `${volume.volume_id} is already attached to an instance`);
}

export function DetachVolume(input: DetachVolumeRequest, ctx: RequestContext): VolumeAttachment {
  const volume = requireVolume(ctx, input.VolumeId);
  const now = ctx.now();
  if (!isAttached(volume, now) || volume.detached_at !== null)
    throw ec2Error(
      'IncorrectState',
      `Volume '${volume.volume_id}' is in the '${isAttached(volume, now) ? 'in-use' : 'available'}' state.`,
    );
  const instanceId = volume.instance_id as string;
  if (input.InstanceId && input.InstanceId !== instanceId)
    throw ec2Error(
      'InvalidAttachment.NotFound',
      `Attachment point ${input.Device ?? volume.device} is not found for instance ${input.InstanceId}`,
    );
  if (input.Device && input.Device !== volume.device)
    throw ec2Error(
      'InvalidAttachment.NotFound',
      `Attachment point ${input.Device} is not found for instance ${instanceId}`,
    );
  const instance = instanceSnapshot(ctx, instanceId);
  if (instance && instance.RootDeviceName === volume.device && instance.State !== 'stopped' && !input.Force)
    throw ec2Error(
      'IncorrectState',
      `Unable to detach root volume '${volume.volume_id}' from instance '${instanceId}'`,
    );
  checkDryRun(input);
  const detachedAt = now + ATTACH_SECONDS * 1000;
  statements(ctx.db).detach.run(detachedAt, ctx.accountId, ctx.region, volume.volume_id);
  return {
    VolumeId: volume.volume_id,
    InstanceId: instanceId,
    Device: volume.device ?? undefined,
    State: detachedAt > now ? 'detaching' : 'detached',
    AttachTime: new Date(volume.attach_time ?? now),
    DeleteOnTermination: volume.delete_on_termination === 1,
  };
}
