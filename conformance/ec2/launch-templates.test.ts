/**
 * Launch templates: create, add versions (from a source version), move the default,
 * describe templates and versions, launch instances from a template ($Default, $Latest, a
 * number) with overrides, and delete, with AWS's errors for names and versions.
 */
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DeleteLaunchTemplateCommand,
  DeleteLaunchTemplateVersionsCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  ModifyLaunchTemplateCommand,
} from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  amazonLinuxImage,
  DEFAULT_ACCOUNT,
  describeInstance,
  expectEc2Error,
  idPattern,
  runInstance,
  runInstances,
  tagRecord,
  tagSpec,
  uniqueName,
  useEC2,
} from './setup.js';

const t = useEC2({ ec2BootSeconds: 0 });

let imageId: string;
beforeAll(async () => {
  imageId = await amazonLinuxImage(t.ec2);
});

/** A template at version 1 (t3.micro, tagged) and version 2 (t3.small), default still 1. */
async function templateWithTwoVersions() {
  const LaunchTemplateName = uniqueName('web');
  const created = await t.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName,
      VersionDescription: 'first',
      LaunchTemplateData: {
        ImageId: imageId,
        InstanceType: 't3.micro',
        TagSpecifications: [tagSpec('instance', { app: 'web' })],
      },
    }),
  );
  const id = created.LaunchTemplate?.LaunchTemplateId ?? '';
  const version = await t.ec2.send(
    new CreateLaunchTemplateVersionCommand({
      LaunchTemplateId: id,
      SourceVersion: '1',
      VersionDescription: 'bigger',
      LaunchTemplateData: { InstanceType: 't3.small' },
    }),
  );
  return { name: LaunchTemplateName, id, created, version };
}

describe('launch templates', () => {
  it('CreateLaunchTemplate makes version 1, the default and the latest', async () => {
    const { name, id, created } = await templateWithTwoVersions();
    expect(id).toMatch(idPattern('lt'));
    expect(created.LaunchTemplate).toMatchObject({
      LaunchTemplateName: name,
      DefaultVersionNumber: 1,
      LatestVersionNumber: 1,
      CreatedBy: `arn:aws:iam::${DEFAULT_ACCOUNT}:root`,
    });
    expect(created.LaunchTemplate?.CreateTime).toBeInstanceOf(Date);
    const { LaunchTemplates } = await t.ec2.send(
      new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [id] }),
    );
    expect(LaunchTemplates?.[0]).toMatchObject({
      LaunchTemplateId: id,
      LaunchTemplateName: name,
      DefaultVersionNumber: 1,
      LatestVersionNumber: 2,
    });
  });

  it('a new version copies its source version and overrides what it gives', async () => {
    const { id, version } = await templateWithTwoVersions();
    expect(version.LaunchTemplateVersion).toMatchObject({
      LaunchTemplateId: id,
      VersionNumber: 2,
      VersionDescription: 'bigger',
      DefaultVersion: false,
      LaunchTemplateData: { ImageId: imageId, InstanceType: 't3.small' },
    });
    const { LaunchTemplateVersions } = await t.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id }),
    );
    const byNumber = Object.fromEntries(
      (LaunchTemplateVersions ?? []).map((v) => [
        v.VersionNumber,
        [v.LaunchTemplateData?.InstanceType, v.DefaultVersion],
      ]),
    );
    expect(byNumber).toEqual({ 1: ['t3.micro', true], 2: ['t3.small', false] });
  });

  it('DescribeLaunchTemplateVersions takes $Latest, $Default and numbers', async () => {
    const { id } = await templateWithTwoVersions();
    const pick = async (version: string) => {
      const { LaunchTemplateVersions } = await t.ec2.send(
        new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: [version] }),
      );
      return LaunchTemplateVersions?.map((v) => v.VersionNumber);
    };
    expect(await pick('$Latest')).toEqual([2]);
    expect(await pick('$Default')).toEqual([1]);
    expect(await pick('2')).toEqual([2]);
  });

  it('DeleteLaunchTemplateVersions: never the default; $Latest falls back to the highest remaining', async () => {
    const { id } = await templateWithTwoVersions();
    await t.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: id,
        SourceVersion: '1',
        LaunchTemplateData: { InstanceType: 't3.large' },
      }),
    );
    const out = await t.ec2.send(
      new DeleteLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ['3', '1', '9'] }),
    );
    expect(out.SuccessfullyDeletedLaunchTemplateVersions?.map((v) => v.VersionNumber)).toEqual([3]);
    expect(
      out.UnsuccessfullyDeletedLaunchTemplateVersions?.map((v) => [v.VersionNumber, v.ResponseError?.Code]),
    ).toEqual([
      [1, 'unexpectedError'],
      [9, 'launchTemplateVersionDoesNotExist'],
    ]);
    const { LaunchTemplates } = await t.ec2.send(
      new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [id] }),
    );
    expect(LaunchTemplates?.[0]).toMatchObject({ DefaultVersionNumber: 1, LatestVersionNumber: 2 });
    const latest = await runInstance(t.ec2, {
      ImageId: undefined,
      InstanceType: undefined,
      LaunchTemplate: { LaunchTemplateId: id, Version: '$Latest' },
    });
    expect(latest.InstanceType).toBe('t3.small');
    // a deleted version's number is not given again
    const next = await t.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: id,
        LaunchTemplateData: { ImageId: imageId },
      }),
    );
    expect(next.LaunchTemplateVersion?.VersionNumber).toBe(4);
    await expectEc2Error(
      t.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ['3'] })),
      'InvalidLaunchTemplateId.VersionNotFound',
    );
  });

  it('ModifyLaunchTemplate moves the default version', async () => {
    const { id } = await templateWithTwoVersions();
    const out = await t.ec2.send(
      new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: '2' }),
    );
    expect(out.LaunchTemplate).toMatchObject({ DefaultVersionNumber: 2, LatestVersionNumber: 2 });
    await expectEc2Error(
      t.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: '7' })),
      'InvalidLaunchTemplateId.VersionNotFound',
    );
  });
});

