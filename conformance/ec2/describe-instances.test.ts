/**
 * DescribeInstances' filters (each the way AWS documents it, tags and wildcards included) and
 * its pagination: MaxResults/NextToken pages hold every instance exactly once.
 */
import {
  CreateKeyPairCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  type Instance,
  paginateDescribeInstances,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  amazonLinuxImage,
  expectEc2Error,
  instanceIdsMatching,
  runInstance,
  runInstances,
  stateOf,
  tagSpec,
  uniqueName,
  useEC2,
} from './setup.js';

const t = useEC2({ ec2BootSeconds: 10, ec2StopSeconds: 10 });

const SUITE = uniqueName('filters');
const inSuite = { Name: 'tag:suite', Values: [SUITE] };

interface Fleet {
  web: Instance & { InstanceId: string };
  worker: Instance & { InstanceId: string };
  stopped: Instance & { InstanceId: string };
  isolated: Instance & { InstanceId: string };
  keyName: string;
  vpcId: string;
  subnetId: string;
}
let fleet: Fleet;

beforeAll(async () => {
  const keyName = uniqueName('fleet-key');
  await t.ec2.send(new CreateKeyPairCommand({ KeyName: keyName }));
  const { Vpc } = await t.ec2.send(new CreateVpcCommand({ CidrBlock: '10.40.0.0/16' }));
  const vpcId = Vpc?.VpcId ?? '';
  const { Subnet } = await t.ec2.send(
    new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.40.1.0/24', AvailabilityZone: 'us-east-1c' }),
  );
  const subnetId = Subnet?.SubnetId ?? '';
  const tags = (extra: Record<string, string>) => [tagSpec('instance', { suite: SUITE, ...extra })];
  const web = await runInstance(t.ec2, {
    KeyName: keyName,
    Placement: { AvailabilityZone: 'us-east-1a' },
    TagSpecifications: tags({ role: 'web', Name: 'web-1' }),
  });
  const worker = await runInstance(t.ec2, {
    InstanceType: 't3.small',
    Placement: { AvailabilityZone: 'us-east-1b' },
    TagSpecifications: tags({ role: 'worker', Name: 'worker-1' }),
  });
  const stopped = await runInstance(t.ec2, {
    Placement: { AvailabilityZone: 'us-east-1a' },
    TagSpecifications: tags({ role: 'web', Name: 'web-2', spare: '' }),
  });
  const isolated = await runInstance(t.ec2, {
    SubnetId: subnetId,
    InstanceType: 'c5.large',
    TagSpecifications: tags({ role: 'batch' }),
  });
  t.h.server.advanceClock(11);
  await t.ec2.send(new StopInstancesCommand({ InstanceIds: [stopped.InstanceId] }));
  t.h.server.advanceClock(11);
  expect(await stateOf(t.ec2, stopped.InstanceId)).toBe('stopped');
  fleet = { web, worker, stopped, isolated, keyName, vpcId, subnetId };
});

const ids = (...instances: { InstanceId: string }[]) => instances.map((i) => i.InstanceId).sort();
const matching = (...filters: { Name: string; Values: string[] }[]) =>
  instanceIdsMatching(t.ec2, [inSuite, ...filters]);

