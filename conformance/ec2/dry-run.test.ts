/**
 * DryRun wherever AWS has it: a call that would succeed answers DryRunOperation (412) and
 * changes nothing; auth is open, so UnauthorizedOperation never comes back.
 */
import {
  AllocateAddressCommand,
  AttachVolumeCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateImageCommand,
  CreateInternetGatewayCommand,
  CreateKeyPairCommand,
  CreateLaunchTemplateCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  DeleteKeyPairCommand,
  DeleteVpcCommand,
  DescribeImagesCommand,
  DescribeInstanceTypesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  ModifyInstanceAttributeCommand,
  StartInstancesCommand,
} from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  amazonLinuxImage,
  describeInstance,
  expectDryRun,
  expectEc2Error,
  runInstance,
  uniqueName,
  useEC2,
} from './setup.js';

const t = useEC2({ ec2BootSeconds: 0 });

let instanceId: string;
let vpcId: string;
beforeAll(async () => {
  instanceId = (await runInstance(t.ec2)).InstanceId;
  const { Vpc } = await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.110.0.0/16' }));
  vpcId = Vpc?.VpcId ?? '';
});

describe('DryRun', () => {
  it('on the Describe calls', async () => {
    const DryRun = true;
    await expectDryRun(t.ec2.send(new DescribeVpcsCommand({ DryRun })));
    await expectDryRun(t.ec2.send(new DescribeSecurityGroupsCommand({ DryRun })));
    await expectDryRun(t.ec2.send(new DescribeImagesCommand({ DryRun, Owners: ['amazon'] })));
    await expectDryRun(t.ec2.send(new DescribeKeyPairsCommand({ DryRun })));
    await expectDryRun(t.ec2.send(new DescribeVolumesCommand({ DryRun })));
    await expectDryRun(t.ec2.send(new DescribeInstanceTypesCommand({ DryRun })));
  });

  it('on network calls, creating nothing', async () => {
    const DryRun = true;
    const before = (await t.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.length;
    await expectDryRun(t.ec2.send(new CreateVpcCommand({ DryRun, CidrBlock: '10.111.0.0/16' })));
    expect((await t.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.length).toBe(before);
    await expectDryRun(
      t.ec2.send(new CreateSubnetCommand({ DryRun, VpcId: vpcId, CidrBlock: '10.110.0.0/24' })),
    );
    await expectDryRun(
      t.ec2.send(
        new CreateSecurityGroupCommand({
          DryRun,
          GroupName: uniqueName('dry'),
          Description: 'dry',
          VpcId: vpcId,
        }),
      ),
    );
    await expectDryRun(t.ec2.send(new CreateInternetGatewayCommand({ DryRun })));
    await expectDryRun(t.ec2.send(new AllocateAddressCommand({ DryRun, Domain: 'vpc' })));
    await expectDryRun(t.ec2.send(new DeleteVpcCommand({ DryRun, VpcId: vpcId })));
    expect((await t.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs).toHaveLength(1);
  });

  it('on rules, tags and instance attributes, changing nothing', async () => {
    const DryRun = true;
    const { GroupId } = await t.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: uniqueName('wet'), Description: 'wet', VpcId: vpcId }),
    );
    await expectDryRun(
      t.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          DryRun,
          GroupId,
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
          ],
        }),
      ),
    );
    const { SecurityGroups } = await t.ec2.send(
      new DescribeSecurityGroupsCommand({ GroupIds: [GroupId ?? ''] }),
    );
    expect(SecurityGroups?.[0]?.IpPermissions).toEqual([]);

    await expectDryRun(
      t.ec2.send(
        new CreateTagsCommand({ DryRun, Resources: [instanceId], Tags: [{ Key: 'dry', Value: 'yes' }] }),
      ),
    );
    await expectDryRun(
      t.ec2.send(
        new ModifyInstanceAttributeCommand({
          DryRun,
          InstanceId: instanceId,
          DisableApiTermination: { Value: true },
        }),
      ),
    );
    await expectDryRun(t.ec2.send(new StartInstancesCommand({ DryRun, InstanceIds: [instanceId] })));
    const instance = await describeInstance(t.ec2, instanceId);
    expect((instance.Tags ?? []).map((tag) => tag.Key)).not.toContain('dry');
  });

  it('on catalog calls, creating nothing', async () => {
    const DryRun = true;
    const KeyName = uniqueName('dry-key');
    await expectDryRun(t.ec2.send(new CreateKeyPairCommand({ DryRun, KeyName })));
    await expectEc2Error(
      t.ec2.send(new DescribeKeyPairsCommand({ KeyNames: [KeyName] })),
      'InvalidKeyPair.NotFound',
    );
    await expectDryRun(t.ec2.send(new DeleteKeyPairCommand({ DryRun, KeyName })));
    await expectDryRun(
      t.ec2.send(new CreateVolumeCommand({ DryRun, AvailabilityZone: 'us-east-1a', Size: 1 })),
    );
    await expectDryRun(
      t.ec2.send(new CreateImageCommand({ DryRun, InstanceId: instanceId, Name: uniqueName('dry-image') })),
    );
    await expectDryRun(
      t.ec2.send(
        new CreateLaunchTemplateCommand({
          DryRun,
          LaunchTemplateName: uniqueName('dry-template'),
          LaunchTemplateData: { ImageId: await amazonLinuxImage(t.ec2) },
        }),
      ),
    );
  });

  it('a DryRun that would fail answers the failure', async () => {
    await expectEc2Error(
      t.ec2.send(new CreateVpcCommand({ DryRun: true, CidrBlock: '10.0.0.0/8' })),
      'InvalidVpc.Range',
      "The CIDR '10.0.0.0/8' is invalid.",
    );
    await expectEc2Error(
      t.ec2.send(
        new AttachVolumeCommand({
          DryRun: true,
          VolumeId: 'vol-0123456789abcdef0',
          InstanceId: instanceId,
          Device: '/dev/sdf',
        }),
      ),
      'InvalidVolume.NotFound',
    );
  });
});
