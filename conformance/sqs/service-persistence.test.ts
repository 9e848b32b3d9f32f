/**
 * Restarting a server on the same --data-dir: no acknowledged message is lost, an in-flight
 * message stays in flight until its timeout (and its receipt handle still works), and a
 * deleted message never comes back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../src/index.js';
import { TEST_CREDENTIALS } from '../harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'localaws-sqs-'));
const running: LocalAws[] = [];

afterAll(async () => {
  for (const server of running) await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ server: LocalAws; sqs: SQSClient }> {
  const server = await startLocalAws({ dataDir });
  running.push(server);
  const sqs = new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials: TEST_CREDENTIALS });
  return { server, sqs };
}

async function stop(server: LocalAws): Promise<void> {
  running.splice(running.indexOf(server), 1);
  await server.stop();
}

async function bodies(sqs: SQSClient, QueueUrl: string): Promise<string[]> {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  return (out.Messages ?? []).map((m) => m.Body as string).sort();
}

describe('SQS across a restart on the same data dir', () => {
  it('keeps sent messages, in-flight messages in flight, and deleted ones deleted', async () => {
    const first = await start();
    const { QueueUrl } = await first.sqs.send(
      new CreateQueueCommand({ QueueName: 'durable', Attributes: { VisibilityTimeout: '60' } }),
    );
    for (const body of ['deleted', 'in-flight', 'waiting']) {
      await first.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    }
    const received = await first.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2 }));
    const [a, b] = received.Messages ?? [];
    const deleted = a?.Body === 'deleted' ? a : b;
    const inFlight = a?.Body === 'deleted' ? b : a;
    expect([deleted?.Body, inFlight?.Body].sort()).toEqual(['deleted', 'in-flight']);
    await first.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: deleted?.ReceiptHandle }));
    await stop(first.server);

    const second = await start();
    const url = QueueUrl?.replace(first.server.url, second.server.url) as string;
    const attrs = await second.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: [
          'VisibilityTimeout',
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
        ],
      }),
    );
    expect(attrs.Attributes).toEqual({
      VisibilityTimeout: '60',
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesNotVisible: '1',
    });
    expect(await bodies(second.sqs, url)).toEqual(['waiting']);

    // the timeout of the message in flight runs on, and its handle still deletes it
    second.server.advanceClock(61);
    expect(await bodies(second.sqs, url)).toEqual(['in-flight', 'waiting']);
    await stop(second.server);

    const third = await start();
    const again = url.replace(second.server.url, third.server.url);
    // the clock's offset is kept across restarts (it stands 61 s ahead, where the second server
    // received both messages for 60 s): a minute more makes them visible again
    third.server.advanceClock(61);
    const last = await third.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: again, MaxNumberOfMessages: 10 }),
    );
    for (const message of last.Messages ?? []) {
      await third.sqs.send(
        new DeleteMessageCommand({ QueueUrl: again, ReceiptHandle: message.ReceiptHandle }),
      );
    }
    expect((last.Messages ?? []).map((m) => m.Body).sort()).toEqual(['in-flight', 'waiting']);
    third.server.advanceClock(61);
    expect(await bodies(third.sqs, again)).toEqual([]);
    await stop(third.server);
  });

  it('a receipt handle issued before the restart still deletes its message after it', async () => {
    const first = await start();
    const { QueueUrl } = await first.sqs.send(new CreateQueueCommand({ QueueName: 'handles' }));
    await first.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'kept handle' }));
    const [message] = (await first.sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages ?? [];
    await stop(first.server);

    const second = await start();
    const url = QueueUrl?.replace(first.server.url, second.server.url) as string;
    await second.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message?.ReceiptHandle }));
    second.server.advanceClock(31);
    expect(await bodies(second.sqs, url)).toEqual([]);
    await stop(second.server);
  });
});
