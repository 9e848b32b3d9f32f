/**
 * Images: the built-in public catalogue (Amazon Linux 2023, Ubuntu LTS) found the way users
 * find it, images made from an instance with CreateImage, and DeregisterImage.
 */
import {
  CreateImageCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  waitUntilImageAvailable,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import {
  AMAZON_LINUX_OWNER,
  accountCredentials,
  amazonLinuxImage,
  DEFAULT_ACCOUNT,
  expectEc2Error,
  idPattern,
  OTHER_ACCOUNT,
  runInstance,
  runInstances,
  tagRecord,
  tagSpec,
  uniqueName,
  useEC2,
  waitFor,
} from './setup.js';

const CANONICAL = '099720109477';
const t = useEC2({ ec2BootSeconds: 0 });

async function ownImages(): Promise<string[]> {
  const { Images } = await t.ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));
  return (Images ?? []).map((i) => i.ImageId ?? '');
}

describe('the public catalogue', () => {
  it('has Amazon Linux 2023, found by owner amazon and a name pattern', async () => {
    const { Images } = await t.ec2.send(
      new DescribeImagesCommand({
        Owners: ['amazon'],
        Filters: [
          { Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] },
          { Name: 'state', Values: ['available'] },
        ],
      }),
    );
    expect(Images?.length).toBeGreaterThanOrEqual(1);
    for (const image of Images ?? []) {
      expect(image.ImageId).toMatch(idPattern('ami'));
      expect(image.Name).toMatch(/^al2023-ami-2023\..*-x86_64$/);
      expect(image).toMatchObject({
        OwnerId: AMAZON_LINUX_OWNER,
        ImageOwnerAlias: 'amazon',
        Public: true,
        State: 'available',
        Architecture: 'x86_64',
        ImageType: 'machine',
        RootDeviceName: '/dev/xvda',
        RootDeviceType: 'ebs',
        VirtualizationType: 'hvm',
        PlatformDetails: 'Linux/UNIX',
        EnaSupport: true,
      });
      expect(image.BlockDeviceMappings?.[0]).toMatchObject({
        DeviceName: '/dev/xvda',
        Ebs: { DeleteOnTermination: true, VolumeSize: 8, VolumeType: 'gp3' },
      });
      expect(image.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId).toMatch(idPattern('snap'));
    }
  });

  it('has an arm64 Amazon Linux 2023 too', async () => {
    const { Images } = await t.ec2.send(
      new DescribeImagesCommand({
        Owners: ['amazon'],
        Filters: [
          { Name: 'name', Values: ['al2023-ami-2023.*'] },
          { Name: 'architecture', Values: ['arm64'] },
        ],
      }),
    );
    expect(Images?.length).toBeGreaterThanOrEqual(1);
    for (const image of Images ?? []) expect(image.Architecture).toBe('arm64');
  });

  it("has Ubuntu LTS from Canonical's account", async () => {
    const { Images } = await t.ec2.send(
      new DescribeImagesCommand({
        Owners: [CANONICAL],
        Filters: [{ Name: 'name', Values: ['ubuntu/images/*ubuntu-*-amd64-server-*'] }],
      }),
    );
    expect(Images?.length).toBeGreaterThanOrEqual(1);
    for (const image of Images ?? []) {
      expect(image).toMatchObject({
        OwnerId: CANONICAL,
        Public: true,
        Architecture: 'x86_64',
        RootDeviceName: '/dev/sda1',
        PlatformDetails: 'Linux/UNIX',
      });
    }
  });

  it('is visible to every account, and an image id finds its image', async () => {
    const imageId = await amazonLinuxImage(t.ec2);
    const other = t.client({ credentials: accountCredentials(OTHER_ACCOUNT) });
    const { Images } = await other.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    expect(Images?.map((i) => i.ImageId)).toEqual([imageId]);
  });

  it('an image id that does not exist, or is not an image id', async () => {
    await expectEc2Error(
      t.ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })),
      'InvalidAMIID.NotFound',
      "The image id '[ami-0123456789abcdef0]' does not exist",
    );
    await expectEc2Error(
      t.ec2.send(new DescribeImagesCommand({ ImageIds: ['image-1'] })),
      'InvalidAMIID.Malformed',
    );
  });
});

