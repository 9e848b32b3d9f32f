/**
 * Subscribe, ConfirmSubscription, Unsubscribe, the subscription listings, and
 * Get/SetSubscriptionAttributes. SQS, Lambda, SMS, mobile and Firehose subscriptions are
 * confirmed at once; HTTP/S and email ones wait for their token, which a
 * SubscriptionConfirmation (posted, or recorded for email) carries with a SubscribeURL
 * that confirms when fetched.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  ConfirmSubscriptionInput,
  ConfirmSubscriptionResponse,
  GetSubscriptionAttributesInput,
  GetSubscriptionAttributesResponse,
  ListSubscriptionsByTopicInput,
  ListSubscriptionsByTopicResponse,
  ListSubscriptionsInput,
  ListSubscriptionsResponse,
  SetSubscriptionAttributesInput,
  SubscribeInput,
  SubscribeResponse,
  Subscription as SubscriptionEntry,
  UnsubscribeInput,
} from '@aws-sdk/client-sns';
import { perDb } from '../../storage/database.js';
import { parseQueueArn, partitionOf } from '../sqs/addressing.js';
import type { RequestContext } from '../types.js';
import { parseArn, subscriptionTopicArn } from './arns.js';
import { deliver, type Outgoing, subscribeUrl } from './deliveries.js';
import { invalid, invalidParameter, subscriptionNotFound } from './errors.js';
import { cancelDeliveriesOfSubscription } from './http-queue.js';
import { isPhoneNumber } from './message-rules.js';
import { afterToken, PAGE_SIZE, pageOf } from './pages.js';
import {
  applySubscriptionAttributes,
  describeSubscription,
  sameSubscriptionAttributes,
} from './subscription-attributes.js';
import {
  confirmSubscription as confirm,
  deleteSubscription,
  insertSubscription,
  type Subscription,
  saveSubscriptionAttributes,
  subscriptionByArn,
  subscriptionByToken,
  subscriptionOfEndpoint,
  subscriptionsOfAccount,
  subscriptionsOfTopic,
} from './subscription-store.js';
import { requireTopic, type Topic, topicAttributes, topicByArn } from './topic-store.js';

const PROTOCOLS = new Set([
  'http',
  'https',
  'email',
  'email-json',
  'sms',
  'sqs',
  'application',
  'lambda',
  'firehose',
]);
/** Protocols whose subscriptions wait for confirmation. */
const CONFIRMED_BY_TOKEN = new Set(['http', 'https', 'email', 'email-json']);
const PENDING_ARN = 'pending confirmation';
const EMAIL = /^[^@\s]+@[^@\s]+$/;
/** what SNS's tokens look like; anything else is not a token at all */
const TOKEN = /^(?:[0-9a-f]{2}){16,}$/;

const statements = perDb((db) =>
  db.prepare<[number]>(
    'UPDATE sns_topics SET deleted_subscriptions = deleted_subscriptions + 1 WHERE id = ?',
  ),
);

function checkEndpoint(topic: Topic, protocol: string, endpoint: string | undefined): string {
  switch (protocol) {
    case 'http':
    case 'https':
      if (!endpoint?.toLowerCase().startsWith(`${protocol}://`)) {
        throw invalid('Endpoint must match the specified protocol');
      }
      if (!URL.canParse(endpoint)) throw invalid('Endpoint');
      return endpoint;
    case 'sms':
      if (endpoint === undefined || !isPhoneNumber(endpoint))
        throw invalidParameter(`Invalid SMS endpoint: ${endpoint}`);
      return endpoint;
    case 'sqs': {
      const queue = endpoint === undefined ? undefined : parseQueueArn(endpoint);
      if (!queue) throw invalid('SQS endpoint ARN');
      if (queue.name.endsWith('.fifo') && topic.fifo === 0) {
        throw invalid(
          'Invalid parameter: Endpoint',
          'FIFO SQS Queues can not be subscribed to standard SNS topics',
        );
      }
      return endpoint as string;
    }
    case 'email':
    case 'email-json':
      if (endpoint === undefined || !EMAIL.test(endpoint)) throw invalid('Email address');
      return endpoint;
    default:
      if (endpoint === undefined || endpoint.split(':').length < 6) throw invalid(`${protocol} endpoint ARN`);
      return endpoint;
  }
}

