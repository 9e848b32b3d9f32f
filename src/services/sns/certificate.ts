/**
 * A self-signed X.509 v3 certificate for the key SNS signs messages with. node:crypto makes
 * keys and verifies certificates but cannot issue one: @peculiar/asn1-x509 gives RFC 5280's
 * structures and their DER, node:crypto signs (natively: node-forge would sign in JS, tens of
 * milliseconds per certificate; @peculiar/x509 and selfsigned sign through WebCrypto, which
 * is asynchronous, and the signing key is asked for synchronously). The subject and issuer are
 * AWS's SNS signing names; the certificate is valid for ten years from its making.
 */
import { createPublicKey, type KeyObject, randomBytes, sign, X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';

type Asn1Schema = typeof import('@peculiar/asn1-schema');
type X509 = typeof import('@peculiar/asn1-x509');

/** sha256WithRSAEncryption */
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const COUNTRY = '2.5.4.6';
const ORGANIZATION = '2.5.4.10';
const COMMON_NAME = '2.5.4.3';
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

let libraries: { schema: Asn1Schema; x509: X509 } | undefined;

/** Loaded when SNS first signs, not at start-up. */
function asn1(): { schema: Asn1Schema; x509: X509 } {
  if (!libraries) {
    const require = createRequire(import.meta.url);
    libraries = {
      schema: require('@peculiar/asn1-schema') as Asn1Schema,
      x509: require('@peculiar/asn1-x509') as X509,
    };
  }
  return libraries;
}

function snsName(x509: X509) {
  const attribute = (type: string, value: { printableString: string } | { utf8String: string }) =>
    new x509.RelativeDistinguishedName([
      new x509.AttributeTypeAndValue({ type, value: new x509.AttributeValue(value) }),
    ]);
  return new x509.Name([
    attribute(COUNTRY, { printableString: 'US' }),
    attribute(ORGANIZATION, { utf8String: 'Amazon' }),
    attribute(COMMON_NAME, { utf8String: 'sns.amazonaws.com' }),
  ]);
}

/** The PEM of a self-signed certificate for `privateKey`, valid from `now` (epoch ms). */
export function selfSignedCertificate(privateKey: KeyObject, now: number): string {
  const { schema, x509 } = asn1();
  const { AsnConvert, OctetString } = schema;
  const algorithm = new x509.AlgorithmIdentifier({ algorithm: SHA256_WITH_RSA, parameters: null });
  const serial = randomBytes(16);
  // a positive INTEGER, in its minimal DER form: no leading zero byte
  serial[0] = ((serial[0] as number) & 0x3f) | 0x40;
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const tbsCertificate = new x509.TBSCertificate({
    version: x509.Version.v3,
    serialNumber: new Uint8Array(serial).buffer,
    signature: algorithm,
    issuer: snsName(x509),
    validity: new x509.Validity({
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + TEN_YEARS_MS),
    }),
    subject: snsName(x509),
    subjectPublicKeyInfo: AsnConvert.parse(spki, x509.SubjectPublicKeyInfo),
    extensions: new x509.Extensions([
      new x509.Extension({
        extnID: x509.id_ce_basicConstraints,
        extnValue: new OctetString(AsnConvert.serialize(new x509.BasicConstraints())),
      }),
    ]),
  });
  const signature = sign('sha256', Buffer.from(AsnConvert.serialize(tbsCertificate)), privateKey);
  const signatureValue = new Uint8Array(signature).buffer;
  const der = AsnConvert.serialize(
    new x509.Certificate({ tbsCertificate, signatureAlgorithm: algorithm, signatureValue }),
  );
  return new X509Certificate(Buffer.from(der)).toString();
}
