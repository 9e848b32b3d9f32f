/**
 * Key pairs: CreateKeyPair hands out real key material (a PEM private key node:crypto loads,
 * whose fingerprint is the one AWS documents), ImportKeyPair takes an OpenSSH public key,
 * DescribeKeyPairs and DeleteKeyPair, and the duplicates and unknown names AWS refuses.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import {
  CreateKeyPairCommand,
  DeleteKeyPairCommand,
  DescribeKeyPairsCommand,
  ImportKeyPairCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { escapeRegExp, expectEc2Error, idPattern, tagRecord, tagSpec, uniqueName, useEC2 } from './setup.js';

const t = useEC2();

/** aa:bb:cc... as AWS prints a hex digest. */
function colonHex(digest: Buffer): string {
  return digest.toString('hex').match(/../g)?.join(':') ?? '';
}

/** SSH wire format: each part length-prefixed. */
function sshBlob(parts: Buffer[]): Buffer {
  return Buffer.concat(
    parts.flatMap((part) => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(part.length);
      return [length, part];
    }),
  );
}

/** An mpint: big-endian, with a leading zero when the high bit is set. */
function mpint(base64url: string): Buffer {
  const bytes = Buffer.from(base64url, 'base64url');
  return (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/** The public key's `ssh-rsa AAAA...` / `ssh-ed25519 AAAA...` line, and its wire blob. */
function openSshPublicKey(key: KeyObject): { line: string; blob: Buffer } {
  const jwk = key.export({ format: 'jwk' });
  const blob =
    jwk.kty === 'RSA'
      ? sshBlob([Buffer.from('ssh-rsa'), mpint(jwk.e ?? ''), mpint(jwk.n ?? '')])
      : sshBlob([Buffer.from('ssh-ed25519'), Buffer.from(jwk.x ?? '', 'base64url')]);
  const type = jwk.kty === 'RSA' ? 'ssh-rsa' : 'ssh-ed25519';
  return { line: `${type} ${blob.toString('base64')}`, blob };
}

/** Captures of AWS show both spellings, the older with a full stop. */
const duplicateMessage = (name: string) =>
  new RegExp(`^The key ?pair '${escapeRegExp(name)}' already exists\\.?$`);

describe('CreateKeyPair', () => {
  it('returns an RSA PEM private key that node:crypto loads, with the fingerprint AWS documents', async () => {
    const KeyName = uniqueName('deploy');
    const out = await t.ec2.send(
      new CreateKeyPairCommand({ KeyName, TagSpecifications: [tagSpec('key-pair', { env: 'test' })] }),
    );
    expect(out.KeyName).toBe(KeyName);
    expect(out.KeyPairId).toMatch(idPattern('key'));
    expect(tagRecord(out.Tags)).toEqual({ env: 'test' });
    const material = out.KeyMaterial ?? '';
    expect(material).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n?$/);

    const privateKey = createPrivateKey(material);
    expect(privateKey.asymmetricKeyType).toBe('rsa');
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    // for a key EC2 created: the SHA-1 of the DER-encoded PKCS#8 private key
    const der = privateKey.export({ type: 'pkcs8', format: 'der' });
    expect(out.KeyFingerprint).toBe(colonHex(createHash('sha1').update(der).digest()));

    const { KeyPairs } = await t.ec2.send(
      new DescribeKeyPairsCommand({ KeyNames: [KeyName], IncludePublicKey: true }),
    );
    expect(KeyPairs).toHaveLength(1);
    expect(KeyPairs?.[0]).toMatchObject({
      KeyName,
      KeyPairId: out.KeyPairId,
      KeyFingerprint: out.KeyFingerprint,
      KeyType: 'rsa',
    });
    expect(KeyPairs?.[0]?.CreateTime).toBeInstanceOf(Date);
    // the public key AWS keeps is the private key's own
    const publicLine = (KeyPairs?.[0]?.PublicKey ?? '').trim().split(' ').slice(0, 2).join(' ');
    expect(publicLine).toBe(openSshPublicKey(createPublicKey(privateKey)).line);
  });

  it('creates a new key each time', async () => {
    const a = await t.ec2.send(new CreateKeyPairCommand({ KeyName: uniqueName('a') }));
    const b = await t.ec2.send(new CreateKeyPairCommand({ KeyName: uniqueName('b') }));
    expect(a.KeyFingerprint).not.toBe(b.KeyFingerprint);
    expect(a.KeyMaterial).not.toBe(b.KeyMaterial);
  });

  it('creates ED25519 keys in OpenSSH format', async () => {
    const out = await t.ec2.send(new CreateKeyPairCommand({ KeyName: uniqueName('ed'), KeyType: 'ed25519' }));
    expect(out.KeyMaterial).toMatch(
      /^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+-----END OPENSSH PRIVATE KEY-----\n?$/,
    );
    // base64 SHA-256, as OpenSSH prints it (AWS keeps the padding)
    expect(out.KeyFingerprint).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('a name already in use is InvalidKeyPair.Duplicate', async () => {
    const KeyName = uniqueName('dup');
    await t.ec2.send(new CreateKeyPairCommand({ KeyName }));
    await expectEc2Error(
      t.ec2.send(new CreateKeyPairCommand({ KeyName })),
      'InvalidKeyPair.Duplicate',
      duplicateMessage(KeyName),
    );
  });
});

describe('ImportKeyPair', () => {
  it('imports an OpenSSH RSA public key, fingerprinted with the MD5 AWS documents', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const KeyName = uniqueName('imported');
    const out = await t.ec2.send(
      new ImportKeyPairCommand({
        KeyName,
        PublicKeyMaterial: Buffer.from(`${openSshPublicKey(publicKey).line} me@laptop\n`),
      }),
    );
    expect(out.KeyName).toBe(KeyName);
    expect(out.KeyPairId).toMatch(idPattern('key'));
    // the MD5 of the DER-encoded public key (`openssl rsa -pubout -outform DER | openssl md5 -c`)
    const der = publicKey.export({ type: 'spki', format: 'der' });
    expect(out.KeyFingerprint).toBe(colonHex(createHash('md5').update(der).digest()));
    const { KeyPairs } = await t.ec2.send(new DescribeKeyPairsCommand({ KeyNames: [KeyName] }));
    expect(KeyPairs?.[0]).toMatchObject({ KeyName, KeyFingerprint: out.KeyFingerprint, KeyType: 'rsa' });
  });

  it('imports an ED25519 key, fingerprinted with base64 SHA-256', async () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const { line, blob } = openSshPublicKey(publicKey);
    const out = await t.ec2.send(
      new ImportKeyPairCommand({ KeyName: uniqueName('ed-imported'), PublicKeyMaterial: Buffer.from(line) }),
    );
    expect(out.KeyFingerprint).toBe(createHash('sha256').update(blob).digest('base64'));
    const { KeyPairs } = await t.ec2.send(new DescribeKeyPairsCommand({ KeyNames: [out.KeyName ?? ''] }));
    expect(KeyPairs?.[0]?.KeyType).toBe('ed25519');
  });

  it('refuses a name in use and material that is not a public key', async () => {
    const KeyName = uniqueName('taken');
    await t.ec2.send(new CreateKeyPairCommand({ KeyName }));
    const { publicKey } = generateKeyPairSync('ed25519');
    await expectEc2Error(
      t.ec2.send(
        new ImportKeyPairCommand({
          KeyName,
          PublicKeyMaterial: Buffer.from(openSshPublicKey(publicKey).line),
        }),
      ),
      'InvalidKeyPair.Duplicate',
      duplicateMessage(KeyName),
    );
    await expectEc2Error(
      t.ec2.send(
        new ImportKeyPairCommand({
          KeyName: uniqueName('junk'),
          PublicKeyMaterial: Buffer.from('not a key'),
        }),
      ),
      'InvalidKey.Format',
    );
  });
});

describe('DescribeKeyPairs and DeleteKeyPair', () => {
  it('describes by name, by id and by filter', async () => {
    const KeyName = uniqueName('listed');
    const { KeyPairId } = await t.ec2.send(new CreateKeyPairCommand({ KeyName }));
    const byId = await t.ec2.send(new DescribeKeyPairsCommand({ KeyPairIds: [KeyPairId ?? ''] }));
    expect(byId.KeyPairs?.map((k) => k.KeyName)).toEqual([KeyName]);
    const byFilter = await t.ec2.send(
      new DescribeKeyPairsCommand({ Filters: [{ Name: 'key-name', Values: [KeyName] }] }),
    );
    expect(byFilter.KeyPairs?.map((k) => k.KeyPairId)).toEqual([KeyPairId]);
    const all = await t.ec2.send(new DescribeKeyPairsCommand({}));
    expect((all.KeyPairs ?? []).map((k) => k.KeyName)).toContain(KeyName);
    // material is handed out once, at creation, never by a describe
    expect(JSON.stringify(all.KeyPairs)).not.toContain('PRIVATE KEY');
  });

  it('an unknown name is InvalidKeyPair.NotFound', async () => {
    await expectEc2Error(
      t.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['no-such-key'] })),
      'InvalidKeyPair.NotFound',
      "The key pair 'no-such-key' does not exist",
    );
  });

  it('DeleteKeyPair deletes, and deleting what is not there succeeds', async () => {
    const KeyName = uniqueName('doomed');
    await t.ec2.send(new CreateKeyPairCommand({ KeyName }));
    await t.ec2.send(new DeleteKeyPairCommand({ KeyName }));
    await expectEc2Error(
      t.ec2.send(new DescribeKeyPairsCommand({ KeyNames: [KeyName] })),
      'InvalidKeyPair.NotFound',
      `The key pair '${KeyName}' does not exist`,
    );
    await t.ec2.send(new DeleteKeyPairCommand({ KeyName }));
    // the name is free again
    const again = await t.ec2.send(new CreateKeyPairCommand({ KeyName }));
    expect(again.KeyName).toBe(KeyName);
  });
});