describe('images of your own', () => {
  it('CreateImage makes an image of an instance that becomes available and launches', async () => {
    const source = await amazonLinuxImage(t.ec2);
    const { InstanceId } = await runInstance(t.ec2);
    const Name = uniqueName('golden');
    const { ImageId } = await t.ec2.send(
      new CreateImageCommand({
        InstanceId,
        Name,
        Description: 'golden image',
        TagSpecifications: [tagSpec('image', { team: 'platform' })],
      }),
    );
    expect(ImageId).toMatch(idPattern('ami'));
    expect(ImageId).not.toBe(source);

    t.h.server.advanceClock(600);
    await waitUntilImageAvailable(waitFor(t.ec2), { ImageIds: [ImageId ?? ''] });
    const { Images } = await t.ec2.send(
      new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: [Name] }] }),
    );
    expect(Images).toHaveLength(1);
    const image = Images?.[0];
    expect(image).toMatchObject({
      ImageId,
      Name,
      Description: 'golden image',
      OwnerId: DEFAULT_ACCOUNT,
      Public: false,
      State: 'available',
      Architecture: 'x86_64',
      RootDeviceName: '/dev/xvda',
      RootDeviceType: 'ebs',
    });
    expect(image?.ImageOwnerAlias).toBeUndefined();
    expect(tagRecord(image?.Tags)).toEqual({ team: 'platform' });
    expect(image?.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId).toMatch(idPattern('snap'));

    const launched = await runInstance(t.ec2, { ImageId });
    expect(launched.ImageId).toBe(ImageId);
  });

  it('is private to its account', async () => {
    const { InstanceId } = await runInstance(t.ec2);
    const { ImageId } = await t.ec2.send(new CreateImageCommand({ InstanceId, Name: uniqueName('private') }));
    const other = t.client({ credentials: accountCredentials(OTHER_ACCOUNT) });
    const { Images } = await other.send(new DescribeImagesCommand({ Owners: ['self'] }));
    expect((Images ?? []).map((i) => i.ImageId)).not.toContain(ImageId);
    await expectEc2Error(
      other.send(new DescribeImagesCommand({ ImageIds: [ImageId ?? ''] })),
      'InvalidAMIID.NotFound',
      `The image id '[${ImageId}]' does not exist`,
    );
  });

  it('a name already used by one of your images is InvalidAMIName.Duplicate', async () => {
    const { InstanceId } = await runInstance(t.ec2);
    const Name = uniqueName('twice');
    await t.ec2.send(new CreateImageCommand({ InstanceId, Name }));
    await expectEc2Error(
      t.ec2.send(new CreateImageCommand({ InstanceId, Name })),
      'InvalidAMIName.Duplicate',
    );
  });

  it('CreateImage of an instance that does not exist', async () => {
    await expectEc2Error(
      t.ec2.send(new CreateImageCommand({ InstanceId: 'i-0123456789abcdef0', Name: uniqueName('none') })),
      'InvalidInstanceID.NotFound',
      "The instance ID 'i-0123456789abcdef0' does not exist",
    );
  });

  it('DeregisterImage removes the image: it no longer lists or launches', async () => {
    const { InstanceId } = await runInstance(t.ec2);
    const { ImageId } = await t.ec2.send(new CreateImageCommand({ InstanceId, Name: uniqueName('retired') }));
    t.h.server.advanceClock(600);
    expect(await ownImages()).toContain(ImageId);
    await t.ec2.send(new DeregisterImageCommand({ ImageId }));
    expect(await ownImages()).not.toContain(ImageId);
    await expectEc2Error(
      runInstances(t.ec2, { ImageId }),
      'InvalidAMIID.NotFound',
      `The image id '[${ImageId}]' does not exist`,
    );
  });
});
