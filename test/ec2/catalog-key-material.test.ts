import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePrivateKey } from 'sshpk';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKey, importPublicKey } from '../../src/services/ec2/key-pair-material.js';

const scratch = mkdtempSync(join(tmpdir(), 'key-material-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs a tool on `material` written to a private file, as ssh-keygen insists. */
function onFile(tool: string, args: string[], material: string): string {
  const file = join(scratch, `key-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, `${material}\n`, { mode: 0o600 });
  return execFileSync(tool, [...args, file])
    .toString()
    .trim();
}

const hasPuttygen = spawnSync('puttygen', ['--version']).status === 0;

// Made with ssh-keygen; the fingerprints were computed by the tools AWS's documentation names:
// `ssh-keygen -e -m PKCS8 | openssl pkey -pubin -outform DER | openssl md5 -c` for RSA,
// `ssh-keygen -l` (SHA256, which AWS writes with base64 padding) for ed25519.
const RSA_LINE =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQChNJOl6q+/IOsdLUGZlz8IBD2vK3ZNgUi4JWtmDMx+Orbzh2IExkLxaRXQ9w59PeoE6g0U7+W9XP76IIlIAKgSaOMzomFg6GzciDji4PyN+a/FLby3kMRshGXUugFPLKZS/+QNYW4choELQ6BfDESQTvRddohQh3ohGO/6rlebZJKYx34Hl/MXtbhlm4tChyqfZKITyprAGodfNAe4hwqma8AXSyyEF9MdaeeqHMUfzY/dHNL9WFp/PMFkWSyxuM/hVs9jfcjEn+8k5iKJf6UPUHdQxg9290GThfLn+INc7hFxq613YdL8kZqOz1nxY9tKhQrhokTnKmP3IU/HMQof test';
const RSA_MD5_OF_DER = '78:89:81:72:35:fc:ec:28:d1:ea:32:bb:53:e5:90:7c';
const ED25519_LINE = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPZjoLo4pBjgce7nJ3kNssXFS3jb4eW9odqx672xSP1n test';
const ED25519_SHA256 = 'AvVXzafXIbe+n9mXy0fE+JC7WGH/M9GEMBYOfGH6ZC4=';

const RSA_RFC4716 = `---- BEGIN SSH2 PUBLIC KEY ----
Comment: "2048-bit RSA, converted by root@vm from OpenSSH"
AAAAB3NzaC1yc2EAAAADAQABAAABAQChNJOl6q+/IOsdLUGZlz8IBD2vK3ZNgUi4JWtmDM
x+Orbzh2IExkLxaRXQ9w59PeoE6g0U7+W9XP76IIlIAKgSaOMzomFg6GzciDji4PyN+a/F
Lby3kMRshGXUugFPLKZS/+QNYW4choELQ6BfDESQTvRddohQh3ohGO/6rlebZJKYx34Hl/
MXtbhlm4tChyqfZKITyprAGodfNAe4hwqma8AXSyyEF9MdaeeqHMUfzY/dHNL9WFp/PMFk
WSyxuM/hVs9jfcjEn+8k5iKJf6UPUHdQxg9290GThfLn+INc7hFxq613YdL8kZqOz1nxY9
tKhQrhokTnKmP3IU/HMQof
---- END SSH2 PUBLIC KEY ----`;

describe('imported public keys', () => {
  it('fingerprints an RSA key as the MD5 of its DER public key', () => {
    expect(importPublicKey(RSA_LINE)).toEqual({
      type: 'rsa',
      fingerprint: RSA_MD5_OF_DER,
      publicKey: RSA_LINE.replace(' test', ''),
    });
  });

  it('fingerprints an ed25519 key as the base64 SHA-256 of its blob', () => {
    expect(importPublicKey(`${ED25519_LINE}\n`)).toMatchObject({
      type: 'ed25519',
      fingerprint: ED25519_SHA256,
    });
  });

  it('reads the RFC 4716 and PEM forms of the same RSA key', () => {
    expect(importPublicKey(RSA_RFC4716)?.fingerprint).toBe(RSA_MD5_OF_DER);
    const pem = importedRsaKey().export({ type: 'spki', format: 'pem' }) as string;
    expect(importPublicKey(pem)?.fingerprint).toBe(RSA_MD5_OF_DER);
  });

  it('refuses what is not a public key', () => {
    expect(importPublicKey('not a key')).toBeUndefined();
    expect(importPublicKey('ssh-rsa !!!!')).toBeUndefined();
    expect(importPublicKey('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPZj')).toBeUndefined();
    expect(importPublicKey('ssh-dss AAAAB3NzaC1kc3M=')).toBeUndefined();
    expect(importPublicKey(ED25519_LINE.replace('ssh-ed25519', 'ssh-rsa'))).toBeUndefined();
  });

  it('refuses key types EC2 does not import, and RSA keys under 1024 bits', () => {
    const ecdsa = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    expect(importPublicKey(ecdsa.export({ type: 'spki', format: 'pem' }) as string)).toBeUndefined();
    const small = generateKeyPairSync('rsa', { modulusLength: 512 }).publicKey;
    expect(importPublicKey(small.export({ type: 'spki', format: 'pem' }) as string)).toBeUndefined();
  });

  it('reads an ed25519 key in RFC 4716 form as ssh-keygen writes it', () => {
    const block = onFile('ssh-keygen', ['-e', '-f'], ED25519_LINE);
    expect(block.startsWith('---- BEGIN SSH2 PUBLIC KEY ----')).toBe(true);
    expect(importPublicKey(block)).toEqual({
      type: 'ed25519',
      fingerprint: ED25519_SHA256,
      publicKey: ED25519_LINE.replace(' test', ''),
    });
  });
});

function importedRsaKey() {
  const blob = Buffer.from(RSA_LINE.split(' ')[1] as string, 'base64');
  // string "ssh-rsa", mpint e, mpint n
  const eLength = blob.readUInt32BE(11);
  const e = blob.subarray(15, 15 + eLength);
  const nLength = blob.readUInt32BE(15 + eLength);
  const n = blob.subarray(19 + eLength, 19 + eLength + nLength);
  return createPublicKey({
    key: { kty: 'RSA', e: e.toString('base64url'), n: n.subarray(n[0] === 0 ? 1 : 0).toString('base64url') },
    format: 'jwk',
  });
}

describe('created key pairs', () => {
  it('gives an RSA key as PKCS#1 PEM, fingerprinted by the SHA-1 of its PKCS#8 DER', () => {
    const key = generateKey('rsa', 'pem', 'k');
    expect(key.material.startsWith('-----BEGIN RSA PRIVATE KEY-----\n')).toBe(true);
    const privateKey = createPrivateKey(key.material);
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const sha1 = createHash('sha1')
      .update(privateKey.export({ type: 'pkcs8', format: 'der' }))
      .digest('hex');
    expect(key.fingerprint).toBe(sha1.match(/../g)?.join(':'));
    expect(onFile('ssh-keygen', ['-y', '-f'], key.material)).toBe(key.publicKey);
  });

  it('gives an ed25519 key in OpenSSH format whose public half matches its fingerprint', () => {
    const key = generateKey('ed25519', 'pem', 'my-key');
    const lines = key.material.split('\n');
    expect(lines[0]).toBe('-----BEGIN OPENSSH PRIVATE KEY-----');
    expect(lines.at(-1)).toBe('-----END OPENSSH PRIVATE KEY-----');
    const body = Buffer.from(lines.slice(1, -1).join(''), 'base64');
    expect(body.subarray(0, 15).toString('latin1')).toBe('openssh-key-v1\0');
    const blob = Buffer.from(key.publicKey.split(' ')[1] as string, 'base64');
    expect(body.includes(blob)).toBe(true);
    expect(body.includes(Buffer.from('my-key'))).toBe(true);
    expect(key.fingerprint).toBe(createHash('sha256').update(blob).digest('base64'));
    expect(importPublicKey(key.publicKey)?.fingerprint).toBe(key.fingerprint);
    expect(onFile('ssh-keygen', ['-y', '-f'], key.material)).toBe(`${key.publicKey} my-key`);
    const listed = onFile('ssh-keygen', ['-l', '-E', 'sha256', '-f'], key.publicKey);
    expect(listed).toBe(`256 SHA256:${key.fingerprint.replace(/=+$/, '')} no comment (ED25519)`);
  });

  it('gives an RSA key as PuTTY PPK version 2', () => {
    const key = generateKey('rsa', 'ppk', 'k');
    const lines = key.material.split('\n');
    expect(lines.slice(0, 3)).toEqual(['PuTTY-User-Key-File-2: ssh-rsa', 'Encryption: none', 'Comment: k']);
    const publicLines = Number(lines[3]?.replace('Public-Lines: ', ''));
    const publicBlob = lines.slice(4, 4 + publicLines).join('');
    expect(`ssh-rsa ${publicBlob}`).toBe(key.publicKey);
    expect(lines.at(-1)).toMatch(/^Private-MAC: [0-9a-f]{40}$/);
  });

  it('puts the RSA key itself in the PPK: d, p, q and iqmp', () => {
    // sshpk detects PuTTY's header; its typings leave 'putty' out of the private formats
    const key = generateKey('rsa', 'ppk', 'k');
    const read = parsePrivateKey(key.material, 'auto');
    const pem = createPrivateKey(read.toString('pkcs1'));
    expect(pem.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const blob = Buffer.from(key.publicKey.split(' ')[1] as string, 'base64');
    expect(read.toPublic().toBuffer('rfc4253').equals(blob)).toBe(true);
    expect(createPublicKey(pem).export({ format: 'jwk' })).toMatchObject(
      createPublicKey(read.toPublic().toString('pkcs8')).export({ format: 'jwk' }),
    );
  });

  it.skipIf(!hasPuttygen)('gives a PPK that PuTTY accepts, MAC included', () => {
    const key = generateKey('rsa', 'ppk', 'k');
    // loading the private half is what checks the MAC
    const converted = join(scratch, 'converted.pem');
    onFile('puttygen', ['-O', 'private-openssh', '-o', converted], key.material);
    expect(execFileSync('ssh-keygen', ['-y', '-f', converted]).toString().trim()).toBe(key.publicKey);
  });
});
