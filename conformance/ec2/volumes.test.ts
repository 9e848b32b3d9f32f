/**
 * EBS volumes: the root volume made with each instance (and deleted with it), and volumes of
 * their own moving through creating -> available -> in-use -> available -> deleted, with
 * the errors for each wrong order.
 */
import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeInstanceAttributeCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  ModifyInstanceAttributeCommand,
  TerminateInstancesCommand,
  waitUntilVolumeAvailable,
  waitUntilVolumeInUse,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import {
  describeInstance,
  expectEc2Error,
  idPattern,
  runInstance,
  stateOf,
  tagRecord,
  tagSpec,
  useEC2,
  waitFor,
} from './setup.js';

const t = useEC2({ ec2BootSeconds: 0, ec2TerminateSeconds: 5 });

/** Far enough for any volume state change under way to finish. */
const settle = () => t.h.server.advanceClock(60);

async function volumeOf(VolumeId: string) {
  const { Volumes } = await t.ec2.send(new DescribeVolumesCommand({ VolumeIds: [VolumeId] }));
  return Volumes?.[0] ?? {};
}

async function rootVolumes(instanceId: string) {
  const { Volumes } = await t.ec2.send(
    new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }),
  );
  return Volumes ?? [];
}

async function newVolume(AvailabilityZone = 'us-east-1a'): Promise<string> {
  const { VolumeId } = await t.ec2.send(
    new CreateVolumeCommand({ AvailabilityZone, Size: 10, VolumeType: 'gp3' }),
  );
  settle();
  await waitUntilVolumeAvailable(waitFor(t.ec2), { VolumeIds: [VolumeId ?? ''] });
  return VolumeId ?? '';
}

describe('the root volume', () => {
  it('is made with the instance, in use, attached at the root device, tagged from the launch', async () => {
    const instance = await runInstance(t.ec2, {
      Placement: { AvailabilityZone: 'us-east-1c' },
      TagSpecifications: [tagSpec('volume', { backup: 'daily' })],
    });
    const volumes = await rootVolumes(instance.InstanceId);
    expect(volumes).toHaveLength(1);
    const root = volumes[0];
    expect(root?.VolumeId).toMatch(idPattern('vol'));
    expect(root).toMatchObject({
      State: 'in-use',
      AvailabilityZone: 'us-east-1c',
      Size: 8,
      VolumeType: 'gp3',
      Encrypted: false,
    });
    expect(root?.Attachments).toEqual([
      expect.objectContaining({
        VolumeId: root?.VolumeId,
        InstanceId: instance.InstanceId,
        Device: '/dev/xvda',
        State: 'attached',
        DeleteOnTermination: true,
      }),
    ]);
    expect(tagRecord(root?.Tags)).toEqual({ backup: 'daily' });
    const described = await describeInstance(t.ec2, instance.InstanceId);
    expect(described.BlockDeviceMappings?.[0]?.Ebs?.VolumeId).toBe(root?.VolumeId);
  });

  it('takes its size and type from BlockDeviceMappings', async () => {
    const instance = await runInstance(t.ec2, {
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, VolumeType: 'gp2' } }],
    });
    const [root] = await rootVolumes(instance.InstanceId);
    expect(root).toMatchObject({ Size: 30, VolumeType: 'gp2' });
  });

  it('is deleted when its instance terminates', async () => {
    const instance = await runInstance(t.ec2);
    const [root] = await rootVolumes(instance.InstanceId);
    const volumeId = root?.VolumeId ?? '';
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance.InstanceId] }));
    t.h.server.advanceClock(6);
    expect(await stateOf(t.ec2, instance.InstanceId)).toBe('terminated');
    settle();
    const { Volumes } = await t.ec2.send(
      new DescribeVolumesCommand({ Filters: [{ Name: 'volume-id', Values: [volumeId] }] }),
    );
    expect((Volumes ?? []).filter((v) => v.State !== 'deleted')).toEqual([]);
  });

  it('is kept, detached, when DeleteOnTermination is off', async () => {
    const instance = await runInstance(t.ec2, {
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { DeleteOnTermination: false } }],
    });
    const [root] = await rootVolumes(instance.InstanceId);
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance.InstanceId] }));
    t.h.server.advanceClock(6);
    settle();
    const kept = await volumeOf(root?.VolumeId ?? '');
    expect(kept.State).toBe('available');
    expect(kept.Attachments ?? []).toEqual([]);
  });
});

