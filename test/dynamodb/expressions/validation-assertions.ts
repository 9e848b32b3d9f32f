import { expect } from 'vitest';
import { AwsError } from '../../../src/errors.js';

/** Runs `action` and returns the ValidationException message it throws; fails otherwise. */
export function validationMessage(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AwsError);
    const aws = error as AwsError;
    expect(aws.code).toBe('ValidationException');
    expect(aws.status).toBe(400);
    return aws.message;
  }
  throw new Error('expected a ValidationException, but nothing was thrown');
}
