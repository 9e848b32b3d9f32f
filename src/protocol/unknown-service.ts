/**
 * The answer to a request for a service localaws does not emulate. There is no model to
 * write it with, so it takes the shape the request suggests: JSON for JSON requests, the
 * query protocols' XML otherwise (which the SDKs of both families parse into a code).
 */
import type { WireResponse } from './wire.js';

export function unknownServiceResponse(
  service: string,
  headers: Record<string, string | string[] | undefined>,
  requestId: string,
): WireResponse {
  const message = `localaws does not emulate the service named by ${service}`;
  const contentType = String(headers['content-type'] ?? '');
  if (headers['x-amz-target'] || contentType.includes('json')) {
    return {
      status: 501,
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-errortype': 'NotImplemented',
        'x-amzn-requestid': requestId,
      },
      body: JSON.stringify({ __type: 'NotImplemented', message }),
    };
  }
  const safe = message.replace(/[<>&]/g, '');
  return {
    status: 501,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: `<ErrorResponse><Error><Type>Sender</Type><Code>NotImplemented</Code><Message>${safe}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}
