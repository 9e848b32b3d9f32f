/**
 * A typical worker against localaws: a producer sends a batch of jobs; the worker long-polls,
 * processes and deletes in batches. One job fails once (left undeleted) and comes back after
 * the visibility timeout; a poison job fails every time and lands in the dead-letter queue
 * after 3 receives. Waiting for the timeout is a clock advance, not a sleep.
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { useLocalAws } from '../harness.js';
import { counts, createQueue, queueAttribute, receive, sqsClient } from './queues.js';

const h = useLocalAws();
const sqs = () => sqsClient(h);

const JOBS = 20;
const FLAKY = 7;
const POISON = 13;
const VISIBILITY = 30;

/**
 * One long poll of the worker. When it is still waiting after a moment, the only messages
 * left are abandoned ones: the visibility timeout is let pass on the server clock, which
 * wakes the poll (localaws wakes waiting receivers when its clock is advanced).
 */
async function longPoll(url: string) {
  const polling = sqs().send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      WaitTimeSeconds: 20,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
  );
  const idle = setTimeout(() => h.server.advanceClock(VISIBILITY + 1), 200);
  try {
    return (await polling).Messages ?? [];
  } finally {
    clearTimeout(idle);
  }
}

describe('worker loop', () => {
  it('processes every job once, retries a failure after the timeout, and dead-letters the poison job', async () => {
    const dlq = await createQueue(sqs(), 'jobs-dlq');
    const dlqArn = await queueAttribute(sqs(), dlq, 'QueueArn');
    const jobs = await createQueue(sqs(), 'jobs', {
      VisibilityTimeout: String(VISIBILITY),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }),
    });

    for (let start = 0; start < JOBS; start += 10) {
      const Entries = Array.from({ length: 10 }, (_, i) => ({
        Id: `job-${start + i}`,
        MessageBody: JSON.stringify({ job: start + i }),
      }));
      const sent = await sqs().send(new SendMessageBatchCommand({ QueueUrl: jobs, Entries }));
      expect(sent.Successful).toHaveLength(10);
    }

    const done: number[] = [];
    const attempts = new Map<number, string[]>();
    const receives = (job: number) => attempts.get(job)?.length ?? 0;
    for (let polls = 0; (done.length < JOBS - 1 || receives(POISON) < 3) && polls < 30; polls++) {
      const processed = [];
      for (const message of await longPoll(jobs)) {
        const { job } = JSON.parse(message.Body ?? '{}') as { job: number };
        attempts.set(job, [...(attempts.get(job) ?? []), message.Attributes?.ApproximateReceiveCount ?? '?']);
        const fails = job === POISON || (job === FLAKY && receives(job) === 1);
        if (fails) continue;
        done.push(job);
        processed.push({ Id: `job-${job}`, ReceiptHandle: message.ReceiptHandle });
      }
      if (processed.length === 0) continue;
      const deleted = await sqs().send(new DeleteMessageBatchCommand({ QueueUrl: jobs, Entries: processed }));
      expect(deleted.Failed ?? []).toEqual([]);
    }
    // the poison message's fourth receive moves it instead
    h.server.advanceClock(VISIBILITY + 1);
    expect(await receive(sqs(), jobs)).toEqual([]);

    const everyJobButPoison = Array.from({ length: JOBS }, (_, i) => i).filter((i) => i !== POISON);
    expect([...done].sort((a, b) => a - b)).toEqual(everyJobButPoison);
    expect(attempts.get(FLAKY)).toEqual(['1', '2']);
    expect(attempts.get(POISON)).toEqual(['1', '2', '3']);
    expect(attempts.get(0)).toEqual(['1']);

    expect(await counts(sqs(), jobs)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const dead = await receive(sqs(), dlq, { MaxNumberOfMessages: 10 });
    expect(dead.map((m) => JSON.parse(m.Body ?? '{}'))).toEqual([{ job: POISON }]);
  });
});
