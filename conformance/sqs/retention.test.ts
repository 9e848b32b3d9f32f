/**
 * MessageRetentionPeriod on the server clock: messages older than the period are gone,
 * whatever their state, and lowering the period expires messages already older than it.
 */
import { SendMessageCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { useLocalAws } from '../harness.js';
import { counts, createQueue, receive, sqsClient } from './queues.js';

const h = useLocalAws();
const sqs = () => sqsClient(h);
const send = (QueueUrl: string, MessageBody: string) =>
  sqs().send(new SendMessageCommand({ QueueUrl, MessageBody }));

describe('MessageRetentionPeriod', () => {
  it('drops messages older than the period', async () => {
    const url = await createQueue(sqs(), 'short-lived', { MessageRetentionPeriod: '60' });
    await send(url, 'old');
    h.server.advanceClock(30);
    await send(url, 'young');
    h.server.advanceClock(31);
    expect(await counts(sqs(), url)).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect(
      (await receive(sqs(), url, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 })).map((m) => m.Body),
    ).toEqual(['young']);
    h.server.advanceClock(30);
    expect(await receive(sqs(), url, { MaxNumberOfMessages: 10 })).toEqual([]);
    expect(await counts(sqs(), url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('drops in-flight messages too', async () => {
    const url = await createQueue(sqs(), 'in-flight-expiry', { MessageRetentionPeriod: '60' });
    await send(url, 'held');
    expect(await receive(sqs(), url, { VisibilityTimeout: 600 })).toHaveLength(1);
    h.server.advanceClock(61);
    expect(await counts(sqs(), url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    h.server.advanceClock(600);
    expect(await receive(sqs(), url)).toEqual([]);
  });

  it('lowering the period expires messages already older than it', async () => {
    const url = await createQueue(sqs(), 'lowered');
    await send(url, 'aged');
    h.server.advanceClock(120);
    await send(url, 'fresh');
    await sqs().send(
      new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { MessageRetentionPeriod: '60' } }),
    );
    expect((await receive(sqs(), url, { MaxNumberOfMessages: 10 })).map((m) => m.Body)).toEqual(['fresh']);
  });

  it('SentTimestamp follows the server clock', async () => {
    const url = await createQueue(sqs(), 'clocked');
    await send(url, 'now');
    h.server.advanceClock(3600);
    await send(url, 'an hour later');
    const got = await receive(sqs(), url, {
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['SentTimestamp'],
    });
    const sentAt = Object.fromEntries(got.map((m) => [m.Body, Number(m.Attributes?.SentTimestamp)]));
    const gap = sentAt['an hour later'] - sentAt.now;
    expect(gap).toBeGreaterThanOrEqual(3_600_000);
    expect(gap).toBeLessThan(3_610_000);
  });
});
