/**
 * Where S3's writes announce themselves: a created object (Put, Post, Copy,
 * CompleteMultipartUpload) or a removed one (Delete, DeleteMarkerCreated) is announced inside
 * the transaction that writes it, so an event leaves only with a committed write and is in
 * its queue before the response. What delivers (notification-delivery.ts, and through it
 * SQS's and SNS's code) is imported only once some bucket sends events: a handler awaits
 * `eventsReady` before its transaction, which costs a map lookup for a bucket without any.
 */

import { perDb } from '../../storage/database.js';
import type { Handler, RequestContext } from '../types.js';
import type { Bucket } from './bucket-lookup.js';
import type { NotificationRule } from './notification-rules.js';
import { mayNotify, notificationRules } from './notification-store.js';

type Delivery = typeof import('./notification-delivery.js');

let delivery: Delivery | undefined;
let loading: Promise<Delivery> | undefined;

/** The delivery code, imported on first use. */
export function loadDelivery(): Promise<Delivery> {
  loading ??= import('./notification-delivery.js').then((loaded) => {
    delivery = loaded;
    return loaded;
  });
  return loading;
}

/** What to await before writing to the bucket so named: undefined when there is nothing to wait for. */
export function eventsReady(
  ctx: RequestContext,
  bucketName: string | undefined,
): Promise<unknown> | undefined {
  return !delivery && mayNotify(ctx.db, bucketName) ? loadDelivery() : undefined;
}

const inTransaction = perDb((db) =>
  db.transaction((handler: Handler, input: unknown, ctx: RequestContext) => handler(input, ctx)),
);

/** A plain handler whose writes may announce events: it awaits the delivery code first (which
 * makes it async), then runs in its own transaction as a plain handler would. */
export function withEvents(handler: Handler): Handler {
  return async (input: { Bucket?: string }, ctx: RequestContext) => {
    const ready = eventsReady(ctx, input.Bucket);
    if (ready) await ready;
    return inTransaction(ctx.db)(handler, input, ctx);
  };
}

/** The bucket's rules, when a change of it has somewhere to go. */
function rulesFor(ctx: RequestContext, bucket: Bucket): NotificationRule[] | undefined {
  // the delivery code is loaded whenever rules exist: by eventsReady, or by the configuration's Put
  return delivery && notificationRules(ctx.db, bucket);
}

/** Announces a new object version (the bucket as the writing transaction read it). */
export function announceCreated(
  ctx: RequestContext,
  bucket: Bucket,
  key: string,
  eventName: string,
  object: { size: number; etag: string },
  versionId: string,
): void {
  const rules = rulesFor(ctx, bucket);
  if (!rules) return;
  (delivery as Delivery).deliverEvent(ctx, bucket, rules, {
    eventName,
    key,
    size: object.size,
    eTag: object.etag.replaceAll('"', ''),
    versionId: bucket.versioning === null ? undefined : versionId,
  });
}

/** Announces a delete: of a version asked for by id, or of the key (a marker when versioned). */
export function announceRemoved(
  ctx: RequestContext,
  bucket: Bucket,
  key: string,
  askedVersion: string | undefined,
  result: { deleteMarker: boolean; versionId?: string },
): void {
  const rules = rulesFor(ctx, bucket);
  if (!rules) return;
  const markerCreated = askedVersion === undefined && result.deleteMarker;
  (delivery as Delivery).deliverEvent(ctx, bucket, rules, {
    eventName: markerCreated ? 'ObjectRemoved:DeleteMarkerCreated' : 'ObjectRemoved:Delete',
    key,
    versionId: bucket.versioning === null ? undefined : (result.versionId ?? askedVersion),
  });
}
