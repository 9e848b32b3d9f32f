/**
 * DryRun on every operation localaws answers whose input has a DryRun member: with resources
 * in the state each call needs, a DryRun answers DryRunOperation (412), and nothing changes.
 * The table must name every such operation, so a new one cannot go untested.
 */
import { generateKeyPairSync } from 'node:crypto';
import * as sdk from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/protocol/model.js';
import { ec2 as service } from '../../src/services/ec2/index.js';
import { amazonLinuxImage, expectDryRun, runInstance, uniqueName, useEC2 } from './setup.js';

const t = useEC2({ ec2BootSeconds: 0, ec2StopSeconds: 0, ec2TerminateSeconds: 0 });

/** What the calls name: each resource in the state its call needs. */
interface World {
  image: string;
  instance: string;
  vpc: string;
  emptyVpc: string;
  subnet: string;
  group: string;
  ruleId: string;
  detachedGateway: string;
  attachedGateway: string;
  gatewayVpc: string;
  volume: string;
  attachedVolume: string;
  snapshot: string;
  ownImage: string;
  keyName: string;
  template: string;
  freeAddress: string;
  association: string;
}

let world: World;

async function build(ec2: sdk.EC2Client): Promise<World> {
  const image = await amazonLinuxImage(ec2);
  const instance = (await runInstance(ec2, { Placement: { AvailabilityZone: 'us-east-1a' } })).InstanceId;
  const vpc = (await ec2.send(new sdk.CreateVpcCommand({ CidrBlock: '10.90.0.0/16' }))).Vpc?.VpcId ?? '';
  const emptyVpc = (await ec2.send(new sdk.CreateVpcCommand({ CidrBlock: '10.93.0.0/16' }))).Vpc?.VpcId ?? '';
  const subnet =
    (await ec2.send(new sdk.CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.90.1.0/24' }))).Subnet
      ?.SubnetId ?? '';
  const group =
    (await ec2.send(new sdk.CreateSecurityGroupCommand({ GroupName: 'dry', Description: 'dry', VpcId: vpc })))
      .GroupId ?? '';
  const rule = await ec2.send(
    new sdk.AuthorizeSecurityGroupIngressCommand({
      GroupId: group,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
    }),
  );
  const detachedGateway =
    (await ec2.send(new sdk.CreateInternetGatewayCommand({}))).InternetGateway?.InternetGatewayId ?? '';
  const attachedGateway =
    (await ec2.send(new sdk.CreateInternetGatewayCommand({}))).InternetGateway?.InternetGatewayId ?? '';
  const gatewayVpc =
    (await ec2.send(new sdk.CreateVpcCommand({ CidrBlock: '10.91.0.0/16' }))).Vpc?.VpcId ?? '';
  await ec2.send(
    new sdk.AttachInternetGatewayCommand({ InternetGatewayId: attachedGateway, VpcId: gatewayVpc }),
  );
  const volume =
    (await ec2.send(new sdk.CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10 }))).VolumeId ??
    '';
  const attachedVolume =
    (await ec2.send(new sdk.CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10 }))).VolumeId ??
    '';
  t.h.server.advanceClock(10);
  await ec2.send(
    new sdk.AttachVolumeCommand({ VolumeId: attachedVolume, InstanceId: instance, Device: '/dev/sdf' }),
  );
  const snapshot = (await ec2.send(new sdk.CreateSnapshotCommand({ VolumeId: volume }))).SnapshotId ?? '';
  const ownImage =
    (await ec2.send(new sdk.CreateImageCommand({ InstanceId: instance, Name: uniqueName('dry-image') })))
      .ImageId ?? '';
  const keyName = uniqueName('dry-key');
  await ec2.send(new sdk.CreateKeyPairCommand({ KeyName: keyName }));
  const template =
    (
      await ec2.send(
        new sdk.CreateLaunchTemplateCommand({
          LaunchTemplateName: uniqueName('dry-lt'),
          LaunchTemplateData: { ImageId: image },
        }),
      )
    ).LaunchTemplate?.LaunchTemplateId ?? '';
  await ec2.send(
    new sdk.CreateLaunchTemplateVersionCommand({
      LaunchTemplateId: template,
      LaunchTemplateData: { ImageId: image },
    }),
  );
  const freeAddress = (await ec2.send(new sdk.AllocateAddressCommand({}))).AllocationId ?? '';
  const associatedAddress = (await ec2.send(new sdk.AllocateAddressCommand({}))).AllocationId ?? '';
  const { AssociationId } = await ec2.send(
    new sdk.AssociateAddressCommand({ AllocationId: associatedAddress, InstanceId: instance }),
  );
  t.h.server.advanceClock(10);
  return {
    image,
    instance,
    vpc,
    emptyVpc,
    subnet,
    group,
    ruleId: rule.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? '',
    detachedGateway,
    attachedGateway,
    gatewayVpc,
    volume,
    attachedVolume,
    snapshot,
    ownImage,
    keyName,
    template,
    freeAddress,
    association: AssociationId ?? '',
  };
}

