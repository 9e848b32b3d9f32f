/**
 * ReceiveMessage over AWS JSON 1.0: how many messages, visibility on receive, long polling
 * (real time, kept short), and which system and message attributes come back.
 */
import { type MessageAttributeValue, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { useLocalAws } from '../harness.js';
import { md5OfMessageAttributes } from './message-digest.js';
import { createQueue, receive, sleep, sqsClient, sqsError } from './queues.js';

const h = useLocalAws();
const sqs = () => sqsClient(h);

async function sendAll(url: string, bodies: string[]) {
  for (const body of bodies) await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work;
  return { value, ms: performance.now() - start };
}

describe('how many messages', () => {
  it('returns one message by default and MaxNumberOfMessages at most', async () => {
    const url = await createQueue(sqs(), 'several');
    await sendAll(url, ['1', '2', '3', '4', '5']);
    expect(await receive(sqs(), url)).toHaveLength(1);
    expect(await receive(sqs(), url, { MaxNumberOfMessages: 3 })).toHaveLength(3);
    expect(await receive(sqs(), url, { MaxNumberOfMessages: 10 })).toHaveLength(1);
    expect(await receive(sqs(), url, { MaxNumberOfMessages: 10 })).toEqual([]);
  });

  it('hands each message to one receiver while it is in flight', async () => {
    const url = await createQueue(sqs(), 'distinct');
    const bodies = Array.from({ length: 12 }, (_, i) => `body-${i}`);
    await sendAll(url, bodies);
    const receives = await Promise.all(
      [1, 2, 3].map(() => receive(sqs(), url, { MaxNumberOfMessages: 10, VisibilityTimeout: 60 })),
    );
    const got = receives.flat().map((m) => m.Body as string);
    expect(got.sort()).toEqual([...bodies].sort());
  });

  it('MaxNumberOfMessages outside 1..10 is InvalidParameterValue', async () => {
    const url = await createQueue(sqs(), 'max-invalid');
    await expect(receive(sqs(), url, { MaxNumberOfMessages: 11 })).rejects.toMatchObject(
      sqsError('InvalidParameterValue', 400, {
        message:
          'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
      }),
    );
    await expect(receive(sqs(), url, { MaxNumberOfMessages: 0 })).rejects.toMatchObject(
      sqsError('InvalidParameterValue', 400),
    );
  });

  it('WaitTimeSeconds above 20 and VisibilityTimeout above 12 hours are InvalidParameterValue', async () => {
    const url = await createQueue(sqs(), 'wait-invalid');
    await expect(receive(sqs(), url, { WaitTimeSeconds: 21 })).rejects.toMatchObject(
      sqsError('InvalidParameterValue', 400, { message: expect.stringContaining('WaitTimeSeconds') }),
    );
    await expect(receive(sqs(), url, { VisibilityTimeout: 43201 })).rejects.toMatchObject(
      sqsError('InvalidParameterValue', 400, { message: expect.stringContaining('VisibilityTimeout') }),
    );
  });
});

describe('visibility on receive', () => {
  it('VisibilityTimeout on the receive overrides the queue default', async () => {
    const url = await createQueue(sqs(), 'override', { VisibilityTimeout: '30' });
    await sendAll(url, ['short', 'default']);
    const [short] = await receive(sqs(), url, { VisibilityTimeout: 5 });
    const [long] = await receive(sqs(), url);
    expect([short.Body, long.Body].sort()).toEqual(['default', 'short']);
    h.server.advanceClock(6);
    expect((await receive(sqs(), url, { MaxNumberOfMessages: 10 })).map((m) => m.Body)).toEqual([short.Body]);
    h.server.advanceClock(25);
    expect((await receive(sqs(), url, { MaxNumberOfMessages: 10 })).map((m) => m.Body)).toEqual([long.Body]);
  });
});

describe('long polling', () => {
  it('returns as soon as a message arrives', async () => {
    const url = await createQueue(sqs(), 'long-poll');
    const polling = timed(sqs().send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10 })));
    await sleep(300);
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'arrived' }));
    const { value, ms } = await polling;
    expect(value.Messages?.map((m) => m.Body)).toEqual(['arrived']);
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(2000);
  });

  it('returns no messages at the deadline when none arrives', async () => {
    const url = await createQueue(sqs(), 'long-poll-empty');
    const { value, ms } = await timed(
      sqs().send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 })),
    );
    expect(value.Messages ?? []).toEqual([]);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(2500);
  });

  it('wakes several waiting receivers, each with a different message', async () => {
    const url = await createQueue(sqs(), 'many-waiters');
    const waiting = [1, 2, 3].map(() =>
      timed(sqs().send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }))),
    );
    await sleep(200);
    await sendAll(url, ['a', 'b', 'c']);
    const results = await Promise.all(waiting);
    expect(results.flatMap((r) => r.value.Messages?.map((m) => m.Body) ?? []).sort()).toEqual([
      'a',
      'b',
      'c',
    ]);
    for (const { ms } of results) expect(ms).toBeLessThan(2000);
  });

  it('the queue ReceiveMessageWaitTimeSeconds makes receives long polls unless WaitTimeSeconds says otherwise', async () => {
    const url = await createQueue(sqs(), 'queue-wait', { ReceiveMessageWaitTimeSeconds: '1' });
    const queueDefault = await timed(sqs().send(new ReceiveMessageCommand({ QueueUrl: url })));
    expect(queueDefault.value.Messages ?? []).toEqual([]);
    expect(queueDefault.ms).toBeGreaterThanOrEqual(900);
    const short = await timed(sqs().send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0 })));
    expect(short.ms).toBeLessThan(500);
  });
});

