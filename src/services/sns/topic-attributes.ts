/**
 * Topic attributes: which can be set (at creation or later), their values' rules, and
 * what GetTopicAttributes reports: the set ones plus the owner, the default access
 * policy, the effective delivery policy and the subscription counts. Pure.
 */
import { checkTopicDeliveryPolicy, effectiveTopicPolicy, parsePolicy } from './delivery-policy.js';
import { invalid } from './errors.js';
import type { AttributeMap } from './topic-store.js';

const FEEDBACK = ['Application', 'HTTP', 'Lambda', 'SQS', 'Firehose'].flatMap((p) => [
  `${p}SuccessFeedbackRoleArn`,
  `${p}SuccessFeedbackSampleRate`,
  `${p}FailureFeedbackRoleArn`,
]);

/** Attributes SetTopicAttributes takes (FifoTopic only CreateTopic takes). */
const SETTABLE = new Set([
  'DisplayName',
  'Policy',
  'DeliveryPolicy',
  'KmsMasterKeyId',
  'SignatureVersion',
  'TracingConfig',
  'ContentBasedDeduplication',
  'ArchivePolicy',
  'FifoThroughputScope',
  'DataProtectionPolicy',
  ...FEEDBACK,
]);

const FIFO_ONLY = new Set(['ContentBasedDeduplication', 'ArchivePolicy', 'FifoThroughputScope']);

const ENUMS: Record<string, string[]> = {
  SignatureVersion: ['1', '2'],
  TracingConfig: ['PassThrough', 'Active'],
  ContentBasedDeduplication: ['true', 'false'],
  FifoThroughputScope: ['Topic', 'MessageGroup'],
};

/** Empty values of these remove them (the topic falls back to the default). */
const REMOVABLE = new Set(['Policy', 'DeliveryPolicy', 'KmsMasterKeyId', 'ArchivePolicy', ...FEEDBACK]);

const POLICY_ACTIONS = [
  'SNS:GetTopicAttributes',
  'SNS:SetTopicAttributes',
  'SNS:AddPermission',
  'SNS:RemovePermission',
  'SNS:DeleteTopic',
  'SNS:Subscribe',
  'SNS:ListSubscriptionsByTopic',
  'SNS:Publish',
];

export function isTrue(value: string | undefined): boolean {
  return value?.toLowerCase() === 'true';
}

/** Checks one attribute for a topic; returns its stored value, or undefined to remove it. */
export function checkTopicAttribute(name: string, value: string, fifo: boolean): string | undefined {
  if (!SETTABLE.has(name)) throw invalid('AttributeName');
  if (FIFO_ONLY.has(name) && !fifo) throw invalid(name, `${name} is only valid for FIFO topics`);
  if (value === '' && REMOVABLE.has(name)) return undefined;
  const allowed = ENUMS[name];
  if (allowed) {
    const normal = name === 'ContentBasedDeduplication' ? value.toLowerCase() : value;
    if (!allowed.includes(normal)) throw invalid(name);
    return normal;
  }
  if (name.endsWith('SampleRate')) {
    const rate = Number(value);
    if (!/^\d+$/.test(value) || rate > 100) throw invalid(name);
  }
  if (name === 'DeliveryPolicy') checkTopicDeliveryPolicy(value);
  else if (name === 'Policy' || name === 'ArchivePolicy') parsePolicy(value, name);
  return value;
}

/** The attributes CreateTopic stores; `fifo` says whether FifoTopic is true. */
export function checkCreateAttributes(requested: AttributeMap | undefined, fifo: boolean): AttributeMap {
  const stored: AttributeMap = fifo ? { FifoTopic: 'true', ContentBasedDeduplication: 'false' } : {};
  for (const [name, value] of Object.entries(requested ?? {})) {
    if (name === 'FifoTopic') continue;
    if (!SETTABLE.has(name)) throw invalid('Attributes', `Invalid attribute name: ${name}`);
    const checked = checkTopicAttribute(name, value, fifo);
    if (checked !== undefined) stored[name] = checked;
  }
  return stored;
}

/** Whether CreateTopic's attributes match an existing topic's (which makes it idempotent). */
export function sameAttributes(current: AttributeMap, requested: AttributeMap | undefined): boolean {
  for (const [name, value] of Object.entries(requested ?? {})) {
    const have = current[name] ?? (name === 'FifoTopic' ? 'false' : '');
    const want = name === 'FifoTopic' || name === 'ContentBasedDeduplication' ? value.toLowerCase() : value;
    if (have !== want) return false;
  }
  return true;
}

function defaultPolicy(arn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: POLICY_ACTIONS,
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  });
}

export interface TopicFacts {
  arn: string;
  accountId: string;
  attributes: AttributeMap;
  confirmed: number;
  pending: number;
  deleted: number;
}

/** GetTopicAttributes' map. */
export function describeTopic(topic: TopicFacts): AttributeMap {
  const { attributes } = topic;
  const { DataProtectionPolicy: _hidden, ...shown } = attributes;
  return {
    Policy: defaultPolicy(topic.arn, topic.accountId),
    Owner: topic.accountId,
    SubscriptionsPending: String(topic.pending),
    TopicArn: topic.arn,
    EffectiveDeliveryPolicy: effectiveTopicPolicy(attributes.DeliveryPolicy),
    SubscriptionsConfirmed: String(topic.confirmed),
    DisplayName: '',
    SubscriptionsDeleted: String(topic.deleted),
    ...shown,
  };
}
