/**
 * The service's own conformance checks, beside the suite written from AWS's documentation:
 * long polls woken by time and ended by deletion, idle waiters costing no CPU, FIFO
 * dead-lettering, move tasks driven by the server clock, receipt handles after their
 * timeout, and permissions.
 */
import {
  AddPermissionCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  type ReceiveMessageCommandInput,
  RemovePermissionCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { useLocalAws } from '../harness.js';
import { items, SqsQueryClient, type XmlNode } from './query-client.js';

const h = useLocalAws();
const sqs = () => new SQSClient(h.clientConfig());

let named = 0;
async function queue(label: string, Attributes: Record<string, string> = {}): Promise<[string, string]> {
  named += 1;
  const fifo = Attributes.FifoQueue === 'true';
  const QueueName = `svc-${label}-${named}${fifo ? '.fifo' : ''}`;
  const { QueueUrl } = await sqs().send(new CreateQueueCommand({ QueueName, Attributes }));
  const attrs = await sqs().send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return [QueueUrl as string, attrs.Attributes?.QueueArn as string];
}

async function receive(input: Omit<ReceiveMessageCommandInput, 'QueueUrl'> & { QueueUrl: string }) {
  return (await sqs().send(new ReceiveMessageCommand(input))).Messages ?? [];
}

describe('long polls', () => {
  it('return when a delayed message becomes due, without any send waking them', async () => {
    const [url] = await queue('due');
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 1 }));
    const started = Date.now();
    const got = await receive({ QueueUrl: url, WaitTimeSeconds: 5 });
    expect(got.map((m) => m.Body)).toEqual(['later']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('return at once when the clock is advanced past a delay', async () => {
    const [url] = await queue('advanced');
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'in an hour', DelaySeconds: 900 }));
    const started = Date.now();
    const pending = receive({ QueueUrl: url, WaitTimeSeconds: 10 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    h.server.advanceClock(901);
    expect((await pending).map((m) => m.Body)).toEqual(['in an hour']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('end, empty, when their queue is deleted', async () => {
    const [url] = await queue('deleted');
    const started = Date.now();
    const pending = receive({ QueueUrl: url, WaitTimeSeconds: 10 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sqs().send(new DeleteQueueCommand({ QueueUrl: url }));
    expect(await pending).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a long poll over the query protocol is woken by a send over JSON', async () => {
    const [url] = await queue('query-poll');
    const started = Date.now();
    const pending = new SqsQueryClient(h.url).send('ReceiveMessage', { QueueUrl: url, WaitTimeSeconds: 10 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'over json' }));
    const res = await pending;
    expect(res.status, res.text).toBe(200);
    expect(items<XmlNode>(res.result.Message).map((m) => m.Body)).toEqual(['over json']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('many idle waiters cost next to no CPU', async () => {
    const [url] = await queue('idle');
    const client = sqs();
    // the SDK's HTTP agent opens up to 50 sockets to one host
    const waiting = Array.from({ length: 40 }, () =>
      client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 2 })),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const used = process.cpuUsage(before);
    // a polling loop would burn most of a core; waiting on timers uses almost nothing
    expect((used.user + used.system) / 1000).toBeLessThan(200);
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'one' }));
    const results = await Promise.all(waiting);
    expect(results.flatMap((r) => r.Messages ?? []).map((m) => m.Body)).toEqual(['one']);
  });
});

describe('dead-letter queues', () => {
  it('a FIFO poison message goes to the FIFO DLQ and the group moves on', async () => {
    const [, dlqArn] = await queue('fifo-dlq', { FifoQueue: 'true' });
    const [url] = await queue('fifo-source', {
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }),
    });
    for (const body of ['poison', 'next']) {
      await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: 'g' }));
    }
    const [first] = await receive({ QueueUrl: url, VisibilityTimeout: 5 });
    expect(first?.Body).toBe('poison');
    h.server.advanceClock(6);
    const again = await receive({ QueueUrl: url, MaxNumberOfMessages: 10 });
    expect(again.map((m) => m.Body)).toEqual(['next']);
    const dlqUrl = url.replace(/[^/]+$/, dlqArn.split(':').at(-1) as string);
    const dead = await receive({ QueueUrl: dlqUrl, MessageSystemAttributeNames: ['All'] });
    expect(dead.map((m) => [m.MessageId, m.Attributes?.MessageGroupId])).toEqual([[first?.MessageId, 'g']]);
    expect(dead[0]?.Attributes?.DeadLetterQueueSourceArn).toMatch(/fifo-source-\d+\.fifo$/);
  });

  it('a standard DLQ keeps the original SentTimestamp', async () => {
    const [dlqUrl, dlqArn] = await queue('std-dlq');
    const [url] = await queue('std-source', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }),
    });
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'old' }));
    const [first] = await receive({
      QueueUrl: url,
      VisibilityTimeout: 1,
      MessageSystemAttributeNames: ['SentTimestamp'],
    });
    h.server.advanceClock(120);
    expect(await receive({ QueueUrl: url })).toEqual([]);
    const [dead] = await receive({
      QueueUrl: dlqUrl,
      MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
    });
    expect(dead?.Attributes?.SentTimestamp).toBe(first?.Attributes?.SentTimestamp);
    expect(dead?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('a rate-limited move task advances with the server clock', async () => {
    const [dlqUrl, dlqArn] = await queue('slow-dlq');
    const [, destArn] = await queue('slow-dest');
    await queue('slow-source', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }),
    });
    for (let i = 0; i < 6; i++)
      await sqs().send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: `m${i}` }));
    await sqs().send(
      new StartMessageMoveTaskCommand({
        SourceArn: dlqArn,
        DestinationArn: destArn,
        MaxNumberOfMessagesPerSecond: 1,
      }),
    );
    const list = async () =>
      (await sqs().send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results?.[0];
    h.server.advanceClock(2);
    expect(await list()).toMatchObject({ Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 2 });
    h.server.advanceClock(10);
    expect(await list()).toMatchObject({
      Status: 'COMPLETED',
      ApproximateNumberOfMessagesMoved: 6,
      ApproximateNumberOfMessagesToMove: 6,
    });
  });
});

