/**
 * What EC2 answers when asked for a transition an instance cannot make, for ids that do not
 * exist or are not ids, for termination protection, for instance attributes that only change
 * while stopped, and for DryRun on the instance calls.
 */
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  GetConsoleOutputCommand,
  ModifyInstanceAttributeCommand,
  RebootInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import {
  describeInstance,
  expectDryRun,
  expectEc2Error,
  instanceIdsMatching,
  malformedIdMessage,
  runInstance,
  state,
  stateOf,
  tagSpec,
  uniqueName,
  useEC2,
} from './setup.js';

const SECONDS = 10;
const t = useEC2({
  ec2BootSeconds: SECONDS,
  ec2StopSeconds: SECONDS,
  ec2TerminateSeconds: SECONDS,
  ec2StatusCheckSeconds: SECONDS,
});

/** Lets every transition under way finish. */
const settle = () => t.h.server.advanceClock(SECONDS + 1);

async function running(more: Parameters<typeof runInstance>[1] = {}): Promise<string> {
  const { InstanceId } = await runInstance(t.ec2, more);
  settle();
  expect(await stateOf(t.ec2, InstanceId)).toBe('running');
  return InstanceId;
}

async function stopped(): Promise<string> {
  const id = await running();
  await t.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
  settle();
  expect(await stateOf(t.ec2, id)).toBe('stopped');
  return id;
}

async function terminated(): Promise<string> {
  const id = await running();
  await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  settle();
  expect(await stateOf(t.ec2, id)).toBe('terminated');
  return id;
}

const MISSING = 'i-0123456789abcdef0';
const ALSO_MISSING = 'i-0fedcba9876543210';

describe('transitions an instance is already in, or cannot make', () => {
  it('StartInstances on a running instance succeeds and reports it running', async () => {
    const id = await running();
    const out = await t.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect(out.StartingInstances).toEqual([
      { InstanceId: id, CurrentState: state('running'), PreviousState: state('running') },
    ]);
    expect(await stateOf(t.ec2, id)).toBe('running');
  });

  it('StopInstances on a stopped instance succeeds and reports it stopped', async () => {
    const id = await stopped();
    const out = await t.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(out.StoppingInstances).toEqual([
      { InstanceId: id, CurrentState: state('stopped'), PreviousState: state('stopped') },
    ]);
  });

  it('TerminateInstances on a terminated instance succeeds and reports it terminated', async () => {
    const id = await terminated();
    const out = await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(out.TerminatingInstances).toEqual([
      { InstanceId: id, CurrentState: state('terminated'), PreviousState: state('terminated') },
    ]);
  });

  it('StopInstances on an instance that has never run is IncorrectInstanceState', async () => {
    const { InstanceId } = await runInstance(t.ec2);
    await expectEc2Error(
      t.ec2.send(new StopInstancesCommand({ InstanceIds: [InstanceId] })),
      'IncorrectInstanceState',
      `Instance '${InstanceId}' cannot be stopped as it has never reached the 'running' state.`,
    );
    settle();
  });

  it('StopInstances on a terminated instance is IncorrectInstanceState', async () => {
    const id = await terminated();
    await expectEc2Error(
      t.ec2.send(new StopInstancesCommand({ InstanceIds: [id] })),
      'IncorrectInstanceState',
      new RegExp(`^(This|The) instance '${id}' is not in a state from which it can be stopped\\.$`),
    );
    // Force changes nothing for a terminated instance
    await expectEc2Error(
      t.ec2.send(new StopInstancesCommand({ InstanceIds: [id], Force: true })),
      'IncorrectInstanceState',
    );
  });

  it('StartInstances on a terminated or stopping instance is IncorrectInstanceState', async () => {
    const gone = await terminated();
    await expectEc2Error(
      t.ec2.send(new StartInstancesCommand({ InstanceIds: [gone] })),
      'IncorrectInstanceState',
      `The instance '${gone}' is not in a state from which it can be started.`,
    );
    const id = await running();
    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await expectEc2Error(
      t.ec2.send(new StartInstancesCommand({ InstanceIds: [id] })),
      'IncorrectInstanceState',
      `The instance '${id}' is not in a state from which it can be started.`,
    );
    settle();
  });

  it('a refused instance leaves the others of the call as they were', async () => {
    const up = await running();
    const gone = await terminated();
    await expectEc2Error(
      t.ec2.send(new StopInstancesCommand({ InstanceIds: [up, gone] })),
      'IncorrectInstanceState',
    );
    expect(await stateOf(t.ec2, up)).toBe('running');
  });

  it('StopInstances with Force stops a running instance', async () => {
    const id = await running();
    const out = await t.ec2.send(new StopInstancesCommand({ InstanceIds: [id], Force: true }));
    expect(out.StoppingInstances?.[0]?.CurrentState).toEqual(state('stopping'));
    settle();
    expect(await stateOf(t.ec2, id)).toBe('stopped');
  });

  it('RebootInstances keeps a running instance running and refuses a stopped one', async () => {
    const id = await running();
    await t.ec2.send(new RebootInstancesCommand({ InstanceIds: [id] }));
    expect(await stateOf(t.ec2, id)).toBe('running');
    settle();
    expect(await stateOf(t.ec2, id)).toBe('running');

    const down = await stopped();
    await expectEc2Error(
      t.ec2.send(new RebootInstancesCommand({ InstanceIds: [down] })),
      'IncorrectInstanceState',
    );
  });

  it('GetConsoleOutput answers for a running instance', async () => {
    const id = await running();
    const out = await t.ec2.send(new GetConsoleOutputCommand({ InstanceId: id }));
    expect(out.InstanceId).toBe(id);
    expect(out.Timestamp).toBeInstanceOf(Date);
    if (out.Output !== undefined) expect(out.Output).toMatch(/^[A-Za-z0-9+/]*=*$/);
  });
});

