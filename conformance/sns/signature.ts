/**
 * Verifies an SNS message signature the way AWS documents it ("Verifying the signatures of
 * Amazon SNS messages"), independently of the server: fetch the X.509 certificate at
 * SigningCertURL, build the string to sign from the message's name/value pairs (each name,
 * newline, value, newline, in byte-sort order; Subject only if present), and check the
 * Base64 signature with the certificate's public key: SHA1withRSA for SignatureVersion 1,
 * SHA256withRSA for 2.
 */
import { verify, X509Certificate } from 'node:crypto';

/** The pairs a Notification signs, in byte-sort order. */
const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];
/** The pairs a SubscriptionConfirmation or UnsubscribeConfirmation signs. */
const CONFIRMATION_FIELDS = [
  'Message',
  'MessageId',
  'SubscribeURL',
  'Timestamp',
  'Token',
  'TopicArn',
  'Type',
];

export interface SignedMessage {
  Type: string;
  SignatureVersion?: string;
  Signature?: string;
  SigningCertURL?: string;
  [field: string]: unknown;
}

export function stringToSign(message: SignedMessage): string {
  const fields = message.Type === 'Notification' ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
  let text = '';
  for (const name of fields) {
    const value = message[name];
    if (value !== undefined) text += `${name}\n${String(value)}\n`;
  }
  return text;
}

const certificates = new Map<string, Promise<X509Certificate>>();

export function signingCertificate(url: string): Promise<X509Certificate> {
  let cert = certificates.get(url);
  if (!cert) {
    cert = fetch(url).then(async (res) => {
      if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
      return new X509Certificate(await res.text());
    });
    certificates.set(url, cert);
  }
  return cert;
}

/** True when the message's Signature verifies against the certificate at its SigningCertURL. */
export async function signatureVerifies(message: SignedMessage): Promise<boolean> {
  const { SignatureVersion, Signature, SigningCertURL } = message;
  if (!Signature || !SigningCertURL) throw new Error('the message carries no signature');
  const algorithm = { '1': 'sha1', '2': 'sha256' }[SignatureVersion ?? ''];
  if (!algorithm) throw new Error(`unknown SignatureVersion ${SignatureVersion}`);
  const cert = await signingCertificate(SigningCertURL);
  return verify(
    algorithm,
    Buffer.from(stringToSign(message)),
    cert.publicKey,
    Buffer.from(Signature, 'base64'),
  );
}
