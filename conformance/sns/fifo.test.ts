/**
 * FIFO topics: MessageGroupId and deduplication rules on Publish and PublishBatch, sequence
 * numbers, the envelope a FIFO topic writes (SequenceNumber, no signature), order kept into
 * FIFO queues, the group and deduplication ids the queue sees (an explicit id, or the SHA-256
 * of the message with content-based deduplication), and which queues may subscribe. Sources:
 * "Message ordering and grouping" / "Message deduplication" in the SNS developer guide and
 * responses recorded against AWS (localstack test_sns.snapshot.json: TestSNSSubscriptionSQSFifo).
 */
import { createHash } from 'node:crypto';
import {
  PublishBatchCommand,
  PublishCommand,
  type PublishCommandInput,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { DeleteMessageBatchCommand, type Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import {
  createQueue,
  createTopic,
  ISO_MILLIS,
  invalidParameter,
  numberAttribute,
  parseEnvelope,
  receiveNow,
  subscribe,
  subscribeQueue,
  useSns,
} from './setup.js';

const t = useSns();

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function fifoPair(topicAttributes: Record<string, string> = {}, subscriptionAttributes = {}) {
  const topicArn = await createTopic(t.sns, 'orders', { FifoTopic: 'true', ...topicAttributes });
  const queue = await createQueue(t.sqs, 'orders-queue', { FifoQueue: 'true' });
  const subscriptionArn = await subscribeQueue(t.sns, topicArn, queue.arn, subscriptionAttributes);
  return { topicArn, queue, subscriptionArn };
}

const publish = (input: PublishCommandInput) => t.sns.send(new PublishCommand(input));

/** Receives until the queue hands out nothing more (FIFO hands out a group at a time). */
async function drain(url: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const got = await receiveNow(t.sqs, url);
    if (got.length === 0) return all;
    all.push(...got);
    await t.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: got.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}

describe('Publish to a FIFO topic', () => {
  it('requires MessageGroupId', async () => {
    const topicArn = await createTopic(t.sns, 'no-group', {
      FifoTopic: 'true',
      ContentBasedDeduplication: 'true',
    });
    await expect(publish({ TopicArn: topicArn, Message: 'test' })).rejects.toMatchObject(
      invalidParameter('Invalid parameter: The MessageGroupId parameter is required for FIFO topics'),
    );
  });

  it('requires MessageDeduplicationId unless the topic has ContentBasedDeduplication', async () => {
    const topicArn = await createTopic(t.sns, 'no-dedup', { FifoTopic: 'true' });
    await expect(publish({ TopicArn: topicArn, Message: 'test', MessageGroupId: 'g' })).rejects.toMatchObject(
      invalidParameter(
        'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      ),
    );
  });

  it('answers increasing sequence numbers', async () => {
    const topicArn = await createTopic(t.sns, 'sequence', {
      FifoTopic: 'true',
      ContentBasedDeduplication: 'true',
    });
    const numbers: bigint[] = [];
    for (let i = 0; i < 3; i++) {
      const out = await publish({ TopicArn: topicArn, Message: `m${i}`, MessageGroupId: 'g' });
      expect(out.SequenceNumber).toMatch(/^\d+$/);
      numbers.push(BigInt(out.SequenceNumber as string));
    }
    expect(numbers[1] > numbers[0] && numbers[2] > numbers[1]).toBe(true);
  });
});

describe('delivery from a FIFO topic', () => {
  it('keeps publish order into a FIFO queue, within each message group', async () => {
    const { topicArn, queue } = await fifoPair({ ContentBasedDeduplication: 'true' });
    const sent: Record<string, string[]> = { a: [], b: [] };
    for (let i = 0; i < 12; i++) {
      const group = i % 3 === 0 ? 'b' : 'a';
      const Message = `${group}-${i}`;
      sent[group].push(Message);
      await publish({ TopicArn: topicArn, Message, MessageGroupId: group });
    }
    const received: Record<string, string[]> = { a: [], b: [] };
    for (const m of await drain(queue.url)) {
      received[m.Attributes?.MessageGroupId as string].push(parseEnvelope(m.Body).Message);
    }
    expect(received).toEqual(sent);
  });

  it('writes SequenceNumber into the envelope and no signature, as AWS does for FIFO topics', async () => {
    const { topicArn, queue, subscriptionArn } = await fifoPair();
    const out = await publish({
      TopicArn: topicArn,
      Message: 'Test',
      Subject: 'Subject',
      MessageGroupId: 'message-group-id-1',
      MessageDeduplicationId: 'message-deduplication-id-1',
      MessageAttributes: { attr1: numberAttribute('99.12') },
    });
    const [message] = await receiveNow(t.sqs, queue.url);
    const envelope = parseEnvelope(message.Body);
    expect(Object.keys(envelope)).toEqual([
      'Type',
      'MessageId',
      'SequenceNumber',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'UnsubscribeURL',
      'MessageAttributes',
    ]);
    expect(envelope).toMatchObject({
      Type: 'Notification',
      MessageId: out.MessageId,
      SequenceNumber: out.SequenceNumber,
      TopicArn: topicArn,
      Message: 'Test',
      UnsubscribeURL: `${t.h.url}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
      MessageAttributes: { attr1: { Type: 'Number', Value: '99.12' } },
    });
    expect(envelope.Timestamp).toMatch(ISO_MILLIS);
  });

  it('hands the queue the group id and the explicit deduplication id', async () => {
    const { topicArn, queue } = await fifoPair();
    await publish({
      TopicArn: topicArn,
      Message: 'Test',
      MessageGroupId: 'message-group-id-1',
      MessageDeduplicationId: 'message-deduplication-id-1',
    });
    const [message] = await receiveNow(t.sqs, queue.url);
    expect(message.Attributes).toMatchObject({
      MessageGroupId: 'message-group-id-1',
      MessageDeduplicationId: 'message-deduplication-id-1',
    });
  });

  it('derives the deduplication id from the message body (SHA-256) with content-based deduplication', async () => {
    const { topicArn, queue } = await fifoPair(
      { ContentBasedDeduplication: 'true' },
      { RawMessageDelivery: 'true' },
    );
    await publish({ TopicArn: topicArn, Message: 'Test single', MessageGroupId: 'message-group-id-1' });
    const [message] = await receiveNow(t.sqs, queue.url);
    expect(message.Body).toBe('Test single');
    // the id AWS handed the queue for this very message
    expect(message.Attributes?.MessageDeduplicationId).toBe(
      '2591186cff6c740cb9e0cfce1653a7e6998d57da12e1da13d85344b1c08be4cb',
    );
    expect(message.Attributes?.MessageDeduplicationId).toBe(sha256('Test single'));
  });

  it('delivers a message published twice with one deduplication id once', async () => {
    const { topicArn, queue } = await fifoPair();
    const input = {
      TopicArn: topicArn,
      Message: 'Test',
      MessageGroupId: 'g',
      MessageDeduplicationId: 'same-id',
    };
    await publish(input);
    await publish(input);
    expect(await drain(queue.url)).toHaveLength(1);
    const cbd = await fifoPair({ ContentBasedDeduplication: 'true' });
    await publish({ TopicArn: cbd.topicArn, Message: 'same body', MessageGroupId: 'g' });
    await publish({ TopicArn: cbd.topicArn, Message: 'same body', MessageGroupId: 'g' });
    expect(await drain(cbd.queue.url)).toHaveLength(1);
  });

  it('delivers raw FIFO messages with their attributes', async () => {
    const { topicArn, queue } = await fifoPair(
      { ContentBasedDeduplication: 'true' },
      { RawMessageDelivery: 'true' },
    );
    await publish({
      TopicArn: topicArn,
      Message: 'Test Message with two attributes',
      MessageGroupId: 'complexMessageGroupId',
      MessageAttributes: { attr1: numberAttribute('99.12'), attr2: numberAttribute('109.12') },
    });
    const [message] = await receiveNow(t.sqs, queue.url);
    expect(message.Body).toBe('Test Message with two attributes');
    expect(message.MessageAttributes).toEqual({
      attr1: { DataType: 'Number', StringValue: '99.12' },
      attr2: { DataType: 'Number', StringValue: '109.12' },
    });
    // the digest AWS returned for these attributes
    expect(message.MD5OfMessageAttributes).toBe('9b720b3af309c1c4b0d395c53b08c502');
  });
});

describe('PublishBatch to a FIFO topic', () => {
  it('answers a sequence number per entry and keeps the entries in order', async () => {
    const { topicArn, queue } = await fifoPair(
      { ContentBasedDeduplication: 'true' },
      { RawMessageDelivery: 'true' },
    );
    const messages = ['first', 'second', 'third', 'fourth'];
    const out = await t.sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: messages.map((Message, i) => ({
          Id: String(i),
          Message,
          MessageGroupId: 'complexMessageGroupId',
        })),
      }),
    );
    expect(out.Failed ?? []).toEqual([]);
    const numbers = (out.Successful ?? []).map((s) => BigInt(s.SequenceNumber as string));
    expect(numbers).toHaveLength(4);
    expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1])).toBe(true);
    expect((await drain(queue.url)).map((m) => m.Body)).toEqual(messages);
  });

  it('rejects a batch whose entries lack MessageGroupId or a deduplication id', async () => {
    const topicArn = await createTopic(t.sns, 'batch-rules', { FifoTopic: 'true' });
    const send = (entries: Record<string, string>[]) =>
      t.sns.send(
        new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: entries.map((e, i) => ({ Id: String(i), Message: `m${i}`, ...e })),
        }),
      );
    await expect(send([{ MessageDeduplicationId: 'd' }])).rejects.toMatchObject(
      invalidParameter('Invalid parameter: The MessageGroupId parameter is required for FIFO topics'),
    );
    await expect(send([{ MessageGroupId: 'g' }])).rejects.toMatchObject(
      invalidParameter(
        'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      ),
    );
  });
});

describe('who may subscribe', () => {
  it('refuses a FIFO queue on a standard topic', async () => {
    const topicArn = await createTopic(t.sns, 'standard');
    const queue = await createQueue(t.sqs, 'fifo-queue', { FifoQueue: 'true' });
    await expect(
      t.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn })),
    ).rejects.toMatchObject(
      invalidParameter(
        'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
      ),
    );
  });

  it('accepts a standard queue on a FIFO topic and delivers to it', async () => {
    const topicArn = await createTopic(t.sns, 'fifo-to-standard', {
      FifoTopic: 'true',
      ContentBasedDeduplication: 'true',
    });
    const queue = await createQueue(t.sqs, 'standard-queue');
    await subscribe(t.sns, { TopicArn: topicArn, Protocol: 'sqs', Endpoint: queue.arn });
    const out = await publish({ TopicArn: topicArn, Message: 'Test', MessageGroupId: 'message-group-id-1' });
    const [message] = await receiveNow(t.sqs, queue.url);
    expect(parseEnvelope(message.Body)).toMatchObject({
      Message: 'Test',
      SequenceNumber: out.SequenceNumber,
    });
  });

  it('requires a FIFO dead-letter queue for a FIFO queue on a FIFO topic', async () => {
    const { subscriptionArn } = await fifoPair();
    const standardDlq = await createQueue(t.sqs, 'standard-dlq');
    await expect(
      t.sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn: subscriptionArn,
          AttributeName: 'RedrivePolicy',
          AttributeValue: JSON.stringify({ deadLetterTargetArn: standardDlq.arn }),
        }),
      ),
    ).rejects.toMatchObject(
      invalidParameter(
        'Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.',
      ),
    );
  });
});
