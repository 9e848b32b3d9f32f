/**
 * CreateTags, DeleteTags and DescribeTags across the kinds of resource: one call tags many
 * resources of different kinds, DescribeTags names each one's resource type, DeleteTags
 * honours a value when one is given, and ids that do not exist are refused.
 */
import {
  AllocateAddressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateImageCommand,
  CreateInternetGatewayCommand,
  CreateKeyPairCommand,
  CreateLaunchTemplateCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  DeleteTagsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  paginateDescribeTags,
} from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  amazonLinuxImage,
  describeInstance,
  expectEc2Error,
  runInstance,
  tagRecord,
  uniqueName,
  useEC2,
} from './setup.js';

const t = useEC2({ ec2BootSeconds: 0 });

/** One resource of each kind, by DescribeTags' resource-type. */
let resources: Record<string, string>;

beforeAll(async () => {
  const { Vpc } = await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.90.0.0/16' }));
  const vpcId = Vpc?.VpcId ?? '';
  const { Subnet } = await t.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.90.0.0/24' }));
  const { GroupId } = await t.ec2.send(
    new CreateSecurityGroupCommand({ GroupName: uniqueName('tagged'), Description: 'tagged', VpcId: vpcId }),
  );
  const { InternetGateway } = await t.ec2.send(new CreateInternetGatewayCommand({}));
  const { VolumeId } = await t.ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }));
  const { KeyPairId } = await t.ec2.send(new CreateKeyPairCommand({ KeyName: uniqueName('tagged') }));
  const { AllocationId } = await t.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
  const { LaunchTemplate } = await t.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: uniqueName('tagged'),
      LaunchTemplateData: { ImageId: await amazonLinuxImage(t.ec2) },
    }),
  );
  const instance = await runInstance(t.ec2);
  const { InstanceId } = instance;
  const { SnapshotId } = await t.ec2.send(new CreateSnapshotCommand({ VolumeId }));
  const { ImageId } = await t.ec2.send(new CreateImageCommand({ InstanceId, Name: uniqueName('tagged') }));
  const { SecurityGroupRules } = await t.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId,
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      CidrIp: '0.0.0.0/0',
    }),
  );
  resources = {
    instance: InstanceId,
    vpc: vpcId,
    subnet: Subnet?.SubnetId ?? '',
    'security-group': GroupId ?? '',
    'internet-gateway': InternetGateway?.InternetGatewayId ?? '',
    volume: VolumeId ?? '',
    'key-pair': KeyPairId ?? '',
    'elastic-ip': AllocationId ?? '',
    'launch-template': LaunchTemplate?.LaunchTemplateId ?? '',
    snapshot: SnapshotId ?? '',
    image: ImageId ?? '',
    'network-interface': instance.NetworkInterfaces?.[0]?.NetworkInterfaceId ?? '',
    'security-group-rule': SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? '',
  };
});

async function tagsOn(resourceId: string): Promise<Record<string, string>> {
  const { Tags } = await t.ec2.send(
    new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [resourceId] }] }),
  );
  return tagRecord(Tags);
}

