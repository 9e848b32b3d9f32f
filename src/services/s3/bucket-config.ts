/**
 * The bucket configurations S3 stores and returns as given: tagging, CORS, lifecycle, policy,
 * notifications, encryption, ownership controls, public access block, website, accelerate,
 * request payment, logging, replication, object lock and ACLs. Enforcement (lifecycle
 * expiry, policies) is not done; CORS rules are applied by cors.ts, notifications are checked
 * when put and delivered by notification-config.ts and its neighbours.
 */
import type {
  CORSConfiguration,
  CORSRule,
  GetObjectLockConfigurationOutput,
  LifecycleRule,
  NotificationConfiguration,
  PutBucketLifecycleConfigurationRequest,
  PutObjectLockConfigurationRequest,
} from '@aws-sdk/client-s3';
import { AwsError } from '../../errors.js';
import { perDb } from '../../storage/database.js';
import type { Handler, RequestContext } from '../types.js';
import { type Bucket, requireBucket } from './bucket-lookup.js';
import { type ConfigKind, deleteBucketConfig, getBucketConfig, setBucketConfig } from './config-store.js';
import { invalidRequest, malformedXml, noSuchConfiguration } from './errors.js';
import { checkTagSet } from './tag-sets.js';

type BucketInput = { Bucket?: string; ExpectedBucketOwner?: string } & Record<string, unknown>;

function bucketOf(input: BucketInput, ctx: RequestContext): Bucket {
  return requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
}

/** A Put handler: checks the configuration `member` holds, then stores it. */
function putConfig(
  kind: ConfigKind,
  member: string,
  check?: (value: never, bucket: Bucket) => unknown,
): Handler {
  return (input: BucketInput, ctx: RequestContext) => {
    const bucket = bucketOf(input, ctx);
    const value = input[member];
    if (value === undefined || value === null) throw malformedXml();
    const stored = check ? (check(value as never, bucket) ?? value) : value;
    setBucketConfig(ctx.db, bucket.id, kind, stored);
    return {};
  };
}

/** A Get handler: the stored configuration as `output` makes it, or the absent one. */
function getConfig(
  kind: ConfigKind,
  output: (value: never) => unknown,
  absent: (bucket: Bucket) => unknown,
): Handler {
  return (input: BucketInput, ctx: RequestContext) => {
    const bucket = bucketOf(input, ctx);
    const value = getBucketConfig(ctx.db, bucket.id, kind);
    return value === undefined ? absent(bucket) : output(value as never);
  };
}

function deleteConfig(kind: ConfigKind): Handler {
  return (input: BucketInput, ctx: RequestContext) => {
    deleteBucketConfig(ctx.db, bucketOf(input, ctx).id, kind);
  };
}

function missing(code: string, message: string): (bucket: Bucket) => never {
  return (bucket) => {
    throw noSuchConfiguration(code, message, bucket.name);
  };
}

const CORS_METHODS = new Set(['GET', 'PUT', 'HEAD', 'POST', 'DELETE']);
const MAX_CORS_RULES = 100;

