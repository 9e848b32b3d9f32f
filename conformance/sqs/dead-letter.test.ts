/**
 * Dead-letter queues over AWS JSON 1.0: RedrivePolicy moves a message once a receive would
 * exceed maxReceiveCount; RedriveAllowPolicy decides which sources may name a DLQ; message
 * move tasks take messages back to their source (or elsewhere), can be listed and cancelled.
 */
import {
  CancelMessageMoveTaskCommand,
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  SendMessageCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { useLocalAws } from '../harness.js';
import { counts, createQueue, queueAttribute, receive, sleep, sqsClient, sqsError } from './queues.js';

const h = useLocalAws();
const sqs = () => sqsClient(h);

const redrive = (deadLetterTargetArn: string, maxReceiveCount: number) =>
  JSON.stringify({ deadLetterTargetArn, maxReceiveCount });

async function dlqPair(maxReceiveCount: number, dlqAttributes: Record<string, string> = {}) {
  const dlq = await createQueue(sqs(), 'dlq', dlqAttributes);
  const dlqArn = await queueAttribute(sqs(), dlq, 'QueueArn');
  const source = await createQueue(sqs(), 'source', { RedrivePolicy: redrive(dlqArn, maxReceiveCount) });
  const sourceArn = await queueAttribute(sqs(), source, 'QueueArn');
  return { dlq, dlqArn, source, sourceArn };
}

/** Receives (and abandons) each message maxReceiveCount times, then once more to let it move. */
async function exhaust(url: string, maxReceiveCount: number, expected: number) {
  for (let i = 1; i <= maxReceiveCount; i++) {
    const got = await receive(sqs(), url, { MaxNumberOfMessages: 10, VisibilityTimeout: 1 });
    expect(got, `receive ${i}`).toHaveLength(expected);
    h.server.advanceClock(2);
  }
  expect(await receive(sqs(), url, { MaxNumberOfMessages: 10 })).toEqual([]);
}

/** The most recent move task of a queue once `done` holds, moving the clock a second at a time. */
async function taskWhen(sourceArn: string, done: (task: ListMessageMoveTasksResultEntry) => boolean) {
  let task: ListMessageMoveTasksResultEntry | undefined;
  for (let i = 0; i < 40; i++) {
    task = (await sqs().send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn }))).Results?.[0];
    if (task && done(task)) return task;
    h.server.advanceClock(1);
    await sleep(50);
  }
  throw new Error(`move task never settled: ${JSON.stringify(task)}`);
}

describe('RedrivePolicy', () => {
  it('moves a message to the DLQ when a receive would exceed maxReceiveCount', async () => {
    const { dlq, source } = await dlqPair(2);
    const MessageAttributes = { kind: { DataType: 'String', StringValue: 'poison' } };
    const sent = await sqs().send(
      new SendMessageCommand({ QueueUrl: source, MessageBody: 'bad', MessageAttributes }),
    );
    const first = await receive(sqs(), source, {
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      VisibilityTimeout: 1,
    });
    expect(first[0].Attributes?.ApproximateReceiveCount).toBe('1');
    h.server.advanceClock(2);
    const second = await receive(sqs(), source, {
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      VisibilityTimeout: 1,
    });
    expect(second[0].Attributes?.ApproximateReceiveCount).toBe('2');
    h.server.advanceClock(2);
    expect(await receive(sqs(), source)).toEqual([]);
    expect(await counts(sqs(), source)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });

    const [dead] = await receive(sqs(), dlq, { MessageAttributeNames: ['All'] });
    expect(dead).toMatchObject({ MessageId: sent.MessageId, Body: 'bad', MessageAttributes });
  });

  it('round-trips through GetQueueAttributes', async () => {
    const { dlqArn, source } = await dlqPair(4);
    const policy = JSON.parse(await queueAttribute(sqs(), source, 'RedrivePolicy'));
    expect(policy.deadLetterTargetArn).toBe(dlqArn);
    expect(Number(policy.maxReceiveCount)).toBe(4);
  });

  it('rejects a missing target, a maxReceiveCount out of range, and a standard DLQ for a FIFO queue', async () => {
    const dlq = await createQueue(sqs(), 'target');
    const dlqArn = await queueAttribute(sqs(), dlq, 'QueueArn');
    const source = await createQueue(sqs(), 'picky');
    const fifo = await createQueue(sqs(), 'ordered', { FifoQueue: 'true' });
    const missing = dlqArn.replace(/[^:]+$/, 'no-such-queue');
    const cases: [string, string][] = [
      [source, redrive(missing, 3)],
      [source, redrive(dlqArn, 0)],
      [source, redrive(dlqArn, 1001)],
      [source, '{"deadLetterTargetArn": '],
      [source, redrive('dummy', 42)],
      [fifo, redrive(dlqArn, 3)],
    ];
    for (const [QueueUrl, RedrivePolicy] of cases) {
      await expect(
        sqs().send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy } })),
        RedrivePolicy,
      ).rejects.toMatchObject(sqsError('InvalidParameterValue', 400));
    }
  });
});

