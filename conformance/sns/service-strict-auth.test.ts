/**
 * Under --strict-auth every call must be signed, but the links SNS hands to subscribers
 * (SubscribeURL, UnsubscribeURL) carry no signature, and AWS serves them anyway.
 */
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { useLocalAws } from '../harness.js';

const h = useLocalAws({ strictAuth: true });

describe('SNS under strict auth', () => {
  it('confirms through an unsigned SubscribeURL, while other unsigned calls are refused', async () => {
    const sns = new SNSClient(h.clientConfig());
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'strict-topic' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ops@example.com' }));
    const recorded = await fetch(`${h.url}/_localaws/sns/messages?endpoint=ops@example.com`);
    const { messages } = (await recorded.json()) as { messages: { subscribeUrl?: string }[] };
    const subscribeUrl = messages[0]?.subscribeUrl;
    expect(subscribeUrl).toContain('Action=ConfirmSubscription');

    const confirmed = await fetch(subscribeUrl as string);
    expect(confirmed.status).toBe(200);
    const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    const arn = listed.Subscriptions?.[0]?.SubscriptionArn as string;
    expect(arn).toMatch(/^arn:aws:sns:/);
    const attributes = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }));
    expect(attributes.Attributes?.PendingConfirmation).toBe('false');

    const unsigned = await fetch(`${h.url}/?Action=ListTopics&Version=2010-03-31`);
    expect(unsigned.status).toBe(403);
  });
});
