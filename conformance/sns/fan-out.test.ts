/**
 * The typical serverless fan-out: one topic of order events, three queues each consumed by
 * its own worker, each subscribed with a different filter policy (an attribute value, a
 * numeric range, a property of the JSON body) and one of them with raw delivery. Every
 * worker must see exactly its messages, in the format its subscription asks for, as soon as
 * Publish returns.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import {
  createQueue,
  createTopic,
  numberAttribute,
  parseEnvelope,
  receiveNow,
  stringAttribute,
  subscribeQueue,
  useSns,
} from './setup.js';
import { type SignedMessage, signatureVerifies } from './signature.js';

const t = useSns();

interface Order {
  id: number;
  tier: string;
  event: string;
  amount: number;
}

const ORDERS: Order[] = [
  { id: 1, tier: 'gold', event: 'order_placed', amount: 50 },
  { id: 2, tier: 'silver', event: 'order_placed', amount: 150 },
  { id: 3, tier: 'gold', event: 'order_cancelled', amount: 500 },
  { id: 4, tier: 'bronze', event: 'order_shipped', amount: 5 },
  { id: 5, tier: 'silver', event: 'order_placed', amount: 100 },
];

describe('one topic, three filtered queues, one of them raw', () => {
  it('gives each worker exactly its messages in its format', async () => {
    const topicArn = await createTopic(t.sns, 'order-events');
    const placed = await createQueue(t.sqs, 'placed-worker');
    const big = await createQueue(t.sqs, 'big-spender-worker');
    const gold = await createQueue(t.sqs, 'gold-audit-worker');
    await subscribeQueue(t.sns, topicArn, placed.arn, {
      FilterPolicy: JSON.stringify({ event: ['order_placed'] }),
    });
    await subscribeQueue(t.sns, topicArn, big.arn, {
      FilterPolicy: JSON.stringify({ amount: [{ numeric: ['>=', 100] }] }),
    });
    await subscribeQueue(t.sns, topicArn, gold.arn, {
      RawMessageDelivery: 'true',
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: JSON.stringify({ customer: { tier: ['gold'] } }),
    });

    const messageIds = new Map<number, string>();
    for (const order of ORDERS) {
      const out = await t.sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: `Order ${order.id}`,
          Message: JSON.stringify({ id: order.id, customer: { tier: order.tier } }),
          MessageAttributes: { event: stringAttribute(order.event), amount: numberAttribute(order.amount) },
        }),
      );
      messageIds.set(order.id, out.MessageId as string);
    }

    // envelope workers: the same MessageId for the same publish, attributes in the envelope
    const placedEnvelopes = (await consume(placed.url)).map((body) => parseEnvelope(body));
    expect(placedEnvelopes.map((e) => JSON.parse(e.Message).id).sort()).toEqual([1, 2, 5]);
    for (const envelope of placedEnvelopes) {
      const id = JSON.parse(envelope.Message).id as number;
      expect(envelope.MessageId).toBe(messageIds.get(id));
      expect(envelope.Subject).toBe(`Order ${id}`);
      expect(envelope.MessageAttributes?.event).toEqual({ Type: 'String', Value: 'order_placed' });
      expect(await signatureVerifies(envelope as unknown as SignedMessage)).toBe(true);
    }
    const bigEnvelopes = (await consume(big.url)).map((body) => parseEnvelope(body));
    expect(bigEnvelopes.map((e) => JSON.parse(e.Message).id).sort()).toEqual([2, 3, 5]);

    // the raw worker reads the order itself, attributes as SQS message attributes
    const goldMessages = await receiveNow(t.sqs, gold.url);
    expect(goldMessages.map((m) => JSON.parse(m.Body as string).id).sort()).toEqual([1, 3]);
    for (const m of goldMessages) {
      const order = ORDERS.find((o) => o.id === JSON.parse(m.Body as string).id) as Order;
      expect(m.MessageAttributes).toEqual({
        event: { DataType: 'String', StringValue: order.event },
        amount: { DataType: 'Number', StringValue: String(order.amount) },
      });
    }
  });
});

/** A worker's loop: receive what is there, delete it, until the queue is empty. */
async function consume(url: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const got = await receiveNow(t.sqs, url);
    if (got.length === 0) return bodies;
    for (const m of got) {
      bodies.push(m.Body as string);
      await t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    }
  }
}
