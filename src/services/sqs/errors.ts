/**
 * The errors SQS answers with, with AWS's messages. Modelled errors use the model's shape
 * name (the codecs write the query code, e.g. AWS.SimpleQueueService.NonExistentQueue);
 * the rest use AWS's plain codes.
 */
import { AwsError } from '../../errors.js';

export const queueDoesNotExist = () =>
  new AwsError('QueueDoesNotExist', 'The specified queue does not exist.', 400);

export const invalidParameterValue = (message: string) => new AwsError('InvalidParameterValue', message, 400);

/** AWS's "Value x for parameter P is invalid. Reason: r" form. */
export const invalidValue = (parameter: string, value: unknown, reason: string) =>
  invalidParameterValue(`Value ${String(value)} for parameter ${parameter} is invalid. Reason: ${reason}`);

export const missingParameter = (parameter: string) =>
  new AwsError('MissingParameter', `The request must contain the parameter ${parameter}.`, 400);

export const invalidAttributeName = (message: string) => new AwsError('InvalidAttributeName', message, 400);

export const invalidAttributeValue = (attribute: string, reason?: string) =>
  new AwsError(
    'InvalidAttributeValue',
    `Invalid value for the parameter ${attribute}.${reason ? ` Reason: ${reason}` : ''}`,
    400,
  );

export const receiptHandleIsInvalid = (handle: string) =>
  new AwsError(
    'ReceiptHandleIsInvalid',
    `The input receipt handle "${handle}" is not a valid receipt handle.`,
  );

export const resourceNotFound = (message: string) => new AwsError('ResourceNotFoundException', message, 404);