describe("an instance's block device mapping changed by ModifyInstanceAttribute", () => {
  it('turns DeleteOnTermination off for a running instance, which then keeps its root volume', async () => {
    const instance = await runInstance(t.ec2);
    const [root] = await rootVolumes(instance.InstanceId);
    await t.ec2.send(
      new ModifyInstanceAttributeCommand({
        InstanceId: instance.InstanceId,
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { DeleteOnTermination: false } }],
      }),
    );
    const { BlockDeviceMappings } = await t.ec2.send(
      new DescribeInstanceAttributeCommand({
        InstanceId: instance.InstanceId,
        Attribute: 'blockDeviceMapping',
      }),
    );
    expect(BlockDeviceMappings?.[0]?.Ebs).toMatchObject({
      VolumeId: root?.VolumeId,
      DeleteOnTermination: false,
    });
    expect((await volumeOf(root?.VolumeId ?? '')).Attachments?.[0]?.DeleteOnTermination).toBe(false);
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance.InstanceId] }));
    t.h.server.advanceClock(6);
    settle();
    expect((await volumeOf(root?.VolumeId ?? '')).State).toBe('available');
  });

  it('turns it on for an attached volume of its own, which then goes with the instance', async () => {
    const instance = await runInstance(t.ec2, { Placement: { AvailabilityZone: 'us-east-1a' } });
    const volumeId = await newVolume();
    await t.ec2.send(
      new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instance.InstanceId, Device: '/dev/sdf' }),
    );
    settle();
    await t.ec2.send(
      new ModifyInstanceAttributeCommand({
        InstanceId: instance.InstanceId,
        BlockDeviceMappings: [
          { DeviceName: '/dev/sdf', Ebs: { VolumeId: volumeId, DeleteOnTermination: true } },
        ],
      }),
    );
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance.InstanceId] }));
    t.h.server.advanceClock(6);
    settle();
    await expectEc2Error(
      t.ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] })),
      'InvalidVolume.NotFound',
    );
  });

  it('a device with nothing attached is InvalidInstanceAttributeValue', async () => {
    const instance = await runInstance(t.ec2);
    await expectEc2Error(
      t.ec2.send(
        new ModifyInstanceAttributeCommand({
          InstanceId: instance.InstanceId,
          BlockDeviceMappings: [{ DeviceName: '/dev/sdz', Ebs: { DeleteOnTermination: false } }],
        }),
      ),
      'InvalidInstanceAttributeValue',
      'No device is currently mapped at /dev/sdz',
    );
  });
});

