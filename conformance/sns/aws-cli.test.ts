/**
 * The same flows through a second client, the AWS CLI (botocore speaks SNS's query protocol
 * with its own serializer and parser): topics, subscriptions with a filter policy, Publish with
 * attributes and PublishBatch fanned out to SQS, SNS's errors as the CLI reports them, and S3
 * event notifications configured with `aws s3api` and fired by `aws s3 cp`. Skipped, with a
 * message, where no `aws` is on the PATH.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AWS_CLI, runAwsCli, warnWithoutAwsCli } from '../aws-cli.js';
import { parseEnvelope, receiveNow, useSns } from './setup.js';
import { type SignedMessage, signatureVerifies } from './signature.js';

warnWithoutAwsCli('conformance/sns/aws-cli.test.ts');

const t = useSns();
const work = mkdtempSync(join(tmpdir(), 'localaws-sns-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `aws <args>` against the server, answering JSON. */
const aws = (...args: string[]) => runAwsCli(t.h.url, work, [...args, '--output', 'json']);

const json = async (...args: string[]) => JSON.parse(await aws(...args));

async function queueArnOf(url: string): Promise<string> {
  const out = await json('sqs', 'get-queue-attributes', '--queue-url', url, '--attribute-names', 'QueueArn');
  return out.Attributes.QueueArn as string;
}

