/**
 * The errors SNS answers with. Modelled errors use the model's shape names (the codec
 * writes the awsQuery codes: InvalidParameter, ParameterValueInvalid, NotFound); messages
 * are AWS's, most of them "Invalid parameter: <what>[ Reason: <why>]".
 */
import { AwsError } from '../../errors.js';

export const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message, 400);

/** "Invalid parameter: P" or "Invalid parameter: P Reason: r". */
export const invalid = (parameter: string, reason?: string) =>
  invalidParameter(`Invalid parameter: ${parameter}${reason === undefined ? '' : ` Reason: ${reason}`}`);

/** ParameterValueInvalid on the wire. */
export const invalidParameterValue = (message: string) =>
  new AwsError('InvalidParameterValueException', message, 400);

export const notFound = (message: string) => new AwsError('NotFoundException', message, 404);

export const topicNotFound = () => notFound('Topic does not exist');

export const subscriptionNotFound = () => notFound('Subscription does not exist');

/** The code a batch entry's failure carries: the wire code of the error. */
const ENTRY_CODES: Record<string, string> = {
  InvalidParameterException: 'InvalidParameter',
  InvalidParameterValueException: 'ParameterValueInvalid',
  NotFoundException: 'NotFound',
};

export function entryCode(error: AwsError): string {
  return ENTRY_CODES[error.code] ?? error.code;
}
