/**
 * A self-signed X.509 v3 certificate for the key SNS signs messages with, built in DER by
 * hand: node:crypto makes keys and verifies certificates but cannot issue one, and these
 * few structures do not warrant a dependency. The subject and issuer are AWS's SNS signing
 * names; the certificate is valid for ten years from its making.
 */
import { createPublicKey, type KeyObject, randomBytes, sign } from 'node:crypto';

/** sha256WithRSAEncryption */
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const COMMON_NAME = '2.5.4.3';
const ORGANIZATION = '2.5.4.10';
const COUNTRY = '2.5.4.6';
const BASIC_CONSTRAINTS = '2.5.29.19';
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.of(tag), length(body.length), body]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, ...items);
const set = (...items: Buffer[]) => tlv(0x31, ...items);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const bytes = [a * 40 + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function integer(bytes: Buffer): Buffer {
  // a leading 1 bit would make the integer negative
  return tlv(0x02, (bytes[0] as number) & 0x80 ? Buffer.concat([Buffer.of(0), bytes]) : bytes);
}

const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
const printable = (text: string) => tlv(0x13, Buffer.from(text, 'ascii'));

/** GeneralizedTime, which X.509 allows for any date (UTCTime ends in 2049). */
function time(ms: number): Buffer {
  const iso = new Date(ms).toISOString();
  return tlv(0x18, Buffer.from(`${iso.slice(0, 19).replace(/[-:T]/g, '')}Z`, 'ascii'));
}

function name(): Buffer {
  return sequence(
    set(sequence(oid(COUNTRY), printable('US'))),
    set(sequence(oid(ORGANIZATION), utf8('Amazon'))),
    set(sequence(oid(COMMON_NAME), utf8('sns.amazonaws.com'))),
  );
}

const algorithm = () => sequence(oid(SHA256_WITH_RSA), tlv(0x05));

/** The PEM of a self-signed certificate for `privateKey`, valid from `now` (epoch ms). */
export function selfSignedCertificate(privateKey: KeyObject, now: number): string {
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const serial = randomBytes(16);
  serial[0] = (serial[0] as number) & 0x7f;
  const extensions = tlv(0xa3, sequence(sequence(oid(BASIC_CONSTRAINTS), tlv(0x04, sequence()))));
  const tbs = sequence(
    tlv(0xa0, integer(Buffer.of(2))),
    integer(serial),
    algorithm(),
    name(),
    sequence(time(now - 60_000), time(now + TEN_YEARS_MS)),
    name(),
    spki,
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, algorithm(), tlv(0x03, Buffer.of(0), signature));
  const base64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${base64.trimEnd()}\n-----END CERTIFICATE-----\n`;
}
