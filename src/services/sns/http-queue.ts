/**
 * Pending HTTP/S deliveries: a row per message and subscription, written in the
 * publishing transaction and due at `next_at` on the server clock; the worker
 * (http-worker.ts) posts it and deletes it, or reschedules it per the retry policy.
 */
import type { Db } from '../../storage/database.js';
import { perDb } from '../../storage/database.js';

export interface HttpDelivery {
  id: number;
  subscriptionArn: string;
  endpoint: string;
  /** JSON of the request headers */
  headers: string;
  body: string;
  /** JSON of the message attributes, for a raw delivery that may end in a dead-letter queue */
  rawAttributes: string | null;
  /** JSON of the effective healthyRetryPolicy */
  retryPolicy: string;
  attempts: number;
  nextAt: number;
  createdAt: number;
}

export type NewHttpDelivery = Omit<HttpDelivery, 'id' | 'attempts'>;

const COLUMNS = `id, subscription_arn AS subscriptionArn, endpoint, headers, body, raw_attributes AS rawAttributes,
  retry_policy AS retryPolicy, attempts, next_at AS nextAt, created_at AS createdAt`;

const statements = perDb((db) => ({
  insert: db.prepare<NewHttpDelivery>(
    `INSERT INTO sns_http_deliveries (subscription_arn, endpoint, headers, body, raw_attributes, retry_policy,
       next_at, created_at)
     VALUES (@subscriptionArn, @endpoint, @headers, @body, @rawAttributes, @retryPolicy, @nextAt, @createdAt)`,
  ),
  due: db.prepare<[number, number], HttpDelivery>(
    `SELECT ${COLUMNS} FROM sns_http_deliveries WHERE next_at <= ? ORDER BY next_at, id LIMIT ?+0`,
  ),
  next: db.prepare<[], { at: number | null }>('SELECT min(next_at) AS at FROM sns_http_deliveries'),
  reschedule: db.prepare<[number, number, number]>(
    'UPDATE sns_http_deliveries SET attempts = ?, next_at = ? WHERE id = ?',
  ),
  remove: db.prepare<[number]>('DELETE FROM sns_http_deliveries WHERE id = ?'),
  cancelSubscription: db.prepare<[string]>('DELETE FROM sns_http_deliveries WHERE subscription_arn = ?'),
  cancelTopic: db.prepare<{ prefix: string }>(
    'DELETE FROM sns_http_deliveries WHERE substr(subscription_arn, 1, length(@prefix)) = @prefix',
  ),
}));

export function enqueueHttpDelivery(db: Db, delivery: NewHttpDelivery): void {
  statements(db).insert.run(delivery);
}

export function dueHttpDeliveries(db: Db, now: number, limit: number): HttpDelivery[] {
  return statements(db).due.all(now, limit);
}

/** When the soonest pending delivery is due, if any is pending. */
export function nextHttpDeliveryAt(db: Db): number | undefined {
  return statements(db).next.get()?.at ?? undefined;
}

export function rescheduleHttpDelivery(db: Db, id: number, attempts: number, nextAt: number): void {
  statements(db).reschedule.run(attempts, nextAt, id);
}

export function removeHttpDelivery(db: Db, id: number): void {
  statements(db).remove.run(id);
}

export function cancelDeliveriesOfSubscription(db: Db, subscriptionArn: string): void {
  statements(db).cancelSubscription.run(subscriptionArn);
}

/** Drops the pending deliveries of every subscription of a topic. */
export function cancelDeliveriesOfTopic(db: Db, topicArn: string): void {
  statements(db).cancelTopic.run({ prefix: `${topicArn}:` });
}
