/**
 * HTTP subscribers, served by this test on 127.0.0.1: the SubscriptionConfirmation POST and
 * its SubscribeURL that confirms when fetched (or its Token with ConfirmSubscription), no
 * notification before confirmation, then Notification POSTs with AWS's headers and a
 * verifiable signature, raw delivery, the UnsubscribeConfirmation, and a retry after a failed
 * delivery on the server clock. Sources: the SNS developer guide ("HTTP/HTTPS subscription
 * confirmation JSON format", "HTTP/HTTPS notification JSON format", "HTTP/HTTPS unsubscribe
 * confirmation JSON format", "Amazon SNS message delivery retries") and headers recorded
 * against AWS (localstack test_sns.snapshot.json: TestSNSSubscriptionHttp).
 */
import {
  ConfirmSubscriptionCommand,
  GetSubscriptionAttributesCommand,
  PublishCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSubscriber, type ReceivedPost } from './http-subscriber.js';
import { createTopic, type Envelope, ISO_MILLIS, sleep, stringAttribute, UUID, useSns } from './setup.js';
import { type SignedMessage, signatureVerifies } from './signature.js';

const t = useSns();
const endpoint = new HttpSubscriber();
beforeAll(() => endpoint.start());
afterAll(() => endpoint.stop());

let paths = 0;
/** A path of the test endpoint no other test uses. */
function freshPath(): string {
  paths += 1;
  return `/sns-endpoint-${paths}`;
}

const bodyOf = (post: ReceivedPost) => JSON.parse(post.body) as Envelope;

async function pendingHttpSubscription(attributes: Record<string, string> = {}) {
  const topicArn = await createTopic(t.sns, 'http');
  const path = freshPath();
  const out = await t.sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'http',
      Endpoint: `${endpoint.url}${path}`,
      Attributes: attributes,
      ReturnSubscriptionArn: true,
    }),
  );
  const [confirmation] = await endpoint.waitForPosts(path, 1);
  return { topicArn, path, subscriptionArn: out.SubscriptionArn as string, confirmation };
}

async function confirmedHttpSubscription(attributes: Record<string, string> = {}) {
  const pending = await pendingHttpSubscription(attributes);
  const res = await fetch(bodyOf(pending.confirmation).SubscribeURL as string);
  expect(res.status).toBe(200);
  return pending;
}

async function pendingConfirmation(subscriptionArn: string): Promise<string | undefined> {
  const out = await t.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }));
  return out.Attributes?.PendingConfirmation;
}

