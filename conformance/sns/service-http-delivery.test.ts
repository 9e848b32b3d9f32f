/**
 * The service's own checks of HTTP/S delivery: retries on the server clock per the
 * subscription's delivery policy, a dead-letter queue once the policy is spent or the
 * endpoint refuses for good, raw delivery with its header and the policy's content type,
 * and pending retries that survive a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../src/index.js';
import { TEST_CREDENTIALS, useLocalAws } from '../harness.js';

interface Post {
  headers: IncomingHttpHeaders;
  body: string;
}

/** An endpoint that answers each POST with the next scripted status (200 when none is left). */
class Endpoint {
  readonly posts: Post[] = [];
  readonly statuses: number[] = [];
  private server?: Server;
  url = '';

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.posts.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(this.statuses.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  notifications(): Post[] {
    return this.posts.filter((p) => p.headers['x-amz-sns-message-type'] === 'Notification');
  }

  async waitFor(count: number, what: () => Post[] = () => this.notifications()): Promise<Post[]> {
    // generous: under a loaded CI machine the background delivery may lag; the test timeout bounds it
    const deadline = Date.now() + 15_000;
    while (what().length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} posts, got ${what().length}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return what();
  }
}

const clients = (url: string) => {
  const config = { endpoint: url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  return { sns: new SNSClient(config), sqs: new SQSClient(config) };
};

let named = 0;

/** A topic with a confirmed HTTP subscription of `endpoint`, and optionally a dead-letter queue. */
async function subscribed(
  server: { url: string },
  endpoint: Endpoint,
  attributes: Record<string, string> = {},
) {
  const { sns, sqs } = clients(server.url);
  named += 1;
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `svc-http-${named}` }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `svc-http-dlq-${named}` }));
  const dlq = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: 'http',
      Endpoint: endpoint.url,
      ReturnSubscriptionArn: true,
      Attributes: {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.Attributes?.QueueArn }),
        ...attributes,
      },
    }),
  );
  const [confirmation] = await endpoint.waitFor(1, () => endpoint.posts);
  const { SubscribeURL } = JSON.parse(confirmation?.body ?? '{}') as { SubscribeURL: string };
  expect((await fetch(SubscribeURL)).status).toBe(200);
  endpoint.posts.length = 0;
  return {
    sns,
    sqs,
    topicArn: TopicArn as string,
    subscriptionArn: SubscriptionArn as string,
    dlqUrl: QueueUrl as string,
  };
}

const retryPolicy = (numRetries: number, delay = 10) =>
  JSON.stringify({
    healthyRetryPolicy: {
      minDelayTarget: delay,
      maxDelayTarget: delay,
      numRetries,
      backoffFunction: 'linear',
    },
  });

async function deadLetters(sqs: SQSClient, url: string): Promise<string[]> {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
  return (out.Messages ?? []).map((m) => m.Body ?? '');
}

describe('HTTP/S delivery', () => {
  const h = useLocalAws();
  const endpoint = new Endpoint();
  beforeAll(() => endpoint.start());
  afterAll(() => endpoint.stop());

  it('retries a failed POST when the server clock reaches the next delay, then stops on success', async () => {
    const s = await subscribed(h, endpoint, { DeliveryPolicy: retryPolicy(3) });
    endpoint.statuses.push(500, 503);
    await s.sns.send(new PublishCommand({ TopicArn: s.topicArn, Message: 'persevere' }));
    await endpoint.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(endpoint.notifications()).toHaveLength(1);
    h.server.advanceClock(10);
    await endpoint.waitFor(2);
    h.server.advanceClock(10);
    const posts = await endpoint.waitFor(3);
    expect(new Set(posts.map((p) => p.headers['x-amz-sns-message-id'])).size).toBe(1);
    expect(posts.map((p) => JSON.parse(p.body).Message)).toEqual(['persevere', 'persevere', 'persevere']);
    h.server.advanceClock(60);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(endpoint.notifications()).toHaveLength(3);
    expect(await deadLetters(s.sqs, s.dlqUrl)).toEqual([]);
    endpoint.posts.length = 0;
  });

  it('sends the envelope to the dead-letter queue once the retry policy is spent', async () => {
    const s = await subscribed(h, endpoint, { DeliveryPolicy: retryPolicy(1) });
    endpoint.statuses.push(500, 500);
    await s.sns.send(new PublishCommand({ TopicArn: s.topicArn, Message: 'doomed', Subject: 'dlq' }));
    await endpoint.waitFor(1);
    h.server.advanceClock(10);
    await endpoint.waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [dead] = await deadLetters(s.sqs, s.dlqUrl);
    expect(JSON.parse(dead ?? '{}')).toMatchObject({
      Type: 'Notification',
      Message: 'doomed',
      Subject: 'dlq',
    });
    endpoint.posts.length = 0;
  });

  it('does not retry an endpoint that refuses with a 4xx, dead-lettering at once', async () => {
    const s = await subscribed(h, endpoint, { DeliveryPolicy: retryPolicy(3) });
    endpoint.statuses.push(403);
    await s.sns.send(new PublishCommand({ TopicArn: s.topicArn, Message: 'forbidden' }));
    await endpoint.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    h.server.advanceClock(60);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(endpoint.notifications()).toHaveLength(1);
    expect((await deadLetters(s.sqs, s.dlqUrl)).map((b) => JSON.parse(b).Message)).toEqual(['forbidden']);
    endpoint.posts.length = 0;
  });

  it("posts a raw message with the x-amz-sns-rawdelivery header and the policy's content type", async () => {
    const s = await subscribed(h, endpoint, {
      RawMessageDelivery: 'true',
      DeliveryPolicy: JSON.stringify({ requestPolicy: { headerContentType: 'application/json' } }),
    });
    const attributes = await s.sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: s.subscriptionArn }),
    );
    expect(JSON.parse(attributes.Attributes?.EffectiveDeliveryPolicy ?? '{}').requestPolicy).toEqual({
      headerContentType: 'application/json',
    });
    await s.sns.send(new PublishCommand({ TopicArn: s.topicArn, Message: '{"raw":true}' }));
    const [post] = await endpoint.waitFor(1);
    expect(post?.body).toBe('{"raw":true}');
    expect(post?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-amz-sns-rawdelivery': 'true',
      'x-amz-sns-subscription-arn': s.subscriptionArn,
      'x-amz-sns-topic-arn': s.topicArn,
      'user-agent': 'Amazon Simple Notification Service Agent',
    });
    endpoint.posts.length = 0;
  });
});

describe('HTTP/S delivery across a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'localaws-sns-http-'));
  let server: LocalAws | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a pending retry and delivers it when due after the restart', async () => {
    const endpoint = new Endpoint();
    await endpoint.start();
    server = await startLocalAws({ dataDir });
    const s = await subscribed(server, endpoint, { DeliveryPolicy: retryPolicy(2, 30) });
    endpoint.statuses.push(500);
    await s.sns.send(new PublishCommand({ TopicArn: s.topicArn, Message: 'after the restart' }));
    await endpoint.waitFor(1);
    await server.stop();
    server = await startLocalAws({ dataDir });
    server.advanceClock(30);
    const posts = await endpoint.waitFor(2);
    expect(JSON.parse(posts[1]?.body ?? '{}').Message).toBe('after the restart');
    await endpoint.stop();
  });
});