function publicKeyLine(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  const part = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return `ssh-ed25519 ${Buffer.concat([part(Buffer.from('ssh-ed25519')), part(raw)]).toString('base64')}`;
}

const SSH = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22 };

/** A call that would succeed, for each operation with a DryRun member. */
const CALLS: Record<string, (w: World) => Record<string, unknown>> = {
  AllocateAddress: () => ({ Domain: 'vpc' }),
  AssociateAddress: (w) => ({ AllocationId: w.freeAddress, InstanceId: w.instance }),
  AttachInternetGateway: (w) => ({ InternetGatewayId: w.detachedGateway, VpcId: w.vpc }),
  AttachVolume: (w) => ({ VolumeId: w.volume, InstanceId: w.instance, Device: '/dev/sdg' }),
  AuthorizeSecurityGroupEgress: (w) => ({
    GroupId: w.group,
    IpPermissions: [{ ...SSH, IpRanges: [{ CidrIp: '10.1.0.0/16' }] }],
  }),
  AuthorizeSecurityGroupIngress: (w) => ({
    GroupId: w.group,
    IpPermissions: [{ ...SSH, IpRanges: [{ CidrIp: '10.2.0.0/16' }] }],
  }),
  CreateDefaultVpc: () => ({}),
  CreateImage: (w) => ({ InstanceId: w.instance, Name: 'dry-run-image' }),
  CreateInternetGateway: () => ({}),
  CreateKeyPair: () => ({ KeyName: 'dry-run-key' }),
  CreateLaunchTemplate: (w) => ({
    LaunchTemplateName: 'dry-run-lt',
    LaunchTemplateData: { ImageId: w.image },
  }),
  CreateLaunchTemplateVersion: (w) => ({
    LaunchTemplateId: w.template,
    LaunchTemplateData: { ImageId: w.image },
  }),
  CreateSecurityGroup: (w) => ({ GroupName: 'dry-run', Description: 'dry run', VpcId: w.vpc }),
  CreateSnapshot: (w) => ({ VolumeId: w.volume }),
  CreateSubnet: (w) => ({ VpcId: w.vpc, CidrBlock: '10.90.2.0/24' }),
  CreateTags: (w) => ({ Resources: [w.instance], Tags: [{ Key: 'k', Value: 'v' }] }),
  CreateVolume: () => ({ AvailabilityZone: 'us-east-1a', Size: 8 }),
  CreateVpc: () => ({ CidrBlock: '10.92.0.0/16' }),
  DeleteInternetGateway: (w) => ({ InternetGatewayId: w.detachedGateway }),
  DeleteKeyPair: (w) => ({ KeyName: w.keyName }),
  DeleteLaunchTemplate: (w) => ({ LaunchTemplateId: w.template }),
  DeleteLaunchTemplateVersions: (w) => ({ LaunchTemplateId: w.template, Versions: ['2'] }),
  DeleteSecurityGroup: (w) => ({ GroupId: w.group }),
  DeleteSnapshot: (w) => ({ SnapshotId: w.snapshot }),
  DeleteSubnet: (w) => ({ SubnetId: w.subnet }),
  DeleteTags: (w) => ({ Resources: [w.instance], Tags: [{ Key: 'k' }] }),
  DeleteVolume: (w) => ({ VolumeId: w.volume }),
  DeleteVpc: (w) => ({ VpcId: w.emptyVpc }),
  DeregisterImage: (w) => ({ ImageId: w.ownImage }),
  DescribeAccountAttributes: () => ({}),
  DescribeAddresses: () => ({}),
  DescribeAvailabilityZones: () => ({}),
  DescribeImageAttribute: (w) => ({ ImageId: w.ownImage, Attribute: 'description' }),
  DescribeImages: () => ({ Owners: ['amazon'] }),
  DescribeInstanceAttribute: (w) => ({ InstanceId: w.instance, Attribute: 'instanceType' }),
  DescribeInstanceStatus: () => ({}),
  DescribeInstanceTypeOfferings: () => ({}),
  DescribeInstanceTypes: () => ({}),
  DescribeInstances: () => ({}),
  DescribeInternetGateways: () => ({}),
  DescribeKeyPairs: () => ({}),
  DescribeLaunchTemplateVersions: (w) => ({ LaunchTemplateId: w.template }),
  DescribeLaunchTemplates: () => ({}),
  DescribeRegions: () => ({}),
  DescribeSecurityGroupRules: () => ({}),
  DescribeSecurityGroups: () => ({}),
  DescribeSnapshots: () => ({ OwnerIds: ['self'] }),
  DescribeSubnets: () => ({}),
  DescribeTags: () => ({}),
  DescribeVolumes: () => ({}),
  DescribeVpcAttribute: (w) => ({ VpcId: w.vpc, Attribute: 'enableDnsSupport' }),
  DescribeVpcs: () => ({}),
  DetachInternetGateway: (w) => ({ InternetGatewayId: w.attachedGateway, VpcId: w.gatewayVpc }),
  DetachVolume: (w) => ({ VolumeId: w.attachedVolume }),
  DisassociateAddress: (w) => ({ AssociationId: w.association }),
  GetConsoleOutput: (w) => ({ InstanceId: w.instance }),
  ImportKeyPair: () => ({ KeyName: 'dry-run-import', PublicKeyMaterial: Buffer.from(publicKeyLine()) }),
  ModifyInstanceAttribute: (w) => ({ InstanceId: w.instance, DisableApiTermination: { Value: true } }),
  ModifyLaunchTemplate: (w) => ({ LaunchTemplateId: w.template, DefaultVersion: '2' }),
  ModifySecurityGroupRules: (w) => ({
    GroupId: w.group,
    SecurityGroupRules: [
      { SecurityGroupRuleId: w.ruleId, SecurityGroupRule: { ...SSH, CidrIpv4: '10.3.0.0/16' } },
    ],
  }),
  ModifyVolume: (w) => ({ VolumeId: w.volume, Size: 20 }),
  RebootInstances: (w) => ({ InstanceIds: [w.instance] }),
  RegisterImage: (w) => ({
    Name: 'dry-run-registered',
    RootDeviceName: '/dev/xvda',
    BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: w.snapshot } }],
  }),
  ReleaseAddress: (w) => ({ AllocationId: w.freeAddress }),
  RevokeSecurityGroupEgress: (w) => ({
    GroupId: w.group,
    IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
  }),
  RevokeSecurityGroupIngress: (w) => ({ GroupId: w.group, SecurityGroupRuleIds: [w.ruleId] }),
  RunInstances: (w) => ({ ImageId: w.image, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }),
  StartInstances: (w) => ({ InstanceIds: [w.instance] }),
  StopInstances: (w) => ({ InstanceIds: [w.instance] }),
  TerminateInstances: (w) => ({ InstanceIds: [w.instance] }),
  UpdateSecurityGroupRuleDescriptionsEgress: (w) => ({
    GroupId: w.group,
    IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'all out' }] }],
  }),
  UpdateSecurityGroupRuleDescriptionsIngress: (w) => ({
    GroupId: w.group,
    SecurityGroupRuleDescriptions: [{ SecurityGroupRuleId: w.ruleId, Description: 'ssh' }],
  }),
};

