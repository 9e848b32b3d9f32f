import { describe, expect, it } from 'vitest';
import { AwsError } from '../../src/errors.js';
import {
  checkTopicDeliveryPolicy,
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

const refuse = (reason: string) => new AwsError('InvalidParameterException', reason, 400);

/** The reason a subscription's policy is refused for, or undefined when it is taken. */
function subscriptionRefusal(policy: unknown): string | undefined {
  try {
    normalizeSubscriptionPolicy(JSON.stringify(policy), refuse);
    return undefined;
  } catch (err) {
    return (err as AwsError).message;
  }
}

function topicRefusal(policy: unknown): string | undefined {
  try {
    checkTopicDeliveryPolicy(JSON.stringify(policy));
    return undefined;
  } catch (err) {
    return (err as AwsError).message;
  }
}

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
      refuse,
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

  it("refuse a subscription's retry policy outside AWS's bounds, naming the field", () => {
    const retry = (healthyRetryPolicy: Record<string, unknown>) =>
      subscriptionRefusal({ healthyRetryPolicy });
    // the message AWS gave CloudFormation (awsdocs/amazon-sns-developer-guide#5)
    expect(retry({ minDelayTarget: 0, maxDelayTarget: 0, numRetries: 0 })).toBe(
      'DeliveryPolicy: healthyRetryPolicy.minDelayTarget must be greater than or equal to 1',
    );
    expect(retry({ maxDelayTarget: 3601 })).toBe(
      'DeliveryPolicy: healthyRetryPolicy.maxDelayTarget must be less than or equal to 3600',
    );
    expect(retry({ numRetries: 101 })).toBe(
      'DeliveryPolicy: healthyRetryPolicy.numRetries must be less than or equal to 100',
    );
    expect(retry({ numNoDelayRetries: -1 })).toBe(
      'DeliveryPolicy: healthyRetryPolicy.numNoDelayRetries must be greater than or equal to 0',
    );
    expect(retry({ minDelayTarget: 'abc' })).toBe(
      'DeliveryPolicy: healthyRetryPolicy.minDelayTarget must be an integer',
    );
    expect(retry({ minDelayTarget: 1.5 })).toBe(
      'DeliveryPolicy: healthyRetryPolicy.minDelayTarget must be an integer',
    );
    expect(retry({ minDelayTarget: 30, maxDelayTarget: 10 })).toBe(
      'DeliveryPolicy: healthyRetryPolicy.maxDelayTarget must be greater than or equal to minDelayTarget',
    );
    for (const backoffFunction of ['cubic', 7]) {
      expect(retry({ backoffFunction })).toBe(
        'DeliveryPolicy: healthyRetryPolicy.backoffFunction must be one of linear, arithmetic, geometric, exponential',
      );
    }
    expect(subscriptionRefusal({ throttlePolicy: { maxReceivesPerSecond: 0 } })).toBe(
      'DeliveryPolicy: throttlePolicy.maxReceivesPerSecond must be greater than or equal to 1',
    );
    expect(subscriptionRefusal(['not', 'an', 'object'])).toBe('DeliveryPolicy: failed to parse JSON.');
  });

  it('refuse more than 3600 seconds of retries in all, and take up to that', () => {
    const waits = (numRetries: number, delay: number) =>
      subscriptionRefusal({
        healthyRetryPolicy: { minDelayTarget: delay, maxDelayTarget: delay, numRetries },
      });
    expect(waits(36, 100)).toBeUndefined();
    expect(waits(37, 100)).toBe(
      'DeliveryPolicy: healthyRetryPolicy: Total policy retry time cannot be greater than 3600 seconds',
    );
    // the message AWS gave the console for a topic's policy (re:Post QUjah3QcB2QgeHkwAAQiXZLQ)
    expect(
      topicRefusal({
        http: { defaultHealthyRetryPolicy: { minDelayTarget: 3599, maxDelayTarget: 3600, numRetries: 10 } },
      }),
    ).toBe(
      'Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy: Total policy retry time cannot be greater than 3600 seconds',
    );
  });

  it("take AWS's documented examples, integers given as numbers or digit strings, any case of backoff", () => {
    expect(topicRefusal({ http: { defaultHealthyRetryPolicy: { numRetries: 5 } } })).toBeUndefined();
    expect(subscriptionRefusal({ healthyRetryPolicy: { numRetries: 5 } })).toBeUndefined();
    const documented = {
      healthyRetryPolicy: {
        minDelayTarget: 1,
        maxDelayTarget: 60,
        numRetries: 50,
        numNoDelayRetries: 3,
        numMinDelayRetries: 2,
        numMaxDelayRetries: 35,
        backoffFunction: 'exponential',
      },
      throttlePolicy: { maxReceivesPerSecond: 10 },
      requestPolicy: { headerContentType: 'text/html' },
    };
    expect(subscriptionRefusal(documented)).toBeUndefined();
    expect(
      subscriptionRefusal({
        healthyRetryPolicy: { minDelayTarget: '5', maxDelayTarget: '10', backoffFunction: 'EXPONENTIAL' },
      }),
    ).toBeUndefined();
    const topic = JSON.stringify({
      http: { defaultHealthyRetryPolicy: { minDelayTarget: '5', maxDelayTarget: '10', numRetries: '2' } },
    });
    expect(effectiveSubscriptionPolicy(undefined, topic).healthyRetryPolicy).toMatchObject({
      minDelayTarget: 5,
      maxDelayTarget: 10,
      numRetries: 2,
    });
  });
});
