/**
 * Subscriptions: Subscribe for each protocol (sqs, sms and lambda confirmed at once; email,
 * email-json pending until confirmed), ReturnSubscriptionArn, attributes at subscribe time,
 * idempotency, ConfirmSubscription, Unsubscribe, ListSubscriptions(ByTopic) in pages of 100,
 * Get/SetSubscriptionAttributes with AWS's validation messages. Sources: the SNS API
 * reference (Subscribe, ConfirmSubscription, ListSubscriptionsByTopic) and responses recorded
 * against AWS (localstack tests/aws/services/sns/test_sns.snapshot.json and
 * test_sns_filter_policy.snapshot.json).
 */
import {
  ConfirmSubscriptionCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import {
  clientsFor,
  createQueue,
  createTopic,
  DEFAULT_ACCOUNT,
  invalidParameter,
  REGION,
  SUBSCRIPTION_NOT_FOUND,
  subscribe,
  subscribeQueue,
  TOPIC_NOT_FOUND,
  topicWithQueue,
  UUID,
  uniqueName,
  useSns,
} from './setup.js';
import { emailSubscribeUrl } from './sinks.js';

const t = useSns();

async function subscriptionAttributes(arn: string): Promise<Record<string, string>> {
  const out = await t.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }));
  return out.Attributes ?? {};
}

const setAttribute = (SubscriptionArn: string, AttributeName: string, AttributeValue: string) =>
  t.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue }));

function expectSubscriptionArnOf(topicArn: string, subscriptionArn: string | undefined) {
  expect(subscriptionArn?.startsWith(`${topicArn}:`)).toBe(true);
  expect(subscriptionArn?.slice(topicArn.length + 1)).toMatch(UUID);
}