beforeAll(async () => {
  world = await build(t.ec2);
});

/** Everything the DryRuns could have changed, as Describe calls show it. */
async function snapshotOfWorld(ec2: sdk.EC2Client): Promise<string> {
  const parts = await Promise.all([
    ec2.send(new sdk.DescribeInstancesCommand({})),
    ec2.send(new sdk.DescribeVpcsCommand({})),
    ec2.send(new sdk.DescribeSubnetsCommand({})),
    ec2.send(new sdk.DescribeSecurityGroupRulesCommand({})),
    ec2.send(new sdk.DescribeInternetGatewaysCommand({})),
    ec2.send(new sdk.DescribeVolumesCommand({})),
    ec2.send(new sdk.DescribeSnapshotsCommand({ OwnerIds: ['self'] })),
    ec2.send(new sdk.DescribeImagesCommand({ Owners: ['self'] })),
    ec2.send(new sdk.DescribeKeyPairsCommand({})),
    ec2.send(new sdk.DescribeLaunchTemplatesCommand({})),
    ec2.send(new sdk.DescribeAddressesCommand({})),
    ec2.send(new sdk.DescribeTagsCommand({})),
  ]);
  return JSON.stringify(parts.map(({ $metadata: _, ...rest }) => rest));
}

describe('DryRun on every operation that has it', () => {
  it('the table names every such operation localaws answers', () => {
    const model = loadModel('ec2');
    const withDryRun = Object.keys(service.handlers)
      .filter((op) => {
        const shape = model.shapes[model.operations[op]?.input ?? ''];
        return shape?.type === 'structure' && 'DryRun' in shape.members;
      })
      .sort();
    expect(Object.keys(CALLS).sort()).toEqual(withDryRun);
  });

  it('answers DryRunOperation for a call that would succeed, and changes nothing', async () => {
    // a region whose default VPC is gone, so CreateDefaultVpc would succeed there
    const west = t.client({ region: 'eu-west-3' });
    await removeDefaultVpc(west);
    const before = await snapshotOfWorld(t.ec2);
    for (const [operation, input] of Object.entries(CALLS)) {
      const Command = (sdk as unknown as Record<string, new (input: unknown) => never>)[
        `${operation}Command`
      ];
      const client = operation === 'CreateDefaultVpc' ? west : t.ec2;
      await expectDryRun(
        client.send(new (Command as new (input: unknown) => never)({ ...input(world), DryRun: true })),
      ).catch((e: Error) => {
        throw new Error(`${operation}: ${e.message}`);
      });
    }
    expect(await snapshotOfWorld(t.ec2)).toBe(before);
  });
});

async function removeDefaultVpc(ec2: sdk.EC2Client): Promise<void> {
  const { Vpcs } = await ec2.send(
    new sdk.DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
  );
  const VpcId = Vpcs?.[0]?.VpcId ?? '';
  const { Subnets } = await ec2.send(
    new sdk.DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [VpcId] }] }),
  );
  for (const subnet of Subnets ?? [])
    await ec2.send(new sdk.DeleteSubnetCommand({ SubnetId: subnet.SubnetId }));
  const { InternetGateways } = await ec2.send(
    new sdk.DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [VpcId] }] }),
  );
  for (const gateway of InternetGateways ?? []) {
    const InternetGatewayId = gateway.InternetGatewayId;
    await ec2.send(new sdk.DetachInternetGatewayCommand({ InternetGatewayId, VpcId }));
    await ec2.send(new sdk.DeleteInternetGatewayCommand({ InternetGatewayId }));
  }
  await ec2.send(new sdk.DeleteVpcCommand({ VpcId }));
}
