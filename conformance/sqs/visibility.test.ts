/**
 * Visibility timeouts and receipt handles over AWS JSON 1.0: in flight until the timeout,
 * then back with the receive count up; a new handle per receive; DeleteMessage and
 * ChangeMessageVisibility (single and batch) with current, stale and invalid handles.
 * Time moves on the server clock, never by sleeping.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { useLocalAws } from '../harness.js';
import { counts, createQueue, receive, sqsClient, sqsError } from './queues.js';

const h = useLocalAws();
const sqs = () => sqsClient(h);
const COUNT = { MessageSystemAttributeNames: ['ApproximateReceiveCount' as const] };
const INVALID_HANDLE = sqsError('ReceiptHandleIsInvalid', 404, { name: 'ReceiptHandleIsInvalid' });

async function queueWith(label: string, bodies: string[], attributes: Record<string, string> = {}) {
  const url = await createQueue(sqs(), label, attributes);
  for (const body of bodies) await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
  return url;
}

const changeVisibility = (QueueUrl: string, ReceiptHandle: string | undefined, VisibilityTimeout: number) =>
  sqs().send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout }));

describe('visibility timeout', () => {
  it('hides a received message until the timeout ends, then returns it with its receive count up', async () => {
    const url = await queueWith('invisible', ['job'], { VisibilityTimeout: '10' });
    const [first] = await receive(sqs(), url, COUNT);
    expect(first.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(await receive(sqs(), url)).toEqual([]);
    h.server.advanceClock(9);
    expect(await receive(sqs(), url)).toEqual([]);
    h.server.advanceClock(2);
    const [second] = await receive(sqs(), url, COUNT);
    expect(second.MessageId).toBe(first.MessageId);
    expect(second.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(second.ReceiptHandle).not.toBe(first.ReceiptHandle);
  });

  it('a zero visibility timeout leaves the message visible at once', async () => {
    const url = await queueWith('zero', ['again and again']);
    const [a] = await receive(sqs(), url, { VisibilityTimeout: 0 });
    const [b] = await receive(sqs(), url, { ...COUNT, VisibilityTimeout: 0 });
    expect(b.MessageId).toBe(a.MessageId);
    expect(b.Attributes?.ApproximateReceiveCount).toBe('2');
  });
});

describe('DeleteMessage', () => {
  it('deletes an in-flight message with its current handle, for good', async () => {
    const url = await queueWith('deleted', ['done'], { VisibilityTimeout: '5' });
    const [message] = await receive(sqs(), url);
    await sqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
    expect(await counts(sqs(), url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    h.server.advanceClock(6);
    expect(await receive(sqs(), url)).toEqual([]);
    // deleting again with the same handle still succeeds
    await sqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
  });

  it('succeeds with a stale handle from an earlier receive', async () => {
    const url = await queueWith('stale', ['twice'], { VisibilityTimeout: '5' });
    const [first] = await receive(sqs(), url);
    h.server.advanceClock(6);
    const [second] = await receive(sqs(), url);
    expect(second.ReceiptHandle).not.toBe(first.ReceiptHandle);
    await sqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.ReceiptHandle }));
    await sqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: second.ReceiptHandle }));
    h.server.advanceClock(6);
    expect(await receive(sqs(), url)).toEqual([]);
  });

  it('rejects a handle SQS never issued with ReceiptHandleIsInvalid', async () => {
    const url = await queueWith('garbage-handle', []);
    await expect(
      sqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'not-a-receipt-handle' })),
    ).rejects.toMatchObject(INVALID_HANDLE);
  });
});

describe('ChangeMessageVisibility', () => {
  it('to 0 releases the message at once', async () => {
    const url = await queueWith('release', ['retry me']);
    const [first] = await receive(sqs(), url, { VisibilityTimeout: 300 });
    await changeVisibility(url, first.ReceiptHandle, 0);
    const [again] = await receive(sqs(), url, COUNT);
    expect(again.MessageId).toBe(first.MessageId);
    expect(again.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('counts the new timeout from the call', async () => {
    const url = await queueWith('extend', ['slow job']);
    const [message] = await receive(sqs(), url, { VisibilityTimeout: 10 });
    h.server.advanceClock(8);
    await changeVisibility(url, message.ReceiptHandle, 10);
    h.server.advanceClock(5);
    expect(await receive(sqs(), url)).toEqual([]);
    h.server.advanceClock(6);
    expect((await receive(sqs(), url)).map((m) => m.MessageId)).toEqual([message.MessageId]);
  });

  it('allows at most 12 hours, counted from the receive', async () => {
    const url = await queueWith('twelve-hours', ['long job']);
    const [message] = await receive(sqs(), url, { VisibilityTimeout: 43200 });
    await expect(changeVisibility(url, message.ReceiptHandle, 43201)).rejects.toMatchObject(
      sqsError('InvalidParameterValue', 400),
    );
    h.server.advanceClock(3600);
    await expect(changeVisibility(url, message.ReceiptHandle, 43200)).rejects.toMatchObject(
      sqsError('InvalidParameterValue', 400),
    );
    await changeVisibility(url, message.ReceiptHandle, 39600);
    expect(await counts(sqs(), url)).toMatchObject({ inFlight: 1 });
  });

  // AWS answers OK and changes nothing here; MessageNotInflight is modelled but not raised
  it('on a message whose timeout has ended succeeds and leaves the message visible', async () => {
    const url = await queueWith('not-in-flight', ['expired']);
    const [message] = await receive(sqs(), url, { VisibilityTimeout: 5 });
    h.server.advanceClock(6);
    await changeVisibility(url, message.ReceiptHandle, 300);
    expect((await receive(sqs(), url)).map((m) => m.MessageId)).toEqual([message.MessageId]);
  });

  it('with the handle of a deleted message fails with InvalidParameterValue', async () => {
    const url = await queueWith('gone', ['deleted']);
    const [message] = await receive(sqs(), url);
    await sqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
    await expect(changeVisibility(url, message.ReceiptHandle, 30)).rejects.toMatchObject(
      sqsError('InvalidParameterValue', 400, {
        message: expect.stringContaining(
          'Message does not exist or is not available for visibility timeout change',
        ),
      }),
    );
  });

  it('with a handle SQS never issued fails with ReceiptHandleIsInvalid', async () => {
    const url = await queueWith('garbage-change', []);
    await expect(changeVisibility(url, 'not-a-receipt-handle', 30)).rejects.toMatchObject(INVALID_HANDLE);
  });
});

describe('batch variants', () => {
  it('DeleteMessageBatch deletes each entry and reports failures per entry', async () => {
    const url = await queueWith('delete-batch', ['a', 'b', 'c']);
    const messages = await receive(sqs(), url, { MaxNumberOfMessages: 10, VisibilityTimeout: 5 });
    expect(messages).toHaveLength(3);
    const [a, b, c] = messages;
    const out = await sqs().send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'first', ReceiptHandle: a.ReceiptHandle },
          { Id: 'second', ReceiptHandle: b.ReceiptHandle },
          { Id: 'bogus', ReceiptHandle: 'not-a-receipt-handle' },
        ],
      }),
    );
    expect(out.Successful?.map((e) => e.Id).sort()).toEqual(['first', 'second']);
    expect(out.Failed).toEqual([
      expect.objectContaining({ Id: 'bogus', SenderFault: true, Code: 'ReceiptHandleIsInvalid' }),
    ]);
    h.server.advanceClock(6);
    expect((await receive(sqs(), url, { MaxNumberOfMessages: 10 })).map((m) => m.MessageId)).toEqual([
      c.MessageId,
    ]);
  });

  it('ChangeMessageVisibilityBatch changes each entry and reports failures per entry', async () => {
    const url = await queueWith('change-batch', ['x', 'y']);
    const [x, y] = await receive(sqs(), url, { MaxNumberOfMessages: 10, VisibilityTimeout: 600 });
    const out = await sqs().send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'release', ReceiptHandle: x.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'keep', ReceiptHandle: y.ReceiptHandle, VisibilityTimeout: 900 },
          { Id: 'bogus', ReceiptHandle: 'not-a-receipt-handle', VisibilityTimeout: 0 },
          { Id: 'too-long', ReceiptHandle: y.ReceiptHandle, VisibilityTimeout: 43201 },
        ],
      }),
    );
    expect(out.Successful?.map((e) => e.Id).sort()).toEqual(['keep', 'release']);
    const failed = [...(out.Failed ?? [])].sort((p, q) => (p.Id ?? '').localeCompare(q.Id ?? ''));
    expect(failed).toEqual([
      expect.objectContaining({ Id: 'bogus', SenderFault: true, Code: 'ReceiptHandleIsInvalid' }),
      expect.objectContaining({ Id: 'too-long', SenderFault: true, Code: 'InvalidParameterValue' }),
    ]);
    const released = await receive(sqs(), url, { MaxNumberOfMessages: 10 });
    expect(released.map((m) => m.MessageId)).toEqual([x.MessageId]);
    await sqs().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: released[0].ReceiptHandle }));
    h.server.advanceClock(601);
    expect(await receive(sqs(), url)).toEqual([]);
    h.server.advanceClock(300);
    expect((await receive(sqs(), url)).map((m) => m.MessageId)).toEqual([y.MessageId]);
  });

  it('reject empty, oversized and repeated-Id batches as a whole', async () => {
    const url = await queueWith('batch-rules', ['only']);
    const [message] = await receive(sqs(), url, { VisibilityTimeout: 60 });
    const entry = (Id: string) => ({ Id, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 });
    const eleven = Array.from({ length: 11 }, (_, i) => entry(`e${i}`));
    const cases: [ReturnType<typeof entry>[], string, string][] = [
      [[], 'AWS.SimpleQueueService.EmptyBatchRequest', 'EmptyBatchRequest'],
      [eleven, 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 'TooManyEntriesInBatchRequest'],
      [
        [entry('dup'), entry('dup')],
        'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
        'BatchEntryIdsNotDistinct',
      ],
      [[entry('bad id')], 'AWS.SimpleQueueService.InvalidBatchEntryId', 'InvalidBatchEntryId'],
    ];
    for (const [Entries, code, name] of cases) {
      await expect(
        sqs().send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries })),
        `change ${name}`,
      ).rejects.toMatchObject(sqsError(code, 400, { name }));
      const deletes = Entries.map(({ Id, ReceiptHandle }) => ({ Id, ReceiptHandle }));
      await expect(
        sqs().send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: deletes })),
        `delete ${name}`,
      ).rejects.toMatchObject(sqsError(code, 400, { name }));
    }
    expect(await counts(sqs(), url)).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
  });
});
