/** STS: who the caller is, and temporary credentials that then work against the server. */
import type {
  AssumeRoleRequest,
  AssumeRoleResponse,
  Credentials,
  GetAccessKeyInfoRequest,
  GetAccessKeyInfoResponse,
  GetCallerIdentityResponse,
  GetSessionTokenRequest,
  GetSessionTokenResponse,
} from '@aws-sdk/client-sts';
import { accountForAccessKey } from '../../accounts.js';
import type { RequestContext, ServiceDefinition } from '../types.js';
import { awsId, createSession, findSession, type Session, STS_MIGRATIONS } from './sessions.js';
import { checkDuration, checkRoleSessionName, parseRoleArn } from './validation.js';

function credentialsOf(session: Session): Credentials {
  return {
    AccessKeyId: session.accessKeyId,
    SecretAccessKey: session.secretAccessKey,
    SessionToken: session.sessionToken,
    Expiration: new Date(session.expiresAt),
  };
}

function getCallerIdentity(_input: unknown, ctx: RequestContext): GetCallerIdentityResponse {
  const { caller } = ctx;
  return {
    UserId: caller.userId ?? caller.accountId,
    Account: caller.accountId,
    Arn: caller.arn ?? `arn:aws:iam::${caller.accountId}:root`,
  };
}

function assumeRole(input: AssumeRoleRequest, ctx: RequestContext): AssumeRoleResponse {
  const role = parseRoleArn(input.RoleArn);
  checkRoleSessionName(input.RoleSessionName);
  const duration = checkDuration(input.DurationSeconds, 900, 43200);
  const sessionName = input.RoleSessionName as string;
  const roleId = awsId('AROA');
  const assumedRoleId = `${roleId}:${sessionName}`;
  const arn = `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`;
  const session = createSession(
    ctx.db,
    { accountId: role.accountId, arn, userId: assumedRoleId },
    ctx.now() + duration * 1000,
  );
  return {
    Credentials: credentialsOf(session),
    AssumedRoleUser: { AssumedRoleId: assumedRoleId, Arn: arn },
    PackedPolicySize: input.Policy ? 6 : undefined,
    SourceIdentity: input.SourceIdentity,
  };
}

function getSessionToken(input: GetSessionTokenRequest, ctx: RequestContext): GetSessionTokenResponse {
  const duration = checkDuration(input.DurationSeconds, 900, 129600, 43200);
  const { caller } = ctx;
  const session = createSession(
    ctx.db,
    {
      accountId: caller.accountId,
      arn: caller.arn ?? `arn:aws:iam::${caller.accountId}:root`,
      userId: caller.userId ?? caller.accountId,
    },
    ctx.now() + duration * 1000,
  );
  return { Credentials: credentialsOf(session) };
}

function getAccessKeyInfo(input: GetAccessKeyInfoRequest, ctx: RequestContext): GetAccessKeyInfoResponse {
  const key = input.AccessKeyId ?? '';
  return { Account: findSession(ctx.db, key)?.accountId ?? accountForAccessKey(key) };
}

export const sts: ServiceDefinition = {
  id: 'sts',
  migrations: STS_MIGRATIONS,
  readOnly: new Set(['GetCallerIdentity', 'GetAccessKeyInfo']),
  handlers: {
    GetCallerIdentity: getCallerIdentity,
    AssumeRole: assumeRole,
    GetSessionToken: getSessionToken,
    GetAccessKeyInfo: getAccessKeyInfo,
  },
};
