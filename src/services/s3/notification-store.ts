/**
 * Which buckets send events, kept in memory per database so that a write to a bucket without
 * notifications pays one map lookup. Loaded from the stored configurations on first use (a
 * data dir's survive a restart), then updated by PutBucketNotificationConfiguration once its
 * transaction commits. Entries are keyed by bucket name and carry the bucket's id: an entry
 * left by a deleted bucket (or a reset) never applies to a new bucket of the same name.
 */
import type { NotificationConfiguration } from '@aws-sdk/client-s3';
import type { Db } from '../../storage/database.js';
import { perDb } from '../../storage/database.js';
import type { Bucket } from './bucket-lookup.js';
import { type NotificationRule, rulesOf } from './notification-rules.js';

interface Entry {
  bucketId: number;
  /** the topic and queue rules: the destinations events are delivered to */
  rules: NotificationRule[];
}

/** The rules events are delivered by; Lambda functions are kept for when Lambda exists. */
export function deliveredRules(rules: NotificationRule[]): NotificationRule[] {
  return rules.filter((rule) => rule.kind !== 'lambda');
}

const entries = perDb((db) => {
  const stored = db
    .prepare<[], { name: string; id: number; value: string }>(
      `SELECT b.name, b.id, c.value FROM s3_bucket_configs c JOIN s3_buckets b ON b.id = c.bucket_id
       WHERE c.kind = 'notification'`,
    )
    .all();
  const map = new Map<string, Entry>();
  for (const { name, id, value } of stored) {
    const rules = deliveredRules(rulesOf(JSON.parse(value) as NotificationConfiguration));
    if (rules.length) map.set(name, { bucketId: id, rules });
  }
  return map;
});

/** Whether a write to the bucket so named may send events: the cheap check of every write. */
export function mayNotify(db: Db, bucketName: string | undefined): boolean {
  const map = entries(db);
  return map.size > 0 && bucketName !== undefined && map.has(bucketName);
}

/** The rules a bucket's events are delivered by, if it has any. */
export function notificationRules(db: Db, bucket: Bucket): NotificationRule[] | undefined {
  const entry = entries(db).get(bucket.name);
  return entry?.bucketId === bucket.id ? entry.rules : undefined;
}

/** Records a committed configuration's delivered rules. */
export function rememberNotifications(db: Db, bucket: Bucket, rules: NotificationRule[]): void {
  const map = entries(db);
  if (rules.length) map.set(bucket.name, { bucketId: bucket.id, rules });
  else map.delete(bucket.name);
}
