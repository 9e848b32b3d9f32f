/**
 * Filter policies end to end: a subscription receives exactly the messages its policy
 * matches, on message attributes (the default scope) or on the JSON body (FilterPolicyScope
 * MessageBody), and a bad policy is refused with AWS's message. Policies and messages follow
 * the examples of the SNS developer guide ("Amazon SNS message filtering": attribute string
 * and numeric value matching, key matching, OR logic, policy scope); the messages of refusals
 * are those AWS answered (localstack test_sns_filter_policy.snapshot.json, whose AWS messages
 * end in a parser location, hence the prefixes).
 */
import {
  type MessageAttributeValue,
  PublishCommand,
  SetSubscriptionAttributesCommand,
} from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import {
  bodiesNow,
  createQueue,
  createTopic,
  invalidParameter,
  numberAttribute,
  stringAttribute,
  subscribeQueue,
  topicWithQueue,
  useSns,
} from './setup.js';

const t = useSns();

interface Sample {
  body: string;
  attributes?: Record<string, MessageAttributeValue>;
}

/** Publishes every sample to a topic whose one (raw) subscriber has the policy; the bodies it received. */
async function delivered(
  policy: unknown,
  samples: Sample[],
  scope: 'MessageAttributes' | 'MessageBody' = 'MessageAttributes',
): Promise<string[]> {
  const topicArn = await createTopic(t.sns, 'filtered');
  const queue = await createQueue(t.sqs, 'filtered');
  await subscribeQueue(t.sns, topicArn, queue.arn, {
    RawMessageDelivery: 'true',
    FilterPolicy: JSON.stringify(policy),
    FilterPolicyScope: scope,
  });
  for (const { body, attributes } of samples) {
    await t.sns.send(
      new PublishCommand({ TopicArn: topicArn, Message: body, MessageAttributes: attributes }),
    );
  }
  return (await bodiesNow(t.sqs, queue.url)).sort();
}

const tagged = (body: string, attributes: Record<string, MessageAttributeValue> = {}): Sample => ({
  body,
  attributes,
});

