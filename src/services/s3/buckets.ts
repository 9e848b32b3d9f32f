/** CreateBucket, HeadBucket, DeleteBucket, ListBuckets and GetBucketLocation. */
import type {
  CreateBucketOutput,
  CreateBucketRequest,
  DeleteBucketRequest,
  GetBucketLocationOutput,
  GetBucketLocationRequest,
  HeadBucketOutput,
  HeadBucketRequest,
  ListBucketsOutput,
  ListBucketsRequest,
} from '@aws-sdk/client-s3';
import { AwsError } from '../../errors.js';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { defaultBucketConfigs } from './bucket-config.js';
import { findBucket, requireBucket } from './bucket-lookup.js';
import { setBucketConfig } from './config-store.js';
import { invalidArgument, malformedXml } from './errors.js';
import { int32Argument } from './integer-arguments.js';
import { checkBucketName, isRegionName, ownerOf } from './names.js';
import { discardBlobs } from './object-store.js';
import { checkTagSet } from './tag-sets.js';

const US_EAST_1 = 'us-east-1';
const MAX_BUCKETS = 10000;
const OBJECT_OWNERSHIPS = new Set(['BucketOwnerPreferred', 'ObjectWriter', 'BucketOwnerEnforced']);

const statements = perDb((db) => ({
  insert: db.prepare<[string, string, string, number, string | null, number]>(
    'INSERT INTO s3_buckets (name, account_id, region, created_at, versioning, object_lock) VALUES (?, ?, ?, ?, ?, ?)',
  ),
  list: db.prepare<
    [{ account: string; after: string; from: string; to: string; region: string | null; limit: number }],
    { name: string; region: string; created_at: number }
  >(
    `SELECT name, region, created_at FROM s3_buckets
     WHERE account_id = @account AND name > @after AND name >= @from AND name < @to
       AND (@region IS NULL OR region = @region)
     ORDER BY name LIMIT @limit`,
  ),
  hasObjects: db.prepare<[number], { found: number }>(
    'SELECT 1 AS found FROM s3_objects WHERE bucket_id = ? LIMIT 1',
  ),
  partBlobs: db.prepare<[number], { blob_id: string }>(
    'SELECT p.blob_id FROM s3_parts p JOIN s3_uploads u ON u.id = p.upload_id WHERE u.bucket_id = ?',
  ),
  deleteParts: db.prepare<[number]>(
    'DELETE FROM s3_parts WHERE upload_id IN (SELECT id FROM s3_uploads WHERE bucket_id = ?)',
  ),
  deleteUploads: db.prepare<[number]>('DELETE FROM s3_uploads WHERE bucket_id = ?'),
  deleteConfigs: db.prepare<[number]>('DELETE FROM s3_bucket_configs WHERE bucket_id = ?'),
  delete: db.prepare<[number]>('DELETE FROM s3_buckets WHERE id = ?'),
}));

function bucketArn(name: string): string {
  return `arn:aws:s3:::${name}`;
}

/** The region a new bucket goes to, as S3 checks it against the endpoint the request reached. */
function bucketRegion(input: CreateBucketRequest, requestRegion: string, hasBody: boolean): string {
  const constraint: string | undefined = input.CreateBucketConfiguration?.LocationConstraint;
  if (hasBody && constraint === undefined && input.CreateBucketConfiguration?.Tags === undefined) {
    throw malformedXml();
  }
  if (constraint === undefined || constraint === '') {
    if (requestRegion !== US_EAST_1) throw illegalConstraint('unspecified');
    return US_EAST_1;
  }
  if (!isRegionName(constraint) || (constraint === US_EAST_1 && requestRegion === US_EAST_1)) {
    throw new AwsError('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, {
      fields: { LocationConstraint: constraint },
    });
  }
  if (requestRegion !== US_EAST_1 && requestRegion !== constraint) throw illegalConstraint(constraint);
  return constraint;
}