describe('system attributes', () => {
  it('All returns SenderId, SentTimestamp, ApproximateReceiveCount and ApproximateFirstReceiveTimestamp', async () => {
    const url = await createQueue(sqs(), 'system-all');
    await sendAll(url, ['attributed']);
    const [first] = await receive(sqs(), url, { MessageSystemAttributeNames: ['All'], VisibilityTimeout: 1 });
    const a = first.Attributes ?? {};
    expect(a.SenderId).toBeTruthy();
    expect(a.SentTimestamp).toMatch(/^\d{13}$/);
    expect(a.ApproximateFirstReceiveTimestamp).toMatch(/^\d{13}$/);
    expect(Number(a.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(Number(a.SentTimestamp));
    expect(a.ApproximateReceiveCount).toBe('1');
    expect(a).not.toHaveProperty('SequenceNumber');

    h.server.advanceClock(2);
    const [second] = await receive(sqs(), url, { MessageSystemAttributeNames: ['All'] });
    expect(second.Attributes).toMatchObject({
      ApproximateReceiveCount: '2',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp,
      SentTimestamp: a.SentTimestamp,
      SenderId: a.SenderId,
    });
  });

  it('returns only the system attributes named, also through the older AttributeNames', async () => {
    const url = await createQueue(sqs(), 'system-some');
    await sendAll(url, ['x', 'y']);
    const [viaNew] = await receive(sqs(), url, { MessageSystemAttributeNames: ['ApproximateReceiveCount'] });
    expect(viaNew.Attributes).toEqual({ ApproximateReceiveCount: '1' });
    // the SDK types the deprecated AttributeNames as queue attribute names, though it names message ones
    const [viaOld] = await receive(sqs(), url, { AttributeNames: ['SentTimestamp' as never] });
    expect(Object.keys(viaOld.Attributes ?? {})).toEqual(['SentTimestamp']);
  });

  it('without attribute names a message carries neither Attributes nor MessageAttributes', async () => {
    const url = await createQueue(sqs(), 'system-none');
    await sqs().send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'plain',
        MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
      }),
    );
    const [message] = await receive(sqs(), url);
    expect(message.Body).toBe('plain');
    expect(message.Attributes).toBeUndefined();
    expect(message.MessageAttributes).toBeUndefined();
  });
});

describe('message attribute names', () => {
  const attributes: Record<string, MessageAttributeValue> = {
    'order.id': { DataType: 'String', StringValue: 'A-17' },
    'order.total': { DataType: 'Number', StringValue: '99.5' },
    trace: { DataType: 'String', StringValue: 't-1' },
    orderly: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
  };
  const pick = (...names: string[]) => Object.fromEntries(names.map((n) => [n, attributes[n]]));

  it('select by name, by a prefix before .*, and all with All or .*, with the digest of what is returned', async () => {
    const url = await createQueue(sqs(), 'selected');
    const cases: [string[], Record<string, MessageAttributeValue>][] = [
      [['trace'], pick('trace')],
      // the prefix is what precedes `.*`, dot excluded: AWS answers `Hel.*` with both Hello and Help.Me
      [['order.*'], pick('order.id', 'order.total', 'orderly')],
      [['order.t.*'], pick('order.total')],
      [['trace', 'order.total', 'absent'], pick('trace', 'order.total')],
      [['All'], attributes],
      [['.*'], attributes],
    ];
    for (const [names, expected] of cases) {
      await sqs().send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: 'm', MessageAttributes: attributes }),
      );
      const [message] = await receive(sqs(), url, { MessageAttributeNames: names });
      expect(Object.keys(message.MessageAttributes ?? {}).sort(), names.join()).toEqual(
        Object.keys(expected).sort(),
      );
      expect(message.MD5OfMessageAttributes, names.join()).toBe(md5OfMessageAttributes(expected));
      expect(message.MessageAttributes?.['order.total']?.StringValue).toBe(
        expected['order.total']?.StringValue,
      );
    }
  });
});
