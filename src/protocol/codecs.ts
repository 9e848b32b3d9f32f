/** The codec of each protocol, and what differs by protocol around them. */
import type { ErrorStyle } from './auth.js';
import { awsJsonCodec } from './aws-json.js';
import { awsQueryCodec } from './aws-query.js';
import { ec2QueryCodec } from './ec2-query.js';
import type { ProtocolName } from './model.js';
import { restJsonCodec } from './rest-json.js';
import { restXmlCodec } from './rest-xml.js';
import type { ProtocolCodec } from './wire.js';

export const CODECS: Record<ProtocolName, ProtocolCodec> = {
  awsJson1_0: awsJsonCodec,
  awsJson1_1: awsJsonCodec,
  awsQuery: awsQueryCodec,
  ec2Query: ec2QueryCodec,
  restJson1: restJsonCodec,
  restXml: restXmlCodec,
};

/** Which family of auth error codes the protocol's services use. */
export function errorStyle(protocol: ProtocolName): ErrorStyle {
  if (protocol === 'restXml') return 's3';
  if (protocol === 'ec2Query') return 'ec2';
  if (protocol === 'awsQuery') return 'query';
  return 'json';
}

/** S3 names its request id differently from the other services. */
export function setRequestId(headers: Record<string, string>, protocol: string, requestId: string): void {
  if (protocol === 'restXml') {
    headers['x-amz-request-id'] = requestId;
    headers['x-amz-id-2'] = requestId;
  } else {
    headers['x-amzn-requestid'] = requestId;
  }
}
