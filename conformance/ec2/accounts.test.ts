/**
 * Accounts and regions never see each other's resources: a 12-digit access key id acts in
 * that account, and each region of an account is its own world.
 */
import {
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import {
  accountCredentials,
  DEFAULT_ACCOUNT,
  expectEc2Error,
  instanceIdsMatching,
  OTHER_ACCOUNT,
  runInstance,
  tagSpec,
  uniqueName,
  useEC2,
} from './setup.js';

const t = useEC2({ ec2BootSeconds: 0 });

const otherAccount = () => t.client({ credentials: accountCredentials(OTHER_ACCOUNT) });

describe('accounts', () => {
  it("one account's instances are invisible to another", async () => {
    const label = uniqueName('mine');
    const { InstanceId } = await runInstance(t.ec2, {
      TagSpecifications: [tagSpec('instance', { owner: label })],
    });
    const other = otherAccount();
    expect(await instanceIdsMatching(other, [{ Name: 'tag:owner', Values: [label] }])).toEqual([]);
    const all = await other.send(new DescribeInstancesCommand({}));
    expect((all.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId)).not.toContain(
      InstanceId,
    );
    await expectEc2Error(
      other.send(new DescribeInstancesCommand({ InstanceIds: [InstanceId] })),
      'InvalidInstanceID.NotFound',
      `The instance ID '${InstanceId}' does not exist`,
    );
    await expectEc2Error(
      other.send(new StopInstancesCommand({ InstanceIds: [InstanceId] })),
      'InvalidInstanceID.NotFound',
    );
  });

  it('each account owns what it launches', async () => {
    const other = otherAccount();
    const { InstanceId } = await runInstance(other);
    const { Reservations } = await other.send(new DescribeInstancesCommand({ InstanceIds: [InstanceId] }));
    expect(Reservations?.[0]?.OwnerId).toBe(OTHER_ACCOUNT);
    const mine = await t.ec2.send(new DescribeInstancesCommand({}));
    for (const reservation of mine.Reservations ?? []) expect(reservation.OwnerId).toBe(DEFAULT_ACCOUNT);
  });

  it('the same names live side by side in two accounts', async () => {
    const KeyName = uniqueName('shared-name');
    const mine = await t.ec2.send(new CreateKeyPairCommand({ KeyName }));
    const theirs = await otherAccount().send(new CreateKeyPairCommand({ KeyName }));
    expect(theirs.KeyPairId).not.toBe(mine.KeyPairId);
    const { KeyPairs } = await t.ec2.send(new DescribeKeyPairsCommand({ KeyNames: [KeyName] }));
    expect(KeyPairs?.map((k) => k.KeyPairId)).toEqual([mine.KeyPairId]);

    const { Vpc } = await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.100.0.0/16' }));
    await expectEc2Error(
      otherAccount().send(new DescribeVpcsCommand({ VpcIds: [Vpc?.VpcId ?? ''] })),
      'InvalidVpcID.NotFound',
      `The vpc ID '${Vpc?.VpcId}' does not exist`,
    );
    const { GroupId } = await t.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: uniqueName('group'),
        Description: 'mine',
        VpcId: Vpc?.VpcId,
      }),
    );
    await expectEc2Error(
      otherAccount().send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId ?? ''] })),
      'InvalidGroup.NotFound',
    );
  });
});

describe('regions', () => {
  it("one region's instances are invisible in another of the same account", async () => {
    const { InstanceId } = await runInstance(t.ec2);
    const oregon = t.client({ region: 'us-west-2' });
    await expectEc2Error(
      oregon.send(new DescribeInstancesCommand({ InstanceIds: [InstanceId] })),
      'InvalidInstanceID.NotFound',
      `The instance ID '${InstanceId}' does not exist`,
    );
    const launched = await runInstance(oregon);
    expect(launched.Placement?.AvailabilityZone).toMatch(/^us-west-2[a-d]$/);
  });
});
