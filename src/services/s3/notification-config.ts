/**
 * PutBucketNotificationConfiguration: checks the configuration as S3 does (notification-rules.ts),
 * then, unless x-amz-skip-destination-validation says otherwise, that every queue and topic
 * exists, and sends s3:TestEvent to those the bucket did not have before, all in the
 * transaction that stores it. Lambda functions and EventBridge are stored, not validated.
 */
import type {
  NotificationConfiguration,
  PutBucketNotificationConfigurationRequest,
} from '@aws-sdk/client-s3';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { type Bucket, requireBucket } from './bucket-lookup.js';
import { getBucketConfig, setBucketConfig } from './config-store.js';
import { malformedXml } from './errors.js';
import { loadDelivery } from './notification-events.js';
import { checkNotificationConfiguration, type NotificationRule, rulesOf } from './notification-rules.js';
import { deliveredRules, rememberNotifications } from './notification-store.js';

type Delivery = Awaited<ReturnType<typeof loadDelivery>>;

const store = perDb((db) =>
  db.transaction(
    (
      ctx: RequestContext,
      bucketName: string,
      config: NotificationConfiguration,
      rules: NotificationRule[],
      validator: Delivery | undefined,
    ): Bucket => {
      const bucket = requireBucket(ctx, bucketName);
      const previous = getBucketConfig<NotificationConfiguration>(ctx.db, bucket.id, 'notification');
      validator?.checkDestinations(ctx, rules);
      setBucketConfig(ctx.db, bucket.id, 'notification', config);
      validator?.sendTestEvents(ctx, bucket, rules, previous ? rulesOf(previous) : []);
      return bucket;
    },
  ),
);

export async function putBucketNotificationConfiguration(
  input: PutBucketNotificationConfigurationRequest,
  ctx: RequestContext,
): Promise<object> {
  const bucket = requireBucket(ctx, input.Bucket as string, input.ExpectedBucketOwner);
  if (!input.NotificationConfiguration) throw malformedXml();
  const { config, rules } = checkNotificationConfiguration(input.NotificationConfiguration, bucket.region);
  const delivered = deliveredRules(rules);
  // events of this bucket will need the delivery code, whether or not it validates now
  const delivery = delivered.length ? await loadDelivery() : undefined;
  const validator = input.SkipDestinationValidation === true ? undefined : delivery;
  const stored = store(ctx.db)(ctx, bucket.name, config, delivered, validator);
  rememberNotifications(ctx.db, stored, delivered);
  return {};
}
