/**
 * An instance's whole life on the server clock, driven through the SDK's own waiters:
 * pending -> running -> stopping -> stopped -> pending -> running -> shutting-down ->
 * terminated, then gone an hour later. Every transition time comes from the config (set to
 * distinct values here so each is seen to apply), and nothing moves until the clock does.
 */
import {
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type Instance,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceStatusOk,
  waitUntilInstanceStopped,
  waitUntilInstanceTerminated,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ACCOUNT,
  describeInstance,
  expectEc2Error,
  idPattern,
  inCidr,
  runInstance,
  state,
  stateOf,
  tagSpec,
  uniqueName,
  useEC2,
  waitFor,
} from './setup.js';

const BOOT = 30;
const STOP = 20;
const TERMINATE = 10;
const STATUS_CHECK = 60;

const t = useEC2({
  ec2BootSeconds: BOOT,
  ec2StopSeconds: STOP,
  ec2TerminateSeconds: TERMINATE,
  ec2StatusCheckSeconds: STATUS_CHECK,
});

let advanced = 0;
function advance(seconds: number): void {
  advanced += seconds;
  t.h.server.advanceClock(seconds);
}
/** The server's clock: real time plus every advance made in this file. */
const serverNow = () => Date.now() + advanced * 1000;

/** `User initiated (2024-05-01 12:00:00 GMT)`: the time of a user's stop or terminate. */
function userInitiatedAt(reason: string | undefined): number {
  const match = /^User initiated \((\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) GMT\)$/.exec(reason ?? '');
  expect(match, `StateTransitionReason ${reason}`).not.toBeNull();
  return Date.parse(`${match?.[1]}T${match?.[2]}Z`);
}

function dashed(ip: string): string {
  return ip.replaceAll('.', '-');
}

async function statusOf(instanceId: string, includeAll = false) {
  const out = await t.ec2.send(
    new DescribeInstanceStatusCommand({ InstanceIds: [instanceId], IncludeAllInstances: includeAll }),
  );
  return out.InstanceStatuses ?? [];
}

