/**
 * The S3 event notification cases the main suite (s3-events.test.ts) leaves out: Lambda
 * function configurations stored for when Lambda exists (they take part in the overlap check
 * but get no test event and no events); the rest of S3's checks of a configuration (a
 * destination in another region, repeated Ids, a filter value over 1,024 bytes, a FIFO queue,
 * which S3 cannot send to); DeleteObjects on a versioned bucket announcing a delete marker per
 * key; and a topic configuration's prefix filter. Messages are S3's ("Amazon S3 Event
 * Notifications" in the S3 user guide and S3's error responses).
 */
import {
  DeleteObjectsCommand,
  GetBucketNotificationConfigurationCommand,
  type NotificationConfiguration,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { newBucket, s3Error } from '../s3/setup.js';
import { createQueue, createTopic, receiveNow, subscribeQueue, useSns } from './setup.js';

const t = useSns();
let s3: S3Client;

beforeAll(() => {
  s3 = new S3Client(t.h.clientConfig());
});

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:thumbnails';

const configure = (Bucket: string, NotificationConfiguration: NotificationConfiguration) =>
  s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration }));

const invalidArgument = (message: string, fields?: Record<string, unknown>) =>
  s3Error('InvalidArgument', 400, { message, fields });

describe('Lambda function configurations', () => {
  it('are stored with their Id and filter, beside a queue that gets its events', async () => {
    const bucket = await newBucket(s3, 'lambda-stored');
    const queue = await createQueue(t.sqs, 'beside-lambda');
    await configure(bucket, {
      LambdaFunctionConfigurations: [
        {
          Id: 'thumbnails',
          LambdaFunctionArn: FUNCTION_ARN,
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'images/' }] } },
        },
      ],
      QueueConfigurations: [
        {
          Id: 'docs',
          QueueArn: queue.arn,
          Events: ['s3:ObjectCreated:Put'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'docs/' }] } },
        },
      ],
    });
    const out = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    expect(out.LambdaFunctionConfigurations).toEqual([
      {
        Id: 'thumbnails',
        LambdaFunctionArn: FUNCTION_ARN,
        Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'images/' }] } },
      },
    ]);
    const testEvents = (await receiveNow(t.sqs, queue.url)).map((m) => JSON.parse(m.Body ?? '{}'));
    expect(testEvents.map((e) => e.Event)).toEqual(['s3:TestEvent']);

    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'images/cat.png', Body: 'png' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'docs/readme.md', Body: 'md' }));
    const records = (await receiveNow(t.sqs, queue.url)).flatMap((m) => JSON.parse(m.Body ?? '{}').Records);
    expect(records.map((r) => [r.s3.configurationId, r.s3.object.key])).toEqual([['docs', 'docs/readme.md']]);
  });

  it('take part in the overlap check', async () => {
    const bucket = await newBucket(s3, 'lambda-overlap');
    const queue = await createQueue(t.sqs, 'lambda-overlap');
    await expect(
      configure(bucket, {
        LambdaFunctionConfigurations: [{ LambdaFunctionArn: FUNCTION_ARN, Events: ['s3:ObjectCreated:*'] }],
        QueueConfigurations: [{ QueueArn: queue.arn, Events: ['s3:ObjectCreated:Put'] }],
      }),
    ).rejects.toMatchObject(
      invalidArgument(
        'Configurations overlap. Configurations on the same bucket cannot share a common event type.',
      ),
    );
  });
});

