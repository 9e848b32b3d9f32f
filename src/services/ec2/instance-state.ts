/**
 * The instance state machine, derived rather than stored: a row holds the transition it last
 * began and when that transition settles, and the state is read against the clock. Times are
 * fixed when a transition begins, so a later change of the configured durations leaves
 * instances in flight alone, and a restarted server finds them where the clock says.
 */
import type { InstanceStateName } from '@aws-sdk/client-ec2';

export type Transition = 'pending' | 'stopping' | 'shutting-down';

const SETTLED: Record<Transition, InstanceStateName> = {
  pending: 'running',
  stopping: 'stopped',
  'shutting-down': 'terminated',
};

/** AWS's codes (the low byte of the state code). */
export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

/** How long a terminated instance stays visible. */
export const TERMINATED_VISIBLE_MS = 3_600_000;

export function stateAt(transition: Transition, settlesAt: number, now: number): InstanceStateName {
  return now < settlesAt ? transition : SETTLED[transition];
}

/** Terminated more than an hour ago: as if it never existed. */
export function hasVanished(transition: Transition, settlesAt: number, now: number): boolean {
  return transition === 'shutting-down' && now >= settlesAt + TERMINATED_VISIBLE_MS;
}

export function stateOf(name: InstanceStateName): { Code: number; Name: InstanceStateName } {
  return { Code: STATE_CODES[name], Name: name };
}

/** `User initiated (2024-05-01 12:00:00 GMT)`: the StateTransitionReason of a stop or terminate. */
export function userInitiatedReason(at: number): string {
  const iso = new Date(at).toISOString();
  return `User initiated (${iso.slice(0, 10)} ${iso.slice(11, 19)} GMT)`;
}