describe('ids that do not exist or are not ids', () => {
  it('DescribeInstances names the one missing id', async () => {
    await expectEc2Error(
      t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [MISSING] })),
      'InvalidInstanceID.NotFound',
      `The instance ID '${MISSING}' does not exist`,
    );
  });

  it('DescribeInstances names every missing id', async () => {
    const id = await running();
    const error = await expectEc2Error(
      t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [MISSING, id, ALSO_MISSING] })),
      'InvalidInstanceID.NotFound',
    );
    expect(error.message).toMatch(/^The instance IDs '.*' do not exist$/);
    expect(error.message).toContain(MISSING);
    expect(error.message).toContain(ALSO_MISSING);
    expect(error.message).not.toContain(id);
  });

  it('every state change refuses an id that does not exist', async () => {
    const InstanceIds = [MISSING];
    for (const call of [
      () => t.ec2.send(new StartInstancesCommand({ InstanceIds })),
      () => t.ec2.send(new StopInstancesCommand({ InstanceIds })),
      () => t.ec2.send(new TerminateInstancesCommand({ InstanceIds })),
      () => t.ec2.send(new RebootInstancesCommand({ InstanceIds })),
    ]) {
      await expectEc2Error(
        call(),
        'InvalidInstanceID.NotFound',
        `The instance ID '${MISSING}' does not exist`,
      );
    }
    await expectEc2Error(
      t.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: MISSING, Attribute: 'instanceType' })),
      'InvalidInstanceID.NotFound',
      `The instance ID '${MISSING}' does not exist`,
    );
  });

  it('an id that is not an instance id is InvalidInstanceID.Malformed', async () => {
    for (const bad of ['i-xyz', 'bogus', 'i-0123456789abcdef']) {
      await expectEc2Error(
        t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [bad] })),
        'InvalidInstanceID.Malformed',
        malformedIdMessage(bad, 'i'),
      );
    }
    await expectEc2Error(
      t.ec2.send(new TerminateInstancesCommand({ InstanceIds: ['not-an-id'] })),
      'InvalidInstanceID.Malformed',
      malformedIdMessage('not-an-id', 'i'),
    );
  });

  it('the 8-digit ids of older instances are well formed', async () => {
    await expectEc2Error(
      t.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123abcd'] })),
      'InvalidInstanceID.NotFound',
      "The instance ID 'i-0123abcd' does not exist",
    );
  });
});

