/**
 * A SigV4-signed POST to the SQS endpoint, as a client without the SDK sends it: the query
 * protocol's form posts, and raw AWS JSON requests whose response headers a test inspects.
 */
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { TEST_CREDENTIALS } from '../harness.js';

export type Credentials = { accessKeyId: string; secretAccessKey: string };

export async function signedPost(
  endpoint: string,
  request: { path?: string; headers: Record<string, string>; body: string },
  credentials: Credentials = TEST_CREDENTIALS,
): Promise<Response> {
  const signer = new SignatureV4({ service: 'sqs', region: 'us-east-1', credentials, sha256: Sha256 });
  const { hostname, port } = new URL(endpoint);
  const path = request.path ?? '/';
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname,
      port: Number(port),
      path,
      headers: { ...request.headers, host: `${hostname}:${port}` },
      body: request.body,
    }),
  );
  // fetch sets Host itself, to the same value that was signed
  const { host: _host, ...headers } = signed.headers;
  return fetch(`${endpoint}${path}`, { method: 'POST', headers, body: request.body });
}