describe('receipt handles', () => {
  it('ChangeMessageVisibility with the handle of a message whose timeout ran out changes nothing', async () => {
    const [url] = await queue('lapsed');
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'm' }));
    const [message] = await receive({ QueueUrl: url, VisibilityTimeout: 5 });
    h.server.advanceClock(6);
    await sqs().send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: message?.ReceiptHandle,
        VisibilityTimeout: 60,
      }),
    );
    expect((await receive({ QueueUrl: url })).map((m) => m.Body)).toEqual(['m']);
  });
});

describe('permissions', () => {
  it('AddPermission and RemovePermission edit the Policy attribute', async () => {
    const [url, arn] = await queue('policy');
    await sqs().send(
      new AddPermissionCommand({
        QueueUrl: url,
        Label: 'reader',
        AWSAccountIds: ['111111111111'],
        Actions: ['ReceiveMessage'],
      }),
    );
    const policy = async () =>
      (await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] })))
        .Attributes?.Policy;
    expect(JSON.parse((await policy()) as string)).toEqual({
      Version: '2008-10-17',
      Id: `${arn}/SQSDefaultPolicy`,
      Statement: [
        {
          Sid: 'reader',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111111111111:root' },
          Action: 'SQS:ReceiveMessage',
          Resource: arn,
        },
      ],
    });
    await expect(
      sqs().send(
        new AddPermissionCommand({
          QueueUrl: url,
          Label: 'reader',
          AWSAccountIds: ['1'],
          Actions: ['SendMessage'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await sqs().send(new RemovePermissionCommand({ QueueUrl: url, Label: 'reader' }));
    expect(await policy()).toBeUndefined();
  });
});