describe('Subscribe', () => {
  it('subscribes an SQS queue by ARN, confirmed at once, and returns its ARN even without ReturnSubscriptionArn', async () => {
    const topicArn = await createTopic(t.sns, 'sqs');
    const queue = await createQueue(t.sqs, 'sqs-endpoint');
    const out = await t.sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn }),
    );
    expectSubscriptionArnOf(topicArn, out.SubscriptionArn);
    const attrs = await subscriptionAttributes(out.SubscriptionArn as string);
    expect(attrs).toMatchObject({
      ConfirmationWasAuthenticated: 'true',
      Endpoint: queue.arn,
      Owner: DEFAULT_ACCOUNT,
      PendingConfirmation: 'false',
      Protocol: 'sqs',
      RawMessageDelivery: 'false',
      SubscriptionArn: out.SubscriptionArn,
      TopicArn: topicArn,
    });
    // a filter policy scope only appears once a filter policy is set
    expect(attrs.FilterPolicy).toBeUndefined();
    expect(attrs.FilterPolicyScope).toBeUndefined();
  });

  it('answers "pending confirmation" for email and email-json, or the ARN with ReturnSubscriptionArn', async () => {
    const topicArn = await createTopic(t.sns, 'email');
    for (const Protocol of ['email', 'email-json']) {
      const Endpoint = `${Protocol}-${uniqueName('user')}@example.com`;
      const plain = await t.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol, Endpoint }));
      expect(plain.SubscriptionArn, Protocol).toBe('pending confirmation');
      const withArn = await t.sns.send(
        new SubscribeCommand({ TopicArn: topicArn, Protocol, Endpoint, ReturnSubscriptionArn: true }),
      );
      expectSubscriptionArnOf(topicArn, withArn.SubscriptionArn);
      expect(await subscriptionAttributes(withArn.SubscriptionArn as string)).toMatchObject({
        Protocol,
        Endpoint,
        PendingConfirmation: 'true',
        ConfirmationWasAuthenticated: 'false',
      });
    }
  });

  it('subscribes a phone number over sms, confirmed at once, and rejects one that is not a number', async () => {
    const topicArn = await createTopic(t.sns, 'sms');
    const arn = await subscribe(t.sns, { TopicArn: topicArn, Protocol: 'sms', Endpoint: '+15555550123' });
    expect(await subscriptionAttributes(arn)).toMatchObject({
      Protocol: 'sms',
      Endpoint: '+15555550123',
      PendingConfirmation: 'false',
    });
    await expect(
      t.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sms', Endpoint: 'invalid-number' })),
    ).rejects.toMatchObject(invalidParameter('Invalid SMS endpoint: invalid-number'));
  });

  it('stores a lambda subscription by function ARN, confirmed at once', async () => {
    const topicArn = await createTopic(t.sns, 'lambda');
    const fn = `arn:aws:lambda:${REGION}:${DEFAULT_ACCOUNT}:function:on-order`;
    const arn = await subscribe(t.sns, { TopicArn: topicArn, Protocol: 'lambda', Endpoint: fn });
    expectSubscriptionArnOf(topicArn, arn);
    expect(await subscriptionAttributes(arn)).toMatchObject({
      Protocol: 'lambda',
      Endpoint: fn,
      PendingConfirmation: 'false',
    });
  });

  it('takes attributes at subscribe time', async () => {
    const topicArn = await createTopic(t.sns, 'attrs-at-subscribe');
    const queue = await createQueue(t.sqs, 'attrs-at-subscribe');
    const filter = { event: ['order_placed'] };
    const arn = await subscribeQueue(t.sns, topicArn, queue.arn, {
      RawMessageDelivery: 'true',
      FilterPolicy: JSON.stringify(filter),
    });
    const attrs = await subscriptionAttributes(arn);
    expect(attrs).toMatchObject({ RawMessageDelivery: 'true', FilterPolicyScope: 'MessageAttributes' });
    expect(JSON.parse(attrs.FilterPolicy)).toEqual(filter);
  });

  it('is idempotent for the same endpoint and attributes, and rejects different attributes', async () => {
    const topicArn = await createTopic(t.sns, 'idempotent');
    const queue = await createQueue(t.sqs, 'idempotent');
    const first = await subscribeQueue(t.sns, topicArn, queue.arn, { RawMessageDelivery: 'true' });
    const equivalent: Record<string, string>[] = [
      { RawMessageDelivery: 'true' },
      { RawMessageDelivery: 'true', FilterPolicyScope: 'MessageAttributes' },
      {},
    ];
    for (const attributes of equivalent) {
      expect(await subscribeQueue(t.sns, topicArn, queue.arn, attributes), JSON.stringify(attributes)).toBe(
        first,
      );
    }
    await expect(
      subscribeQueue(t.sns, topicArn, queue.arn, {
        RawMessageDelivery: 'false',
        FilterPolicyScope: 'MessageBody',
      }),
    ).rejects.toMatchObject(
      invalidParameter(
        'Invalid parameter: Attributes Reason: Subscription already exists with different attributes',
      ),
    );
    const listed = await t.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect(listed.Subscriptions).toHaveLength(1);
  });

  it('rejects an invalid attribute value at subscribe time', async () => {
    const topicArn = await createTopic(t.sns, 'bad-attr');
    const queue = await createQueue(t.sqs, 'bad-attr');
    await expect(
      subscribeQueue(t.sns, topicArn, queue.arn, { RawMessageDelivery: 'wrongvalue' }),
    ).rejects.toMatchObject(
      invalidParameter(
        'Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [wrongvalue]. Must be true or false.',
      ),
    );
  });

  it('rejects an unknown protocol, a queue URL as SQS endpoint, and an unknown topic', async () => {
    const topicArn = await createTopic(t.sns, 'rejects');
    const queue = await createQueue(t.sqs, 'rejects');
    await expect(
      t.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'test-protocol', Endpoint: 'x' })),
    ).rejects.toMatchObject(
      invalidParameter('Invalid parameter: Amazon SNS does not support this protocol string: test-protocol'),
    );
    await expect(
      t.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.url })),
    ).rejects.toMatchObject(invalidParameter('Invalid parameter: SQS endpoint ARN'));
    const missing = `arn:aws:sns:${REGION}:${DEFAULT_ACCOUNT}:${uniqueName('no-such-topic')}`;
    await expect(
      t.sns.send(new SubscribeCommand({ TopicArn: missing, Protocol: 'sqs', Endpoint: queue.arn })),
    ).rejects.toMatchObject(TOPIC_NOT_FOUND);
    await expect(
      t.sns.send(new SubscribeCommand({ TopicArn: 'not-an-arn', Protocol: 'sqs', Endpoint: queue.arn })),
    ).rejects.toMatchObject(
      invalidParameter('Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1'),
    );
  });
});

