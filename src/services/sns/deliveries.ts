/**
 * Delivering one message to a topic's subscribers, each as its protocol receives it: SQS
 * at once and in the publishing transaction (the JSON envelope, or with RawMessageDelivery
 * the message itself with its attributes as SQS message attributes; a queue that is gone
 * or refuses it sends it to the subscription's dead-letter queue); HTTP/S queued for the
 * background worker; email, email-json, SMS, Lambda, mobile and Firehose endpoints
 * recorded (see sent.ts). Envelopes are signed once per message and content.
 */
import type { QueueMessage } from '../sqs/deliver.js';
import type { RequestContext } from '../types.js';
import { effectiveSubscriptionPolicy } from './delivery-policy.js';
import {
  canonicalString,
  type EnvelopeFields,
  envelope,
  lambdaEvent,
  type MessageType,
  type Signature,
  type SnsAttribute,
  shownAttributes,
} from './envelope.js';
import { type FilterScope, filterOf } from './filtering.js';
import { enqueueHttpDelivery } from './http-queue.js';
import { wakeHttpWorker } from './http-worker.js';
import { queueAttributes, redrive, trySendToQueue } from './redrive.js';
import { recordSent } from './sent.js';
import { CERTIFICATE_PATH, signCanonical } from './signing.js';
import type { Subscription } from './subscription-store.js';
import { type AttributeMap, type Topic, topicAttributes } from './topic-store.js';

/** A message on its way to subscribers. */
export interface Outgoing {
  type: MessageType;
  messageId: string;
  topic: Topic;
  /** the default message */
  message: string;
  /** MessageStructure json: the message for each protocol that has its own */
  perProtocol?: Record<string, string>;
  subject?: string;
  attributes?: Record<string, SnsAttribute>;
  /** ISO 8601 with milliseconds */
  timestamp: string;
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
  /** confirmations: the token and the URL that confirms with it */
  token?: string;
  subscribeUrl?: string;
}

const HTTP_AGENT = 'Amazon Simple Notification Service Agent';

export function subscribeUrl(endpoint: string, topicArn: string, token: string): string {
  return `${endpoint}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${token}`;
}

function unsubscribeUrl(endpoint: string, subscriptionArn: string): string {
  return `${endpoint}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`;
}

/** The platform of a mobile endpoint ARN (`...:endpoint/APNS/app/id`), whose key MessageStructure uses. */
function platformOf(endpointArn: string): string {
  return endpointArn.split('/')[1] ?? 'default';
}

/** Delivers to each subscriber; signs once per distinct content. */
class Dispatch {
  private readonly signatures = new Map<string, Signature>();
  private readonly bodies = new Map<string, unknown>();
  private readonly topicAttributes: AttributeMap;

  constructor(
    private readonly ctx: RequestContext,
    private readonly out: Outgoing,
  ) {
    this.topicAttributes = topicAttributes(out.topic);
  }

  deliver(subscription: Subscription): void {
    const attributes = JSON.parse(subscription.attributes) as AttributeMap;
    if (this.out.type === 'Notification' && !this.passes(subscription, attributes)) return;
    const raw = this.out.type === 'Notification' && attributes.RawMessageDelivery === 'true';
    if (subscription.protocol === 'sqs') this.toQueue(subscription, raw);
    else if (subscription.protocol === 'http' || subscription.protocol === 'https') {
      this.toHttp(subscription, attributes, raw);
    } else this.record(subscription, raw);
  }

  private passes(subscription: Subscription, attributes: AttributeMap): boolean {
    if (attributes.FilterPolicy === undefined) return true;
    const scope = (attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterScope;
    const filter = filterOf(attributes.FilterPolicy, scope);
    return filter({
      attributes: this.out.attributes,
      body: () => this.body(this.content(subscription.protocol)),
    });
  }

  /** A message parsed as JSON for body filters, once per content; undefined when it is not JSON. */
  private body(content: string): unknown {
    if (!this.bodies.has(content)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(content);
      } catch {
        parsed = undefined;
      }
      this.bodies.set(content, parsed);
    }
    return this.bodies.get(content);
  }

  private content(key: string): string {
    const { perProtocol } = this.out;
    return perProtocol ? (perProtocol[key] ?? (perProtocol.default as string)) : this.out.message;
  }

  private fields(subscription: Subscription, content: string): EnvelopeFields {
    const { out } = this;
    return {
      type: out.type,
      messageId: out.messageId,
      topicArn: out.topic.arn,
      message: content,
      timestamp: out.timestamp,
      subject: out.subject,
      sequenceNumber: out.sequenceNumber,
      token: out.token,
      subscribeUrl: out.subscribeUrl,
      unsubscribeUrl:
        out.type === 'Notification' ? unsubscribeUrl(this.ctx.endpoint, subscription.arn) : undefined,
      attributes: out.attributes,
    };
  }

  private signature(fields: EnvelopeFields): Signature {
    const canonical = canonicalString(fields);
    let signature = this.signatures.get(canonical);
    if (!signature) {
      const version = this.topicAttributes.SignatureVersion ?? '1';
      signature = {
        version,
        signature: signCanonical(this.ctx.db, canonical, version),
        certificateUrl: `${this.ctx.endpoint}${CERTIFICATE_PATH}`,
      };
      this.signatures.set(canonical, signature);
    }
    return signature;
  }