describe("S3's other checks of a configuration", () => {
  it('refuses a destination in another region, repeated Ids and a filter value over 1,024 bytes', async () => {
    const bucket = await newBucket(s3, 'more-checks');
    const queue = await createQueue(t.sqs, 'more-checks');
    const other = await createQueue(t.sqs, 'more-checks-other');
    await expect(
      configure(bucket, {
        QueueConfigurations: [
          { QueueArn: 'arn:aws:sqs:eu-west-1:000000000000:far-away', Events: ['s3:ObjectCreated:*'] },
        ],
      }),
    ).rejects.toMatchObject(
      invalidArgument(
        'The notification destination service region is not valid for the bucket location constraint',
      ),
    );
    await expect(
      configure(bucket, {
        QueueConfigurations: [
          { Id: 'same', QueueArn: queue.arn, Events: ['s3:ObjectCreated:*'] },
          { Id: 'same', QueueArn: other.arn, Events: ['s3:ObjectRemoved:*'] },
        ],
      }),
    ).rejects.toMatchObject(invalidArgument('Same ID used for multiple configurations. IDs must be unique.'));
    const long = 'p'.repeat(1025);
    await expect(
      configure(bucket, {
        QueueConfigurations: [
          {
            QueueArn: queue.arn,
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: long }] } },
          },
        ],
      }),
    ).rejects.toMatchObject(
      invalidArgument('Size of filter rule value cannot exceed 1024 bytes in UTF-8 representation', {
        ArgumentName: 'FilterRule.Value',
        ArgumentValue: long,
      }),
    );
    const out = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    expect(out.QueueConfigurations).toBeUndefined();
    expect(await receiveNow(t.sqs, queue.url)).toEqual([]);
  });

  it('refuses a FIFO queue, which cannot take its test event', async () => {
    const bucket = await newBucket(s3, 'fifo-destination');
    const queue = await createQueue(t.sqs, 'fifo-destination', { FifoQueue: 'true' });
    await expect(
      configure(bucket, { QueueConfigurations: [{ QueueArn: queue.arn, Events: ['s3:ObjectCreated:*'] }] }),
    ).rejects.toMatchObject(
      invalidArgument('Unable to validate the following destination configurations', {
        ArgumentName1: queue.arn,
        ArgumentValue1:
          'Permissions on the destination queue do not allow S3 to publish notifications from this bucket',
      }),
    );
    const out = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    expect(out.QueueConfigurations).toBeUndefined();
  });
});

describe('events', () => {
  it('announce a delete marker for each key DeleteObjects removes from a versioned bucket', async () => {
    const bucket = await newBucket(s3, 'versioned-batch');
    const queue = await createQueue(t.sqs, 'versioned-batch');
    await configure(bucket, {
      QueueConfigurations: [{ QueueArn: queue.arn, Events: ['s3:ObjectRemoved:*'] }],
    });
    await receiveNow(t.sqs, queue.url);
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: 'x' }));
    const out = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'a' }, { Key: 'b' }] } }),
    );
    const markers = new Map((out.Deleted ?? []).map((d) => [d.Key, d.DeleteMarkerVersionId]));
    const records = (await receiveNow(t.sqs, queue.url)).flatMap((m) => JSON.parse(m.Body ?? '{}').Records);
    expect(records.map((r) => [r.eventName, r.s3.object.key, r.s3.object.versionId])).toEqual([
      ['ObjectRemoved:DeleteMarkerCreated', 'a', markers.get('a')],
      ['ObjectRemoved:DeleteMarkerCreated', 'b', markers.get('b')],
    ]);
    expect(markers.get('a')).not.toBe(put.VersionId);
  });

  it("reach a topic only for keys under its configuration's prefix", async () => {
    const bucket = await newBucket(s3, 'topic-prefix');
    const topicArn = await createTopic(t.sns, 'topic-prefix');
    const queue = await createQueue(t.sqs, 'topic-prefix');
    await subscribeQueue(t.sns, topicArn, queue.arn, { RawMessageDelivery: 'true' });
    await configure(bucket, {
      TopicConfigurations: [
        {
          TopicArn: topicArn,
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }] } },
        },
      ],
    });
    await receiveNow(t.sqs, queue.url);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/a.txt', Body: 'a' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'out/b.txt', Body: 'b' }));
    const bodies = (await receiveNow(t.sqs, queue.url)).map((m) => JSON.parse(m.Body ?? '{}'));
    expect(bodies.flatMap((b) => b.Records).map((r) => r.s3.object.key)).toEqual(['in/a.txt']);
    // raw delivery: the S3 event itself, not an SNS envelope around it
    expect(Object.keys(bodies[0])).toEqual(['Records']);
  });
});
