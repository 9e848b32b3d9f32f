/**
 * What a call threw, for the tests that feed the codecs and the authenticator bad input.
 */
import { AwsError } from '../../src/errors.js';

/** What `fn` threw, or undefined when it returned. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

/** The AwsError `fn` threw; returning, or throwing anything else, fails the test. */
export function awsErrorFrom(fn: () => unknown): AwsError {
  const err = thrownBy(fn);
  if (err === undefined) throw new Error('expected an AwsError, but the call returned');
  if (!(err instanceof AwsError)) throw err;
  return err;
}

/** The code and status of the AwsError `fn` threw, or undefined when it returned; throwing
 * anything else fails the test. */
export function awsErrorOutcome(fn: () => unknown): { code: string; status: number } | undefined {
  const err = thrownBy(fn);
  if (err === undefined) return undefined;
  if (!(err instanceof AwsError)) throw err;
  return { code: err.code, status: err.status };
}
