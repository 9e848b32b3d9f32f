/**
 * Key material as EC2 hands it out and reads it in: RSA private keys as PKCS#1 PEM, ed25519
 * private keys in OpenSSH's format, RSA keys as PuTTY's PPK (version 2), public keys as OpenSSH
 * lines; and the fingerprints AWS computes (created RSA: SHA-1 of the PKCS#8 DER private key;
 * imported RSA: MD5 of the DER public key; ed25519: base64 SHA-256 of the OpenSSH public key
 * blob), colon-separated hex for the digests shown in hex. sshpk reads and writes the SSH
 * formats; it writes PuTTY files of public keys only, so the private PPK file is written here.
 */
import { createHash, createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Key, PrivateKey } from 'sshpk';

type Sshpk = typeof import('sshpk');

export type KeyType = 'rsa' | 'ed25519';

export interface GeneratedKey {
  material: string;
  fingerprint: string;
  /** The OpenSSH public key line, without a comment. */
  publicKey: string;
}

export interface ImportedKey {
  type: KeyType;
  fingerprint: string;
  publicKey: string;
}

const ALGORITHMS: Record<KeyType, string> = { rsa: 'ssh-rsa', ed25519: 'ssh-ed25519' };

let library: Sshpk | undefined;

/** Loaded on the first key pair, not at start-up. */
function sshpk(): Sshpk {
  library ??= createRequire(import.meta.url)('sshpk') as Sshpk;
  return library;
}

/** A new key pair's private material in the format asked for. */
export function generateKey(type: KeyType, format: 'pem' | 'ppk', comment: string): GeneratedKey {
  if (type === 'rsa') {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = (privateKey.export({ type: 'pkcs1', format: 'pem' }) as string).trimEnd();
    const key = sshpk().parsePrivateKey(pem, 'pkcs1');
    const der = privateKey.export({ type: 'pkcs8', format: 'der' });
    return {
      material: format === 'ppk' ? rsaPpk(key, comment) : pem,
      fingerprint: colonHex(createHash('sha1').update(der).digest()),
      publicKey: opensshLine(key.toPublic()),
    };
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const key = sshpk().parsePrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }), 'pkcs8');
  key.comment = comment;
  return {
    material: key.toString('ssh-private').trimEnd(),
    fingerprint: key.hash('sha256').toString('base64'),
    publicKey: opensshLine(key.toPublic()),
  };
}

/** Reads an imported public key (an OpenSSH line, RFC 4716 block or PEM); undefined if none. */
export function importPublicKey(material: string): ImportedKey | undefined {
  const key = parsePublicKey(material.trim());
  if (key?.type === 'ed25519')
    return {
      type: 'ed25519',
      fingerprint: key.hash('sha256').toString('base64'),
      publicKey: opensshLine(key),
    };
  if (key?.type !== 'rsa' || key.size < 1024 || key.size > 16384) return undefined;
  const der = createPublicKey(key.toString('pkcs8')).export({ type: 'spki', format: 'der' });
  return {
    type: 'rsa',
    fingerprint: colonHex(createHash('md5').update(der).digest()),
    publicKey: opensshLine(key),
  };
}

/** sshpk's `pem` format reads RFC 4716 blocks as well as PEM (of a private key too, whose
 * public half it takes); its `auto` would also take PuTTY, DNSSEC and bare binary keys. */
function parsePublicKey(text: string): Key | undefined {
  const format = text.startsWith('ssh-') ? 'ssh' : text.startsWith('-') ? 'pem' : undefined;
  if (!format) return undefined;
  try {
    return sshpk().parseKey(text, format);
  } catch {
    return undefined;
  }
}

function opensshLine(key: Key): string {
  return `${ALGORITHMS[key.type as KeyType]} ${key.toBuffer('rfc4253').toString('base64')}`;
}

function colonHex(digest: Buffer): string {
  return digest.toString('hex').match(/../g)?.join(':') ?? '';
}

function sshString(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** The private blob of an RSA PPK: mpint d, p, q and iqmp (sshpk keeps each part as an mpint's
 * bytes; its typings mistype the `part` map, so `parts` is searched). */
const PPK_RSA_PARTS = ['d', 'p', 'q', 'iqmp'] as const;

/** PuTTY-User-Key-File-2, unencrypted, for an RSA key, under an HMAC-SHA1 keyed by a fixed phrase. */
function rsaPpk(key: PrivateKey, comment: string): string {
  const publicBlob = key.toPublic().toBuffer('rfc4253');
  const privateBlob = Buffer.concat(
    PPK_RSA_PARTS.map((name) => sshString(key.parts.find((part) => part.name === name)?.data ?? Buffer.of())),
  );
  const macKey = createHash('sha1').update('putty-private-key-file-mac-key').digest();
  const mac = createHmac('sha1', macKey)
    .update(
      Buffer.concat([
        sshString('ssh-rsa'),
        sshString('none'),
        sshString(comment),
        sshString(publicBlob),
        sshString(privateBlob),
      ]),
    )
    .digest('hex');
  const publicLines = wrap(publicBlob.toString('base64'), 64);
  const privateLines = wrap(privateBlob.toString('base64'), 64);
  return [
    'PuTTY-User-Key-File-2: ssh-rsa',
    'Encryption: none',
    `Comment: ${comment}`,
    `Public-Lines: ${publicLines.length}`,
    ...publicLines,
    `Private-Lines: ${privateLines.length}`,
    ...privateLines,
    `Private-MAC: ${mac}`,
  ].join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return lines;
}
