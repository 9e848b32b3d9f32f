/** Subscription rows: inserting, finding (by ARN, token, topic and endpoint), listing, removing. */
import type { Db } from '../../storage/database.js';
import { perDb } from '../../storage/database.js';

/** A row of sns_subscriptions. Flags are SQLite integers (0 or 1). */
export interface Subscription {
  id: number;
  arn: string;
  topicId: number;
  topicArn: string;
  /** the topic's account and region */
  accountId: string;
  region: string;
  /** the subscriber's account */
  owner: string;
  principal: string;
  protocol: string;
  endpoint: string;
  pending: number;
  authenticated: number;
  token: string | null;
  /** JSON: RawMessageDelivery, FilterPolicy, FilterPolicyScope, RedrivePolicy, DeliveryPolicy, ... */
  attributes: string;
  createdAt: number;
}

export type NewSubscription = Omit<Subscription, 'id'>;

const COLUMNS = `id, arn, topic_id AS topicId, topic_arn AS topicArn, account_id AS accountId, region, owner,
  principal, protocol, endpoint, pending, authenticated, token, attributes, created_at AS createdAt`;

const statements = perDb((db) => ({
  insert: db.prepare<NewSubscription>(
    `INSERT INTO sns_subscriptions (arn, topic_id, topic_arn, account_id, region, owner, principal, protocol,
       endpoint, pending, authenticated, token, attributes, created_at)
     VALUES (@arn, @topicId, @topicArn, @accountId, @region, @owner, @principal, @protocol, @endpoint, @pending,
       @authenticated, @token, @attributes, @createdAt)`,
  ),
  byArn: db.prepare<[string], Subscription>(`SELECT ${COLUMNS} FROM sns_subscriptions WHERE arn = ?`),
  byToken: db.prepare<[string], Subscription>(`SELECT ${COLUMNS} FROM sns_subscriptions WHERE token = ?`),
  byEndpoint: db.prepare<[number, string, string], Subscription>(
    `SELECT ${COLUMNS} FROM sns_subscriptions WHERE topic_id = ? AND protocol = ? AND endpoint = ?`,
  ),
  confirmed: db.prepare<[number], Subscription>(
    `SELECT ${COLUMNS} FROM sns_subscriptions WHERE topic_id = ? AND pending = 0 ORDER BY id`,
  ),
  pageOfTopic: db.prepare<[number, number, number], Subscription>(
    `SELECT ${COLUMNS} FROM sns_subscriptions WHERE topic_id = ? AND id > ? ORDER BY id LIMIT ?+0`,
  ),
  pageOfAccount: db.prepare<[string, string, number, number], Subscription>(
    `SELECT ${COLUMNS} FROM sns_subscriptions WHERE account_id = ? AND region = ? AND id > ? ORDER BY id LIMIT ?+0`,
  ),
  counts: db.prepare<[number], { confirmed: number | null; pending: number | null }>(
    'SELECT sum(pending = 0) AS confirmed, sum(pending = 1) AS pending FROM sns_subscriptions WHERE topic_id = ?',
  ),
  confirm: db.prepare<[number, number]>(
    'UPDATE sns_subscriptions SET pending = 0, authenticated = ? WHERE id = ?',
  ),
  setAttributes: db.prepare<[string, number]>('UPDATE sns_subscriptions SET attributes = ? WHERE id = ?'),
  delete: db.prepare<[number]>('DELETE FROM sns_subscriptions WHERE id = ?'),
  deleteOfTopic: db.prepare<[number]>('DELETE FROM sns_subscriptions WHERE topic_id = ?'),
}));

export function insertSubscription(db: Db, subscription: NewSubscription): void {
  statements(db).insert.run(subscription);
}

export function subscriptionByArn(db: Db, arn: string): Subscription | undefined {
  return statements(db).byArn.get(arn);
}

export function subscriptionByToken(db: Db, token: string): Subscription | undefined {
  return statements(db).byToken.get(token);
}

export function subscriptionOfEndpoint(
  db: Db,
  topicId: number,
  protocol: string,
  endpoint: string,
): Subscription | undefined {
  return statements(db).byEndpoint.get(topicId, protocol, endpoint);
}

/** The topic's confirmed subscriptions, the oldest first: who a publish reaches. */
export function confirmedSubscriptions(db: Db, topicId: number): Subscription[] {
  return statements(db).confirmed.all(topicId);
}

export function subscriptionsOfTopic(db: Db, topicId: number, afterId: number, limit: number) {
  return statements(db).pageOfTopic.all(topicId, afterId, limit);
}

export function subscriptionsOfAccount(
  db: Db,
  accountId: string,
  region: string,
  afterId: number,
  limit: number,
) {
  return statements(db).pageOfAccount.all(accountId, region, afterId, limit);
}

export function subscriptionCounts(db: Db, topicId: number): { confirmed: number; pending: number } {
  const row = statements(db).counts.get(topicId);
  return { confirmed: row?.confirmed ?? 0, pending: row?.pending ?? 0 };
}

/** Confirms a pending subscription; `authenticated` says whether the confirming request was signed. */
export function confirmSubscription(db: Db, id: number, authenticated: boolean): void {
  statements(db).confirm.run(authenticated ? 1 : 0, id);
}

export function saveSubscriptionAttributes(db: Db, id: number, attributes: Record<string, string>): void {
  statements(db).setAttributes.run(JSON.stringify(attributes), id);
}

export function deleteSubscription(db: Db, id: number): void {
  statements(db).delete.run(id);
}

export function deleteTopicSubscriptions(db: Db, topicId: number): void {
  statements(db).deleteOfTopic.run(topicId);
}
