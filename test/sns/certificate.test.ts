import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../src/services/sns/certificate.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const NOW = Date.UTC(2024, 4, 2, 0, 54, 6);
const pem = selfSignedCertificate(privateKey, NOW);
const certificate = new X509Certificate(pem);

describe('the SNS signing certificate', () => {
  it('is a PEM certificate for the key, signed by it', () => {
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
    expect(certificate.checkPrivateKey(privateKey)).toBe(true);
    expect(certificate.verify(publicKey)).toBe(true);
    expect(certificate.verify(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey)).toBe(false);
  });

  it("names AWS's SNS as subject and issuer", () => {
    expect(certificate.subject).toBe('C=US\nO=Amazon\nCN=sns.amazonaws.com');
    expect(certificate.issuer).toBe(certificate.subject);
    expect(certificate.ca).toBe(false);
  });

  it('is valid from a minute before its making for ten years', () => {
    expect(new Date(certificate.validFrom).getTime()).toBe(NOW - 60_000);
    expect(new Date(certificate.validTo).getTime()).toBe(NOW + 10 * 365 * 24 * 3600 * 1000);
  });

  it('has a fresh serial number each time, positive and of 16 bytes (DER allows no leading zero)', () => {
    // a serial starting 00 then under 80 is invalid DER: one in 512 random serials, were it allowed
    const serials = Array.from(
      { length: 64 },
      () => new X509Certificate(selfSignedCertificate(privateKey, NOW)).serialNumber,
    );
    expect(new Set(serials).size).toBe(64);
    for (const serial of serials) expect(serial).toMatch(/^[4-7][0-9A-F]{31}$/);
  });

  it('is a version 3 certificate signed with SHA-256', () => {
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: pem }).toString();
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(text).toContain('Version: 3 (0x2)');
  });
});
