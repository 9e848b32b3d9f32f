/**
 * HTTP/S delivery policies: the topic's (`{"http": {"defaultHealthyRetryPolicy", ...}}`)
 * and a subscription's (`{"healthyRetryPolicy", "requestPolicy", ...}`), checked as AWS
 * checks them when set, the effective policies GetTopicAttributes and
 * GetSubscriptionAttributes report (AWS's defaults filled in, in AWS's key order), and the
 * delay before each retry. A retry policy has four phases: numNoDelayRetries at once,
 * numMinDelayRetries at minDelayTarget, a backoff from minDelayTarget to maxDelayTarget, and
 * numMaxDelayRetries at maxDelayTarget; numRetries counts them all. AWS bounds the delays to
 * 1..3600 s (min <= max), numRetries to 0..100, and the whole policy to 3600 s of waiting.
 */
import type { AwsError } from '../../errors.js';
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

const MAX_RETRY_SECONDS = 3600;

/** The numbers of a retry policy and AWS's bounds on each. */
const RETRY_BOUNDS: readonly (readonly [keyof RetryPolicy, number, number])[] = [
  ['minDelayTarget', 1, MAX_RETRY_SECONDS],
  ['maxDelayTarget', 1, MAX_RETRY_SECONDS],
  ['numRetries', 0, 100],
  ['numNoDelayRetries', 0, 100],
  ['numMinDelayRetries', 0, 100],
  ['numMaxDelayRetries', 0, 100],
];

const BACKOFF_FUNCTIONS = new Set(['linear', 'arithmetic', 'geometric', 'exponential']);

/** An integer as AWS reads one from a policy: a JSON number or a string of digits. */
const INTEGER_TEXT = /^-?\d+$/;

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

function integerOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  return typeof value === 'string' && INTEGER_TEXT.test(value) ? Number(value) : undefined;
}

/** A retry policy with AWS's defaults where it says nothing (or, stored before policies were
 * checked, says something that is not an integer). */
function retryPolicy(given: unknown): RetryPolicy {
  const fields = object(given) ?? {};
  const policy: RetryPolicy = { ...DEFAULT_RETRY };
  for (const [name] of RETRY_BOUNDS) {
    const value = integerOf(fields[name]);
    if (value !== undefined) (policy[name] as number) = value;
  }
  if (typeof fields.backoffFunction === 'string')
    policy.backoffFunction = fields.backoffFunction.toLowerCase();
  return policy;
}

/** Seconds a retry policy waits in all, retry after retry. */
function totalRetrySeconds(policy: RetryPolicy): number {
  let total = 0;
  for (let retry = 1; retry <= policy.numRetries; retry++) total += retryDelay(policy, retry) ?? 0;
  return total;
}

function boundsProblem(fields: Json, path: string): string | undefined {
  for (const [name, min, max] of RETRY_BOUNDS) {
    if (fields[name] === undefined) continue;
    const value = integerOf(fields[name]);
    if (value === undefined) return `${path}.${name} must be an integer`;
    if (value < min) return `${path}.${name} must be greater than or equal to ${min}`;
    if (value > max) return `${path}.${name} must be less than or equal to ${max}`;
  }
  return undefined;
}

function backoffProblem(backoffFunction: unknown, path: string): string | undefined {
  const known =
    backoffFunction === undefined ||
    (typeof backoffFunction === 'string' && BACKOFF_FUNCTIONS.has(backoffFunction.toLowerCase()));
  return known
    ? undefined
    : `${path}.backoffFunction must be one of linear, arithmetic, geometric, exponential`;
}

/** Why a retry policy (named `path` in the reason) breaks AWS's rules; undefined when it keeps them. */
function retryPolicyProblem(given: unknown, path: string): string | undefined {
  if (given === undefined || given === null) return undefined;
  const fields = object(given);
  if (!fields) return `${path} must be a JSON object`;
  const problem = boundsProblem(fields, path) ?? backoffProblem(fields.backoffFunction, path);
  if (problem) return problem;
  const policy = retryPolicy(fields);
  if (policy.maxDelayTarget < policy.minDelayTarget) {
    return `${path}.maxDelayTarget must be greater than or equal to minDelayTarget`;
  }
  if (totalRetrySeconds(policy) > MAX_RETRY_SECONDS) {
    return `${path}: Total policy retry time cannot be greater than ${MAX_RETRY_SECONDS} seconds`;
  }
  return undefined;
}

function throttlePolicyProblem(given: unknown, path: string): string | undefined {
  const rate = object(given)?.maxReceivesPerSecond;
  if (rate === undefined) return undefined;
  const value = integerOf(rate);
  return value !== undefined && value >= 1
    ? undefined
    : `${path}.maxReceivesPerSecond must be greater than or equal to 1`;
}

/** Checks a topic's DeliveryPolicy (given as SetTopicAttributes or CreateTopic takes it). */
export function checkTopicDeliveryPolicy(raw: string): void {
  const http = object(parsePolicy(raw, 'DeliveryPolicy').http);
  const problem =
    retryPolicyProblem(http?.defaultHealthyRetryPolicy, 'http.defaultHealthyRetryPolicy') ??
    throttlePolicyProblem(http?.defaultThrottlePolicy, 'http.defaultThrottlePolicy');
  if (problem) throw invalid(`DeliveryPolicy: ${problem}`);
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

/** A subscription's DeliveryPolicy checked, as AWS stores it: every section named, null when
 * unset; `fail` makes the operation's error of a reason. */
export function normalizeSubscriptionPolicy(raw: string, fail: (reason: string) => AwsError): string {
  let given: Json | undefined;
  try {
    given = object(JSON.parse(raw));
  } catch {
    given = undefined;
  }
  if (!given) throw fail('DeliveryPolicy: failed to parse JSON.');
  const problem =
    retryPolicyProblem(given.healthyRetryPolicy, 'healthyRetryPolicy') ??
    throttlePolicyProblem(given.throttlePolicy, 'throttlePolicy');
  if (problem) throw fail(`DeliveryPolicy: ${problem}`);
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
