/** STS GetCallerIdentity: an awsQuery form POST, SigV4-signed, answered with a small XML document. */
import { sdkRawRequest } from '../raw-request.js';
import type { Scenario } from '../scenario.js';

export const sts: Scenario = {
  name: 'sts',
  title: 'STS GetCallerIdentity (awsQuery POST, SigV4)',

  async sdkOperation(config) {
    const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    const client = new STSClient(config);
    return () => client.send(new GetCallerIdentityCommand({}));
  },

  async rawRequests(url) {
    return [await sdkRawRequest('sts', 'GetCallerIdentity', {}, url)];
  },

  // what AWS answers (its documented example), with localaws's account and a request id of the same length
  baselineResponse: {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': '0c1a5e3f-6d2b-4c8e-9f71-2b3c4d5e6f70' },
    body:
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
      '<GetCallerIdentityResult><Arn>arn:aws:iam::000000000000:root</Arn>' +
      '<UserId>000000000000</UserId><Account>000000000000</Account></GetCallerIdentityResult>' +
      '<ResponseMetadata><RequestId>0c1a5e3f-6d2b-4c8e-9f71-2b3c4d5e6f70</RequestId></ResponseMetadata>' +
      '</GetCallerIdentityResponse>',
  },
};
