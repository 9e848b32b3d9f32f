/**
 * Internet gateways: create, attach to one VPC at a time, detach, delete, and the errors for
 * each wrong order.
 */
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteVpcCommand,
  DescribeInternetGatewaysCommand,
  DetachInternetGatewayCommand,
  DisassociateAddressCommand,
  TerminateInstancesCommand,
  waitUntilInternetGatewayExists,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ACCOUNT,
  expectEc2Error,
  idPattern,
  runInstance,
  tagRecord,
  tagSpec,
  useEC2,
  waitFor,
} from './setup.js';

const t = useEC2();

async function createVpc(CidrBlock: string): Promise<string> {
  const { Vpc } = await t.ec2.send(new CreateVpcCommand({ CidrBlock }));
  return Vpc?.VpcId ?? '';
}

async function createGateway(): Promise<string> {
  const { InternetGateway } = await t.ec2.send(new CreateInternetGatewayCommand({}));
  return InternetGateway?.InternetGatewayId ?? '';
}

async function gatewayOf(id: string) {
  const { InternetGateways } = await t.ec2.send(
    new DescribeInternetGatewaysCommand({ InternetGatewayIds: [id] }),
  );
  return InternetGateways?.[0] ?? {};
}

describe('internet gateways', () => {
  it('is created detached, then attached and detached again', async () => {
    const { InternetGateway } = await t.ec2.send(
      new CreateInternetGatewayCommand({
        TagSpecifications: [tagSpec('internet-gateway', { Name: 'edge' })],
      }),
    );
    const id = InternetGateway?.InternetGatewayId ?? '';
    expect(id).toMatch(idPattern('igw'));
    expect(InternetGateway?.OwnerId).toBe(DEFAULT_ACCOUNT);
    expect(InternetGateway?.Attachments ?? []).toEqual([]);
    expect(tagRecord(InternetGateway?.Tags)).toEqual({ Name: 'edge' });
    await waitUntilInternetGatewayExists(waitFor(t.ec2), { InternetGatewayIds: [id] });

    const vpcId = await createVpc('10.60.0.0/16');
    await t.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
    expect((await gatewayOf(id)).Attachments).toEqual([{ VpcId: vpcId, State: 'available' }]);
    const { InternetGateways } = await t.ec2.send(
      new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] }),
    );
    expect(InternetGateways?.map((g) => g.InternetGatewayId)).toEqual([id]);

    await t.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
    expect((await gatewayOf(id)).Attachments ?? []).toEqual([]);
    await t.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: id }));
    await expectEc2Error(
      t.ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [id] })),
      'InvalidInternetGatewayID.NotFound',
      `The internetGateway ID '${id}' does not exist`,
    );
  });

  it('attaches to one VPC at a time, and a VPC takes one gateway', async () => {
    const id = await createGateway();
    const first = await createVpc('10.61.0.0/16');
    const second = await createVpc('10.62.0.0/16');
    await t.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: first }));
    await expectEc2Error(
      t.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: second })),
      'Resource.AlreadyAssociated',
      `resource ${id} is already attached to network ${first}`,
    );
    const another = await createGateway();
    await expectEc2Error(
      t.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: another, VpcId: first })),
      'InvalidParameterValue',
      `Network ${first} already has an internet gateway attached`,
    );
  });

  it('detaching from a VPC it is not attached to is Gateway.NotAttached', async () => {
    const id = await createGateway();
    const vpcId = await createVpc('10.63.0.0/16');
    await expectEc2Error(
      t.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId })),
      'Gateway.NotAttached',
    );
  });

  it('an attached gateway, and a VPC with one attached, cannot be deleted', async () => {
    const id = await createGateway();
    const vpcId = await createVpc('10.64.0.0/16');
    await t.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
    await expectEc2Error(
      t.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: id })),
      'DependencyViolation',
      `The internetGateway '${id}' has dependencies and cannot be deleted.`,
    );
    await expectEc2Error(
      t.ec2.send(new DeleteVpcCommand({ VpcId: vpcId })),
      'DependencyViolation',
      `The vpc '${vpcId}' has dependencies and cannot be deleted.`,
    );
  });

  it('stays attached while an instance of the VPC holds a public address, its own or an Elastic IP', async () => {
    const vpcId = await createVpc('10.77.0.0/16');
    const { Subnet } = await t.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.77.1.0/24' }));
    const gatewayId = await createGateway();
    await t.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId }));
    const detach = () =>
      t.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId }));
    const mapped = `Network ${vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`;

    const withAddress = await runInstance(t.ec2, {
      NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: Subnet?.SubnetId, AssociatePublicIpAddress: true }],
    });
    await expectEc2Error(detach(), 'DependencyViolation', mapped);
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [withAddress.InstanceId] }));

    const plain = await runInstance(t.ec2, { SubnetId: Subnet?.SubnetId });
    const { AllocationId } = await t.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const { AssociationId } = await t.ec2.send(
      new AssociateAddressCommand({ AllocationId, InstanceId: plain.InstanceId }),
    );
    await expectEc2Error(detach(), 'DependencyViolation', mapped);
    await t.ec2.send(new DisassociateAddressCommand({ AssociationId }));
    await detach();
    expect((await gatewayOf(gatewayId)).Attachments ?? []).toEqual([]);
  });

  it('ids that do not exist', async () => {
    const vpcId = await createVpc('10.65.0.0/16');
    await expectEc2Error(
      t.ec2.send(
        new AttachInternetGatewayCommand({ InternetGatewayId: 'igw-0123456789abcdef0', VpcId: vpcId }),
      ),
      'InvalidInternetGatewayID.NotFound',
      "The internetGateway ID 'igw-0123456789abcdef0' does not exist",
    );
    const id = await createGateway();
    await expectEc2Error(
      t.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: 'vpc-0123456789abcdef0' })),
      'InvalidVpcID.NotFound',
      "The vpc ID 'vpc-0123456789abcdef0' does not exist",
    );
  });
});
