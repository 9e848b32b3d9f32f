/**
 * Temporary credentials issued by STS. They are real to the server: a request signed with
 * one acts as the session's identity, in the role's account, until it expires.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../storage/database.js';

export const STS_MIGRATIONS = [
  `CREATE TABLE sts_sessions (
    access_key_id TEXT PRIMARY KEY,
    secret_access_key TEXT NOT NULL,
    session_token TEXT NOT NULL,
    account_id TEXT NOT NULL,
    arn TEXT NOT NULL,
    user_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  )`,
];

export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  arn: string;
  userId: string;
  expiresAt: number;
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** An id in the alphabet AWS uses for key and principal ids (AKIA..., ASIA..., AROA...). */
export function awsId(prefix: string, length = 16): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const b of bytes) out += UPPER_ALNUM[b % UPPER_ALNUM.length];
  return out;
}

export function createSession(
  db: Db,
  identity: { accountId: string; arn: string; userId: string },
  expiresAt: number,
): Session {
  const session: Session = {
    accessKeyId: awsId('ASIA'),
    secretAccessKey: randomBytes(30).toString('base64'),
    // real tokens are long opaque base64 blobs; clients only pass them back
    sessionToken: `FwoGZXIvYXdzE${randomBytes(96).toString('base64')}`,
    ...identity,
    expiresAt,
  };
  db.prepare(
    `INSERT INTO sts_sessions (access_key_id, secret_access_key, session_token, account_id, arn, user_id, expires_at)
     VALUES (@accessKeyId, @secretAccessKey, @sessionToken, @accountId, @arn, @userId, @expiresAt)`,
  ).run(session);
  return session;
}

export function findSession(db: Db, accessKeyId: string): Session | undefined {
  const row = db
    .prepare(
      `SELECT access_key_id AS accessKeyId, secret_access_key AS secretAccessKey, session_token AS sessionToken,
        account_id AS accountId, arn, user_id AS userId, expires_at AS expiresAt
       FROM sts_sessions WHERE access_key_id = ?`,
    )
    .get(accessKeyId) as Session | undefined;
  return row;
}
