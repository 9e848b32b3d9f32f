/**
 * HTTP/S delivery policies are checked when set, as AWS checks them ("Amazon SNS message
 * delivery retries": delays of 1 to 3,600 seconds with the minimum at most the maximum,
 * numRetries 0 to 100, phases of 0 or more, at most 3,600 seconds of retrying in all), on the
 * topic (SetTopicAttributes, CreateTopic) and on a subscription (Subscribe, SetSubscription-
 * Attributes). A refused policy changes nothing; an accepted one (integers as numbers or
 * digit strings) spaces the retries it says on the server clock. Messages: the two AWS gave
 * (awsdocs/amazon-sns-developer-guide#5, and re:Post "Total policy retry time cannot be greater
 * than 3600 seconds"); the others follow their form.
 */
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSubscriber } from './http-subscriber.js';
import { createTopic, invalidParameter, sleep, subscribe, uniqueName, useSns } from './setup.js';

const t = useSns();
const endpoint = new HttpSubscriber();
beforeAll(() => endpoint.start());
afterAll(() => endpoint.stop());

const topicPolicy = (defaultHealthyRetryPolicy: Record<string, unknown>) =>
  JSON.stringify({ http: { defaultHealthyRetryPolicy } });
const subscriptionPolicy = (healthyRetryPolicy: Record<string, unknown>) =>
  JSON.stringify({ healthyRetryPolicy });

/** An HTTP subscription of the test's endpoint, confirmed through its SubscribeURL. */
async function confirmedHttp(path: string, attributes: Record<string, string> = {}) {
  const topicArn = await createTopic(t.sns, 'policy');
  const subscriptionArn = await subscribe(t.sns, {
    TopicArn: topicArn,
    Protocol: 'http',
    Endpoint: `${endpoint.url}${path}`,
    Attributes: attributes,
  });
  const [confirmation] = await endpoint.waitForPosts(path, 1);
  const { SubscribeURL } = JSON.parse(confirmation?.body ?? '{}') as { SubscribeURL: string };
  expect((await fetch(SubscribeURL)).status).toBe(200);
  return { topicArn, subscriptionArn };
}

describe("a topic's DeliveryPolicy", () => {
  it('is refused outside the bounds, naming the field, and leaves the topic as it was', async () => {
    const arn = await createTopic(t.sns, 'bounds');
    const set = (AttributeValue: string) =>
      t.sns.send(
        new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DeliveryPolicy', AttributeValue }),
      );
    const cases: [Record<string, unknown>, string][] = [
      [{ minDelayTarget: 'abc' }, 'http.defaultHealthyRetryPolicy.minDelayTarget must be an integer'],
      [
        { minDelayTarget: 0 },
        'http.defaultHealthyRetryPolicy.minDelayTarget must be greater than or equal to 1',
      ],
      [{ numRetries: 101 }, 'http.defaultHealthyRetryPolicy.numRetries must be less than or equal to 100'],
      [
        { minDelayTarget: 3599, maxDelayTarget: 3600, numRetries: 10 },
        'http.defaultHealthyRetryPolicy: Total policy retry time cannot be greater than 3600 seconds',
      ],
    ];
    for (const [policy, reason] of cases) {
      await expect(set(topicPolicy(policy)), JSON.stringify(policy)).rejects.toMatchObject(
        invalidParameter(`Invalid parameter: DeliveryPolicy: ${reason}`),
      );
    }
    const attributes = (await t.sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes ?? {};
    expect(attributes.DeliveryPolicy).toBeUndefined();
    expect(
      JSON.parse(attributes.EffectiveDeliveryPolicy as string).http.defaultHealthyRetryPolicy,
    ).toMatchObject({
      minDelayTarget: 20,
      numRetries: 3,
    });
  });

  it('is refused at CreateTopic, which then creates nothing', async () => {
    const Name = uniqueName('refused-at-create');
    await expect(
      t.sns.send(
        new CreateTopicCommand({
          Name,
          Attributes: { DeliveryPolicy: topicPolicy({ backoffFunction: 'cubic' }) },
        }),
      ),
    ).rejects.toMatchObject(
      invalidParameter(
        'Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy.backoffFunction must be one of linear, arithmetic, geometric, exponential',
      ),
    );
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name }));
    const attributes = (await t.sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes ?? {};
    expect(attributes.DeliveryPolicy).toBeUndefined();
  });
});

