/**
 * Key material as EC2 hands it out and reads it in: RSA private keys as PKCS#1 PEM, ed25519
 * private keys in OpenSSH's format, either type of RSA key as PuTTY's PPK (version 2), public
 * keys as OpenSSH lines; and the fingerprints AWS computes (created RSA: SHA-1 of the PKCS#8
 * DER private key; imported RSA: MD5 of the DER public key; ed25519: base64 SHA-256 of the
 * OpenSSH public key blob), colon-separated hex for the digests shown in hex.
 */
import {
  createHash,
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';

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

/** A new key pair's private material in the format asked for. */
export function generateKey(type: KeyType, format: 'pem' | 'ppk', comment: string): GeneratedKey {
  if (type === 'rsa') {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = privateKey.export({ type: 'pkcs8', format: 'der' });
    return {
      material:
        format === 'ppk'
          ? rsaPpk(privateKey, comment)
          : (privateKey.export({ type: 'pkcs1', format: 'pem' }) as string).trimEnd(),
      fingerprint: colonHex(createHash('sha1').update(der).digest()),
      publicKey: opensshLine(publicBlobOf(publicKey)),
    };
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const blob = publicBlobOf(publicKey);
  return {
    material: ed25519OpenSsh(privateKey, blob, comment),
    fingerprint: sha256Fingerprint(blob),
    publicKey: opensshLine(blob),
  };
}

/** Reads an imported public key (an OpenSSH line, RFC 4716 block or PEM); undefined if none. */
export function importPublicKey(material: string): ImportedKey | undefined {
  const blob = blobOfPublicKeyText(material.trim());
  if (!blob) return undefined;
  const parsed = parseBlob(blob);
  if (!parsed) return undefined;
  if (parsed.type === 'ed25519')
    return { type: 'ed25519', fingerprint: sha256Fingerprint(blob), publicKey: opensshLine(blob) };
  const key = createPublicKey({
    key: { kty: 'RSA', n: b64url(parsed.n), e: b64url(parsed.e) },
    format: 'jwk',
  });
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 1024 || bits > 16384) return undefined;
  const der = key.export({ type: 'spki', format: 'der' });
  return {
    type: 'rsa',
    fingerprint: colonHex(createHash('md5').update(der).digest()),
    publicKey: opensshLine(blob),
  };
}

function blobOfPublicKeyText(text: string): Buffer | undefined {
  if (text.startsWith('ssh-rsa ') || text.startsWith('ssh-ed25519 '))
    return base64Strict(text.split(/\s+/)[1] ?? '');
  if (text.startsWith('---- BEGIN SSH2 PUBLIC KEY ----')) {
    const body = text
      .split(/\r?\n/)
      .slice(1, -1)
      .filter((line) => !line.includes(':') && !line.startsWith(' '))
      .join('');
    return base64Strict(body);
  }
  if (text.startsWith('-----BEGIN')) {
    try {
      return publicBlobOf(createPublicKey(text));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function base64Strict(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

type ParsedBlob = { type: 'rsa'; e: Buffer; n: Buffer } | { type: 'ed25519'; key: Buffer };

/** The SSH wire form of a public key: string type, then mpint e, n (RSA) or string key (ed25519). */
function parseBlob(blob: Buffer): ParsedBlob | undefined {
  const reader = wireReader(blob);
  const type = reader.next()?.toString('latin1');
  if (type === 'ssh-rsa') {
    const e = reader.next();
    const n = reader.next();
    return e && n && reader.done() ? { type: 'rsa', e: stripZeros(e), n: stripZeros(n) } : undefined;
  }
  if (type === 'ssh-ed25519') {
    const key = reader.next();
    return key?.length === 32 && reader.done() ? { type: 'ed25519', key } : undefined;
  }
  return undefined;
}

function wireReader(buffer: Buffer): { next(): Buffer | undefined; done(): boolean } {
  let offset = 0;
  return {
    next() {
      if (offset + 4 > buffer.length) return undefined;
      const length = buffer.readUInt32BE(offset);
      if (offset + 4 + length > buffer.length) return undefined;
      const out = buffer.subarray(offset + 4, offset + 4 + length);
      offset += 4 + length;
      return out;
    },
    done: () => offset === buffer.length,
  };
}

function stripZeros(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

/** The SSH wire blob of an RSA or ed25519 public key. */
export function publicBlobOf(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty === 'RSA') {
    return Buffer.concat([
      sshString('ssh-rsa'),
      mpint(Buffer.from(jwk.e as string, 'base64url')),
      mpint(Buffer.from(jwk.n as string, 'base64url')),
    ]);
  }
  return Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.from(jwk.x as string, 'base64url'))]);
}

function opensshLine(blob: Buffer): string {
  const type = parseBlob(blob)?.type === 'ed25519' ? 'ssh-ed25519' : 'ssh-rsa';
  return `${type} ${blob.toString('base64')}`;
}

export function sha256Fingerprint(blob: Buffer): string {
  return createHash('sha256').update(blob).digest('base64');
}

export function colonHex(digest: Buffer): string {
  return digest.toString('hex').match(/../g)?.join(':') ?? '';
}

function b64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function sshString(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An unsigned big-endian integer as SSH's mpint: no leading zeros, one added if the top bit is set. */
function mpint(unsigned: Buffer): Buffer {
  const bytes = stripZeros(unsigned);
  return sshString((bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

/** openssh-key-v1, unencrypted: what ssh-keygen writes and AWS hands out for ed25519. */
function ed25519OpenSsh(privateKey: KeyObject, publicBlob: Buffer, comment: string): string {
  const jwk = privateKey.export({ format: 'jwk' });
  const seed = Buffer.from(jwk.d as string, 'base64url');
  const pub = Buffer.from(jwk.x as string, 'base64url');
  const check = randomBytes(4);
  let section = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const padding = (8 - (section.length % 8)) % 8;
  section = Buffer.concat([section, Buffer.from(Array.from({ length: padding }, (_, i) => i + 1))]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    Buffer.from([0, 0, 0, 1]),
    sshString(publicBlob),
    sshString(section),
  ]);
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${wrap(body.toString('base64'), 70)}\n-----END OPENSSH PRIVATE KEY-----`;
}

/** PuTTY-User-Key-File-2, unencrypted, for an RSA key. */
function rsaPpk(privateKey: KeyObject, comment: string): string {
  const jwk = privateKey.export({ format: 'jwk' });
  const part = (name: 'd' | 'p' | 'q' | 'qi') => mpint(Buffer.from(jwk[name] as string, 'base64url'));
  const publicBlob = publicBlobOf(createPublicKey(privateKey));
  const privateBlob = Buffer.concat([part('d'), part('p'), part('q'), part('qi')]);
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
  const publicLines = wrap(publicBlob.toString('base64'), 64).split('\n');
  const privateLines = wrap(privateBlob.toString('base64'), 64).split('\n');
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

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return lines.join('\n');
}