  /** The JSON document; FIFO topics' notifications are not signed. */
  private envelope(subscription: Subscription, content: string): string {
    const fields = this.fields(subscription, content);
    const unsigned = this.out.topic.fifo === 1 && this.out.type === 'Notification';
    return envelope(fields, unsigned ? undefined : this.signature(fields));
  }

  private toQueue(subscription: Subscription, raw: boolean): void {
    const { out } = this;
    const content = this.content('sqs');
    const toFifoQueue = subscription.endpoint.endsWith('.fifo');
    const message: QueueMessage = {
      body: raw ? content : this.envelope(subscription, content),
      attributes: raw ? queueAttributes(out.attributes) : undefined,
      groupId: out.topic.fifo === 1 && !toFifoQueue ? undefined : out.groupId,
      dedupId: out.dedupId,
    };
    if (!trySendToQueue(this.ctx, subscription.endpoint, message)) {
      redrive(this.ctx, subscription.attributes, message);
    }
  }

  private toHttp(subscription: Subscription, attributes: AttributeMap, raw: boolean): void {
    const { out, ctx } = this;
    const content = this.content(subscription.protocol);
    const policy = effectiveSubscriptionPolicy(
      attributes.DeliveryPolicy,
      this.topicAttributes.DeliveryPolicy,
    );
    const headers: Record<string, string> = {
      'content-type':
        out.type === 'Notification' ? policy.requestPolicy.headerContentType : 'text/plain; charset=UTF-8',
      'x-amz-sns-message-type': out.type,
      'x-amz-sns-message-id': out.messageId,
      'x-amz-sns-topic-arn': out.topic.arn,
      'user-agent': HTTP_AGENT,
      'accept-encoding': 'gzip,deflate',
    };
    if (out.type !== 'SubscriptionConfirmation') headers['x-amz-sns-subscription-arn'] = subscription.arn;
    if (raw) headers['x-amz-sns-rawdelivery'] = 'true';
    enqueueHttpDelivery(ctx.db, {
      subscriptionArn: subscription.arn,
      endpoint: subscription.endpoint,
      headers: JSON.stringify(headers),
      body: raw ? content : this.envelope(subscription, content),
      rawAttributes: raw && out.attributes ? JSON.stringify(storedAttributes(out.attributes)) : null,
      retryPolicy: JSON.stringify(policy.healthyRetryPolicy),
      nextAt: ctx.now(),
      createdAt: ctx.now(),
    });
    wakeHttpWorker(ctx.db);
  }

  /** Email, SMS, Lambda, mobile and Firehose endpoints: what they would have received. */
  private record(subscription: Subscription, raw: boolean): void {
    const { out, ctx } = this;
    const key =
      subscription.protocol === 'application' ? platformOf(subscription.endpoint) : subscription.protocol;
    const content = this.content(key);
    recordSent(ctx.db, {
      accountId: out.topic.accountId,
      region: out.topic.region,
      protocol: subscription.protocol,
      endpoint: subscription.endpoint,
      topicArn: out.topic.arn,
      subscriptionArn: subscription.arn,
      type: out.type,
      messageId: out.messageId,
      subject: out.subject ?? null,
      message: content,
      messageAttributes: out.attributes ? JSON.stringify(shownAttributes(out.attributes)) : null,
      body: this.recordedBody(subscription, content, raw),
      subscribeUrl: out.subscribeUrl ?? null,
      token: out.token ?? null,
      sentAt: ctx.now(),
    });
  }

  private recordedBody(subscription: Subscription, content: string, raw: boolean): string {
    const { out } = this;
    switch (subscription.protocol) {
      case 'email':
        return out.type === 'Notification' ? content : emailConfirmation(out);
      case 'sms': {
        const displayName = this.topicAttributes.DisplayName;
        return displayName ? `${displayName}> ${content}` : content;
      }
      case 'lambda': {
        const fields = this.fields(subscription, content);
        return lambdaEvent(fields, this.signature(fields), subscription.arn);
      }
      case 'application':
        return content;
      default:
        return raw ? content : this.envelope(subscription, content);
    }
  }
}

function emailConfirmation(out: Outgoing): string {
  return (
    `You have chosen to subscribe to the topic: \n${out.topic.arn}\n\n` +
    'To confirm this subscription, click or visit the link below (If this was in error no action is necessary): \n' +
    `Confirm subscription: ${out.subscribeUrl}`
  );
}

/** Attributes as a pending delivery keeps them: binary values in base64. */
function storedAttributes(attributes: Record<string, SnsAttribute>) {
  const stored: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }> = {};
  for (const [name, a] of Object.entries(attributes)) {
    stored[name] =
      a.BinaryValue === undefined
        ? { DataType: a.DataType, StringValue: a.StringValue }
        : { DataType: a.DataType, BinaryValue: Buffer.from(a.BinaryValue).toString('base64') };
  }
  return stored;
}

/** Delivers `out` to each of `subscriptions` (a publish: the topic's confirmed ones). */
export function deliver(ctx: RequestContext, out: Outgoing, subscriptions: Subscription[]): void {
  if (subscriptions.length === 0) return;
  const dispatch = new Dispatch(ctx, out);
  for (const subscription of subscriptions) dispatch.deliver(subscription);
}