describe("a subscription's DeliveryPolicy", () => {
  it('is refused at Subscribe with the reason AWS gives, under "Attributes Reason"', async () => {
    const topicArn = await createTopic(t.sns, 'subscribe-bounds');
    await expect(
      subscribe(t.sns, {
        TopicArn: topicArn,
        Protocol: 'http',
        Endpoint: `${endpoint.url}/refused`,
        Attributes: {
          DeliveryPolicy: subscriptionPolicy({
            numRetries: 0,
            minDelayTarget: 0,
            maxDelayTarget: 0,
            numMinDelayRetries: 0,
            numMaxDelayRetries: 0,
            numNoDelayRetries: 0,
            backoffFunction: 'exponential',
          }),
        },
      }),
    ).rejects.toMatchObject(
      invalidParameter(
        'Invalid parameter: Attributes Reason: DeliveryPolicy: healthyRetryPolicy.minDelayTarget must be greater than or equal to 1',
      ),
    );
    await sleep(100);
    expect(endpoint.postsTo('/refused')).toEqual([]);
  });

  it('is refused by SetSubscriptionAttributes, keeping the policy it had', async () => {
    const { subscriptionArn } = await confirmedHttp('/kept', {
      DeliveryPolicy: subscriptionPolicy({ minDelayTarget: 5, maxDelayTarget: 5, numRetries: 2 }),
    });
    const set = (AttributeValue: string) =>
      t.sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn: subscriptionArn,
          AttributeName: 'DeliveryPolicy',
          AttributeValue,
        }),
      );
    await expect(set(subscriptionPolicy({ maxDelayTarget: 3601 }))).rejects.toMatchObject(
      invalidParameter(
        'Invalid parameter: DeliveryPolicy: healthyRetryPolicy.maxDelayTarget must be less than or equal to 3600',
      ),
    );
    await expect(set(JSON.stringify({ throttlePolicy: { maxReceivesPerSecond: 0 } }))).rejects.toMatchObject(
      invalidParameter(
        'Invalid parameter: DeliveryPolicy: throttlePolicy.maxReceivesPerSecond must be greater than or equal to 1',
      ),
    );
    await expect(set('{not json')).rejects.toMatchObject(
      invalidParameter('Invalid parameter: DeliveryPolicy: failed to parse JSON.'),
    );
    const out = await t.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }));
    expect(JSON.parse(out.Attributes?.DeliveryPolicy as string).healthyRetryPolicy).toEqual({
      minDelayTarget: 5,
      maxDelayTarget: 5,
      numRetries: 2,
    });
  });

  it('spaces retries as it says when its integers are digit strings', async () => {
    const { topicArn } = await confirmedHttp('/strings', {
      DeliveryPolicy: subscriptionPolicy({ minDelayTarget: '30', maxDelayTarget: '30', numRetries: '1' }),
    });
    endpoint.failNext(500);
    await t.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'again in 30 s' }));
    await endpoint.waitForPosts('/strings', 2);
    t.h.server.advanceClock(29);
    await sleep(150);
    expect(endpoint.postsTo('/strings')).toHaveLength(2);
    t.h.server.advanceClock(1);
    const posts = await endpoint.waitForPosts('/strings', 3);
    expect(posts.slice(1).map((p) => [p.status, JSON.parse(p.body).Message])).toEqual([
      [500, 'again in 30 s'],
      [200, 'again in 30 s'],
    ]);
  });
});
