/**
 * DescribeInstanceStatus: running instances by default (every visible one with
 * IncludeAllInstances). A running instance's checks are `initializing` for the configured time
 * after its boot completes, then `ok`; other states are `not-applicable`.
 */
import type {
  DescribeInstanceStatusRequest,
  DescribeInstanceStatusResult,
  InstanceStateName,
  InstanceStatus,
  InstanceStatusSummary,
  SummaryStatus,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../types.js';
import { checkDryRun } from './dry-run.js';
import { invalidParameterCombination } from './errors.js';
import { type FilterFields, filterMatcher } from './filters.js';
import { requireInstances } from './instance-lookup.js';
import { allInstances, type InstanceRow } from './instance-records.js';
import { stateOf } from './instance-state.js';
import { currentState } from './instance-view.js';
import { pageOf } from './pages.js';
import { availabilityZonesOf } from './regions.js';

/** The status checks' summary at `now`: what both the instance and the system checks report. */
export function checksStatus(row: InstanceRow, state: InstanceStateName, now: number): SummaryStatus {
  if (state !== 'running') return 'not-applicable';
  return row.checks_ok_at !== null && now < row.checks_ok_at ? 'initializing' : 'ok';
}

function summary(status: SummaryStatus): InstanceStatusSummary {
  if (status === 'not-applicable') return { Status: status };
  return {
    Status: status,
    Details: [{ Name: 'reachability', Status: status === 'ok' ? 'passed' : 'initializing' }],
  };
}

const reachability = (s: InstanceStatus) => s.InstanceStatus?.Details?.[0]?.Status;

const STATUS_FIELDS: FilterFields<InstanceStatus> = {
  'availability-zone': (s) => s.AvailabilityZone,
  'availability-zone-id': (s) => s.AvailabilityZoneId,
  'instance-id': (s) => s.InstanceId,
  'instance-state-name': (s) => s.InstanceState?.Name,
  'instance-state-code': (s) => s.InstanceState?.Code,
  'instance-status.status': (s) => s.InstanceStatus?.Status,
  'instance-status.reachability': reachability,
  'system-status.status': (s) => s.SystemStatus?.Status,
  'system-status.reachability': reachability,
  'attached-ebs-status.status': (s) => s.AttachedEbsStatus?.Status,
  'attached-ebs-status.reachability': reachability,
  'event.code': () => undefined,
  'event.description': () => undefined,
  'event.instance-event-id': () => undefined,
  'event.not-after': () => undefined,
  'event.not-before': () => undefined,
  'event.not-before-deadline': () => undefined,
};

export function DescribeInstanceStatus(
  input: DescribeInstanceStatusRequest,
  ctx: RequestContext,
): DescribeInstanceStatusResult {
  const named = input.InstanceIds?.length ? input.InstanceIds : undefined;
  if (named && input.MaxResults !== undefined)
    throw invalidParameterCombination(
      'The parameter instancesSet cannot be used with the parameter maxResults',
    );
  const matches = filterMatcher(input.Filters, STATUS_FIELDS);
  const rows = named ? requireInstances(ctx, named) : allInstances(ctx);
  checkDryRun(input);
  const now = ctx.now();
  const zoneIds = new Map(availabilityZonesOf(ctx.region).map((z) => [z.ZoneName, z.ZoneId]));
  const statuses: InstanceStatus[] = [];
  for (const row of rows) {
    const state = currentState(row, now);
    if (state !== 'running' && !input.IncludeAllInstances) continue;
    const checks = summary(checksStatus(row, state, now));
    const status: InstanceStatus = {
      AvailabilityZone: row.availability_zone,
      AvailabilityZoneId: zoneIds.get(row.availability_zone),
      InstanceId: row.instance_id,
      InstanceState: stateOf(state),
      InstanceStatus: checks,
      SystemStatus: checks,
      AttachedEbsStatus: checks,
    };
    if (matches(status, [])) statuses.push(status);
  }
  statuses.sort((a, b) => ((a.InstanceId as string) < (b.InstanceId as string) ? -1 : 1));
  const page = pageOf(statuses, (s) => s.InstanceId as string, input, { min: 5, max: 1000 });
  return { InstanceStatuses: page.items, NextToken: page.nextToken };
}
