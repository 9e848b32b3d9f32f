/**
 * FIFO queues over AWS JSON 1.0: order within a message group, a group held back while an
 * earlier message of it is in flight, deduplication (explicit and content-based, 5 minutes,
 * per queue or per group), sequence numbers, receive-attempt retries, and the parameters
 * each queue type refuses.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SendMessageCommandInput,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { useLocalAws } from '../harness.js';
import { sha256Hex } from './message-digest.js';
import { counts, createQueue, queueAttribute, receive, sqsClient, sqsError } from './queues.js';

const h = useLocalAws();
const sqs = () => sqsClient(h);

const fifoQueue = (label: string, attributes: Record<string, string> = {}) =>
  createQueue(sqs(), label, { FifoQueue: 'true', ContentBasedDeduplication: 'true', ...attributes });

const send = (QueueUrl: string, MessageBody: string, more: Partial<SendMessageCommandInput> = {}) =>
  sqs().send(new SendMessageCommand({ QueueUrl, MessageBody, MessageGroupId: 'g', ...more }));

const bodies = (messages: Message[]) => messages.map((m) => m.Body);

describe('ordering', () => {
  it('hands out the messages of a group in the order they were sent', async () => {
    const url = await fifoQueue('ordered');
    const sent = ['1st', '2nd', '3rd', '4th', '5th'];
    for (const body of sent) await send(url, body);
    expect(bodies(await receive(sqs(), url, { MaxNumberOfMessages: 10 }))).toEqual(sent);
  });

  it('holds a group back while an earlier message of it is in flight; other groups still flow', async () => {
    const url = await fifoQueue('blocked');
    await send(url, 'a1', { MessageGroupId: 'A' });
    await send(url, 'a2', { MessageGroupId: 'A' });
    const [a1] = await receive(sqs(), url, { VisibilityTimeout: 30 });
    expect(a1.Body).toBe('a1');
    expect(await receive(sqs(), url, { MaxNumberOfMessages: 10 })).toEqual([]);

    await send(url, 'b1', { MessageGroupId: 'B' });
    const [b1] = await receive(sqs(), url, { MaxNumberOfMessages: 10 });
    expect(b1.Body).toBe('b1');

    // released, the group's head comes back before the message after it
    await sqs().send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: a1.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const again = await receive(sqs(), url, { MaxNumberOfMessages: 10 });
    expect(bodies(again)).toEqual(['a1', 'a2']);
    await sqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again[0].ReceiptHandle }));
    await sqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: b1.ReceiptHandle }));
    h.server.advanceClock(31);
    expect(bodies(await receive(sqs(), url, { MaxNumberOfMessages: 10 }))).toEqual(['a2']);
  });

  it('returns the group head again after its visibility timeout ends', async () => {
    const url = await fifoQueue('timeout');
    await send(url, 'head');
    await send(url, 'tail');
    const [head] = await receive(sqs(), url, { VisibilityTimeout: 10 });
    expect(head.Body).toBe('head');
    h.server.advanceClock(11);
    expect(bodies(await receive(sqs(), url, { MaxNumberOfMessages: 10 }))).toEqual(['head', 'tail']);
  });

  it('refuses to delete with a receipt handle whose visibility timeout has ended', async () => {
    const url = await fifoQueue('expired-handle');
    await send(url, 'g1-m1');
    const [first] = await receive(sqs(), url, { VisibilityTimeout: 5 });
    h.server.advanceClock(6);
    await expect(
      sqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.ReceiptHandle })),
    ).rejects.toMatchObject(
      sqsError('InvalidParameterValue', 400, {
        message: `Value ${first.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
      }),
    );
    const [again] = await receive(sqs(), url);
    expect(again.MessageId).toBe(first.MessageId);
    await sqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.ReceiptHandle }));
  });

  it('SendMessageBatch keeps the entry order within a group, with a sequence number per entry', async () => {
    const url = await fifoQueue('batched');
    const out = await sqs().send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: ['x', 'y', 'z'].map((b) => ({ Id: b, MessageBody: b, MessageGroupId: 'g' })),
      }),
    );
    expect(out.Successful).toHaveLength(3);
    const seq = (id: string) => BigInt(out.Successful?.find((e) => e.Id === id)?.SequenceNumber ?? '0');
    expect(seq('x') < seq('y') && seq('y') < seq('z')).toBe(true);
    expect(bodies(await receive(sqs(), url, { MaxNumberOfMessages: 10 }))).toEqual(['x', 'y', 'z']);
  });
});

describe('deduplication', () => {
  it('accepts but does not deliver a repeated MessageDeduplicationId within 5 minutes, even after delete', async () => {
    const url = await fifoQueue('dedup', { ContentBasedDeduplication: 'false' });
    const first = await send(url, 'original', { MessageDeduplicationId: 'd-1' });
    expect(first.MessageId).toBeTruthy();
    const repeat = await send(url, 'different body', { MessageDeduplicationId: 'd-1' });
    expect(repeat.MessageId).toBeTruthy();
    expect((await counts(sqs(), url)).visible).toBe(1);

    const [message] = await receive(sqs(), url);
    expect(message.Body).toBe('original');
    await sqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
    await send(url, 'after delete', { MessageDeduplicationId: 'd-1' });
    expect(await receive(sqs(), url)).toEqual([]);

    h.server.advanceClock(301);
    await send(url, 'after the interval', { MessageDeduplicationId: 'd-1' });
    expect(bodies(await receive(sqs(), url))).toEqual(['after the interval']);
  });

  it('content-based deduplication uses the SHA-256 of the body; an explicit id overrides it', async () => {
    const url = await fifoQueue('content');
    await send(url, 'same');
    await send(url, 'same', {
      MessageAttributes: { differs: { DataType: 'String', StringValue: 'attributes are ignored' } },
    });
    await send(url, 'same', { MessageDeduplicationId: 'explicit' });
    const got = await receive(sqs(), url, {
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['MessageDeduplicationId', 'MessageGroupId'],
    });
    expect(got.map((m) => m.Attributes)).toEqual([
      { MessageDeduplicationId: sha256Hex('same'), MessageGroupId: 'g' },
      { MessageDeduplicationId: 'explicit', MessageGroupId: 'g' },
    ]);
  });

  it('with DeduplicationScope messageGroup, the same id in two groups is two messages', async () => {
    const url = await fifoQueue('per-group', {
      ContentBasedDeduplication: 'false',
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
    expect(await queueAttribute(sqs(), url, 'FifoThroughputLimit')).toBe('perMessageGroupId');
    await send(url, 'in A', { MessageGroupId: 'A', MessageDeduplicationId: 'same-id' });
    await send(url, 'in B', { MessageGroupId: 'B', MessageDeduplicationId: 'same-id' });
    await send(url, 'A again', { MessageGroupId: 'A', MessageDeduplicationId: 'same-id' });
    expect(bodies(await receive(sqs(), url, { MaxNumberOfMessages: 10 })).sort()).toEqual(['in A', 'in B']);
  });
});

describe('sequence numbers and receive attempts', () => {
  it('SendMessage returns a growing SequenceNumber, which the message carries when received', async () => {
    const url = await fifoQueue('sequenced');
    const one = await send(url, 'one');
    const two = await send(url, 'two');
    expect(one.SequenceNumber).toMatch(/^\d+$/);
    expect(BigInt(two.SequenceNumber ?? '0')).toBeGreaterThan(BigInt(one.SequenceNumber ?? '0'));
    const got = await receive(sqs(), url, {
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['SequenceNumber'],
    });
    expect(got.map((m) => m.Attributes?.SequenceNumber)).toEqual([one.SequenceNumber, two.SequenceNumber]);
  });

  it('a retried ReceiveRequestAttemptId returns the same messages and receipt handles', async () => {
    const url = await fifoQueue('attempts');
    await send(url, 'p');
    await send(url, 'q');
    const first = await receive(sqs(), url, {
      MaxNumberOfMessages: 10,
      ReceiveRequestAttemptId: 'attempt-1',
    });
    expect(bodies(first)).toEqual(['p', 'q']);
    const retry = await receive(sqs(), url, {
      MaxNumberOfMessages: 10,
      ReceiveRequestAttemptId: 'attempt-1',
    });
    expect(retry.map((m) => [m.MessageId, m.ReceiptHandle])).toEqual(
      first.map((m) => [m.MessageId, m.ReceiptHandle]),
    );
    expect(
      await receive(sqs(), url, { MaxNumberOfMessages: 10, ReceiveRequestAttemptId: 'attempt-2' }),
    ).toEqual([]);
  });
});

describe('queue type parameters', () => {
  it('a FIFO send without MessageGroupId is MissingParameter', async () => {
    const url = await fifoQueue('no-group');
    await expect(
      sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })),
    ).rejects.toMatchObject(sqsError('MissingParameter', 400));
  });

  it('a FIFO send without a deduplication id, on a queue without content-based deduplication, is InvalidParameterValue', async () => {
    const url = await fifoQueue('no-dedup', { ContentBasedDeduplication: 'false' });
    await expect(send(url, 'x')).rejects.toMatchObject(
      sqsError('InvalidParameterValue', 400, {
        message:
          'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      }),
    );
    await sqs().send(
      new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { ContentBasedDeduplication: 'true' } }),
    );
    await send(url, 'x');
    expect((await counts(sqs(), url)).visible).toBe(1);
  });

  it('a FIFO queue refuses a per-message DelaySeconds but applies its own', async () => {
    const url = await fifoQueue('fifo-delay', { DelaySeconds: '10' });
    await expect(send(url, 'x', { DelaySeconds: 5 })).rejects.toMatchObject(
      sqsError('InvalidParameterValue', 400, {
        message:
          'Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
      }),
    );
    await send(url, 'queue delayed');
    expect(await receive(sqs(), url)).toEqual([]);
    h.server.advanceClock(11);
    expect(bodies(await receive(sqs(), url))).toEqual(['queue delayed']);
  });

  it('a standard queue refuses MessageDeduplicationId, and accepts MessageGroupId (fair queues)', async () => {
    const url = await createQueue(sqs(), 'standard');
    await expect(
      sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'd' })),
    ).rejects.toMatchObject(sqsError('InvalidParameterValue', 400));
    await sqs().send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'tenant', MessageGroupId: 'tenant-1' }),
    );
    expect(bodies(await receive(sqs(), url))).toEqual(['tenant']);
  });

  it('the high-throughput attributes take only their documented values', async () => {
    const url = await fifoQueue('throughput');
    await sqs().send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' },
      }),
    );
    expect(await queueAttribute(sqs(), url, 'DeduplicationScope')).toBe('messageGroup');
    for (const Attributes of [{ DeduplicationScope: 'everything' }, { FifoThroughputLimit: 'unlimited' }]) {
      await expect(
        sqs().send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes })),
      ).rejects.toMatchObject(sqsError('InvalidAttributeValue', 400, { name: 'InvalidAttributeValue' }));
    }
  });
});
