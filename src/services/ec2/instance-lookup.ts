/**
 * The instances a request names: malformed ids first (InvalidInstanceID.Malformed), then the
 * ones that do not exist, all named in one InvalidInstanceID.NotFound as EC2 does.
 */
import type { AwsError } from '../../errors.js';
import type { RequestContext } from '../types.js';
import { ec2Error, malformedId, missingParameter } from './errors.js';
import { isWellFormedId } from './ids.js';
import { type InstanceRow, instancesById } from './instance-records.js';

function checkInstanceIds(ids: readonly string[]): void {
  for (const id of ids) if (!isWellFormedId('i', id)) throw malformedId('InvalidInstanceID.Malformed', id);
}

/** `The instance ID 'i-a' does not exist` / `The instance IDs 'i-a, i-b' do not exist`. */
export function instancesNotFound(ids: readonly string[]): AwsError {
  return ids.length === 1
    ? ec2Error('InvalidInstanceID.NotFound', `The instance ID '${ids[0]}' does not exist`)
    : ec2Error('InvalidInstanceID.NotFound', `The instance IDs '${ids.join(', ')}' do not exist`);
}

/** The named instances in the order named (duplicates once); every one must exist. */
export function requireInstances(
  ctx: RequestContext,
  ids: readonly string[] | undefined,
  parameter = 'InstanceId',
): InstanceRow[] {
  if (!ids || ids.length === 0) throw missingParameter(parameter);
  checkInstanceIds(ids);
  const unique = [...new Set(ids)];
  const found = new Map(instancesById(ctx, unique).map((row) => [row.instance_id, row]));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length > 0) throw instancesNotFound(missing);
  return unique.map((id) => found.get(id) as InstanceRow);
}

export function requireInstance(ctx: RequestContext, id: string | undefined): InstanceRow {
  if (id === undefined || id === '') throw missingParameter('InstanceId');
  return requireInstances(ctx, [id])[0] as InstanceRow;
}
