/**
 * ACLs: S3 buckets now default to BucketOwnerEnforced, where ACLs grant the owner full control
 * and nothing else; that is what localaws answers, and a put ACL is accepted and not applied.
 */
import type {
  GetBucketAclOutput,
  GetBucketAclRequest,
  GetObjectAclOutput,
  GetObjectAclRequest,
  PutBucketAclRequest,
  PutObjectAclOutput,
  PutObjectAclRequest,
} from '@aws-sdk/client-s3';
import type { RequestContext } from '../types.js';
import { requireBucket } from './bucket-lookup.js';
import { ownerOf } from './names.js';
import { readableVersion } from './object-rows.js';

function ownerOnly(accountId: string): GetBucketAclOutput {
  const owner = ownerOf(accountId);
  return {
    Owner: owner,
    Grants: [{ Grantee: { ...owner, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }],
  };
}

export function getBucketAcl(input: GetBucketAclRequest, ctx: RequestContext): GetBucketAclOutput {
  return ownerOnly(requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner).account_id);
}

export function putBucketAcl(input: PutBucketAclRequest, ctx: RequestContext): void {
  requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
}

export function getObjectAcl(input: GetObjectAclRequest, ctx: RequestContext): GetObjectAclOutput {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const row = readableVersion(ctx.db, bucket, input.Key as string, input.VersionId, 'GET');
  return ownerOnly(row.owner);
}

export function putObjectAcl(input: PutObjectAclRequest, ctx: RequestContext): PutObjectAclOutput {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  readableVersion(ctx.db, bucket, input.Key as string, input.VersionId, 'PUT');
  return {};
}
