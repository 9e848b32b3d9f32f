/**
 * What the other parts of EC2 ask of instances: which ones still use a VPC, subnet or security
 * group (a delete's DependencyViolation), whether a VPC's instances hold public addresses (a
 * gateway detach's), and an instance's shape for CreateImage and AttachVolume's checks.
 */
import type { InstanceStateName } from '@aws-sdk/client-ec2';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { hasVanished, stateAt, type Transition } from './instance-state.js';
import { volumesOfInstance } from './volumes.js';

export interface InstanceSnapshot {
  InstanceId: string;
  State: InstanceStateName;
  InstanceType: string;
  ImageId: string;
  AvailabilityZone: string;
  RootDeviceName: string;
  BlockDevices: { DeviceName: string; VolumeId: string }[];
}

interface SnapshotRow {
  instance_id: string;
  instance_type: string;
  image_id: string;
  availability_zone: string;
  transition: Transition;
  settles_at: number;
  root_device_name: string;
}

const statements = perDb((db) => ({
  // shutting-down still holds its network; only a settled termination lets go
  using: db.prepare<
    {
      account: string;
      region: string;
      vpc: string | null;
      subnet: string | null;
      group: string | null;
      now: number;
    },
    { instance_id: string }
  >(
    `SELECT instance_id FROM ec2_instances WHERE account = @account AND region = @region
      AND NOT (transition = 'shutting-down' AND settles_at <= @now)
      AND (vpc_id = @vpc OR subnet_id = @subnet OR instr(',' || group_ids || ',', ',' || @group || ',') > 0)
      ORDER BY instance_id`,
  ),
  // an auto-assigned address, or an Elastic IP, on an instance of the VPC
  publicAddress: db.prepare<[string, string, string, string, string, string], { one: number }>(
    `SELECT 1 AS one FROM ec2_instances WHERE account = ? AND region = ? AND public_ip IS NOT NULL AND vpc_id = ?
     UNION ALL
     SELECT 1 FROM ec2_addresses a JOIN ec2_instances i
       ON i.account = a.account AND i.region = a.region AND i.instance_id = a.instance_id
       WHERE a.account = ? AND a.region = ? AND i.vpc_id = ?
     LIMIT 1`,
  ),
  snapshot: db.prepare<[string, string, string], SnapshotRow>(
    `SELECT instance_id, instance_type, image_id, availability_zone, transition, settles_at,
      doc ->> '$.rootDeviceName' AS root_device_name
      FROM ec2_instances WHERE account = ? AND region = ? AND instance_id = ?`,
  ),
}));

/** Ids of the instances not yet terminated that sit in the VPC or subnet, or use the group. */
export function instancesUsing(
  ctx: RequestContext,
  ref: { vpcId?: string; subnetId?: string; groupId?: string },
): string[] {
  return statements(ctx.db)
    .using.all({
      account: ctx.accountId,
      region: ctx.region,
      vpc: ref.vpcId ?? null,
      subnet: ref.subnetId ?? null,
      group: ref.groupId ?? null,
      now: ctx.now(),
    })
    .map((row) => row.instance_id);
}

/** Whether an instance of the VPC holds a public address (what keeps its internet gateway attached). */
export function vpcHasPublicAddresses(ctx: RequestContext, vpcId: string): boolean {
  const { accountId: account, region } = ctx;
  return statements(ctx.db).publicAddress.get(account, region, vpcId, account, region, vpcId) !== undefined;
}

export function instanceSnapshot(ctx: RequestContext, instanceId: string): InstanceSnapshot | undefined {
  const row = statements(ctx.db).snapshot.get(ctx.accountId, ctx.region, instanceId);
  const now = ctx.now();
  if (!row || hasVanished(row.transition, row.settles_at, now)) return undefined;
  return {
    InstanceId: row.instance_id,
    State: stateAt(row.transition, row.settles_at, now),
    InstanceType: row.instance_type,
    ImageId: row.image_id,
    AvailabilityZone: row.availability_zone,
    RootDeviceName: row.root_device_name,
    BlockDevices: volumesOfInstance(ctx, instanceId).map((v) => ({
      DeviceName: v.DeviceName,
      VolumeId: v.VolumeId,
    })),
  };
}

/** Known and not vanished (a terminated instance counts for its hour of visibility). */
export function instanceExists(ctx: RequestContext, id: string): boolean {
  const row = statements(ctx.db).snapshot.get(ctx.accountId, ctx.region, id);
  return row !== undefined && !hasVanished(row.transition, row.settles_at, ctx.now());
}
