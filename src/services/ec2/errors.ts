/** EC2's error forms: plain codes (no modelled errors), each with AWS's wording. */
import { AwsError } from '../../errors.js';

export const ec2Error = (code: string, message: string) => new AwsError(code, message, 400);

export const invalidParameterValue = (message: string) => ec2Error('InvalidParameterValue', message);

export const invalidParameterCombination = (message: string) =>
  ec2Error('InvalidParameterCombination', message);

export const missingParameter = (parameter: string) =>
  ec2Error('MissingParameter', `The request must contain the parameter ${parameter}`);

/** `InvalidVpcID.NotFound: The vpc ID 'vpc-1' does not exist` and its siblings. */
export const notFound = (code: string, noun: string, id: string) =>
  ec2Error(code, `The ${noun} ID '${id}' does not exist`);

/** `InvalidInstanceID.Malformed: Invalid id: "x"` (the form EC2 gives a badly formed id). */
export const malformedId = (code: string, id: string) => ec2Error(code, `Invalid id: "${id}"`);
