/**
 * Delivering S3's notifications (imported only once a bucket has destinations, see
 * notification-events.ts): events and test events to SQS queues, as S3's principal, and to
 * SNS topics, as a publish with S3's subject. A destination's tables exist only once its
 * service has loaded, and a queue or topic can exist only then: a service never loaded has
 * none, so nothing is looked for. A destination that is gone, or refuses the message (a FIFO
 * queue), loses the event, as with S3.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../errors.js';
import { perDb } from '../../storage/database.js';
import { publishFromService } from '../sns/publish.js';
import { topicByArn } from '../sns/topic-store.js';
import { partitionOf } from '../sqs/addressing.js';
import { sendToQueue } from '../sqs/deliver.js';
import { queueByArn } from '../sqs/queue-lookup.js';
import type { RequestContext } from '../types.js';
import type { Bucket } from './bucket-lookup.js';
import {
  customerIdOf,
  type EventOrigin,
  eventKey,
  eventMessage,
  eventRecord,
  type ObjectChange,
  Sequencer,
  testEventMessage,
} from './event-records.js';
import {
  type DestinationKind,
  type NotificationRule,
  ruleMatches,
  unvalidatedDestinations,
} from './notification-rules.js';

/** The principal SQS reports as SenderId for what S3 sends. */
const S3_SENDER_ID = 'AIDAJHIPRHEMV73VRJEBU';
const SUBJECT = 'Amazon S3 Notification';
/** The request's address is not known past the protocol layer: the local one stands in. */
const SOURCE_IP = '127.0.0.1';

const SERVICE_OF: Record<Exclude<DestinationKind, 'lambda'>, string> = { queue: 'sqs', topic: 'sns' };

const state = perDb((db) => ({
  migrated: db.prepare<[string], number>('SELECT 1 FROM localaws_migrations WHERE service = ?').pluck(),
  /** services seen migrated: their tables stay */
  ready: new Set<string>(),
  sequencer: new Sequencer(),
}));

function serviceReady(ctx: RequestContext, kind: DestinationKind): boolean {
  if (kind === 'lambda') return false;
  const s = state(ctx.db);
  const service = SERVICE_OF[kind];
  if (s.ready.has(service)) return true;
  if (s.migrated.get(service) === undefined) return false;
  s.ready.add(service);
  return true;
}

function destinationExists(ctx: RequestContext, rule: NotificationRule): boolean {
  if (!serviceReady(ctx, rule.kind)) return false;
  return rule.kind === 'queue' ? queueByArn(ctx.db, rule.arn) !== undefined : !!topicByArn(ctx.db, rule.arn);
}

/** Sends a message to a destination; false when it is gone or refused it. */
function send(ctx: RequestContext, kind: DestinationKind, arn: string, body: string): boolean {
  if (!serviceReady(ctx, kind)) return false;
  try {
    if (kind === 'queue') return sendToQueue(ctx, arn, { body }, S3_SENDER_ID) !== undefined;
    return publishFromService(ctx, arn, body, SUBJECT);
  } catch (err) {
    if (err instanceof AwsError) return false;
    throw err;
  }
}

/** Who made the change, as records name them. */
function requester(ctx: RequestContext): string {
  if (ctx.caller.userId) return `AWS:${ctx.caller.userId}`;
  return ctx.caller.accessKeyId === '' ? 'Anonymous' : customerIdOf(ctx.accountId);
}

/** Sends one change to every destination whose rule takes it. */
export function deliverEvent(
  ctx: RequestContext,
  bucket: Bucket,
  rules: NotificationRule[],
  change: ObjectChange,
): void {
  const key = eventKey(change.key);
  const matching = rules.filter((rule) => ruleMatches(rule, change.eventName, key));
  if (matching.length === 0) return;
  const now = ctx.now();
  const origin: EventOrigin = {
    region: bucket.region,
    partition: partitionOf(bucket.region),
    bucket: bucket.name,
    ownerId: customerIdOf(bucket.account_id),
    requester: requester(ctx),
    sourceIp: SOURCE_IP,
    requestId: ctx.requestId || randomUUID(),
    timeMs: now,
  };
  const record = eventRecord(origin, change, state(ctx.db).sequencer.next(now));
  for (const rule of matching) send(ctx, rule.kind, rule.arn, eventMessage(record, rule.id));
}

function failureReason(kind: DestinationKind, missing: boolean): string {
  const what = kind === 'queue' ? 'queue' : 'topic';
  return missing
    ? `The destination ${what} does not exist`
    : `Permissions on the destination ${what} do not allow S3 to publish notifications from this bucket`;
}

/** Each destination once, in the order configured. */
function destinations(rules: NotificationRule[]): NotificationRule[] {
  const byArn = new Map<string, NotificationRule>();
  for (const rule of rules) if (!byArn.has(rule.arn)) byArn.set(rule.arn, rule);
  return [...byArn.values()];
}

/** Refuses destinations that do not exist, naming every one. */
export function checkDestinations(ctx: RequestContext, rules: NotificationRule[]): void {
  const missing = destinations(rules).filter((rule) => !destinationExists(ctx, rule));
  if (missing.length) {
    throw unvalidatedDestinations(
      missing.map((rule) => ({ arn: rule.arn, reason: failureReason(rule.kind, true) })),
    );
  }
}

/** Sends s3:TestEvent to each destination the bucket did not have; one that refuses it fails the Put. */
export function sendTestEvents(
  ctx: RequestContext,
  bucket: Bucket,
  rules: NotificationRule[],
  previous: NotificationRule[],
): void {
  const known = new Set(previous.map((rule) => rule.arn));
  const message = testEventMessage(bucket.name, ctx.now(), ctx.requestId);
  const refused = destinations(rules).filter(
    (rule) => !known.has(rule.arn) && !send(ctx, rule.kind, rule.arn, message),
  );
  if (refused.length) {
    throw unvalidatedDestinations(
      refused.map((rule) => ({ arn: rule.arn, reason: failureReason(rule.kind, false) })),
    );
  }
}