function checkProtocol(topic: Topic, protocol: string | undefined): string {
  if (protocol === undefined || !PROTOCOLS.has(protocol)) {
    throw invalid(`Amazon SNS does not support this protocol string: ${protocol}`);
  }
  if (topic.fifo === 1 && protocol !== 'sqs') throw invalid('Protocol', `Invalid protocol type: ${protocol}`);
  return protocol;
}

function newToken(): string {
  return randomBytes(64).toString('hex');
}

/** Sends the SubscriptionConfirmation of a pending subscription: posted, or recorded for email. */
function sendConfirmation(ctx: RequestContext, topic: Topic, subscription: Subscription): void {
  const token = subscription.token as string;
  const out: Outgoing = {
    type: 'SubscriptionConfirmation',
    messageId: randomUUID(),
    topic,
    message: `You have chosen to subscribe to the topic ${topic.arn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    timestamp: new Date(ctx.now()).toISOString(),
    token,
    subscribeUrl: subscribeUrl(ctx.endpoint, topic.arn, token),
  };
  deliver(ctx, out, [subscription]);
}

function existingSubscription(existing: Subscription, input: SubscribeInput): SubscribeResponse {
  if (!sameSubscriptionAttributes(JSON.parse(existing.attributes), input.Attributes)) {
    throw invalid('Attributes', 'Subscription already exists with different attributes');
  }
  const pending = existing.pending === 1 && !input.ReturnSubscriptionArn;
  return { SubscriptionArn: pending ? PENDING_ARN : existing.arn };
}

export function subscribe(input: SubscribeInput, ctx: RequestContext): SubscribeResponse {
  const topic = requireTopic(ctx, input.TopicArn);
  const protocol = checkProtocol(topic, input.Protocol);
  const endpoint = checkEndpoint(topic, protocol, input.Endpoint);
  const target = { topicArn: topic.arn, protocol, endpoint };
  const attributes = applySubscriptionAttributes(target, {}, input.Attributes ?? {}, true);
  if (protocol === 'firehose' && attributes.SubscriptionRoleArn === undefined) {
    throw invalid('Attributes', 'SubscriptionRoleArn must be set for firehose subscriptions');
  }
  const existing = subscriptionOfEndpoint(ctx.db, topic.id, protocol, endpoint);
  if (existing) return existingSubscription(existing, input);
  const pending = CONFIRMED_BY_TOKEN.has(protocol);
  const subscription: Subscription = {
    id: 0,
    arn: `${topic.arn}:${randomUUID()}`,
    topicId: topic.id,
    topicArn: topic.arn,
    accountId: topic.accountId,
    region: topic.region,
    owner: ctx.accountId,
    principal: ctx.caller.arn ?? `arn:${partitionOf(ctx.region)}:iam::${ctx.accountId}:root`,
    protocol,
    endpoint,
    pending: pending ? 1 : 0,
    authenticated: pending ? 0 : 1,
    token: pending ? newToken() : null,
    attributes: JSON.stringify(attributes),
    createdAt: ctx.now(),
  };
  const { id: _id, ...row } = subscription;
  insertSubscription(ctx.db, row);
  if (pending) sendConfirmation(ctx, topic, subscription);
  return { SubscriptionArn: pending && !input.ReturnSubscriptionArn ? PENDING_ARN : subscription.arn };
}

/** The topic of a confirmation, named by an ARN that may come unsigned from a SubscribeURL. */
function confirmationTopic(ctx: RequestContext, arn: string | undefined): Topic | undefined {
  let parts: ReturnType<typeof parseArn>;
  try {
    parts = parseArn(arn, 'TopicArn');
  } catch {
    throw invalid('Topic');
  }
  if (parts.service !== 'sns') throw invalid('Topic');
  return topicByArn(ctx.db, arn as string);
}

export function confirmSubscription(
  input: ConfirmSubscriptionInput,
  ctx: RequestContext,
): ConfirmSubscriptionResponse {
  const topic = confirmationTopic(ctx, input.TopicArn);
  if (!TOKEN.test(input.Token ?? '')) throw invalidParameter('Invalid token');
  const subscription = subscriptionByToken(ctx.db, input.Token as string);
  if (!subscription) throw invalid('Token');
  if (!topic || subscription.topicId !== topic.id) throw invalid('Topic');
  if (subscription.pending === 1) confirm(ctx.db, subscription.id, ctx.caller.accessKeyId !== '');
  return { SubscriptionArn: subscription.arn };
}

/** Unsubscribing twice, or from a subscription that never existed, succeeds. */
export function unsubscribe(input: UnsubscribeInput, ctx: RequestContext): void {
  subscriptionTopicArn(input.SubscriptionArn);
  const subscription = subscriptionByArn(ctx.db, input.SubscriptionArn as string);
  if (!subscription) return;
  deleteSubscription(ctx.db, subscription.id);
  cancelDeliveriesOfSubscription(ctx.db, subscription.arn);
  statements(ctx.db).run(subscription.topicId);
  const topic = topicByArn(ctx.db, subscription.topicArn);
  if (topic && (subscription.protocol === 'http' || subscription.protocol === 'https')) {
    sendUnsubscribeConfirmation(ctx, topic, subscription);
  }
}

/** AWS tells an HTTP/S endpoint it was unsubscribed, with a SubscribeURL to undo it. */
function sendUnsubscribeConfirmation(ctx: RequestContext, topic: Topic, subscription: Subscription): void {
  const token = newToken();
  deliver(
    ctx,
    {
      type: 'UnsubscribeConfirmation',
      messageId: randomUUID(),
      topic,
      message: `You have chosen to deactivate subscription ${subscription.arn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`,
      timestamp: new Date(ctx.now()).toISOString(),
      token,
      subscribeUrl: subscribeUrl(ctx.endpoint, topic.arn, token),
    },
    [subscription],
  );
}

function entry(subscription: Subscription): SubscriptionEntry {
  return {
    SubscriptionArn: subscription.pending === 1 ? 'PendingConfirmation' : subscription.arn,
    Owner: subscription.owner,
    Protocol: subscription.protocol,
    Endpoint: subscription.endpoint,
    TopicArn: subscription.topicArn,
  };
}

export function listSubscriptions(
  input: ListSubscriptionsInput,
  ctx: RequestContext,
): ListSubscriptionsResponse {
  const after = afterToken(input.NextToken);
  const page = pageOf(subscriptionsOfAccount(ctx.db, ctx.accountId, ctx.region, after, PAGE_SIZE + 1));
  return { Subscriptions: page.items.map(entry), NextToken: page.nextToken };
}

export function listSubscriptionsByTopic(
  input: ListSubscriptionsByTopicInput,
  ctx: RequestContext,
): ListSubscriptionsByTopicResponse {
  const topic = requireTopic(ctx, input.TopicArn);
  const after = afterToken(input.NextToken);
  const page = pageOf(subscriptionsOfTopic(ctx.db, topic.id, after, PAGE_SIZE + 1));
  return { Subscriptions: page.items.map(entry), NextToken: page.nextToken };
}

function requireSubscription(ctx: RequestContext, arn: string | undefined): Subscription {
  subscriptionTopicArn(arn);
  const subscription = subscriptionByArn(ctx.db, arn as string);
  if (!subscription) throw subscriptionNotFound();
  return subscription;
}

export function getSubscriptionAttributes(
  input: GetSubscriptionAttributesInput,
  ctx: RequestContext,
): GetSubscriptionAttributesResponse {
  const subscription = requireSubscription(ctx, input.SubscriptionArn);
  const topic = topicByArn(ctx.db, subscription.topicArn);
  const topicPolicy = topic && topicAttributes(topic).DeliveryPolicy;
  return { Attributes: describeSubscription(subscription, topicPolicy) };
}

export function setSubscriptionAttributes(input: SetSubscriptionAttributesInput, ctx: RequestContext): void {
  const subscription = requireSubscription(ctx, input.SubscriptionArn);
  const attributes = applySubscriptionAttributes(
    subscription,
    JSON.parse(subscription.attributes),
    { [input.AttributeName ?? '']: input.AttributeValue ?? '' },
    false,
  );
  saveSubscriptionAttributes(ctx.db, subscription.id, attributes);
}
