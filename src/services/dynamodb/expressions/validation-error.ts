import { AwsError } from '../../../errors.js';

/** DynamoDB's answer to every malformed expression, parameter or value: a 400 ValidationException. */
export function validationError(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}