// each CLI call costs a Python start-up: the flows run side by side
describe.skipIf(!AWS_CLI).concurrent('the AWS_CLI CLI against localaws SNS', () => {
  it('creates, subscribes with a filter policy, publishes with attributes and in a batch, fans out to SQS', async () => {
    const { TopicArn } = await json('sns', 'create-topic', '--name', 'cli-orders');
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:cli-orders');
    const { QueueUrl } = await json('sqs', 'create-queue', '--queue-name', 'cli-orders-placed');
    const queueArn = await queueArnOf(QueueUrl);
    const { SubscriptionArn } = await json(
      'sns',
      'subscribe',
      '--topic-arn',
      TopicArn,
      '--protocol',
      'sqs',
      '--notification-endpoint',
      queueArn,
      '--attributes',
      JSON.stringify({ FilterPolicy: JSON.stringify({ event: ['placed'] }) }),
      '--return-subscription-arn',
    );
    expect(SubscriptionArn.startsWith(`${TopicArn}:`)).toBe(true);

    const attributes = await json(
      'sns',
      'get-subscription-attributes',
      '--subscription-arn',
      SubscriptionArn,
    );
    expect(attributes.Attributes).toMatchObject({
      Protocol: 'sqs',
      Endpoint: queueArn,
      FilterPolicyScope: 'MessageAttributes',
      PendingConfirmation: 'false',
    });
    const listed = await json('sns', 'list-subscriptions-by-topic', '--topic-arn', TopicArn);
    expect(listed.Subscriptions).toEqual([
      { SubscriptionArn, Owner: '000000000000', Protocol: 'sqs', Endpoint: queueArn, TopicArn },
    ]);

    const published = await json(
      'sns',
      'publish',
      '--topic-arn',
      TopicArn,
      '--subject',
      'Order 7',
      '--message',
      'order 7 placed',
      '--message-attributes',
      JSON.stringify({ event: { DataType: 'String', StringValue: 'placed' } }),
    );
    await aws(
      'sns',
      'publish',
      '--topic-arn',
      TopicArn,
      '--message',
      'order 8 shipped',
      '--message-attributes',
      JSON.stringify({ event: { DataType: 'String', StringValue: 'shipped' } }),
    );
    const batch = await json(
      'sns',
      'publish-batch',
      '--topic-arn',
      TopicArn,
      '--publish-batch-request-entries',
      JSON.stringify([
        {
          Id: 'a',
          Message: 'batch placed',
          MessageAttributes: { event: { DataType: 'String', StringValue: 'placed' } },
        },
        { Id: 'b', Message: 'batch other' },
      ]),
    );
    expect(batch.Successful.map((s: { Id: string }) => s.Id).sort()).toEqual(['a', 'b']);

    const envelopes = (await receiveNow(t.sqs, QueueUrl)).map((m) => parseEnvelope(m.Body));
    expect(envelopes.map((e) => e.Message).sort()).toEqual(['batch placed', 'order 7 placed']);
    const first = envelopes.find((e) => e.Message === 'order 7 placed');
    expect(first).toMatchObject({
      Type: 'Notification',
      MessageId: published.MessageId,
      TopicArn,
      Subject: 'Order 7',
      MessageAttributes: { event: { Type: 'String', Value: 'placed' } },
    });
    expect(await signatureVerifies(first as unknown as SignedMessage)).toBe(true);

    await aws('sns', 'delete-topic', '--topic-arn', TopicArn);
    const topics = await json('sns', 'list-topics');
    expect(topics.Topics.map((topic: { TopicArn: string }) => topic.TopicArn)).not.toContain(TopicArn);
  }, 180_000);

  it("reports SNS's errors with their codes and messages", async () => {
    await expect(
      aws('sns', 'get-topic-attributes', '--topic-arn', 'arn:aws:sns:us-east-1:000000000000:cli-never'),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining(
        'An error occurred (NotFound) when calling the GetTopicAttributes operation: Topic does not exist',
      ),
    });
    const { TopicArn } = await json('sns', 'create-topic', '--name', 'cli-errors');
    await expect(
      aws(
        'sns',
        'publish',
        '--topic-arn',
        TopicArn,
        '--message',
        'x',
        '--message-attributes',
        JSON.stringify({ '.bad': { DataType: 'String', StringValue: 'v' } }),
      ),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining(
        "An error occurred (ParameterValueInvalid) when calling the Publish operation: Invalid message attribute name starting with character '.' was found.",
      ),
    });
    await expect(
      aws(
        'sns',
        'subscribe',
        '--topic-arn',
        TopicArn,
        '--protocol',
        'carrier-pigeon',
        '--notification-endpoint',
        'x',
      ),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining(
        'An error occurred (InvalidParameter) when calling the Subscribe operation: Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon',
      ),
    });
  }, 120_000);

  it('configures S3 event notifications with s3api and announces an `aws s3 cp` upload', async () => {
    const { QueueUrl } = await json('sqs', 'create-queue', '--queue-name', 'cli-uploads');
    const queueArn = await queueArnOf(QueueUrl);
    await aws('s3', 'mb', 's3://cli-events');
    await aws(
      's3api',
      'put-bucket-notification-configuration',
      '--bucket',
      'cli-events',
      '--notification-configuration',
      JSON.stringify({
        QueueConfigurations: [
          {
            Id: 'csv-uploads',
            QueueArn: queueArn,
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.csv' }] } },
          },
        ],
      }),
    );
    const stored = await json('s3api', 'get-bucket-notification-configuration', '--bucket', 'cli-events');
    expect(stored.QueueConfigurations).toEqual([
      {
        Id: 'csv-uploads',
        QueueArn: queueArn,
        Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'Suffix', Value: '.csv' }] } },
      },
    ]);
    const testEvents = (await receiveNow(t.sqs, QueueUrl)).map((m) => JSON.parse(m.Body ?? '{}'));
    expect(testEvents).toMatchObject([{ Event: 's3:TestEvent', Bucket: 'cli-events' }]);

    const file = join(work, 'report 1.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    await aws('s3', 'cp', file, 's3://cli-events/reports/report 1.csv');
    await aws('s3', 'cp', file, 's3://cli-events/reports/report.txt');
    const records = (await receiveNow(t.sqs, QueueUrl)).flatMap((m) => JSON.parse(m.Body ?? '{}').Records);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      s3: {
        configurationId: 'csv-uploads',
        bucket: { name: 'cli-events' },
        object: { key: 'reports/report+1.csv', size: 8 },
      },
    });
  }, 180_000);
});