describe('tags across resource types', () => {
  it('one CreateTags tags every kind of resource, and DescribeTags names each kind', async () => {
    const env = uniqueName('env');
    await t.ec2.send(
      new CreateTagsCommand({ Resources: Object.values(resources), Tags: [{ Key: 'env', Value: env }] }),
    );
    const { Tags } = await t.ec2.send(
      new DescribeTagsCommand({ Filters: [{ Name: 'value', Values: [env] }] }),
    );
    const described = Object.fromEntries((Tags ?? []).map((tag) => [tag.ResourceType, tag.ResourceId]));
    expect(described).toEqual(resources);
    for (const tag of Tags ?? []) expect(tag).toMatchObject({ Key: 'env', Value: env });
  });

  it('DescribeTags filters by resource type and key', async () => {
    await t.ec2.send(
      new CreateTagsCommand({
        Resources: [resources.vpc ?? '', resources.subnet ?? ''],
        Tags: [{ Key: 'tier', Value: 'network' }],
      }),
    );
    const { Tags } = await t.ec2.send(
      new DescribeTagsCommand({
        Filters: [
          { Name: 'resource-type', Values: ['subnet'] },
          { Name: 'key', Values: ['tier'] },
        ],
      }),
    );
    expect(Tags).toEqual([
      { Key: 'tier', Value: 'network', ResourceId: resources.subnet, ResourceType: 'subnet' },
    ]);
  });

  it("tags show on the resource's own Describe", async () => {
    const instanceId = resources.instance ?? '';
    await t.ec2.send(
      new CreateTagsCommand({ Resources: [instanceId], Tags: [{ Key: 'Name', Value: 'box' }] }),
    );
    expect(tagRecord((await describeInstance(t.ec2, instanceId)).Tags).Name).toBe('box');
    const { Vpcs } = await t.ec2.send(new DescribeVpcsCommand({ VpcIds: [resources.vpc ?? ''] }));
    expect(tagRecord(Vpcs?.[0]?.Tags).tier).toBe('network');
  });

  it('CreateTags replaces the value of a key already there', async () => {
    const volumeId = resources.volume ?? '';
    await t.ec2.send(
      new CreateTagsCommand({ Resources: [volumeId], Tags: [{ Key: 'stage', Value: 'one' }] }),
    );
    await t.ec2.send(
      new CreateTagsCommand({ Resources: [volumeId], Tags: [{ Key: 'stage', Value: 'two' }] }),
    );
    expect((await tagsOn(volumeId)).stage).toBe('two');
  });

  it('DeleteTags removes a key, only when the value matches if one is given', async () => {
    const groupId = resources['security-group'] ?? '';
    await t.ec2.send(
      new CreateTagsCommand({
        Resources: [groupId],
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
          { Key: 'c', Value: '3' },
        ],
      }),
    );
    await t.ec2.send(new DeleteTagsCommand({ Resources: [groupId], Tags: [{ Key: 'a', Value: 'not 1' }] }));
    await t.ec2.send(new DeleteTagsCommand({ Resources: [groupId], Tags: [{ Key: 'b' }] }));
    await t.ec2.send(new DeleteTagsCommand({ Resources: [groupId], Tags: [{ Key: 'c', Value: '3' }] }));
    const left = await tagsOn(groupId);
    expect(left.a).toBe('1');
    expect(left.b).toBeUndefined();
    expect(left.c).toBeUndefined();
  });

  it('tag values may be empty, and an empty value matches an empty filter value', async () => {
    const keyPairId = resources['key-pair'] ?? '';
    await t.ec2.send(new CreateTagsCommand({ Resources: [keyPairId], Tags: [{ Key: 'flag', Value: '' }] }));
    const { Tags } = await t.ec2.send(
      new DescribeTagsCommand({
        Filters: [
          { Name: 'resource-id', Values: [keyPairId] },
          { Name: 'key', Values: ['flag'] },
        ],
      }),
    );
    expect(Tags).toEqual([{ Key: 'flag', Value: '', ResourceId: keyPairId, ResourceType: 'key-pair' }]);
  });

  it('DescribeTags pages cover every tag once', async () => {
    const key = uniqueName('paged');
    await t.ec2.send(
      new CreateTagsCommand({ Resources: Object.values(resources), Tags: [{ Key: key, Value: 'x' }] }),
    );
    const seen: string[] = [];
    for await (const page of paginateDescribeTags(
      { client: t.ec2, pageSize: 5 },
      { Filters: [{ Name: 'key', Values: [key] }] },
    )) {
      seen.push(...(page.Tags ?? []).map((tag) => tag.ResourceId ?? ''));
    }
    expect(seen.sort()).toEqual(Object.values(resources).sort());
  });
});

describe('tagging what cannot be tagged', () => {
  it('a resource that does not exist', async () => {
    await expectEc2Error(
      t.ec2.send(
        new CreateTagsCommand({ Resources: ['i-0123456789abcdef0'], Tags: [{ Key: 'k', Value: 'v' }] }),
      ),
      'InvalidInstanceID.NotFound',
      "The instance ID 'i-0123456789abcdef0' does not exist",
    );
    await expectEc2Error(
      t.ec2.send(
        new CreateTagsCommand({ Resources: ['vpc-0123456789abcdef0'], Tags: [{ Key: 'k', Value: 'v' }] }),
      ),
      'InvalidVpcID.NotFound',
      "The vpc ID 'vpc-0123456789abcdef0' does not exist",
    );
  });

  it('an id of no known kind', async () => {
    await expectEc2Error(
      t.ec2.send(new CreateTagsCommand({ Resources: ['thing-1234'], Tags: [{ Key: 'k', Value: 'v' }] })),
      'InvalidID',
      "The ID 'thing-1234' is not valid",
    );
  });

  it('keys AWS reserves', async () => {
    await expectEc2Error(
      t.ec2.send(
        new CreateTagsCommand({
          Resources: [resources.vpc ?? ''],
          Tags: [{ Key: 'aws:owner', Value: 'me' }],
        }),
      ),
      'InvalidParameterValue',
    );
  });

  it('a failed CreateTags tags none of its resources', async () => {
    const key = uniqueName('atomic');
    await expectEc2Error(
      t.ec2.send(
        new CreateTagsCommand({
          Resources: [resources.vpc ?? '', 'vpc-0123456789abcdef0'],
          Tags: [{ Key: key, Value: 'v' }],
        }),
      ),
      'InvalidVpcID.NotFound',
    );
    expect((await tagsOn(resources.vpc ?? ''))[key]).toBeUndefined();
  });
});
