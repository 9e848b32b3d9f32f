/**
 * Subscription attributes: which can be set (at Subscribe or with
 * SetSubscriptionAttributes), their rules and AWS's messages (prefixed "Invalid parameter:
 * Attributes Reason: " at Subscribe, "Invalid parameter: " after), and what
 * GetSubscriptionAttributes reports.
 */
import type { AwsError } from '../../errors.js';
import { parseQueueArn } from '../sqs/addressing.js';
import { effectiveSubscriptionPolicy, normalizeSubscriptionPolicy } from './delivery-policy.js';
import { invalidParameter } from './errors.js';
import { checkFilterPolicy, type FilterScope } from './filtering.js';
import type { Subscription } from './subscription-store.js';
import type { AttributeMap } from './topic-store.js';

const SETTABLE = new Set([
  'DeliveryPolicy',
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
]);

const RAW_PROTOCOLS = new Set(['sqs', 'http', 'https', 'firehose']);
const HTTP = new Set(['http', 'https']);

export interface SubscriptionTarget {
  topicArn: string;
  protocol: string;
  endpoint: string;
}

/** Checks attributes as Subscribe (`atSubscribe`) or SetSubscriptionAttributes gets them,
 * against the current ones; returns the attributes stored after the change. */
export function applySubscriptionAttributes(
  target: SubscriptionTarget,
  current: AttributeMap,
  changes: AttributeMap,
  atSubscribe: boolean,
): AttributeMap {
  const prefix = atSubscribe ? 'Invalid parameter: Attributes Reason: ' : 'Invalid parameter: ';
  const fail = (reason: string) => invalidParameter(`${prefix}${reason}`);
  const next = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (!SETTABLE.has(name)) throw fail('AttributeName');
    const stored = checkValue(target, name, value, fail);
    if (stored === undefined) delete next[name];
    else next[name] = stored;
  }
  if (next.FilterPolicy !== undefined && ('FilterPolicy' in changes || 'FilterPolicyScope' in changes)) {
    checkFilterPolicy(
      next.FilterPolicy,
      (next.FilterPolicyScope ?? 'MessageAttributes') as FilterScope,
      atSubscribe,
    );
  }
  return next;
}

function checkValue(
  target: SubscriptionTarget,
  name: string,
  value: string,
  fail: (reason: string) => AwsError,
): string | undefined {
  switch (name) {
    case 'RawMessageDelivery': {
      const normal = value.toLowerCase();
      if (normal !== 'true' && normal !== 'false') {
        throw fail(`RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      }
      if (normal === 'true' && !RAW_PROTOCOLS.has(target.protocol)) {
        throw fail(`Delivery protocol [${target.protocol}] does not support raw message delivery.`);
      }
      return normal;
    }
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody') {
        throw fail(
          `FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`,
        );
      }
      return value;
    case 'FilterPolicy':
      return value === '' || isEmptyObject(value) ? undefined : value;
    case 'RedrivePolicy':
      return value === '' ? undefined : checkRedrivePolicy(target, value, fail);
    case 'DeliveryPolicy':
      if (value === '') return undefined;
      if (!HTTP.has(target.protocol))
        throw fail('DeliveryPolicy: only HTTP/S subscriptions take a delivery policy');
      return normalizeSubscriptionPolicy(value, fail);
    default:
      return value === '' ? undefined : value;
  }
}

/** "{}" removes a filter policy, as an empty value does. */
function isEmptyObject(value: string): boolean {
  try {
    const parsed: unknown = JSON.parse(value);
    return (
      parsed !== null &&
      typeof parsed === 'object' &&
      !Array.isArray(parsed) &&
      Object.keys(parsed).length === 0
    );
  } catch {
    return false;
  }
}

function checkRedrivePolicy(
  target: SubscriptionTarget,
  value: string,
  fail: (r: string) => AwsError,
): string {
  let policy: unknown;
  try {
    policy = JSON.parse(value);
  } catch {
    throw fail('RedrivePolicy: failed to parse JSON.');
  }
  const arn = (policy as { deadLetterTargetArn?: unknown } | null)?.deadLetterTargetArn;
  const queue = typeof arn === 'string' ? parseQueueArn(arn) : undefined;
  if (!queue) throw fail('RedrivePolicy: deadLetterTargetArn is an invalid arn');
  const fifoSubscription = target.topicArn.endsWith('.fifo') && target.endpoint.endsWith('.fifo');
  if (fifoSubscription && !queue.name.endsWith('.fifo')) {
    throw fail('RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.');
  }
  return value;
}

/** Whether Subscribe's attributes match an existing subscription's (which makes it idempotent). */
export function sameSubscriptionAttributes(
  current: AttributeMap,
  requested: AttributeMap | undefined,
): boolean {
  for (const [name, value] of Object.entries(requested ?? {})) {
    const have =
      current[name] ??
      (name === 'RawMessageDelivery' ? 'false' : name === 'FilterPolicyScope' ? 'MessageAttributes' : '');
    const want = name === 'RawMessageDelivery' ? value.toLowerCase() : value;
    if (have !== want) return false;
  }
  return true;
}

/** GetSubscriptionAttributes' map; `topicDeliveryPolicy` is the topic's DeliveryPolicy. */
export function describeSubscription(
  subscription: Subscription,
  topicDeliveryPolicy: string | undefined,
): AttributeMap {
  const { FilterPolicyScope, FilterPolicy, ...others } = JSON.parse(subscription.attributes) as AttributeMap;
  const attributes: AttributeMap = {
    ConfirmationWasAuthenticated: String(subscription.authenticated === 1),
    Endpoint: subscription.endpoint,
    Owner: subscription.owner,
    PendingConfirmation: String(subscription.pending === 1),
    Protocol: subscription.protocol,
    RawMessageDelivery: 'false',
    SubscriptionArn: subscription.arn,
    SubscriptionPrincipal: subscription.principal,
    TopicArn: subscription.topicArn,
    ...others,
  };
  if (FilterPolicy !== undefined) {
    attributes.FilterPolicy = FilterPolicy;
    attributes.FilterPolicyScope = FilterPolicyScope ?? 'MessageAttributes';
  }
  if (HTTP.has(subscription.protocol)) {
    attributes.EffectiveDeliveryPolicy = JSON.stringify(
      effectiveSubscriptionPolicy(others.DeliveryPolicy, topicDeliveryPolicy),
    );
  }
  return attributes;
}