describe('an instance from launch to termination', () => {
  it('moves through every state on the server clock, as the waiters see it', async () => {
    const launchedAt = serverNow();
    const launched = await runInstance(t.ec2, {
      TagSpecifications: [tagSpec('instance', { Name: uniqueName('life') })],
    });
    const id = launched.InstanceId;
    expect(id).toMatch(idPattern('i'));
    expect(launched.State).toEqual(state('pending'));
    expect(Math.abs((launched.LaunchTime?.getTime() ?? 0) - launchedAt)).toBeLessThan(5000);

    // pending until the boot time has passed, and not a moment less
    expect(await stateOf(t.ec2, id)).toBe('pending');
    advance(BOOT - 1);
    expect(await stateOf(t.ec2, id)).toBe('pending');
    expect(await statusOf(id)).toEqual([]);
    advance(2);
    await waitUntilInstanceRunning(waitFor(t.ec2), { InstanceIds: [id] });
    const running = await describeInstance(t.ec2, id);
    expect(running.State).toEqual(state('running'));
    expect(running.StateTransitionReason ?? '').toBe('');
    expect(running.StateReason).toBeUndefined();

    // status checks initialize, then pass once their time has run
    const [initializing] = await statusOf(id);
    expect(initializing).toMatchObject({
      InstanceId: id,
      InstanceState: state('running'),
      AvailabilityZone: running.Placement?.AvailabilityZone,
      InstanceStatus: { Status: 'initializing' },
      SystemStatus: { Status: 'initializing' },
    });
    advance(STATUS_CHECK + 1);
    await waitUntilInstanceStatusOk(waitFor(t.ec2), { InstanceIds: [id] });
    const [ok] = await statusOf(id);
    expect(ok).toMatchObject({
      InstanceStatus: { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] },
      SystemStatus: { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] },
    });

    // stop: stopping for the stop time, with the reason AWS gives a user's stop
    const stopAsked = serverNow();
    const stopped = await t.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(stopped.StoppingInstances).toEqual([
      { InstanceId: id, CurrentState: state('stopping'), PreviousState: state('running') },
    ]);
    const stopping = await describeInstance(t.ec2, id);
    expect(stopping.State).toEqual(state('stopping'));
    expect(Math.abs(userInitiatedAt(stopping.StateTransitionReason) - stopAsked)).toBeLessThan(5000);
    expect(stopping.StateReason).toEqual({
      Code: 'Client.UserInitiatedShutdown',
      Message: 'Client.UserInitiatedShutdown: User initiated shutdown',
    });
    advance(STOP - 1);
    expect(await stateOf(t.ec2, id)).toBe('stopping');
    advance(2);
    await waitUntilInstanceStopped(waitFor(t.ec2), { InstanceIds: [id] });
    const down = await describeInstance(t.ec2, id);
    expect(down.State).toEqual(state('stopped'));
    // a stopped instance keeps its private address and gives its public one back
    expect(down.PrivateIpAddress).toBe(running.PrivateIpAddress);
    expect(down.PublicIpAddress).toBeUndefined();
    expect(down.PublicDnsName ?? '').toBe('');
    expect(await statusOf(id)).toEqual([]);
    const [notApplicable] = await statusOf(id, true);
    expect(notApplicable).toMatchObject({
      InstanceState: state('stopped'),
      InstanceStatus: { Status: 'not-applicable' },
      SystemStatus: { Status: 'not-applicable' },
    });

    // start again: pending for the boot time, a new launch time and a public address
    const startAsked = serverNow();
    const started = await t.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect(started.StartingInstances).toEqual([
      { InstanceId: id, CurrentState: state('pending'), PreviousState: state('stopped') },
    ]);
    expect(await stateOf(t.ec2, id)).toBe('pending');
    advance(BOOT + 1);
    await waitUntilInstanceRunning(waitFor(t.ec2), { InstanceIds: [id] });
    const again = await describeInstance(t.ec2, id);
    expect(again.State).toEqual(state('running'));
    expect(again.LaunchTime?.getTime()).toBeGreaterThanOrEqual(startAsked - 1000);
    expect(again.PublicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(again.StateTransitionReason ?? '').toBe('');

    // terminate: shutting-down for the terminate time, then terminated
    const terminated = await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(terminated.TerminatingInstances).toEqual([
      { InstanceId: id, CurrentState: state('shutting-down'), PreviousState: state('running') },
    ]);
    expect(await stateOf(t.ec2, id)).toBe('shutting-down');
    advance(TERMINATE + 1);
    await waitUntilInstanceTerminated(waitFor(t.ec2), { InstanceIds: [id] });
    const gone = await describeInstance(t.ec2, id);
    expect(gone.State).toEqual(state('terminated'));
    expect(gone.StateReason?.Code).toBe('Client.UserInitiatedShutdown');
    expect(userInitiatedAt(gone.StateTransitionReason)).toBeGreaterThan(startAsked - 1000);
    expect(gone.PublicIpAddress).toBeUndefined();

    // visible for an hour after termination, then forgotten
    advance(30 * 60);
    expect(await stateOf(t.ec2, id)).toBe('terminated');
    advance(31 * 60);
    const listed = await t.ec2.send(new DescribeInstancesCommand({}));
    const ids = (listed.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId);
    expect(ids).not.toContain(id);
    await expectEc2Error(
      t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] })),
      'InvalidInstanceID.NotFound',
      `The instance ID '${id}' does not exist`,
    );
  });

  it('lands in the default VPC with addresses and DNS names formed as AWS forms them', async () => {
    const { InstanceId } = await runInstance(t.ec2);
    advance(BOOT + 1);
    await waitUntilInstanceRunning(waitFor(t.ec2), { InstanceIds: [InstanceId] });
    const instance: Instance = await describeInstance(t.ec2, InstanceId);

    const { Vpcs } = await t.ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }),
    );
    expect(instance.VpcId).toBe(Vpcs?.[0]?.VpcId);
    const { Subnets } = await t.ec2.send(
      new DescribeSubnetsCommand({ SubnetIds: [instance.SubnetId ?? ''] }),
    );
    const subnet = Subnets?.[0];
    expect(subnet?.DefaultForAz).toBe(true);
    expect(instance.Placement?.AvailabilityZone).toBe(subnet?.AvailabilityZone);
    expect(instance.SecurityGroups?.map((g) => g.GroupName)).toEqual(['default']);

    const privateIp = instance.PrivateIpAddress ?? '';
    expect(inCidr(privateIp, subnet?.CidrBlock ?? '')).toBe(true);
    expect(instance.PrivateDnsName).toBe(`ip-${dashed(privateIp)}.ec2.internal`);
    const publicIp = instance.PublicIpAddress ?? '';
    expect(publicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(inCidr(publicIp, '172.31.0.0/16')).toBe(false);
    expect(instance.PublicDnsName).toBe(`ec2-${dashed(publicIp)}.compute-1.amazonaws.com`);

    expect(instance).toMatchObject({
      InstanceType: 't3.micro',
      Architecture: 'x86_64',
      RootDeviceName: '/dev/xvda',
      RootDeviceType: 'ebs',
      VirtualizationType: 'hvm',
      AmiLaunchIndex: 0,
      Monitoring: { State: 'disabled' },
    });
    expect(instance.BlockDeviceMappings).toEqual([
      {
        DeviceName: '/dev/xvda',
        Ebs: expect.objectContaining({
          VolumeId: expect.stringMatching(idPattern('vol')),
          Status: 'attached',
          DeleteOnTermination: true,
        }),
      },
    ]);
    const { Reservations } = await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [InstanceId] }));
    expect(Reservations?.[0]?.ReservationId).toMatch(idPattern('r'));
    expect(Reservations?.[0]?.OwnerId).toBe(DEFAULT_ACCOUNT);
  });

  it('names hosts after the region outside us-east-1', async () => {
    const ireland = t.client({ region: 'eu-west-1' });
    const { InstanceId } = await runInstance(ireland);
    advance(BOOT + 1);
    const instance = await describeInstance(ireland, InstanceId);
    expect(instance.State).toEqual(state('running'));
    expect(instance.Placement?.AvailabilityZone).toMatch(/^eu-west-1[a-c]$/);
    const privateIp = instance.PrivateIpAddress ?? '';
    expect(instance.PrivateDnsName).toBe(`ip-${dashed(privateIp)}.eu-west-1.compute.internal`);
    const publicIp = instance.PublicIpAddress ?? '';
    expect(instance.PublicDnsName).toBe(`ec2-${dashed(publicIp)}.eu-west-1.compute.amazonaws.com`);
  });

  it('terminates a pending instance without it ever running', async () => {
    const { InstanceId } = await runInstance(t.ec2);
    const out = await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [InstanceId] }));
    expect(out.TerminatingInstances?.[0]?.PreviousState).toEqual(state('pending'));
    expect(out.TerminatingInstances?.[0]?.CurrentState).toEqual(state('shutting-down'));
    advance(Math.max(BOOT, TERMINATE) + 1);
    expect(await stateOf(t.ec2, InstanceId)).toBe('terminated');
  });

  it('the running waiter fails on an instance that is shutting down', async () => {
    const { InstanceId } = await runInstance(t.ec2);
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [InstanceId] }));
    await expect(waitUntilInstanceRunning(waitFor(t.ec2), { InstanceIds: [InstanceId] })).rejects.toThrow(
      /FAILURE/,
    );
  });
});