describe('volumes of their own', () => {
  it('are created, attached, detached and deleted, each step in its own state', async () => {
    const out = await t.ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'us-east-1a',
        Size: 10,
        VolumeType: 'gp3',
        TagSpecifications: [tagSpec('volume', { Name: 'data' })],
      }),
    );
    const volumeId = out.VolumeId ?? '';
    expect(volumeId).toMatch(idPattern('vol'));
    expect(out).toMatchObject({
      State: 'creating',
      Size: 10,
      VolumeType: 'gp3',
      Iops: 3000,
      Throughput: 125,
      AvailabilityZone: 'us-east-1a',
      Encrypted: false,
    });
    expect(out.CreateTime).toBeInstanceOf(Date);
    expect(tagRecord(out.Tags)).toEqual({ Name: 'data' });
    settle();
    await waitUntilVolumeAvailable(waitFor(t.ec2), { VolumeIds: [volumeId] });

    const instance = await runInstance(t.ec2, { Placement: { AvailabilityZone: 'us-east-1a' } });
    const attached = await t.ec2.send(
      new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instance.InstanceId, Device: '/dev/sdf' }),
    );
    expect(attached).toMatchObject({
      VolumeId: volumeId,
      InstanceId: instance.InstanceId,
      Device: '/dev/sdf',
      State: 'attaching',
    });
    settle();
    await waitUntilVolumeInUse(waitFor(t.ec2), { VolumeIds: [volumeId] });
    const inUse = await volumeOf(volumeId);
    expect(inUse.Attachments?.[0]).toMatchObject({
      InstanceId: instance.InstanceId,
      Device: '/dev/sdf',
      State: 'attached',
      DeleteOnTermination: false,
    });
    const devices = (await describeInstance(t.ec2, instance.InstanceId)).BlockDeviceMappings?.map(
      (m) => m.DeviceName,
    );
    expect(devices?.sort()).toEqual(['/dev/sdf', '/dev/xvda']);

    await expectEc2Error(
      t.ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId })),
      'VolumeInUse',
      `Volume ${volumeId} is currently attached to ${instance.InstanceId}`,
    );

    const detached = await t.ec2.send(new DetachVolumeCommand({ VolumeId: volumeId }));
    expect(detached).toMatchObject({
      VolumeId: volumeId,
      InstanceId: instance.InstanceId,
      State: 'detaching',
    });
    settle();
    await waitUntilVolumeAvailable(waitFor(t.ec2), { VolumeIds: [volumeId] });
    expect((await volumeOf(volumeId)).Attachments ?? []).toEqual([]);

    await t.ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId }));
    settle();
    await expectEc2Error(
      t.ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] })),
      'InvalidVolume.NotFound',
      `The volume '${volumeId}' does not exist.`,
    );
  });

  it('attach only to an instance in the same zone, at a free device', async () => {
    const volumeId = await newVolume('us-east-1b');
    const elsewhere = await runInstance(t.ec2, { Placement: { AvailabilityZone: 'us-east-1a' } });
    await expectEc2Error(
      t.ec2.send(
        new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: elsewhere.InstanceId, Device: '/dev/sdf' }),
      ),
      'InvalidVolume.ZoneMismatch',
    );
    const here = await runInstance(t.ec2, { Placement: { AvailabilityZone: 'us-east-1b' } });
    await expectEc2Error(
      t.ec2.send(
        new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: here.InstanceId, Device: '/dev/xvda' }),
      ),
      'InvalidParameterValue',
    );
  });

  it('a volume attached once cannot be attached again', async () => {
    const volumeId = await newVolume();
    const a = await runInstance(t.ec2, { Placement: { AvailabilityZone: 'us-east-1a' } });
    const b = await runInstance(t.ec2, { Placement: { AvailabilityZone: 'us-east-1a' } });
    await t.ec2.send(
      new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: a.InstanceId, Device: '/dev/sdf' }),
    );
    settle();
    await expectEc2Error(
      t.ec2.send(
        new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: b.InstanceId, Device: '/dev/sdf' }),
      ),
      'VolumeInUse',
    );
  });

  it('detaching a volume that is not attached is IncorrectState', async () => {
    const volumeId = await newVolume();
    await expectEc2Error(t.ec2.send(new DetachVolumeCommand({ VolumeId: volumeId })), 'IncorrectState');
  });

  it('ids that do not exist', async () => {
    await expectEc2Error(
      t.ec2.send(new DeleteVolumeCommand({ VolumeId: 'vol-0123456789abcdef0' })),
      'InvalidVolume.NotFound',
      "The volume 'vol-0123456789abcdef0' does not exist.",
    );
    const volumeId = await newVolume();
    await expectEc2Error(
      t.ec2.send(
        new AttachVolumeCommand({
          VolumeId: volumeId,
          InstanceId: 'i-0123456789abcdef0',
          Device: '/dev/sdf',
        }),
      ),
      'InvalidInstanceID.NotFound',
      "The instance ID 'i-0123456789abcdef0' does not exist",
    );
  });

  it('CreateVolume needs a zone of the region and a size', async () => {
    await expectEc2Error(
      t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1z', Size: 10 })),
      'InvalidParameterValue',
      'Invalid availability zone: [us-east-1z]',
    );
    await expectEc2Error(
      t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a' })),
      'MissingParameter',
    );
  });

  it('are filtered by status', async () => {
    const volumeId = await newVolume();
    const { Volumes } = await t.ec2.send(
      new DescribeVolumesCommand({
        Filters: [
          { Name: 'status', Values: ['available'] },
          { Name: 'volume-id', Values: [volumeId] },
        ],
      }),
    );
    expect(Volumes?.map((v) => v.VolumeId)).toEqual([volumeId]);
  });
});