function checkCors(config: CORSConfiguration): void {
  const rules = config.CORSRules ?? [];
  if (rules.length === 0 || rules.length > MAX_CORS_RULES) throw malformedXml();
  for (const rule of rules) {
    if (!rule.AllowedMethods?.length || !rule.AllowedOrigins?.length) throw malformedXml();
    for (const method of rule.AllowedMethods) {
      if (!CORS_METHODS.has(method)) {
        throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${method}`);
      }
    }
  }
}

function checkLifecycle(config: { Rules?: LifecycleRule[] }): void {
  const rules = config.Rules ?? [];
  if (rules.length === 0 || rules.length > 1000) throw malformedXml();
  const ids = new Set<string>();
  for (const rule of rules) {
    if (rule.Status !== 'Enabled' && rule.Status !== 'Disabled') throw malformedXml();
    if (rule.ID !== undefined) {
      if (ids.has(rule.ID))
        throw new AwsError(
          'InvalidArgument',
          'Rule ID must be unique. Found same ID for more than one rule',
          400,
        );
      ids.add(rule.ID);
    }
  }
}

/** What S3 applies to a configuration put without x-amz-transition-default-minimum-object-size. */
const DEFAULT_TRANSITION_MINIMUM = 'all_storage_classes_128K';

interface StoredLifecycle {
  Rules: LifecycleRule[];
  /** absent in configurations stored before it was kept */
  TransitionDefaultMinimumObjectSize?: string;
}

/** The rules, and the header that says which objects are too small to transition by default. */
function putLifecycle(input: PutBucketLifecycleConfigurationRequest, ctx: RequestContext): object {
  const bucket = bucketOf(input as BucketInput, ctx);
  const config = input.LifecycleConfiguration;
  if (!config) throw malformedXml();
  checkLifecycle(config);
  const size = input.TransitionDefaultMinimumObjectSize ?? DEFAULT_TRANSITION_MINIMUM;
  const stored: StoredLifecycle = { Rules: config.Rules ?? [], TransitionDefaultMinimumObjectSize: size };
  setBucketConfig(ctx.db, bucket.id, 'lifecycle', stored);
  return { TransitionDefaultMinimumObjectSize: size };
}

function checkPolicy(policy: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    parsed = undefined;
  }
  if (!policy.trimStart().startsWith('{') || typeof parsed !== 'object' || parsed === null) {
    throw new AwsError('MalformedPolicy', "Policies must be valid JSON and the first byte must be '{'", 400);
  }
}

function checkBucketTags(tagging: { TagSet?: never[] }): unknown {
  if (!tagging.TagSet) throw malformedXml();
  checkTagSet(tagging.TagSet, 'bucket');
  return tagging.TagSet;
}

const DEFAULT_ENCRYPTION = {
  Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
};

function checkEncryption(config: {
  Rules?: { ApplyServerSideEncryptionByDefault?: { SSEAlgorithm?: string } }[];
}): void {
  const rule = config.Rules?.[0];
  const algorithm = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
  if (
    config.Rules?.length !== 1 ||
    !algorithm ||
    !['AES256', 'aws:kms', 'aws:kms:dsse'].includes(algorithm)
  ) {
    throw malformedXml();
  }
}

const setObjectLock = perDb((db) =>
  db.prepare<[number]>("UPDATE s3_buckets SET object_lock = 1, versioning = 'Enabled' WHERE id = ?"),
);

function putObjectLockConfiguration(input: PutObjectLockConfigurationRequest, ctx: RequestContext): object {
  const bucket = bucketOf(input as BucketInput, ctx);
  const config = input.ObjectLockConfiguration;
  if (bucket.versioning !== 'Enabled') {
    throw new AwsError(
      'InvalidBucketState',
      "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
      409,
    );
  }
  if (config?.ObjectLockEnabled !== 'Enabled') throw malformedXml();
  const retention = config.Rule?.DefaultRetention;
  if (
    config.Rule &&
    (!retention?.Mode || (retention.Days === undefined) === (retention.Years === undefined))
  ) {
    throw malformedXml();
  }
  setObjectLock(ctx.db).run(bucket.id);
  setBucketConfig(ctx.db, bucket.id, 'object-lock', config);
  return {};
}

function getObjectLockConfiguration(
  input: BucketInput,
  ctx: RequestContext,
): GetObjectLockConfigurationOutput {
  const bucket = bucketOf(input, ctx);
  if (!bucket.object_lock) {
    throw noSuchConfiguration(
      'ObjectLockConfigurationNotFoundError',
      'Object Lock configuration does not exist for this bucket',
      bucket.name,
    );
  }
  return {
    ObjectLockConfiguration: getBucketConfig(ctx.db, bucket.id, 'object-lock') ?? {
      ObjectLockEnabled: 'Enabled',
    },
  };
}

/** Handlers of the stored configurations, by operation. */
export const bucketConfigHandlers: Record<string, Handler> = {
  PutBucketTagging: putConfig('tagging', 'Tagging', checkBucketTags),
  GetBucketTagging: (input: BucketInput, ctx: RequestContext) => {
    const bucket = bucketOf(input, ctx);
    const tags = getBucketConfig<unknown[]>(ctx.db, bucket.id, 'tagging');
    // an empty tag set put is no tag set
    if (!tags?.length) throw noSuchConfiguration('NoSuchTagSet', 'The TagSet does not exist', bucket.name);
    return { TagSet: tags };
  },
  DeleteBucketTagging: deleteConfig('tagging'),

  PutBucketCors: putConfig('cors', 'CORSConfiguration', checkCors),
  GetBucketCors: getConfig(
    'cors',
    (c: { CORSRules: CORSRule[] }) => ({ CORSRules: c.CORSRules }),
    missing('NoSuchCORSConfiguration', 'The CORS configuration does not exist'),
  ),
  DeleteBucketCors: deleteConfig('cors'),

  PutBucketLifecycleConfiguration: putLifecycle,
  GetBucketLifecycleConfiguration: getConfig(
    'lifecycle',
    (c: StoredLifecycle) => ({
      Rules: c.Rules,
      TransitionDefaultMinimumObjectSize: c.TransitionDefaultMinimumObjectSize ?? DEFAULT_TRANSITION_MINIMUM,
    }),
    missing('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist'),
  ),
  DeleteBucketLifecycle: deleteConfig('lifecycle'),

  PutBucketPolicy: putConfig('policy', 'Policy', checkPolicy),
  GetBucketPolicy: getConfig(
    'policy',
    (policy: string) => ({ Policy: policy }),
    missing('NoSuchBucketPolicy', 'The bucket policy does not exist'),
  ),
  GetBucketPolicyStatus: getConfig(
    'policy',
    () => ({ PolicyStatus: { IsPublic: false } }),
    missing('NoSuchBucketPolicy', 'The bucket policy does not exist'),
  ),
  DeleteBucketPolicy: deleteConfig('policy'),

  GetBucketNotificationConfiguration: getConfig(
    'notification',
    (c: NotificationConfiguration) => c,
    () => ({}),
  ),

  PutBucketEncryption: putConfig('encryption', 'ServerSideEncryptionConfiguration', checkEncryption),
  GetBucketEncryption: getConfig(
    'encryption',
    (c: object) => ({ ServerSideEncryptionConfiguration: c }),
    () => ({ ServerSideEncryptionConfiguration: DEFAULT_ENCRYPTION }),
  ),
  DeleteBucketEncryption: deleteConfig('encryption'),

  PutBucketOwnershipControls: putConfig('ownership', 'OwnershipControls'),
  GetBucketOwnershipControls: getConfig(
    'ownership',
    (c: object) => ({ OwnershipControls: c }),
    missing('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found'),
  ),
  DeleteBucketOwnershipControls: deleteConfig('ownership'),

  PutPublicAccessBlock: putConfig('public-access-block', 'PublicAccessBlockConfiguration'),
  GetPublicAccessBlock: getConfig(
    'public-access-block',
    (c: object) => ({ PublicAccessBlockConfiguration: c }),
    missing('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found'),
  ),
  DeletePublicAccessBlock: deleteConfig('public-access-block'),

  PutBucketWebsite: putConfig('website', 'WebsiteConfiguration'),
  GetBucketWebsite: getConfig(
    'website',
    (c: object) => c,
    missing('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration'),
  ),
  DeleteBucketWebsite: deleteConfig('website'),

  PutBucketReplication: putConfig('replication', 'ReplicationConfiguration'),
  GetBucketReplication: getConfig(
    'replication',
    (c: object) => ({ ReplicationConfiguration: c }),
    missing('ReplicationConfigurationNotFoundError', 'The replication configuration was not found'),
  ),
  DeleteBucketReplication: deleteConfig('replication'),

  PutBucketAccelerateConfiguration: putConfig('accelerate', 'AccelerateConfiguration'),
  GetBucketAccelerateConfiguration: getConfig(
    'accelerate',
    (c: object) => c,
    () => ({}),
  ),

  PutBucketRequestPayment: putConfig('request-payment', 'RequestPaymentConfiguration'),
  GetBucketRequestPayment: getConfig(
    'request-payment',
    (c: object) => c,
    () => ({ Payer: 'BucketOwner' }),
  ),

  PutBucketLogging: putConfig('logging', 'BucketLoggingStatus'),
  GetBucketLogging: getConfig(
    'logging',
    (c: object) => c,
    () => ({}),
  ),

  PutObjectLockConfiguration: putObjectLockConfiguration,
  GetObjectLockConfiguration: getObjectLockConfiguration,
};

/** The configurations a new bucket has from the start, as S3 sets them since 2023. */
export function defaultBucketConfigs(
  ctx: RequestContext,
  bucketId: number,
  ownership: string | undefined,
): void {
  setBucketConfig(ctx.db, bucketId, 'ownership', {
    Rules: [{ ObjectOwnership: ownership ?? 'BucketOwnerEnforced' }],
  });
  setBucketConfig(ctx.db, bucketId, 'public-access-block', {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  });
}