describe('termination protection', () => {
  const message = (id: string) =>
    `The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`;

  it('refuses to terminate until disableApiTermination is turned off', async () => {
    const id = await running({ DisableApiTermination: true });
    const attribute = await t.ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'disableApiTermination' }),
    );
    expect(attribute).toMatchObject({ InstanceId: id, DisableApiTermination: { Value: true } });
    await expectEc2Error(
      t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] })),
      'OperationNotPermitted',
      message(id),
    );
    expect(await stateOf(t.ec2, id)).toBe('running');

    await t.ec2.send(
      new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: false } }),
    );
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(await stateOf(t.ec2, id)).toBe('shutting-down');
    settle();
  });

  it('is set by ModifyInstanceAttribute too, and a protected instance still stops', async () => {
    const id = await running();
    await t.ec2.send(
      new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: true } }),
    );
    await expectEc2Error(
      t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] })),
      'OperationNotPermitted',
      message(id),
    );
    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    settle();
    expect(await stateOf(t.ec2, id)).toBe('stopped');
  });

  it('one protected instance fails the whole call', async () => {
    const free = await running();
    const protectedId = await running({ DisableApiTermination: true });
    await expectEc2Error(
      t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [free, protectedId] })),
      'OperationNotPermitted',
      message(protectedId),
    );
    expect(await stateOf(t.ec2, free)).toBe('running');
  });
});

describe('instance attributes', () => {
  it('the instance type changes only while the instance is stopped', async () => {
    const id = await running();
    await expectEc2Error(
      t.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 't3.small' } })),
      'IncorrectInstanceState',
      `The instance '${id}' is not in the 'stopped' state.`,
    );
    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    settle();
    await t.ec2.send(
      new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 't3.small' } }),
    );
    const attribute = await t.ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'instanceType' }),
    );
    expect(attribute).toMatchObject({ InstanceId: id, InstanceType: { Value: 't3.small' } });
    await t.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    settle();
    const instance = await describeInstance(t.ec2, id);
    expect(instance.InstanceType).toBe('t3.small');
    expect(instance.State).toEqual(state('running'));
  });

  it('an unknown instance type is refused even while stopped', async () => {
    const id = await stopped();
    await expectEc2Error(
      t.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 't3.giant' } })),
      'InvalidParameterValue',
    );
  });

  it('DescribeInstanceAttribute gives back the user data as launched', async () => {
    const UserData = Buffer.from('#!/bin/bash\necho hello\n').toString('base64');
    const id = await running({ UserData });
    const out = await t.ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'userData' }),
    );
    expect(out.UserData?.Value).toBe(UserData);
  });
});

describe('DryRun on instances', () => {
  it('RunInstances with DryRun answers DryRunOperation and launches nothing', async () => {
    const label = uniqueName('dry');
    await expectDryRun(
      runInstance(t.ec2, { DryRun: true, TagSpecifications: [tagSpec('instance', { dry: label })] }),
    );
    expect(await instanceIdsMatching(t.ec2, [{ Name: 'tag:dry', Values: [label] }])).toEqual([]);
  });

  it('state changes with DryRun change nothing', async () => {
    const id = await running();
    await expectDryRun(t.ec2.send(new StopInstancesCommand({ InstanceIds: [id], DryRun: true })));
    await expectDryRun(t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id], DryRun: true })));
    await expectDryRun(t.ec2.send(new RebootInstancesCommand({ InstanceIds: [id], DryRun: true })));
    await expectDryRun(t.ec2.send(new DescribeInstancesCommand({ DryRun: true })));
    expect(await stateOf(t.ec2, id)).toBe('running');
  });

  it('a DryRun that would fail answers the failure, not DryRunOperation', async () => {
    await expectEc2Error(
      t.ec2.send(new StopInstancesCommand({ InstanceIds: [MISSING], DryRun: true })),
      'InvalidInstanceID.NotFound',
      `The instance ID '${MISSING}' does not exist`,
    );
  });
});