function illegalConstraint(constraint: string): AwsError {
  return new AwsError(
    'IllegalLocationConstraintException',
    `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    400,
  );
}

export function createBucket(input: CreateBucketRequest, ctx: RequestContext): CreateBucketOutput {
  const name = input.Bucket as string;
  checkBucketName(name);
  const region = bucketRegion(input, ctx.region, input.CreateBucketConfiguration !== undefined);
  const existing = findBucket(ctx.db, name);
  if (existing) {
    if (existing.account_id !== ctx.accountId) {
      throw new AwsError(
        'BucketAlreadyExists',
        'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
        409,
        { fields: { BucketName: name } },
      );
    }
    // us-east-1 keeps its legacy answer: creating a bucket you own there again succeeds
    if (region === US_EAST_1 && existing.region === US_EAST_1)
      return { Location: `/${name}`, BucketArn: bucketArn(name) };
    throw new AwsError(
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      409,
      { fields: { BucketName: name } },
    );
  }
  const ownership = input.ObjectOwnership;
  if (ownership !== undefined && !OBJECT_OWNERSHIPS.has(ownership)) {
    throw invalidArgument(`Invalid x-amz-object-ownership header: ${ownership}`, 'x-amz-object-ownership');
  }
  const tags = input.CreateBucketConfiguration?.Tags;
  if (tags) checkTagSet(tags, 'bucket');
  const locked = input.ObjectLockEnabledForBucket === true;
  const { lastInsertRowid } = statements(ctx.db).insert.run(
    name,
    ctx.accountId,
    region,
    Math.floor(ctx.now() / 1000) * 1000,
    locked ? 'Enabled' : null,
    locked ? 1 : 0,
  );
  const id = Number(lastInsertRowid);
  defaultBucketConfigs(ctx, id, ownership);
  if (tags?.length) setBucketConfig(ctx.db, id, 'tagging', tags);
  const location = region === US_EAST_1 ? `/${name}` : `http://${name}.s3.amazonaws.com/`;
  return { Location: location, BucketArn: bucketArn(name) };
}

export function headBucket(input: HeadBucketRequest, ctx: RequestContext): HeadBucketOutput {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  return { BucketRegion: bucket.region, BucketArn: bucketArn(bucket.name), AccessPointAlias: false };
}

export function deleteBucket(input: DeleteBucketRequest, ctx: RequestContext): void {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  const s = statements(ctx.db);
  if (s.hasObjects.get(bucket.id)) {
    const versioned = bucket.versioning ? '. You must delete all versions in the bucket.' : '';
    throw new AwsError('BucketNotEmpty', `The bucket you tried to delete is not empty${versioned}`, 409, {
      fields: { BucketName: bucket.name },
    });
  }
  // uploads in progress go with the bucket, as their parts do
  const blobs = s.partBlobs.all(bucket.id).map((r) => r.blob_id);
  s.deleteParts.run(bucket.id);
  s.deleteUploads.run(bucket.id);
  s.deleteConfigs.run(bucket.id);
  s.delete.run(bucket.id);
  discardBlobs(ctx.blobs, blobs);
}

function decodeToken(token: string): string {
  const name = Buffer.from(token, 'base64url').toString('utf8');
  if (!name || Buffer.from(name).toString('base64url') !== token) {
    throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  }
  return name;
}

export function listBuckets(input: ListBucketsRequest, ctx: RequestContext): ListBucketsOutput {
  const max = int32Argument(input.MaxBuckets, 'max-buckets');
  if (max !== undefined && (max < 1 || max > MAX_BUCKETS)) {
    throw invalidArgument('Argument max-buckets must be an integer between 1 and 10000.', 'max-buckets', max);
  }
  const after = input.ContinuationToken === undefined ? '' : decodeToken(input.ContinuationToken);
  const prefix = input.Prefix ?? '';
  const limit = max ?? MAX_BUCKETS;
  const rows = statements(ctx.db).list.all({
    account: ctx.accountId,
    after,
    from: prefix,
    // bucket names are ASCII below DEL, so this bounds every name with the prefix
    to: `${prefix}\u007f`,
    region: input.BucketRegion ?? null,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const more = rows.length > limit;
  return {
    Buckets: page.map((r) => ({
      Name: r.name,
      CreationDate: new Date(r.created_at),
      BucketRegion: r.region,
      BucketArn: bucketArn(r.name),
    })),
    Owner: ownerOf(ctx.accountId),
    ContinuationToken:
      more && max !== undefined
        ? Buffer.from((page.at(-1) as { name: string }).name).toString('base64url')
        : undefined,
    Prefix: input.Prefix,
  };
}

export function getBucketLocation(
  input: GetBucketLocationRequest,
  ctx: RequestContext,
): GetBucketLocationOutput {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  return { LocationConstraint: bucket.region === US_EAST_1 ? undefined : (bucket.region as never) };
}