describe('ConfirmSubscription', () => {
  it('confirms a pending email subscription with the token SNS sent', async () => {
    const topicArn = await createTopic(t.sns, 'confirm');
    const Endpoint = `${uniqueName('confirm')}@example.com`;
    const pendingArn = await subscribe(t.sns, { TopicArn: topicArn, Protocol: 'email', Endpoint });
    const token = new URL(await emailSubscribeUrl(t.h.url, topicArn, Endpoint)).searchParams.get('Token');
    expect(token).toBeTruthy();
    const out = await t.sns.send(
      new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: token as string }),
    );
    expect(out.SubscriptionArn).toBe(pendingArn);
    expect(await subscriptionAttributes(pendingArn)).toMatchObject({ PendingConfirmation: 'false' });
    const listed = await t.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect(listed.Subscriptions?.[0]?.SubscriptionArn).toBe(pendingArn);
  });

  it('rejects a token SNS never issued', async () => {
    const topicArn = await createTopic(t.sns, 'bad-token');
    await expect(
      t.sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: 'randomtoken' })),
    ).rejects.toMatchObject(invalidParameter('Invalid token'));
  });
});

describe('Unsubscribe', () => {
  it('removes the subscription; unsubscribing again succeeds; its attributes are then NotFound', async () => {
    const { topicArn, subscriptionArn } = await topicWithQueue(t.sns, t.sqs, 'unsubscribe');
    await t.sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    const again = await t.sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    expect(again.$metadata.httpStatusCode).toBe(200);
    await expect(
      t.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn })),
    ).rejects.toMatchObject(SUBSCRIPTION_NOT_FOUND);
    await expect(setAttribute(subscriptionArn, 'RawMessageDelivery', 'true')).rejects.toMatchObject(
      SUBSCRIPTION_NOT_FOUND,
    );
    const listed = await t.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect(listed.Subscriptions).toEqual([]);
  });

  it('rejects malformed subscription ARNs', async () => {
    await expect(
      t.sns.send(new UnsubscribeCommand({ SubscriptionArn: 'randomstring' })),
    ).rejects.toMatchObject(
      invalidParameter(
        'Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1',
      ),
    );
    await expect(
      t.sns.send(new UnsubscribeCommand({ SubscriptionArn: 'arn:aws:sns:us-east-1:random' })),
    ).rejects.toMatchObject(
      invalidParameter(
        'Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 5',
      ),
    );
    await expect(
      t.sns.send(new UnsubscribeCommand({ SubscriptionArn: 'arn:aws:sns:us-east-1:111111111111:random' })),
    ).rejects.toMatchObject(invalidParameter('Invalid parameter: SubscriptionId'));
  });
});

describe('ListSubscriptionsByTopic and ListSubscriptions', () => {
  it('lists Endpoint, Owner, Protocol, SubscriptionArn and TopicArn, with "PendingConfirmation" for a pending one', async () => {
    const { topicArn, queue, subscriptionArn } = await topicWithQueue(t.sns, t.sqs, 'listed');
    const Endpoint = `${uniqueName('pending')}@example.com`;
    await t.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint }));
    const out = await t.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    const byProtocol = Object.fromEntries((out.Subscriptions ?? []).map((s) => [s.Protocol, s]));
    expect(out.Subscriptions).toHaveLength(2);
    expect(byProtocol.sqs).toEqual({
      Endpoint: queue.arn,
      Owner: DEFAULT_ACCOUNT,
      Protocol: 'sqs',
      SubscriptionArn: subscriptionArn,
      TopicArn: topicArn,
    });
    expect(byProtocol.email).toEqual({
      Endpoint,
      Owner: DEFAULT_ACCOUNT,
      Protocol: 'email',
      SubscriptionArn: 'PendingConfirmation',
      TopicArn: topicArn,
    });
    expect(out.NextToken).toBeUndefined();
  });

  it('answers NotFound for the subscriptions of a topic that does not exist', async () => {
    const missing = `arn:aws:sns:${REGION}:${DEFAULT_ACCOUNT}:${uniqueName('gone')}`;
    await expect(
      t.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: missing })),
    ).rejects.toMatchObject(TOPIC_NOT_FOUND);
  });

  it('pages 100 subscriptions at a time, per topic and for the whole account', async () => {
    // a fresh account, so that ListSubscriptions holds exactly these
    const { sns } = clientsFor(t.h, '100000000003');
    const topicArn = await createTopic(sns, 'paged');
    const created = new Set<string>();
    for (let i = 0; i < 101; i++) {
      created.add(
        await subscribe(sns, { TopicArn: topicArn, Protocol: 'sms', Endpoint: `+1231231${100 + i}` }),
      );
    }
    const first = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect(first.Subscriptions).toHaveLength(100);
    expect(first.NextToken).toBeTruthy();
    const second = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: first.NextToken }),
    );
    expect(second.Subscriptions).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    const byTopic = [...(first.Subscriptions ?? []), ...(second.Subscriptions ?? [])].map(
      (s) => s.SubscriptionArn,
    );
    expect(new Set(byTopic)).toEqual(created);

    const all = await sns.send(new ListSubscriptionsCommand({}));
    expect(all.Subscriptions).toHaveLength(100);
    const rest = await sns.send(new ListSubscriptionsCommand({ NextToken: all.NextToken }));
    expect(rest.Subscriptions).toHaveLength(1);
    expect(rest.NextToken).toBeUndefined();
    const account = [...(all.Subscriptions ?? []), ...(rest.Subscriptions ?? [])].map(
      (s) => s.SubscriptionArn,
    );
    expect(new Set(account)).toEqual(created);
  });

  it('ListSubscriptions covers every topic of the account and no other account', async () => {
    const { sns, sqs } = clientsFor(t.h, '100000000004');
    const expected = new Set<string>();
    for (const label of ['first', 'second']) {
      const topicArn = await createTopic(sns, label);
      for (let i = 0; i < 3; i++) {
        const queue = await createQueue(sqs, `${label}-${i}`);
        expected.add(await subscribeQueue(sns, topicArn, queue.arn));
      }
    }
    const out = await sns.send(new ListSubscriptionsCommand({}));
    expect(new Set(out.Subscriptions?.map((s) => s.SubscriptionArn))).toEqual(expected);
    expect(out.Subscriptions?.every((s) => s.Owner === '100000000004')).toBe(true);
  });
});