describe('subscribing an HTTP endpoint', () => {
  it('answers "pending confirmation" and POSTs a signed SubscriptionConfirmation', async () => {
    const topicArn = await createTopic(t.sns, 'confirmation');
    const path = freshPath();
    const out = await t.sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: `${endpoint.url}${path}` }),
    );
    expect(out.SubscriptionArn).toBe('pending confirmation');

    const [post] = await endpoint.waitForPosts(path, 1);
    const body = bodyOf(post);
    expect(body).toMatchObject({
      Type: 'SubscriptionConfirmation',
      TopicArn: topicArn,
      Message: `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      SignatureVersion: '1',
    });
    expect(body.MessageId).toMatch(UUID);
    expect(body.Timestamp).toMatch(ISO_MILLIS);
    expect(body.Token).toBeTruthy();
    expect(body.SubscribeURL).toBe(
      `${t.h.url}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${body.Token}`,
    );
    expect(await signatureVerifies(body as unknown as SignedMessage)).toBe(true);

    expect(post.headers).toMatchObject({
      'x-amz-sns-message-type': 'SubscriptionConfirmation',
      'x-amz-sns-message-id': body.MessageId,
      'x-amz-sns-topic-arn': topicArn,
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
    });
    expect(post.headers['x-amz-sns-subscription-arn']).toBeUndefined();
  });

  it('confirms the subscription when the SubscribeURL is fetched', async () => {
    const { topicArn, subscriptionArn, confirmation } = await pendingHttpSubscription();
    expect(await pendingConfirmation(subscriptionArn)).toBe('true');
    const res = await fetch(bodyOf(confirmation).SubscribeURL as string);
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain('ConfirmSubscriptionResponse');
    expect(xml).toContain(`<SubscriptionArn>${subscriptionArn}</SubscriptionArn>`);
    expect(await pendingConfirmation(subscriptionArn)).toBe('false');
    expect(subscriptionArn.startsWith(`${topicArn}:`)).toBe(true);
  });

  it('confirms the subscription with ConfirmSubscription and the Token', async () => {
    const { topicArn, subscriptionArn, confirmation } = await pendingHttpSubscription();
    const out = await t.sns.send(
      new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: bodyOf(confirmation).Token as string }),
    );
    expect(out.SubscriptionArn).toBe(subscriptionArn);
    expect(await pendingConfirmation(subscriptionArn)).toBe('false');
  });

  it('sends no notification before the subscription is confirmed', async () => {
    const { topicArn, path } = await pendingHttpSubscription();
    await t.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'too early' }));
    await sleep(300);
    expect(endpoint.postsTo(path).map((p) => bodyOf(p).Type)).toEqual(['SubscriptionConfirmation']);
  });

  it('also takes https endpoints, pending confirmation', async () => {
    const topicArn = await createTopic(t.sns, 'https');
    const out = await t.sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'https', Endpoint: 'https://127.0.0.1:9/hook' }),
    );
    expect(out.SubscriptionArn).toBe('pending confirmation');
  });
});

describe('notifications to a confirmed HTTP endpoint', () => {
  it('POSTs the signed envelope with the x-amz-sns headers', async () => {
    const { topicArn, path, subscriptionArn } = await confirmedHttpSubscription();
    const out = await t.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'test_external_http_endpoint',
        Subject: 'Hello',
        MessageAttributes: { kind: stringAttribute('greeting') },
      }),
    );
    const posts = await endpoint.waitForPosts(path, 2);
    const post = posts[1];
    const body = bodyOf(post);
    expect(body).toMatchObject({
      Type: 'Notification',
      MessageId: out.MessageId,
      TopicArn: topicArn,
      Subject: 'Hello',
      Message: 'test_external_http_endpoint',
      SignatureVersion: '1',
      UnsubscribeURL: `${t.h.url}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
      MessageAttributes: { kind: { Type: 'String', Value: 'greeting' } },
    });
    expect(body.Timestamp).toMatch(ISO_MILLIS);
    expect(await signatureVerifies(body as unknown as SignedMessage)).toBe(true);
    expect(post.headers).toMatchObject({
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': out.MessageId,
      'x-amz-sns-topic-arn': topicArn,
      'x-amz-sns-subscription-arn': subscriptionArn,
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
    });
  });

  it('POSTs the message itself with x-amz-sns-rawdelivery under raw delivery', async () => {
    const { topicArn, path, subscriptionArn } = await confirmedHttpSubscription({
      RawMessageDelivery: 'true',
    });
    await t.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'raw over http' }));
    const [, post] = await endpoint.waitForPosts(path, 2);
    expect(post.body).toBe('raw over http');
    expect(post.headers).toMatchObject({
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-rawdelivery': 'true',
      'x-amz-sns-subscription-arn': subscriptionArn,
    });
  });

  it('POSTs the `http` entry of a json message structure', async () => {
    const { topicArn, path } = await confirmedHttpSubscription();
    await t.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'for all', http: 'for http', sqs: 'for sqs' }),
      }),
    );
    const [, post] = await endpoint.waitForPosts(path, 2);
    expect(bodyOf(post).Message).toBe('for http');
  });

  it('retries a failed delivery on the server clock, with the same MessageId', async () => {
    const { topicArn, path } = await confirmedHttpSubscription();
    endpoint.failNext(500);
    const out = await t.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'try again' }));
    const [, failed] = await endpoint.waitForPosts(path, 2);
    expect(failed.status).toBe(500);
    // the default policy waits 20 seconds before its first retry (EffectiveDeliveryPolicy)
    t.h.server.advanceClock(21);
    const [, , retried] = await endpoint.waitForPosts(path, 3);
    expect(retried.status).toBe(200);
    expect(bodyOf(retried)).toMatchObject({
      Type: 'Notification',
      MessageId: out.MessageId,
      Message: 'try again',
    });
    expect(retried.headers['x-amz-sns-message-id']).toBe(out.MessageId);
  });
});

describe('unsubscribing an HTTP endpoint', () => {
  it('POSTs a signed UnsubscribeConfirmation and stops notifications', async () => {
    const { topicArn, path, subscriptionArn } = await confirmedHttpSubscription();
    await t.sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    const [, post] = await endpoint.waitForPosts(path, 2);
    const body = bodyOf(post);
    expect(body).toMatchObject({
      Type: 'UnsubscribeConfirmation',
      TopicArn: topicArn,
      Message: `You have chosen to deactivate subscription ${subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`,
      SignatureVersion: '1',
    });
    expect(body.SubscribeURL).toBe(
      `${t.h.url}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${body.Token}`,
    );
    expect(await signatureVerifies(body as unknown as SignedMessage)).toBe(true);
    expect(post.headers).toMatchObject({
      'x-amz-sns-message-type': 'UnsubscribeConfirmation',
      'x-amz-sns-subscription-arn': subscriptionArn,
      'x-amz-sns-topic-arn': topicArn,
    });

    await t.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'after unsubscribe' }));
    await sleep(300);
    expect(endpoint.postsTo(path)).toHaveLength(2);
  });
});
