import { describe, expect, it } from 'vitest';
import {
  effectiveSubscriptionPolicy,
  effectiveTopicPolicy,
  normalizeSubscriptionPolicy,
  type RetryPolicy,
  retryDelay,
} from '../../src/services/sns/delivery-policy.js';

const DEFAULT_EFFECTIVE = {
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
};

describe('SNS delivery policies', () => {
  it("report a topic's effective policy with AWS's defaults filled in", () => {
    expect(JSON.parse(effectiveTopicPolicy(undefined))).toEqual(DEFAULT_EFFECTIVE);
    const custom = JSON.stringify({
      http: { defaultHealthyRetryPolicy: { minDelayTarget: 5, maxDelayTarget: 6, numRetries: 1 } },
    });
    const effective = JSON.parse(effectiveTopicPolicy(custom));
    expect(effective.http.defaultHealthyRetryPolicy).toEqual({
      ...DEFAULT_EFFECTIVE.http.defaultHealthyRetryPolicy,
      minDelayTarget: 5,
      maxDelayTarget: 6,
      numRetries: 1,
    });
    expect(effective.http.defaultRequestPolicy).toEqual({ headerContentType: 'text/plain; charset=UTF-8' });
  });

  it("store a subscription's policy with every section, and take the topic's where it has none", () => {
    const own = normalizeSubscriptionPolicy(
      JSON.stringify({ requestPolicy: { headerContentType: 'text/csv' } }),
      'x',
    );
    expect(JSON.parse(own)).toEqual({
      healthyRetryPolicy: null,
      sicklyRetryPolicy: null,
      throttlePolicy: null,
      requestPolicy: { headerContentType: 'text/csv' },
      guaranteed: false,
    });
    const topic = JSON.stringify({
      http: { defaultRequestPolicy: { headerContentType: 'application/json' } },
    });
    expect(effectiveSubscriptionPolicy(own, topic).requestPolicy.headerContentType).toBe('text/csv');
    expect(effectiveSubscriptionPolicy(undefined, topic).requestPolicy.headerContentType).toBe(
      'application/json',
    );
    expect(effectiveSubscriptionPolicy(undefined, undefined).healthyRetryPolicy.numRetries).toBe(3);
  });

  it('space retries through the four phases, then stop', () => {
    const policy: RetryPolicy = {
      minDelayTarget: 1,
      maxDelayTarget: 9,
      numRetries: 8,
      numNoDelayRetries: 2,
      numMinDelayRetries: 1,
      numMaxDelayRetries: 1,
      backoffFunction: 'linear',
    };
    const delays = Array.from({ length: 9 }, (_, i) => retryDelay(policy, i + 1));
    expect(delays).toEqual([0, 0, 1, 3, 5, 7, 9, 9, undefined]);
    const defaults = JSON.parse(effectiveTopicPolicy(undefined)).http
      .defaultHealthyRetryPolicy as RetryPolicy;
    expect([1, 2, 3, 4].map((n) => retryDelay(defaults, n))).toEqual([20, 20, 20, undefined]);
  });
});
