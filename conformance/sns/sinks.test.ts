/**
 * Email, email-json and SMS: nothing leaves the machine; what SNS would have sent is recorded
 * and read at GET /_localaws/sns/messages (contract in ./sinks.ts). Email subscriptions wait
 * for confirmation like on AWS (the confirmation request is recorded with its SubscribeURL);
 * SMS subscriptions and Publish to a phone number deliver at once. Per-protocol bodies of a
 * json message structure (`email`, `sms`) apply as the Publish API reference documents.
 */
import { GetSubscriptionAttributesCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { createTopic, invalidParameter, subscribe, UUID, uniqueName, useSns } from './setup.js';
import { type SignedMessage, signatureVerifies } from './signature.js';
import { emailSubscribeUrl, sinkMessages } from './sinks.js';

const t = useSns();

async function confirmedEmail(protocol: 'email' | 'email-json') {
  const topicArn = await createTopic(t.sns, protocol);
  const endpoint = `${uniqueName(protocol)}@example.com`;
  const subscriptionArn = await subscribe(t.sns, {
    TopicArn: topicArn,
    Protocol: protocol,
    Endpoint: endpoint,
  });
  const res = await fetch(await emailSubscribeUrl(t.h.url, topicArn, endpoint));
  expect(res.status).toBe(200);
  return { topicArn, endpoint, subscriptionArn };
}

const notifications = async (filter: Parameters<typeof sinkMessages>[1]) =>
  (await sinkMessages(t.h.url, filter)).filter((m) => m.type === 'Notification');

describe('SMS', () => {
  it('records a Publish straight to a phone number', async () => {
    const out = await t.sns.send(
      new PublishCommand({ PhoneNumber: '+15555550100', Message: 'Your code is 1234' }),
    );
    expect(out.MessageId).toMatch(UUID);
    const recorded = await sinkMessages(t.h.url, { phoneNumber: '+15555550100' });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      messageId: out.MessageId,
      type: 'Notification',
      protocol: 'sms',
      endpoint: '+15555550100',
      message: 'Your code is 1234',
      body: 'Your code is 1234',
    });
    expect(recorded[0].topicArn ?? undefined).toBeUndefined();
  });

  it('rejects a phone number that is not E.164', async () => {
    await expect(
      t.sns.send(new PublishCommand({ PhoneNumber: '+1a234', Message: 'x' })),
    ).rejects.toMatchObject(
      invalidParameter('Invalid parameter: PhoneNumber Reason: +1a234 is not valid to publish to'),
    );
  });

  it('records what a topic sends to its sms subscribers, using the `sms` entry of a json structure', async () => {
    const topicArn = await createTopic(t.sns, 'sms-topic');
    const subscriptionArn = await subscribe(t.sns, {
      TopicArn: topicArn,
      Protocol: 'sms',
      Endpoint: '+15555550111',
    });
    await t.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'plain text' }));
    await t.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'long default text', sms: 'short sms' }),
      }),
    );
    const recorded = await notifications({ phoneNumber: '+15555550111' });
    expect(recorded.map((m) => m.message)).toEqual(['plain text', 'short sms']);
    expect(recorded[0]).toMatchObject({
      protocol: 'sms',
      topicArn,
      subscriptionArn,
      endpoint: '+15555550111',
    });
  });
});

describe('email', () => {
  it('records the confirmation request of a new subscription, and nothing else while it is pending', async () => {
    const topicArn = await createTopic(t.sns, 'pending-email');
    const endpoint = `${uniqueName('pending')}@example.com`;
    await t.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: endpoint }));
    await t.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'not yet' }));
    const recorded = await sinkMessages(t.h.url, { endpoint });
    expect(recorded.map((m) => m.type)).toEqual(['SubscriptionConfirmation']);
    expect(recorded[0]).toMatchObject({ protocol: 'email', topicArn, endpoint });
    const { subscribeUrl, token } = recorded[0];
    expect(subscribeUrl).toBe(`${t.h.url}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${token}`);
    expect(recorded[0].body).toContain(subscribeUrl);
  });

  it('confirms when the SubscribeURL is visited, then records each notification with its subject', async () => {
    const { topicArn, endpoint, subscriptionArn } = await confirmedEmail('email');
    const attrs = await t.sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }),
    );
    expect(attrs.Attributes?.PendingConfirmation).toBe('false');
    const out = await t.sns.send(
      new PublishCommand({ TopicArn: topicArn, Subject: 'Welcome', Message: 'Hello there' }),
    );
    const [recorded] = await notifications({ endpoint });
    expect(recorded).toMatchObject({
      messageId: out.MessageId,
      protocol: 'email',
      endpoint,
      topicArn,
      subscriptionArn,
      subject: 'Welcome',
      message: 'Hello there',
    });
    expect(recorded.body).toContain('Hello there');
  });

  it('uses the `email` entry of a json structure', async () => {
    const { topicArn, endpoint } = await confirmedEmail('email');
    await t.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'default text', email: 'email text' }),
      }),
    );
    const [recorded] = await notifications({ endpoint });
    expect(recorded.message).toBe('email text');
    expect(recorded.body).toContain('email text');
    expect(recorded.body).not.toContain('default text');
  });

  it('records the signed JSON notification for email-json', async () => {
    const { topicArn, endpoint } = await confirmedEmail('email-json');
    const out = await t.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'as json' }));
    const [recorded] = await notifications({ endpoint });
    expect(recorded.protocol).toBe('email-json');
    const document = JSON.parse(recorded.body);
    expect(document).toMatchObject({
      Type: 'Notification',
      MessageId: out.MessageId,
      TopicArn: topicArn,
      Message: 'as json',
    });
    expect(await signatureVerifies(document as SignedMessage)).toBe(true);
  });
});

describe('GET /_localaws/sns/messages', () => {
  it('filters by topic, endpoint and phone number, in the order sent', async () => {
    const first = await createTopic(t.sns, 'filter-a');
    const second = await createTopic(t.sns, 'filter-b');
    await subscribe(t.sns, { TopicArn: first, Protocol: 'sms', Endpoint: '+15555550122' });
    await subscribe(t.sns, { TopicArn: second, Protocol: 'sms', Endpoint: '+15555550133' });
    for (const [topic, message] of [
      [first, 'a1'],
      [second, 'b1'],
      [first, 'a2'],
    ]) {
      await t.sns.send(new PublishCommand({ TopicArn: topic, Message: message }));
    }
    expect((await sinkMessages(t.h.url, { topicArn: first })).map((m) => m.message)).toEqual(['a1', 'a2']);
    expect((await sinkMessages(t.h.url, { endpoint: '+15555550133' })).map((m) => m.message)).toEqual(['b1']);
    expect(
      (await sinkMessages(t.h.url, { phoneNumber: '+15555550122', topicArn: second })).map((m) => m.message),
    ).toEqual([]);
  });
});
