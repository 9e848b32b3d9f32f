/**
 * StartInstances, StopInstances, RebootInstances, TerminateInstances: each checks every named
 * instance before changing any, then records the transition it begins and when it settles
 * (durations from the config at that moment). Asking for the state an instance is already in
 * or heading to is answered, not refused.
 */
import type {
  InstanceStateChange,
  InstanceStateName,
  RebootInstancesRequest,
  StartInstancesRequest,
  StartInstancesResult,
  StopInstancesRequest,
  StopInstancesResult,
  TerminateInstancesRequest,
  TerminateInstancesResult,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../types.js';
import { elasticIpOf, newPublicIp, releaseInstanceAddress } from './addresses.js';
import { checkDryRun } from './dry-run.js';
import { ec2Error } from './errors.js';
import { requireInstances } from './instance-lookup.js';
import { docOf, type InstanceRow, purgeVanished, saveTransition } from './instance-records.js';
import { stateOf, TERMINATED_VISIBLE_MS } from './instance-state.js';
import { currentState } from './instance-view.js';
import { releasePrivateIp } from './network-lookup.js';
import { instanceTerminated } from './volumes.js';

interface Named {
  row: InstanceRow;
  state: InstanceStateName;
}

function named(ctx: RequestContext, ids: string[] | undefined): Named[] {
  const now = ctx.now();
  return requireInstances(ctx, ids).map((row) => ({ row, state: currentState(row, now) }));
}

/** Each change of state also forgets the instances terminated over an hour ago (and their tags). */
function forgetVanished(ctx: RequestContext): void {
  purgeVanished(ctx, ctx.now() - TERMINATED_VISIBLE_MS);
}

const change = (
  id: string,
  previous: InstanceStateName,
  current: InstanceStateName,
): InstanceStateChange => ({
  InstanceId: id,
  CurrentState: stateOf(current),
  PreviousState: stateOf(previous),
});

const incorrectState = (message: string) => ec2Error('IncorrectInstanceState', message);

export function StartInstances(input: StartInstancesRequest, ctx: RequestContext): StartInstancesResult {
  const instances = named(ctx, input.InstanceIds);
  for (const { row, state } of instances)
    if (state === 'stopping' || state === 'shutting-down' || state === 'terminated')
      throw incorrectState(
        `The instance '${row.instance_id}' is not in a state from which it can be started.`,
      );
  checkDryRun(input);
  const now = ctx.now();
  const runningAt = now + ctx.config.ec2BootSeconds * 1000;
  const changes = instances.map(({ row, state }) => {
    if (state !== 'stopped') return change(row.instance_id, state, state);
    const wantsPublicIp = docOf(ctx, row.instance_id).wantsPublicIp && !elasticIpOf(ctx, row.instance_id);
    saveTransition(ctx, {
      instance_id: row.instance_id,
      transition: 'pending',
      transition_at: now,
      settles_at: runningAt,
      checks_ok_at: runningAt + ctx.config.ec2StatusCheckSeconds * 1000,
      launched_at: now,
      public_ip: wantsPublicIp ? newPublicIp(ctx) : null,
    });
    return change(row.instance_id, state, 'pending');
  });
  forgetVanished(ctx);
  return { StartingInstances: changes };
}

export function StopInstances(input: StopInstancesRequest, ctx: RequestContext): StopInstancesResult {
  const instances = named(ctx, input.InstanceIds);
  for (const { row, state } of instances) checkStoppable(ctx, row, state);
  // no instance is launched with hibernation configured
  if (input.Hibernate && instances[0])
    throw ec2Error(
      'UnsupportedHibernationConfiguration',
      `Instance is not configured for hibernation: ${instances[0].row.instance_id}`,
    );
  checkDryRun(input);
  const now = ctx.now();
  const changes = instances.map(({ row, state }) => {
    if (state !== 'running') return change(row.instance_id, state, state);
    saveTransition(ctx, {
      instance_id: row.instance_id,
      transition: 'stopping',
      transition_at: now,
      settles_at: now + ctx.config.ec2StopSeconds * 1000,
      checks_ok_at: null,
      launched_at: row.launched_at,
      public_ip: null,
    });
    return change(row.instance_id, state, 'stopping');
  });
  forgetVanished(ctx);
  return { StoppingInstances: changes };
}

function checkStoppable(ctx: RequestContext, row: InstanceRow, state: InstanceStateName): void {
  const id = row.instance_id;
  if (state === 'pending') {
    const firstBoot = row.launched_at === docOf(ctx, id).eniAttachedAt;
    throw incorrectState(
      firstBoot
        ? `Instance '${id}' cannot be stopped as it has never reached the 'running' state.`
        : `This instance '${id}' is not in a state from which it can be stopped.`,
    );
  }
  if (state === 'shutting-down' || state === 'terminated')
    throw incorrectState(`This instance '${id}' is not in a state from which it can be stopped.`);
  if (state === 'running' && docOf(ctx, id).disableApiStop)
    throw ec2Error(
      'OperationNotPermitted',
      `The instance '${id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`,
    );
}

export function RebootInstances(input: RebootInstancesRequest, ctx: RequestContext): void {
  for (const { row, state } of named(ctx, input.InstanceIds))
    if (state !== 'running' && state !== 'pending')
      throw incorrectState(
        `The instance '${row.instance_id}' is not in a state from which it can be rebooted.`,
      );
  checkDryRun(input);
}

export function TerminateInstances(
  input: TerminateInstancesRequest,
  ctx: RequestContext,
): TerminateInstancesResult {
  const instances = named(ctx, input.InstanceIds);
  for (const { row, state } of instances)
    if (row.disable_api_termination && state !== 'terminated' && state !== 'shutting-down')
      throw ec2Error(
        'OperationNotPermitted',
        `The instance '${row.instance_id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
      );
  checkDryRun(input);
  const now = ctx.now();
  const changes = instances.map(({ row, state }) => {
    if (state === 'terminated' || state === 'shutting-down') return change(row.instance_id, state, state);
    saveTransition(ctx, {
      instance_id: row.instance_id,
      transition: 'shutting-down',
      transition_at: now,
      settles_at: now + ctx.config.ec2TerminateSeconds * 1000,
      checks_ok_at: null,
      launched_at: row.launched_at,
      public_ip: null,
    });
    releaseInstanceAddress(ctx, row.instance_id);
    releasePrivateIp(ctx, row.subnet_id, row.private_ip);
    instanceTerminated(ctx, row.instance_id);
    return change(row.instance_id, state, 'shutting-down');
  });
  forgetVanished(ctx);
  return { TerminatingInstances: changes };
}