describe('DescribeInstances filters', () => {
  it('instance-state-name, one value or several', async () => {
    expect(await matching({ Name: 'instance-state-name', Values: ['stopped'] })).toEqual(ids(fleet.stopped));
    expect(await matching({ Name: 'instance-state-name', Values: ['running'] })).toEqual(
      ids(fleet.web, fleet.worker, fleet.isolated),
    );
    expect(await matching({ Name: 'instance-state-name', Values: ['pending', 'stopped'] })).toEqual(
      ids(fleet.stopped),
    );
  });

  it('instance-state-code', async () => {
    expect(await matching({ Name: 'instance-state-code', Values: ['80'] })).toEqual(ids(fleet.stopped));
  });

  it('instance-id', async () => {
    expect(
      await matching({ Name: 'instance-id', Values: [fleet.web.InstanceId, fleet.worker.InstanceId] }),
    ).toEqual(ids(fleet.web, fleet.worker));
  });

  it('tag:KEY matches values, with * and ? wildcards', async () => {
    expect(await matching({ Name: 'tag:role', Values: ['web'] })).toEqual(ids(fleet.web, fleet.stopped));
    expect(await matching({ Name: 'tag:Name', Values: ['web-*'] })).toEqual(ids(fleet.web, fleet.stopped));
    expect(await matching({ Name: 'tag:Name', Values: ['w?rker-1'] })).toEqual(ids(fleet.worker));
    expect(await matching({ Name: 'tag:role', Values: ['nobody'] })).toEqual([]);
  });

  it('tag-key and tag-value', async () => {
    expect(await matching({ Name: 'tag-key', Values: ['spare'] })).toEqual(ids(fleet.stopped));
    expect(await matching({ Name: 'tag-value', Values: ['batch'] })).toEqual(ids(fleet.isolated));
  });

  it('instance-type', async () => {
    expect(await matching({ Name: 'instance-type', Values: ['t3.small', 'c5.large'] })).toEqual(
      ids(fleet.worker, fleet.isolated),
    );
  });

  it('vpc-id and subnet-id', async () => {
    expect(await matching({ Name: 'vpc-id', Values: [fleet.vpcId] })).toEqual(ids(fleet.isolated));
    expect(await matching({ Name: 'subnet-id', Values: [fleet.subnetId] })).toEqual(ids(fleet.isolated));
    expect(await matching({ Name: 'subnet-id', Values: [fleet.web.SubnetId ?? ''] })).toEqual(
      ids(fleet.web, fleet.stopped),
    );
  });

  it('image-id', async () => {
    expect(await matching({ Name: 'image-id', Values: [await amazonLinuxImage(t.ec2)] })).toHaveLength(4);
    expect(await matching({ Name: 'image-id', Values: ['ami-0123456789abcdef0'] })).toEqual([]);
  });

  it('key-name', async () => {
    expect(await matching({ Name: 'key-name', Values: [fleet.keyName] })).toEqual(ids(fleet.web));
  });

  it('availability-zone', async () => {
    expect(await matching({ Name: 'availability-zone', Values: ['us-east-1a'] })).toEqual(
      ids(fleet.web, fleet.stopped),
    );
    expect(await matching({ Name: 'availability-zone', Values: ['us-east-1c'] })).toEqual(
      ids(fleet.isolated),
    );
  });

  it('filters are ANDed, values within one filter ORed', async () => {
    expect(
      await matching(
        { Name: 'tag:role', Values: ['web', 'worker'] },
        { Name: 'instance-state-name', Values: ['running'] },
      ),
    ).toEqual(ids(fleet.web, fleet.worker));
  });

  it('InstanceIds and Filters together narrow each other', async () => {
    const out = await t.ec2.send(
      new DescribeInstancesCommand({
        InstanceIds: [fleet.web.InstanceId, fleet.stopped.InstanceId],
        Filters: [{ Name: 'instance-state-name', Values: ['running'] }],
      }),
    );
    const found = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId);
    expect(found).toEqual([fleet.web.InstanceId]);
  });

  it('an unknown filter name is InvalidParameterValue', async () => {
    await expectEc2Error(
      t.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'colour', Values: ['blue'] }] })),
      'InvalidParameterValue',
      "The filter 'colour' is invalid",
    );
  });
});

describe('DescribeInstances pagination', () => {
  it('pages of MaxResults hold every instance exactly once', async () => {
    const label = uniqueName('pages');
    for (let i = 0; i < 4; i++) {
      await runInstances(t.ec2, {
        MinCount: 3,
        MaxCount: 3,
        TagSpecifications: [tagSpec('instance', { page: label })],
      });
    }
    const expected = await instanceIdsMatching(t.ec2, [{ Name: 'tag:page', Values: [label] }]);
    expect(expected).toHaveLength(12);

    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeInstances(
      { client: t.ec2, pageSize: 5 },
      { Filters: [{ Name: 'tag:page', Values: [label] }] },
    )) {
      pages += 1;
      const onPage = (page.Reservations ?? []).flatMap((r) => r.Instances ?? []);
      expect(onPage.length).toBeLessThanOrEqual(5);
      seen.push(...onPage.map((i) => i.InstanceId ?? ''));
    }
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen.sort()).toEqual(expected);
  });

  it('a page of everything ends without a NextToken', async () => {
    const out = await t.ec2.send(new DescribeInstancesCommand({ Filters: [inSuite], MaxResults: 1000 }));
    expect(out.NextToken).toBeUndefined();
    expect((out.Reservations ?? []).flatMap((r) => r.Instances ?? [])).toHaveLength(4);
  });

  it('MaxResults with InstanceIds is refused', async () => {
    await expectEc2Error(
      t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [fleet.web.InstanceId], MaxResults: 5 })),
      'InvalidParameterCombination',
      'The parameter instancesSet cannot be used with the parameter maxResults',
    );
  });

  it('MaxResults below 5 is refused', async () => {
    await expectEc2Error(
      t.ec2.send(new DescribeInstancesCommand({ MaxResults: 3 })),
      'InvalidParameterValue',
      'Value ( 3 ) for parameter maxResults is invalid. Expecting a value greater than 5.',
    );
  });

  it('a NextToken that was never handed out is refused', async () => {
    await expectEc2Error(
      t.ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: 'not-a-token' })),
      'InvalidPaginationToken',
    );
  });
});
