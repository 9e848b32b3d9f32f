/** DryRun: a call that would succeed answers DryRunOperation (412) instead of acting. */
import { AwsError } from '../../errors.js';

/** Call once the request has been validated, before anything changes. */
export function checkDryRun(input: { DryRun?: boolean }): void {
  if (input.DryRun)
    throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
}