describe('RunInstances from a launch template', () => {
  it('takes the default version, its tags, and marks the instance with the template', async () => {
    const { name, id } = await templateWithTwoVersions();
    const instance = await runInstance(t.ec2, {
      ImageId: undefined,
      InstanceType: undefined,
      LaunchTemplate: { LaunchTemplateName: name },
    });
    expect(instance.InstanceType).toBe('t3.micro');
    expect(instance.ImageId).toBe(imageId);
    const described = await describeInstance(t.ec2, instance.InstanceId);
    expect(tagRecord(described.Tags)).toEqual({
      app: 'web',
      'aws:ec2launchtemplate:id': id,
      'aws:ec2launchtemplate:version': '1',
    });
  });

  it('takes $Latest or a version number, and the call overrides the template', async () => {
    const { id } = await templateWithTwoVersions();
    const latest = await runInstance(t.ec2, {
      ImageId: undefined,
      InstanceType: undefined,
      LaunchTemplate: { LaunchTemplateId: id, Version: '$Latest' },
    });
    expect(latest.InstanceType).toBe('t3.small');
    const first = await runInstance(t.ec2, {
      ImageId: undefined,
      InstanceType: undefined,
      LaunchTemplate: { LaunchTemplateId: id, Version: '1' },
    });
    expect(first.InstanceType).toBe('t3.micro');
    const overridden = await runInstance(t.ec2, {
      ImageId: undefined,
      InstanceType: 'm5.large',
      LaunchTemplate: { LaunchTemplateId: id, Version: '$Latest' },
      TagSpecifications: [tagSpec('instance', { app: 'api' })],
    });
    expect(overridden.InstanceType).toBe('m5.large');
    expect(tagRecord((await describeInstance(t.ec2, overridden.InstanceId)).Tags).app).toBe('api');
  });

  it('a version that does not exist', async () => {
    const { id } = await templateWithTwoVersions();
    await expectEc2Error(
      runInstances(t.ec2, {
        ImageId: undefined,
        InstanceType: undefined,
        LaunchTemplate: { LaunchTemplateId: id, Version: '9' },
      }),
      'InvalidLaunchTemplateId.VersionNotFound',
    );
  });

  it('a template that does not exist', async () => {
    await expectEc2Error(
      runInstances(t.ec2, { LaunchTemplate: { LaunchTemplateName: 'no-such-template' } }),
      'InvalidLaunchTemplateName.NotFoundException',
    );
    await expectEc2Error(
      runInstances(t.ec2, { LaunchTemplate: { LaunchTemplateId: 'lt-0123456789abcdef0' } }),
      'InvalidLaunchTemplateId.NotFound',
    );
  });
});

describe('template names and deletion', () => {
  it('a name already in use is InvalidLaunchTemplateName.AlreadyExistsException', async () => {
    const { name } = await templateWithTwoVersions();
    await expectEc2Error(
      t.ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: name,
          LaunchTemplateData: { ImageId: imageId },
        }),
      ),
      'InvalidLaunchTemplateName.AlreadyExistsException',
      'Launch template name already in use.',
    );
  });

  it('DeleteLaunchTemplate removes the template and all its versions', async () => {
    const { name, id } = await templateWithTwoVersions();
    const out = await t.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: name }));
    expect(out.LaunchTemplate).toMatchObject({ LaunchTemplateId: id, LaunchTemplateName: name });
    await expectEc2Error(
      t.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [name] })),
      'InvalidLaunchTemplateName.NotFoundException',
      'At least one of the launch templates specified in the request does not exist.',
    );
    await expectEc2Error(
      t.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id })),
      'InvalidLaunchTemplateId.NotFound',
    );
    // the name is free again
    const again = await t.ec2.send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: { ImageId: imageId } }),
    );
    expect(again.LaunchTemplate?.LaunchTemplateId).not.toBe(id);
  });
});