describe('SetSubscriptionAttributes', () => {
  it('sets RawMessageDelivery, FilterPolicy (with its default scope) and RedrivePolicy', async () => {
    const { subscriptionArn } = await topicWithQueue(t.sns, t.sqs, 'set-attrs');
    const dlq = await createQueue(t.sqs, 'set-attrs-dlq');
    const filter = { attr1: [{ numeric: ['>', 0, '<=', 100] }] };
    await setAttribute(subscriptionArn, 'RawMessageDelivery', 'true');
    await setAttribute(subscriptionArn, 'FilterPolicy', JSON.stringify(filter));
    await setAttribute(subscriptionArn, 'RedrivePolicy', JSON.stringify({ deadLetterTargetArn: dlq.arn }));
    const attrs = await subscriptionAttributes(subscriptionArn);
    expect(attrs).toMatchObject({ RawMessageDelivery: 'true', FilterPolicyScope: 'MessageAttributes' });
    expect(JSON.parse(attrs.FilterPolicy)).toEqual(filter);
    expect(JSON.parse(attrs.RedrivePolicy)).toEqual({ deadLetterTargetArn: dlq.arn });

    await setAttribute(subscriptionArn, 'FilterPolicyScope', 'MessageBody');
    expect((await subscriptionAttributes(subscriptionArn)).FilterPolicyScope).toBe('MessageBody');
  });

  it('validates names and values with AWS messages', async () => {
    const { subscriptionArn } = await topicWithQueue(t.sns, t.sqs, 'validate');
    const cases: [string, string, string | RegExp][] = [
      ['FakeAttribute', 'test-value', 'Invalid parameter: AttributeName'],
      [
        'RawMessageDelivery',
        'test-ValUe',
        'Invalid parameter: RawMessageDelivery: Invalid value [test-ValUe]. Must be true or false.',
      ],
      [
        'RawMessageDelivery',
        '',
        'Invalid parameter: RawMessageDelivery: Invalid value []. Must be true or false.',
      ],
      [
        'RedrivePolicy',
        JSON.stringify({ deadLetterTargetArn: 'fake-arn' }),
        'Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn',
      ],
      ['RedrivePolicy', '{invalidjson}', /^Invalid parameter: RedrivePolicy: failed to parse JSON\./],
      ['FilterPolicy', '{invalidjson}', /^Invalid parameter: FilterPolicy: failed to parse JSON\./],
      [
        'FilterPolicyScope',
        'RandomValue',
        'Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes',
      ],
    ];
    for (const [name, value, message] of cases) {
      await expect(setAttribute(subscriptionArn, name, value), `${name}=${value}`).rejects.toMatchObject(
        invalidParameter(message),
      );
    }
    expect(await subscriptionAttributes(subscriptionArn)).toMatchObject({ RawMessageDelivery: 'false' });
  });
});
