/**
 * Elastic IP addresses: allocate, associate with an instance (whose public address becomes the
 * Elastic IP), disassociate, release, and AWS's errors for each wrong order.
 */
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeAddressesCommand,
  DisassociateAddressCommand,
  ReleaseAddressCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { describeInstance, expectEc2Error, idPattern, runInstance, useEC2 } from './setup.js';

const t = useEC2({ ec2BootSeconds: 0 });

async function allocate() {
  const out = await t.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
  return { allocationId: out.AllocationId ?? '', publicIp: out.PublicIp ?? '' };
}

async function addressOf(AllocationId: string) {
  const { Addresses } = await t.ec2.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId] }));
  return Addresses?.[0] ?? {};
}

let vpcs = 0;
/** A subnet of a new VPC, with an internet gateway attached unless asked otherwise. */
async function ownSubnet(withGateway = true): Promise<{ vpcId: string; subnetId: string }> {
  vpcs += 1;
  const { Vpc } = await t.ec2.send(new CreateVpcCommand({ CidrBlock: `10.${70 + vpcs}.0.0/16` }));
  const vpcId = Vpc?.VpcId ?? '';
  if (withGateway) {
    const { InternetGateway } = await t.ec2.send(new CreateInternetGatewayCommand({}));
    await t.ec2.send(
      new AttachInternetGatewayCommand({
        InternetGatewayId: InternetGateway?.InternetGatewayId,
        VpcId: vpcId,
      }),
    );
  }
  const { Subnet } = await t.ec2.send(
    new CreateSubnetCommand({
      VpcId: vpcId,
      CidrBlock: `10.${70 + vpcs}.1.0/24`,
      AvailabilityZone: 'us-east-1a',
    }),
  );
  return { vpcId, subnetId: Subnet?.SubnetId ?? '' };
}

describe('Elastic IP addresses', () => {
  it('are allocated in the VPC domain with a public address', async () => {
    const out = await t.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    expect(out.AllocationId).toMatch(idPattern('eipalloc'));
    expect(out.PublicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(out).toMatchObject({ Domain: 'vpc', PublicIpv4Pool: 'amazon', NetworkBorderGroup: 'us-east-1' });
    const address = await addressOf(out.AllocationId ?? '');
    expect(address).toMatchObject({ AllocationId: out.AllocationId, PublicIp: out.PublicIp, Domain: 'vpc' });
    expect(address.AssociationId).toBeUndefined();
    const other = await allocate();
    expect(other.publicIp).not.toBe(out.PublicIp);
  });

  it('associate with an instance, which then shows the address as its public one', async () => {
    const { allocationId, publicIp } = await allocate();
    const instance = await runInstance(t.ec2);
    const { AssociationId } = await t.ec2.send(
      new AssociateAddressCommand({ AllocationId: allocationId, InstanceId: instance.InstanceId }),
    );
    expect(AssociationId).toMatch(idPattern('eipassoc'));
    const address = await addressOf(allocationId);
    expect(address).toMatchObject({
      InstanceId: instance.InstanceId,
      AssociationId,
      PrivateIpAddress: instance.PrivateIpAddress,
    });
    expect(address.NetworkInterfaceId).toMatch(idPattern('eni'));
    const described = await describeInstance(t.ec2, instance.InstanceId);
    expect(described.PublicIpAddress).toBe(publicIp);
    expect(described.PublicDnsName).toBe(`ec2-${publicIp.replaceAll('.', '-')}.compute-1.amazonaws.com`);

    const byInstance = await t.ec2.send(
      new DescribeAddressesCommand({ Filters: [{ Name: 'instance-id', Values: [instance.InstanceId] }] }),
    );
    expect(byInstance.Addresses?.map((a) => a.AllocationId)).toEqual([allocationId]);

    await t.ec2.send(new DisassociateAddressCommand({ AssociationId }));
    const after = await addressOf(allocationId);
    expect(after.InstanceId).toBeUndefined();
    expect(after.AssociationId).toBeUndefined();
    expect((await describeInstance(t.ec2, instance.InstanceId)).PublicIpAddress).not.toBe(publicIp);
    await t.ec2.send(new ReleaseAddressCommand({ AllocationId: allocationId }));
    await expectEc2Error(
      t.ec2.send(new DescribeAddressesCommand({ AllocationIds: [allocationId] })),
      'InvalidAllocationID.NotFound',
      `The allocation ID '${allocationId}' does not exist`,
    );
  });

  it('in a VPC of yours, an associated address must be disassociated before release', async () => {
    const { subnetId } = await ownSubnet();
    const instance = await runInstance(t.ec2, { SubnetId: subnetId });
    const { allocationId, publicIp } = await allocate();
    const { AssociationId } = await t.ec2.send(
      new AssociateAddressCommand({ AllocationId: allocationId, InstanceId: instance.InstanceId }),
    );
    expect((await describeInstance(t.ec2, instance.InstanceId)).PublicIpAddress).toBe(publicIp);
    await expectEc2Error(
      t.ec2.send(new ReleaseAddressCommand({ AllocationId: allocationId })),
      'InvalidIPAddress.InUse',
    );
    await t.ec2.send(new DisassociateAddressCommand({ AssociationId }));
    await t.ec2.send(new ReleaseAddressCommand({ AllocationId: allocationId }));
    // its own subnet gives no public address, so the instance has none once the Elastic IP goes
    expect((await describeInstance(t.ec2, instance.InstanceId)).PublicIpAddress).toBeUndefined();
  });

  it('cannot be associated with an instance in a VPC without an internet gateway', async () => {
    const { vpcId, subnetId } = await ownSubnet(false);
    const instance = await runInstance(t.ec2, { SubnetId: subnetId });
    const { allocationId } = await allocate();
    await expectEc2Error(
      t.ec2.send(
        new AssociateAddressCommand({ AllocationId: allocationId, InstanceId: instance.InstanceId }),
      ),
      'Gateway.NotAttached',
      `Network ${vpcId} is not attached to any internet gateway`,
    );
  });

  it('ids that do not exist', async () => {
    await expectEc2Error(
      t.ec2.send(new ReleaseAddressCommand({ AllocationId: 'eipalloc-0123456789abcdef0' })),
      'InvalidAllocationID.NotFound',
      "The allocation ID 'eipalloc-0123456789abcdef0' does not exist",
    );
    const { allocationId } = await allocate();
    await expectEc2Error(
      t.ec2.send(
        new AssociateAddressCommand({ AllocationId: allocationId, InstanceId: 'i-0123456789abcdef0' }),
      ),
      'InvalidInstanceID.NotFound',
      "The instance ID 'i-0123456789abcdef0' does not exist",
    );
    await expectEc2Error(
      t.ec2.send(new DisassociateAddressCommand({ AssociationId: 'eipassoc-0123456789abcdef0' })),
      'InvalidAssociationID.NotFound',
    );
  });
});