describe('on message attributes', () => {
  it('matches exact strings, any of several values, and all keys together', async () => {
    const policy = { store: ['example_corp'], event: ['order_placed', 'order_cancelled'] };
    const got = await delivered(policy, [
      tagged('placed', { store: stringAttribute('example_corp'), event: stringAttribute('order_placed') }),
      tagged('cancelled', {
        store: stringAttribute('example_corp'),
        event: stringAttribute('order_cancelled'),
      }),
      tagged('other store', { store: stringAttribute('other_corp'), event: stringAttribute('order_placed') }),
      tagged('other event', {
        store: stringAttribute('example_corp'),
        event: stringAttribute('order_shipped'),
      }),
      tagged('no event', { store: stringAttribute('example_corp') }),
      tagged('nothing'),
    ]);
    expect(got).toEqual(['cancelled', 'placed']);
  });

  it('matches prefix, suffix, equals-ignore-case and anything-but', async () => {
    expect(
      await delivered({ customer_interests: [{ prefix: 'bas' }] }, [
        tagged('baseball', { customer_interests: stringAttribute('baseball') }),
        tagged('basketball', { customer_interests: stringAttribute('basketball') }),
        tagged('rugby', { customer_interests: stringAttribute('rugby') }),
      ]),
    ).toEqual(['baseball', 'basketball']);
    expect(
      await delivered({ file: [{ suffix: '.png' }] }, [
        tagged('png', { file: stringAttribute('image.png') }),
        tagged('jpg', { file: stringAttribute('image.jpg') }),
      ]),
    ).toEqual(['png']);
    expect(
      await delivered({ source: [{ 'equals-ignore-case': 'aws' }] }, [
        tagged('upper', { source: stringAttribute('AWS') }),
        tagged('mixed', { source: stringAttribute('Aws') }),
        tagged('different', { source: stringAttribute('gcp') }),
      ]),
    ).toEqual(['mixed', 'upper']);
    expect(
      await delivered({ event: [{ 'anything-but': ['order_cancelled', 'order_failed'] }] }, [
        tagged('placed', { event: stringAttribute('order_placed') }),
        tagged('cancelled', { event: stringAttribute('order_cancelled') }),
        tagged('failed', { event: stringAttribute('order_failed') }),
      ]),
    ).toEqual(['placed']);
  });

  it('matches numeric ranges on Number attributes', async () => {
    const got = await delivered({ price_usd: [{ numeric: ['>=', 100, '<', 200] }] }, [
      tagged('99.99', { price_usd: numberAttribute('99.99') }),
      tagged('100', { price_usd: numberAttribute('100') }),
      tagged('150.5', { price_usd: numberAttribute('150.5') }),
      tagged('199.99', { price_usd: numberAttribute('199.99') }),
      tagged('200', { price_usd: numberAttribute('200') }),
    ]);
    expect(got).toEqual(['100', '150.5', '199.99']);
    expect(
      await delivered({ quantity: [{ numeric: ['=', 3] }] }, [
        tagged('three', { quantity: numberAttribute('3.0') }),
        tagged('four', { quantity: numberAttribute('4') }),
      ]),
    ).toEqual(['three']);
  });

  it('matches on the presence or absence of a key', async () => {
    const samples = [
      tagged('with', { store: stringAttribute('any') }),
      tagged('without', { other: stringAttribute('x') }),
    ];
    expect(await delivered({ store: [{ exists: true }] }, samples)).toEqual(['with']);
    expect(await delivered({ store: [{ exists: false }] }, samples)).toEqual(['without']);
  });

  it('matches any element of a String.Array attribute', async () => {
    const got = await delivered({ customer_interests: ['rugby', 'soccer'] }, [
      tagged('has rugby', {
        customer_interests: { DataType: 'String.Array', StringValue: '["rugby", "football"]' },
      }),
      tagged('has none', { customer_interests: { DataType: 'String.Array', StringValue: '["baseball"]' } }),
    ]);
    expect(got).toEqual(['has rugby']);
  });

  it('matches IP addresses against a cidr block', async () => {
    const got = await delivered({ source_ip: [{ cidr: '10.0.0.0/24' }] }, [
      tagged('first', { source_ip: stringAttribute('10.0.0.0') }),
      tagged('last', { source_ip: stringAttribute('10.0.0.255') }),
      tagged('outside', { source_ip: stringAttribute('10.0.1.0') }),
    ]);
    expect(got).toEqual(['first', 'last']);
  });

  it('matches either branch of $or', async () => {
    const policy = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
    };
    const got = await delivered(policy, [
      tagged('by metric', {
        source: stringAttribute('aws.cloudwatch'),
        metricName: stringAttribute('CPUUtilization'),
      }),
      tagged('by namespace', {
        source: stringAttribute('aws.cloudwatch'),
        namespace: stringAttribute('AWS/EC2'),
      }),
      tagged('neither', {
        source: stringAttribute('aws.cloudwatch'),
        metricName: stringAttribute('ReadLatency'),
      }),
      tagged('wrong source', { source: stringAttribute('aws.s3'), namespace: stringAttribute('AWS/EC2') }),
    ]);
    expect(got).toEqual(['by metric', 'by namespace']);
  });

  it('applies a policy set on a live subscription to the next message, and an empty policy lets all through', async () => {
    const { topicArn, queue, subscriptionArn } = await topicWithQueue(t.sns, t.sqs, 'live', {
      RawMessageDelivery: 'true',
    });
    const set = (AttributeValue: string) =>
      t.sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn: subscriptionArn,
          AttributeName: 'FilterPolicy',
          AttributeValue,
        }),
      );
    const send = (Message: string, color: string) =>
      t.sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message,
          MessageAttributes: { color: stringAttribute(color) },
        }),
      );
    await set(JSON.stringify({ color: ['red'] }));
    await send('red one', 'red');
    await send('blue one', 'blue');
    expect(await bodiesNow(t.sqs, queue.url)).toEqual(['red one']);
    // "remove the subscription's filter policy by overwriting it with an empty JSON body" ({}),
    // developer guide, "Removing a subscription filter policy"
    await set('{}');
    await send('blue two', 'blue');
    expect(await bodiesNow(t.sqs, queue.url)).toEqual(['blue two']);
  });
});

