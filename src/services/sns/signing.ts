/**
 * The key SNS signs messages with: an RSA key and its self-signed certificate, made on
 * first use and kept in the database (so a message delivered before a restart still
 * verifies after it). SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA, over the
 * canonical string of the message (see envelope.ts); the signature is base64.
 */
import { createPrivateKey, generateKeyPair, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { Db } from '../../storage/database.js';
import { perDb } from '../../storage/database.js';
import { selfSignedCertificate } from './certificate.js';

/** Where the certificate is served, below the endpoint the client used. */
export const CERTIFICATE_PATH = '/_localaws/sns/SimpleNotificationService.pem';

interface SigningRow {
  privateKey: string;
  certificate: string;
}

interface SigningKey extends SigningRow {
  key: KeyObject;
}

const statements = perDb((db) => ({
  get: db.prepare<[], SigningRow>(
    'SELECT private_key AS privateKey, certificate FROM sns_signing WHERE id = 1',
  ),
  insert: db.prepare<[string, string]>(
    'INSERT OR IGNORE INTO sns_signing (id, private_key, certificate) VALUES (1, ?, ?)',
  ),
}));

const parsed = new WeakMap<Db, SigningKey>();

function store(db: Db, privateKey: KeyObject): void {
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // real time, not the server clock: whoever checks the certificate's validity does so by theirs
  statements(db).insert.run(pem, selfSignedCertificate(privateKey, Date.now()));
}

/** A key made off the main thread, which every database of the process that has none takes:
 * RSA key generation takes from tens of milliseconds to seconds. */
let spare: KeyObject | undefined;
let making = false;

function create(db: Db): SigningRow {
  store(db, spare ?? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
  return statements(db).get.get() as SigningRow;
}

/** Starts making a key when the database has none, so the first publish need not wait. */
export function prepareSigningKey(db: Db): void {
  if (spare || making || statements(db).get.get()) return;
  making = true;
  generateKeyPair('rsa', { modulusLength: 2048 }, (err, _publicKey, privateKey) => {
    making = false;
    if (!err) spare = privateKey;
  });
}

/** The database's signing key, made when it has none (after a reset too). */
export function signingKey(db: Db): SigningKey {
  const row = statements(db).get.get() ?? create(db);
  let current = parsed.get(db);
  if (current?.privateKey !== row.privateKey) {
    current = { ...row, key: createPrivateKey(row.privateKey) };
    parsed.set(db, current);
  }
  return current;
}

/** The base64 signature of a canonical string. */
export function signCanonical(db: Db, canonical: string, version: string): string {
  return sign(
    version === '2' ? 'sha256' : 'sha1',
    Buffer.from(canonical, 'utf8'),
    signingKey(db).key,
  ).toString('base64');
}