describe('RedriveAllowPolicy', () => {
  it('denyAll forbids naming the queue as a DLQ; byQueue allows only the listed sources; allowAll any', async () => {
    const denied = await createQueue(sqs(), 'deny', {
      RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }),
    });
    const deniedArn = await queueAttribute(sqs(), denied, 'QueueArn');
    const listed = await createQueue(sqs(), 'listed');
    const other = await createQueue(sqs(), 'other');
    const listedArn = await queueAttribute(sqs(), listed, 'QueueArn');
    const byQueue = await createQueue(sqs(), 'by-queue', {
      RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [listedArn] }),
    });
    const byQueueArn = await queueAttribute(sqs(), byQueue, 'QueueArn');
    const open = await createQueue(sqs(), 'open', {
      RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'allowAll' }),
    });
    const openArn = await queueAttribute(sqs(), open, 'QueueArn');

    const setRedrive = (QueueUrl: string, arn: string) =>
      sqs().send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy: redrive(arn, 3) } }));
    await expect(setRedrive(other, deniedArn)).rejects.toMatchObject(sqsError('InvalidParameterValue', 400));
    await expect(setRedrive(other, byQueueArn)).rejects.toMatchObject(sqsError('InvalidParameterValue', 400));
    await setRedrive(listed, byQueueArn);
    await setRedrive(other, openArn);
    expect(JSON.parse(await queueAttribute(sqs(), listed, 'RedrivePolicy')).deadLetterTargetArn).toBe(
      byQueueArn,
    );
    expect(JSON.parse(await queueAttribute(sqs(), byQueue, 'RedriveAllowPolicy'))).toEqual({
      redrivePermission: 'byQueue',
      sourceQueueArns: [listedArn],
    });
  });
});

describe('message move tasks', () => {
  it('StartMessageMoveTask moves DLQ messages back to their source queue and completes', async () => {
    const { dlq, dlqArn, source } = await dlqPair(1);
    for (const body of ['one', 'two', 'three']) {
      await sqs().send(new SendMessageCommand({ QueueUrl: source, MessageBody: body }));
    }
    await exhaust(source, 1, 3);
    expect((await counts(sqs(), dlq)).visible).toBe(3);

    const started = await sqs().send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
    expect(started.TaskHandle).toBeTruthy();
    const task = await taskWhen(dlqArn, (t) => t.Status === 'COMPLETED');
    expect(task).toMatchObject({
      SourceArn: dlqArn,
      ApproximateNumberOfMessagesMoved: 3,
      ApproximateNumberOfMessagesToMove: 3,
    });
    expect(task.DestinationArn).toBeUndefined();
    expect((await counts(sqs(), dlq)).visible).toBe(0);
    const back = await receive(sqs(), source, { MaxNumberOfMessages: 10 });
    expect(back.map((m) => m.Body).sort()).toEqual(['one', 'three', 'two']);
  });

  it('moves to a given DestinationArn at a given rate', async () => {
    const { dlq, dlqArn, source } = await dlqPair(1);
    const elsewhere = await createQueue(sqs(), 'elsewhere');
    const elsewhereArn = await queueAttribute(sqs(), elsewhere, 'QueueArn');
    await sqs().send(new SendMessageCommand({ QueueUrl: source, MessageBody: 'redirected' }));
    await exhaust(source, 1, 1);
    await sqs().send(
      new StartMessageMoveTaskCommand({
        SourceArn: dlqArn,
        DestinationArn: elsewhereArn,
        MaxNumberOfMessagesPerSecond: 10,
      }),
    );
    const task = await taskWhen(dlqArn, (t) => t.Status === 'COMPLETED');
    expect(task).toMatchObject({ DestinationArn: elsewhereArn, MaxNumberOfMessagesPerSecond: 10 });
    expect((await receive(sqs(), elsewhere)).map((m) => m.Body)).toEqual(['redirected']);
    expect(await receive(sqs(), source)).toEqual([]);
    expect((await counts(sqs(), dlq)).visible).toBe(0);
  });

  it('CancelMessageMoveTask stops a running task; ListMessageMoveTasks shows the most recent first', async () => {
    const { dlq, dlqArn, source } = await dlqPair(1);
    for (let i = 0; i < 6; i++)
      await sqs().send(new SendMessageCommand({ QueueUrl: source, MessageBody: `m${i}` }));
    await exhaust(source, 1, 6);
    await sqs().send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 1 }));
    const running = await taskWhen(dlqArn, (t) => t.Status === 'RUNNING');
    expect(running.TaskHandle).toBeTruthy();
    const cancelled = await sqs().send(new CancelMessageMoveTaskCommand({ TaskHandle: running.TaskHandle }));
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBeGreaterThanOrEqual(0);
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBeLessThan(6);

    const settled = await taskWhen(dlqArn, (t) => t.Status === 'CANCELLED');
    const moved = settled.ApproximateNumberOfMessagesMoved ?? -1;
    expect((await counts(sqs(), dlq)).visible).toBe(6 - moved);
    expect((await counts(sqs(), source)).visible).toBe(moved);

    const history = await sqs().send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 10 }));
    expect(history.Results).toHaveLength(1);
    await sqs().send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
    await taskWhen(dlqArn, (t) => t.Status === 'COMPLETED');
    const both = await sqs().send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 10 }));
    expect(both.Results?.map((t) => t.Status)).toEqual(['COMPLETED', 'CANCELLED']);
    const latest = await sqs().send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }));
    expect(latest.Results?.map((t) => t.Status)).toEqual(['COMPLETED']);
    expect((await counts(sqs(), source)).visible).toBe(6);
  });
});
