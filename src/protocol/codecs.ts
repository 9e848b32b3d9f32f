/** The codec of each protocol, and the errors for requests no operation matches. */
import { AwsError } from '../errors.js';
import type { ErrorStyle } from './auth.js';
import { awsJsonCodec } from './aws-json.js';
import { awsQueryCodec } from './aws-query.js';
import { ec2QueryCodec } from './ec2-query.js';
import type { ProtocolName, ServiceModel } from './model.js';
import { restJsonCodec } from './rest-json.js';
import { restXmlCodec } from './rest-xml.js';
import type { ProtocolCodec, WireRequest } from './wire.js';

export const CODECS: Record<ProtocolName, ProtocolCodec> = {
  awsJson1_0: awsJsonCodec,
  awsJson1_1: awsJsonCodec,
  awsQuery: awsQueryCodec,
  ec2Query: ec2QueryCodec,
  restJson1: restJsonCodec,
  restXml: restXmlCodec,
};

/** What each protocol's services answer when the request names no operation they have. */
export function unknownOperation(protocol: ProtocolName, model: ServiceModel, req: WireRequest): AwsError {
  switch (protocol) {
    case 'awsJson1_0':
    case 'awsJson1_1':
      return new AwsError('UnknownOperationException', '', 400);
    case 'awsQuery': {
      const action = req.query.get('Action') ?? '';
      return new AwsError(
        'InvalidAction',
        `Could not find operation ${action} for version ${model.version}`,
        400,
      );
    }
    case 'ec2Query':
      return new AwsError(
        'InvalidAction',
        `The action ${req.query.get('Action') ?? ''} is not valid for this web service.`,
        400,
      );
    case 'restXml':
      return new AwsError(
        'MethodNotAllowed',
        'The specified method is not allowed against this resource.',
        405,
      );
    case 'restJson1':
      return new AwsError('UnknownOperationException', `No operation matches ${req.method} ${req.path}`, 404);
  }
}

/** Which family of auth error codes the protocol's services use. */
export function errorStyle(protocol: ProtocolName): ErrorStyle {
  if (protocol === 'restXml') return 's3';
  if (protocol === 'ec2Query') return 'ec2';
  if (protocol === 'awsQuery') return 'query';
  return 'json';
}

/** S3 names its request id differently from the other services. */
export function requestIdHeaders(protocol: string, requestId: string): Record<string, string> {
  if (protocol === 'restXml') return { 'x-amz-request-id': requestId, 'x-amz-id-2': requestId };
  return { 'x-amzn-requestid': requestId };
}
