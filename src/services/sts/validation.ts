/** STS input rules, with the messages STS gives (query protocol code: ValidationError). */
import { AwsError } from '../../errors.js';
import { checkString, throwIfViolations, valueAtLeast, valueAtMost } from '../constraints.js';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
const SESSION_NAME: [RegExp, string] = [/^[\w+=,.@-]*$/, '[\\w+=,.@-]*'];

export function parseRoleArn(arn: string | undefined): { accountId: string; name: string } {
  throwIfViolations(checkString(arn, 'roleArn', { min: 20, max: 2048, required: true }), 'ValidationError');
  const m = ROLE_ARN.exec(arn as string);
  if (!m) throw new AwsError('ValidationError', `${arn} is invalid`, 400);
  return { accountId: m[1] as string, name: m[3] as string };
}

export function checkRoleSessionName(name: string | undefined): void {
  throwIfViolations(
    checkString(name, 'roleSessionName', { min: 2, max: 64, pattern: SESSION_NAME, required: true }),
    'ValidationError',
  );
}

/** The session length in seconds: the given one within [min, max], or the default. */
export function checkDuration(
  seconds: number | undefined,
  min: number,
  max: number,
  fallback = 3600,
): number {
  if (seconds === undefined) return fallback;
  if (seconds < min) {
    throwIfViolations(
      [{ value: seconds, at: 'durationSeconds', constraint: valueAtLeast(min) }],
      'ValidationError',
    );
  }
  if (seconds > max) {
    throwIfViolations(
      [{ value: seconds, at: 'durationSeconds', constraint: valueAtMost(max) }],
      'ValidationError',
    );
  }
  return seconds;
}