describe('on the message body (FilterPolicyScope MessageBody)', () => {
  it('matches nested keys of a JSON body, and never a body that is not JSON', async () => {
    const policy = { customer: { tier: ['gold'] }, total: [{ numeric: ['>', 100] }] };
    const got = await delivered(
      policy,
      [
        { body: JSON.stringify({ customer: { tier: 'gold', id: 7 }, total: 250 }) },
        { body: JSON.stringify({ customer: { tier: 'gold' }, total: 50 }) },
        { body: JSON.stringify({ customer: { tier: 'silver' }, total: 250 }) },
        { body: JSON.stringify({ tier: 'gold', total: 250 }) },
        { body: 'customer.tier=gold total=250' },
      ],
      'MessageBody',
    );
    expect(got).toEqual([JSON.stringify({ customer: { tier: 'gold', id: 7 }, total: 250 })]);
  });

  it('matches when any element of an array in the body matches', async () => {
    const got = await delivered(
      { items: { sku: ['A1'] } },
      [
        { body: JSON.stringify({ items: [{ sku: 'B2' }, { sku: 'A1' }] }) },
        { body: JSON.stringify({ items: [{ sku: 'B2' }] }) },
      ],
      'MessageBody',
    );
    expect(got).toEqual([JSON.stringify({ items: [{ sku: 'B2' }, { sku: 'A1' }] })]);
  });

  it('ignores message attributes', async () => {
    const got = await delivered(
      { kind: ['alert'] },
      [
        { body: JSON.stringify({ kind: 'alert' }) },
        { body: JSON.stringify({ kind: 'info' }), attributes: { kind: stringAttribute('alert') } },
      ],
      'MessageBody',
    );
    expect(got).toEqual([JSON.stringify({ kind: 'alert' })]);
  });
});

describe('refused policies', () => {
  const setPolicy = (SubscriptionArn: string, policy: string) =>
    t.sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn,
        AttributeName: 'FilterPolicy',
        AttributeValue: policy,
      }),
    );

  it('refuses a bad policy in SetSubscriptionAttributes with AWS messages', async () => {
    const { subscriptionArn } = await topicWithQueue(t.sns, t.sqs, 'refused');
    const cases: [unknown, string | RegExp][] = [
      [{ key_a: 'value_one' }, /^Invalid parameter: FilterPolicy: "key_a" must be an object or an array/],
      [
        { a: ['1'], b: ['2'], c: ['3'], d: ['4'], e: ['5'], f: ['6'] },
        'Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys',
      ],
      [
        { object: { key: [{ prefix: 'auto-' }] } },
        'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy',
      ],
      [
        { key: [{ numeric: ['>', 3, '<', 1] }] },
        /^Invalid parameter: FilterPolicy: Bottom must be less than top/,
      ],
      [
        { key: [{ exists: 'no' }] },
        /^Invalid parameter: FilterPolicy: exists match pattern must be either true or false\./,
      ],
    ];
    for (const [policy, message] of cases) {
      await expect(
        setPolicy(subscriptionArn, JSON.stringify(policy)),
        JSON.stringify(policy),
      ).rejects.toMatchObject(invalidParameter(message));
    }
  });

  it('refuses a bad policy given to Subscribe, naming the attribute', async () => {
    const topicArn = await createTopic(t.sns, 'refused-at-subscribe');
    const queue = await createQueue(t.sqs, 'refused-at-subscribe');
    await expect(
      subscribeQueue(t.sns, topicArn, queue.arn, {
        FilterPolicy: JSON.stringify({ key: [{ 'wrong-operator': true }] }),
      }),
    ).rejects.toMatchObject(
      invalidParameter(
        /^Invalid parameter: Attributes Reason: FilterPolicy: Unrecognized match type wrong-operator/,
      ),
    );
    await expect(
      subscribeQueue(t.sns, topicArn, queue.arn, {
        FilterPolicy: JSON.stringify({ key: [{ suffix: 'value', prefix: 'value2' }] }),
      }),
    ).rejects.toMatchObject(
      invalidParameter(
        /^Invalid parameter: Attributes Reason: FilterPolicy: Only one key allowed in match expression/,
      ),
    );
  });

  it('accepts a nested policy once the scope is MessageBody', async () => {
    const { subscriptionArn } = await topicWithQueue(t.sns, t.sqs, 'nested-ok');
    await t.sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: subscriptionArn,
        AttributeName: 'FilterPolicyScope',
        AttributeValue: 'MessageBody',
      }),
    );
    const out = await setPolicy(subscriptionArn, JSON.stringify({ object: { key: [{ prefix: 'auto-' }] } }));
    expect(out.$metadata.httpStatusCode).toBe(200);
  });
});
