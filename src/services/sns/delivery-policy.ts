/**
 * HTTP/S delivery policies: the topic's (`{"http": {"defaultHealthyRetryPolicy", ...}}`)
 * and a subscription's (`{"healthyRetryPolicy", "requestPolicy", ...}`), the effective
 * policies GetTopicAttributes and GetSubscriptionAttributes report (AWS's defaults filled
 * in, in AWS's key order), and the delay before each retry. A retry policy has four
 * phases: numNoDelayRetries at once, numMinDelayRetries at minDelayTarget, a backoff from
 * minDelayTarget to maxDelayTarget, and numMaxDelayRetries at maxDelayTarget;
 * numRetries counts them all.
 */
import { invalid } from './errors.js';

export interface RetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numMaxDelayRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  backoffFunction: string;
}

type Json = Record<string, unknown>;

const DEFAULT_RETRY: RetryPolicy = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
};

export const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

function object(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

/** A DeliveryPolicy value parsed, or AWS's error naming the attribute. */
export function parsePolicy(raw: string, reason: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalid(reason, 'failed to parse JSON.');
  }
  const policy = object(parsed);
  if (!policy) throw invalid(reason, 'failed to parse JSON.');
  return policy;
}

function retryPolicy(given: unknown): RetryPolicy {
  return { ...DEFAULT_RETRY, ...(object(given) as Partial<RetryPolicy> | undefined) };
}

/** The http part of a topic's DeliveryPolicy, or {} without one. */
function topicHttp(topicPolicy: string | undefined): Json {
  return (topicPolicy && object(object(JSON.parse(topicPolicy))?.http)) || {};
}

/** EffectiveDeliveryPolicy of a topic, as compact JSON. */
export function effectiveTopicPolicy(topicPolicy: string | undefined): string {
  const { defaultHealthyRetryPolicy, disableSubscriptionOverrides, defaultRequestPolicy, ...others } =
    topicHttp(topicPolicy);
  return JSON.stringify({
    http: {
      defaultHealthyRetryPolicy: retryPolicy(defaultHealthyRetryPolicy),
      ...others,
      disableSubscriptionOverrides: disableSubscriptionOverrides ?? false,
      defaultRequestPolicy: {
        headerContentType: DEFAULT_CONTENT_TYPE,
        ...object(defaultRequestPolicy),
      },
    },
  });
}

/** A subscription's DeliveryPolicy as AWS stores it: every section named, null when unset. */
export function normalizeSubscriptionPolicy(raw: string, reason: string): string {
  const given = parsePolicy(raw, reason);
  return JSON.stringify({
    healthyRetryPolicy: given.healthyRetryPolicy ?? null,
    sicklyRetryPolicy: given.sicklyRetryPolicy ?? null,
    throttlePolicy: given.throttlePolicy ?? null,
    requestPolicy: given.requestPolicy ?? null,
    guaranteed: given.guaranteed ?? false,
  });
}

export interface EffectiveSubscriptionPolicy {
  healthyRetryPolicy: RetryPolicy;
  sicklyRetryPolicy: unknown;
  throttlePolicy: unknown;
  requestPolicy: { headerContentType: string };
  guaranteed: unknown;
}

/** A subscription's effective policy: its own sections, else the topic's defaults. */
export function effectiveSubscriptionPolicy(
  subscriptionPolicy: string | undefined,
  topicPolicy: string | undefined,
): EffectiveSubscriptionPolicy {
  const own = (subscriptionPolicy && object(JSON.parse(subscriptionPolicy))) || {};
  const topic = topicHttp(topicPolicy);
  const overridable = topic.disableSubscriptionOverrides !== true;
  const requestPolicy = (overridable && object(own.requestPolicy)) || object(topic.defaultRequestPolicy);
  return {
    healthyRetryPolicy: retryPolicy(
      (overridable && object(own.healthyRetryPolicy)) || topic.defaultHealthyRetryPolicy,
    ),
    sicklyRetryPolicy: own.sicklyRetryPolicy ?? null,
    throttlePolicy: own.throttlePolicy ?? topic.defaultThrottlePolicy ?? null,
    requestPolicy: { headerContentType: DEFAULT_CONTENT_TYPE, ...requestPolicy } as {
      headerContentType: string;
    },
    guaranteed: own.guaranteed ?? false,
  };
}

function backoff(policy: RetryPolicy, step: number, steps: number): number {
  const { minDelayTarget: min, maxDelayTarget: max } = policy;
  const share = steps <= 1 ? 1 : step / steps;
  switch (policy.backoffFunction) {
    case 'exponential':
    case 'geometric':
      return min > 0 ? min * (max / min) ** share : max * share;
    case 'arithmetic':
      return min + (max - min) * share * share;
    default:
      return min + (max - min) * share;
  }
}

/** Seconds to wait before retry `retry` (1-based), or undefined when the policy is spent. */
export function retryDelay(policy: RetryPolicy, retry: number): number | undefined {
  if (retry > policy.numRetries) return undefined;
  if (retry <= policy.numNoDelayRetries) return 0;
  const preBackoff = policy.numNoDelayRetries + policy.numMinDelayRetries;
  if (retry <= preBackoff) return policy.minDelayTarget;
  const backoffSteps = policy.numRetries - preBackoff - policy.numMaxDelayRetries;
  if (retry <= preBackoff + backoffSteps) return backoff(policy, retry - preBackoff, backoffSteps);
  return policy.maxDelayTarget;
}
