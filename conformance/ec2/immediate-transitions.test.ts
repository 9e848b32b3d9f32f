/**
 * With every transition time set to 0 (`--ec2-boot-seconds 0` and friends) an instance
 * reaches each state at once: tests that do not care about timing need not move the clock.
 */
import {
  DescribeInstanceStatusCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceRunning,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { runInstance, stateOf, useEC2, waitFor } from './setup.js';

const t = useEC2({ ec2BootSeconds: 0, ec2StopSeconds: 0, ec2TerminateSeconds: 0, ec2StatusCheckSeconds: 0 });

describe('transition times of zero', () => {
  it('runs, stops, starts and terminates an instance without the clock moving', async () => {
    const { InstanceId } = await runInstance(t.ec2);
    expect(await stateOf(t.ec2, InstanceId)).toBe('running');
    await waitUntilInstanceRunning(waitFor(t.ec2), { InstanceIds: [InstanceId] });
    const { InstanceStatuses } = await t.ec2.send(
      new DescribeInstanceStatusCommand({ InstanceIds: [InstanceId] }),
    );
    expect(InstanceStatuses?.[0]?.InstanceStatus?.Status).toBe('ok');

    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [InstanceId] }));
    expect(await stateOf(t.ec2, InstanceId)).toBe('stopped');
    await t.ec2.send(new StartInstancesCommand({ InstanceIds: [InstanceId] }));
    expect(await stateOf(t.ec2, InstanceId)).toBe('running');
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [InstanceId] }));
    expect(await stateOf(t.ec2, InstanceId)).toBe('terminated');
  });
});
