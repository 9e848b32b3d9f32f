/**
 * Restarting on the same data dir keeps topics (attributes, tags), subscriptions (their
 * attributes, a pending one's confirmation token) and every message already delivered to a
 * queue; delivery after the restart still honours what was configured before it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../src/index.js';
import { TEST_CREDENTIALS } from '../harness.js';
import {
  createQueue,
  parseEnvelope,
  receiveNow,
  stringAttribute,
  subscribe,
  subscribeQueue,
} from './setup.js';
import { type SignedMessage, signatureVerifies } from './signature.js';
import { emailSubscribeUrl } from './sinks.js';

const dataDir = mkdtempSync(join(tmpdir(), 'localaws-sns-'));
const running: LocalAws[] = [];

afterAll(async () => {
  for (const server of running) await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start() {
  const server = await startLocalAws({ dataDir });
  running.push(server);
  const config = { endpoint: server.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  return { server, sns: new SNSClient(config), sqs: new SQSClient(config) };
}

async function stop(server: LocalAws): Promise<void> {
  running.splice(running.indexOf(server), 1);
  await server.stop();
}

describe('SNS across a restart on the same data dir', () => {
  it('keeps topics, subscriptions, their attributes and delivered messages', async () => {
    const first = await start();
    const { TopicArn: topicArn } = await first.sns.send(
      new CreateTopicCommand({
        Name: 'durable',
        Attributes: { DisplayName: 'Durable' },
        Tags: [{ Key: 'team', Value: 'core' }],
      }),
    );
    const { TopicArn: fifoArn } = await first.sns.send(
      new CreateTopicCommand({
        Name: 'durable.fifo',
        Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' },
      }),
    );
    const queue = await createQueue(first.sqs, 'durable-queue');
    const filter = { color: ['red'] };
    const queueSubscription = await subscribeQueue(first.sns, topicArn as string, queue.arn, {
      RawMessageDelivery: 'true',
      FilterPolicy: JSON.stringify(filter),
    });
    const email = 'durable@example.com';
    const emailSubscription = await subscribe(first.sns, {
      TopicArn: topicArn as string,
      Protocol: 'email',
      Endpoint: email,
    });
    const token = new URL(
      await emailSubscribeUrl(first.server.url, topicArn as string, email),
    ).searchParams.get('Token');
    await first.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'before restart',
        MessageAttributes: { color: stringAttribute('red') },
      }),
    );
    await stop(first.server);

    const second = await start();
    const topics = await second.sns.send(new ListTopicsCommand({}));
    expect(topics.Topics?.map((topic) => topic.TopicArn).sort()).toEqual([fifoArn, topicArn].sort());
    const topicAttrs = await second.sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
    expect(topicAttrs.Attributes).toMatchObject({
      DisplayName: 'Durable',
      SubscriptionsConfirmed: '1',
      SubscriptionsPending: '1',
    });
    const fifoAttrs = await second.sns.send(new GetTopicAttributesCommand({ TopicArn: fifoArn }));
    expect(fifoAttrs.Attributes).toMatchObject({ FifoTopic: 'true', ContentBasedDeduplication: 'true' });
    const tags = await second.sns.send(new ListTagsForResourceCommand({ ResourceArn: topicArn }));
    expect(tags.Tags).toEqual([{ Key: 'team', Value: 'core' }]);

    const subs = await second.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect(subs.Subscriptions?.map((s) => s.SubscriptionArn).sort()).toEqual(
      ['PendingConfirmation', queueSubscription].sort(),
    );
    const subAttrs = await second.sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: queueSubscription }),
    );
    expect(subAttrs.Attributes).toMatchObject({
      RawMessageDelivery: 'true',
      FilterPolicyScope: 'MessageAttributes',
    });
    expect(JSON.parse(subAttrs.Attributes?.FilterPolicy ?? 'null')).toEqual(filter);

    // the pending email subscription can still be confirmed with the token sent before the restart
    const confirmed = await second.sns.send(
      new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: token as string }),
    );
    expect(confirmed.SubscriptionArn).toBe(emailSubscription);

    // the message delivered before the restart is still there; the filter policy still applies
    await second.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'blue, filtered out',
        MessageAttributes: { color: stringAttribute('blue') },
      }),
    );
    await second.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'after restart',
        MessageAttributes: { color: stringAttribute('red') },
      }),
    );
    const bodies = (await receiveNow(second.sqs, queue.url)).map((m) => m.Body).sort();
    expect(bodies).toEqual(['after restart', 'before restart']);
  });

  it('signs after a restart with a certificate that verifies', async () => {
    const { sns, sqs } = await start();
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'signed-after-restart' }));
    const queue = await createQueue(sqs, 'signed-after-restart');
    await subscribeQueue(sns, TopicArn as string, queue.arn);
    await sns.send(new PublishCommand({ TopicArn, Message: 'still signed' }));
    const [message] = await receiveNow(sqs, queue.url);
    expect(await signatureVerifies(parseEnvelope(message.Body) as unknown as SignedMessage)).toBe(true);
  });
});
