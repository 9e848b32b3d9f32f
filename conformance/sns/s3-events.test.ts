/**
 * S3 event notifications ("Amazon S3 Event Notifications" in the S3 user guide): a bucket's
 * QueueConfigurations and TopicConfigurations, checked when put (destinations must exist, event
 * types be S3's, filter rules one prefix and one suffix, configurations not overlap) with an
 * s3:TestEvent to each new destination; then every created object (Put, Post, Copy,
 * CompleteMultipartUpload) and removed one (Delete, DeleteMarkerCreated) matching a
 * configuration is delivered as S3's event message ("Event message structure") before the S3
 * call returns, to queues directly and to topics as a publish with S3's subject. Expected
 * values come from that documentation and from messages recorded against AWS (SenderId, the
 * numbered ArgumentName1/ArgumentValue1 of "Unable to validate", key encoding `a@b` → `a%40b`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketNotificationConfigurationCommand,
  type NotificationConfiguration,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../src/index.js';
import { TEST_CREDENTIALS } from '../harness.js';
import { md5Hex, newBucket, s3Error } from '../s3/setup.js';
import {
  createQueue,
  createTopic,
  ISO_MILLIS,
  parseEnvelope,
  receiveNow,
  subscribeQueue,
  type TestQueue,
  useSns,
} from './setup.js';

const CLI = ['--import', 'tsx', join(import.meta.dirname, '../../src/cli.ts')];
const t = useSns();
let s3: S3Client;

beforeAll(() => {
  s3 = new S3Client(t.h.clientConfig());
});

/** The principal SQS names as SenderId for what S3 sends (recorded from AWS). */
const S3_SENDER_ID = 'AIDAJHIPRHEMV73VRJEBU';
const SEQUENCER = /^[0-9A-F]{18}$/;

interface EventRecord {
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  eventTime: string;
  eventName: string;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: Record<string, string>;
  s3: {
    s3SchemaVersion: string;
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer: string };
  };
}

/** The event records of what a queue holds now, in order, skipping test events. */
async function recordsIn(queue: TestQueue): Promise<EventRecord[]> {
  const bodies = (await receiveNow(t.sqs, queue.url)).map((m) => JSON.parse(m.Body ?? '{}'));
  return bodies.filter((b) => b.Records).flatMap((b) => b.Records as EventRecord[]);
}

async function configure(Bucket: string, config: NotificationConfiguration, skip?: boolean): Promise<void> {
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket,
      NotificationConfiguration: config,
      SkipDestinationValidation: skip,
    }),
  );
}

/** A bucket whose created and removed objects go to a fresh queue (its test event received). */
async function bucketToQueue(
  label: string,
  more: Partial<NonNullable<NotificationConfiguration['QueueConfigurations']>[number]> = {},
): Promise<{ bucket: string; queue: TestQueue }> {
  const bucket = await newBucket(s3, label);
  const queue = await createQueue(t.sqs, `${label}-events`);
  await configure(bucket, {
    QueueConfigurations: [
      {
        Id: `${label}-config`,
        QueueArn: queue.arn,
        Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
        ...more,
      },
    ],
  });
  await receiveNow(t.sqs, queue.url);
  return { bucket, queue };
}

describe('configuring notifications', () => {
  it('sends s3:TestEvent to a new queue, once', async () => {
    const bucket = await newBucket(s3, 'test-event');
    const queue = await createQueue(t.sqs, 'test-event-queue');
    const config = {
      QueueConfigurations: [{ QueueArn: queue.arn, Events: ['s3:ObjectCreated:*' as const] }],
    };
    const out = await s3.send(
      new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: config }),
    );
    const messages = await receiveNow(t.sqs, queue.url);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.Attributes?.SenderId).toBe(S3_SENDER_ID);
    const body = JSON.parse(messages[0]?.Body ?? '');
    expect(Object.keys(body)).toEqual(['Service', 'Event', 'Time', 'Bucket', 'RequestId', 'HostId']);
    expect(body).toMatchObject({
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Bucket: bucket,
      RequestId: out.$metadata.requestId,
    });
    expect(body.Time).toMatch(ISO_MILLIS);

    // the same destination again is not new
    await configure(bucket, config);
    expect(await receiveNow(t.sqs, queue.url)).toHaveLength(0);
  });

  it('stores the configuration with Ids given and filter rule names capitalised', async () => {
    const bucket = await newBucket(s3, 'stored');
    const queue = await createQueue(t.sqs, 'stored-queue');
    await configure(bucket, {
      QueueConfigurations: [
        {
          QueueArn: queue.arn,
          Events: ['s3:ObjectCreated:*'],
          Filter: {
            Key: {
              FilterRules: [
                { Name: 'prefix', Value: 'images/' },
                { Name: 'SUFFIX' as never, Value: '.jpg' },
              ],
            },
          },
        },
      ],
    });
    const out = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    expect(out.QueueConfigurations).toEqual([
      {
        Id: expect.stringMatching(/^[A-Za-z0-9+/=]{48}$/),
        QueueArn: queue.arn,
        Events: ['s3:ObjectCreated:*'],
        Filter: {
          Key: {
            FilterRules: [
              { Name: 'Prefix', Value: 'images/' },
              { Name: 'Suffix', Value: '.jpg' },
            ],
          },
        },
      },
    ]);
    // an empty configuration turns notifications off
    await configure(bucket, {});
    const off = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    expect(off.QueueConfigurations).toBeUndefined();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'images/a.jpg', Body: 'x' }));
    expect(await recordsIn(queue)).toEqual([]);
  });

  it('refuses a queue that does not exist, numbering each destination', async () => {
    const bucket = await newBucket(s3, 'missing-queue');
    const missing = 'arn:aws:sqs:us-east-1:000000000000:no-such-queue';
    const missingTopic = 'arn:aws:sns:us-east-1:000000000000:no-such-topic';
    await expect(
      configure(bucket, {
        QueueConfigurations: [{ QueueArn: missing, Events: ['s3:ObjectCreated:*'] }],
        TopicConfigurations: [{ TopicArn: missingTopic, Events: ['s3:ObjectRemoved:*'] }],
      }),
    ).rejects.toMatchObject(
      s3Error('InvalidArgument', 400, {
        message: 'Unable to validate the following destination configurations',
        fields: {
          ArgumentName1: missingTopic,
          ArgumentValue1: 'The destination topic does not exist',
          ArgumentName2: missing,
          ArgumentValue2: 'The destination queue does not exist',
        },
      }),
    );
    const out = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    expect(out.QueueConfigurations).toBeUndefined();
  });

  it('refuses an ARN it cannot parse, even when told to skip validation', async () => {
    const bucket = await newBucket(s3, 'bad-arn');
    for (const skip of [false, true]) {
      await expect(
        configure(
          bucket,
          { QueueConfigurations: [{ QueueArn: 'invalid-queue', Events: ['s3:ObjectCreated:*'] }] },
          skip,
        ),
      ).rejects.toMatchObject(
        s3Error('InvalidArgument', 400, {
          message: 'The ARN could not be parsed',
          fields: { ArgumentName: 'Queue', ArgumentValue: 'invalid-queue' },
        }),
      );
    }
  });

  it('refuses an event type S3 does not have', async () => {
    const bucket = await newBucket(s3, 'bad-event');
    const queue = await createQueue(t.sqs, 'bad-event-queue');
    await expect(
      configure(bucket, {
        QueueConfigurations: [{ QueueArn: queue.arn, Events: ['s3:ObjectCreated:Upload' as never] }],
      }),
    ).rejects.toMatchObject(
      s3Error('InvalidArgument', 400, { message: 'The event is not supported for notifications' }),
    );
  });

  it('refuses filter rules other than one prefix and one suffix', async () => {
    const bucket = await newBucket(s3, 'bad-filter');
    const queue = await createQueue(t.sqs, 'bad-filter-queue');
    const withRules = (FilterRules: { Name: string; Value: string }[]) =>
      configure(bucket, {
        QueueConfigurations: [
          {
            QueueArn: queue.arn,
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: FilterRules as never } },
          },
        ],
      });
    await expect(withRules([{ Name: 'INVALID', Value: 'x' }])).rejects.toMatchObject(
      s3Error('InvalidArgument', 400, {
        message: 'filter rule name must be either prefix or suffix',
        fields: { ArgumentName: 'FilterRule.Name', ArgumentValue: 'INVALID' },
      }),
    );
    await expect(
      withRules([
        { Name: 'prefix', Value: 'a/' },
        { Name: 'Prefix', Value: 'b/' },
      ]),
    ).rejects.toMatchObject(
      s3Error('InvalidArgument', 400, { message: 'Cannot specify more than one prefix rule in a filter.' }),
    );
  });

  it('refuses configurations that share an event type', async () => {
    const bucket = await newBucket(s3, 'overlap');
    const first = await createQueue(t.sqs, 'overlap-a');
    const second = await createQueue(t.sqs, 'overlap-b');
    await expect(
      configure(bucket, {
        QueueConfigurations: [
          { QueueArn: first.arn, Events: ['s3:ObjectCreated:*'] },
          { QueueArn: second.arn, Events: ['s3:ObjectCreated:Put'] },
        ],
      }),
    ).rejects.toMatchObject(
      s3Error('InvalidArgument', 400, {
        message:
          'Configurations overlap. Configurations on the same bucket cannot share a common event type.',
      }),
    );
    // prefixes that do not overlap may share event types
    await configure(bucket, {
      QueueConfigurations: [
        {
          QueueArn: first.arn,
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a/' }] } },
        },
        {
          QueueArn: second.arn,
          Events: ['s3:ObjectCreated:Put'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'b/' }] } },
        },
      ],
    });
    await receiveNow(t.sqs, first.url);
    await receiveNow(t.sqs, second.url);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'b/one', Body: 'x' }));
    expect(await recordsIn(first)).toEqual([]);
    expect((await recordsIn(second)).map((r) => r.s3.object.key)).toEqual(['b/one']);
  });

  it('skips the checks and the test event when asked, and delivers once the queue exists', async () => {
    const bucket = await newBucket(s3, 'skip-validation');
    const name = `later-${Date.now()}`;
    const arn = `arn:aws:sqs:us-east-1:000000000000:${name}`;
    await configure(
      bucket,
      { QueueConfigurations: [{ QueueArn: arn, Events: ['s3:ObjectCreated:*'] }] },
      true,
    );
    const { QueueUrl } = await t.sqs.send(new CreateQueueCommand({ QueueName: name }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'after', Body: 'x' }));
    const messages = await receiveNow(t.sqs, QueueUrl as string);
    expect(messages.map((m) => JSON.parse(m.Body ?? '').Records?.[0]?.s3.object.key)).toEqual(['after']);
  });
});

describe('object created events', () => {
  it('announces .jpg uploads to a queue with a suffix filter, and not .txt ones', async () => {
    const { bucket, queue } = await bucketToQueue('uploads', {
      Events: ['s3:ObjectCreated:*'],
      Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.jpg' }] } },
    });
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'photos/cat.jpg', Body: 'meow' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'notes/cat.txt', Body: 'text' }));
    const messages = await receiveNow(t.sqs, queue.url);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.Attributes?.SenderId).toBe(S3_SENDER_ID);
    const document = JSON.parse(messages[0]?.Body ?? '');
    expect(Object.keys(document)).toEqual(['Records']);
    const [record] = document.Records as EventRecord[];
    expect(record).toEqual({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: expect.stringMatching(ISO_MILLIS),
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: expect.any(String) },
      requestParameters: { sourceIPAddress: expect.any(String) },
      responseElements: {
        'x-amz-request-id': put.$metadata.requestId,
        'x-amz-id-2': put.$metadata.extendedRequestId,
      },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'uploads-config',
        bucket: {
          name: bucket,
          ownerIdentity: { principalId: expect.any(String) },
          arn: `arn:aws:s3:::${bucket}`,
        },
        object: {
          key: 'photos/cat.jpg',
          size: 4,
          eTag: md5Hex('meow'),
          sequencer: expect.stringMatching(SEQUENCER),
        },
      },
    });
    expect(Object.keys(record as EventRecord)).toEqual([
      'eventVersion',
      'eventSource',
      'awsRegion',
      'eventTime',
      'eventName',
      'userIdentity',
      'requestParameters',
      'responseElements',
      's3',
    ]);
    expect(Object.keys(record?.s3.object ?? {})).toEqual(['key', 'size', 'eTag', 'sequencer']);
  });

  it('sends nothing for a write that fails its condition', async () => {
    const { bucket, queue } = await bucketToQueue('conditional');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'once', Body: 'first' }));
    await expect(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'once', Body: 'second', IfNoneMatch: '*' })),
    ).rejects.toMatchObject(s3Error('PreconditionFailed', 412));
    expect((await recordsIn(queue)).map((r) => r.s3.object.size)).toEqual([5]);
  });

  it('announces CopyObject and CompleteMultipartUpload', async () => {
    const { bucket, queue } = await bucketToQueue('copies');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'source', Body: 'copied bytes' }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy', CopySource: `${bucket}/source` }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big' }));
    const part = await s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: 'big', UploadId, PartNumber: 1, Body: 'one part' }),
    );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'big',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    const records = await recordsIn(queue);
    expect(records.map((r) => [r.eventName, r.s3.object.key, r.s3.object.size])).toEqual([
      ['ObjectCreated:Put', 'source', 12],
      ['ObjectCreated:Copy', 'copy', 12],
      ['ObjectCreated:CompleteMultipartUpload', 'big', 8],
    ]);
    expect(records[1]?.s3.object.eTag).toBe(md5Hex('copied bytes'));
    expect(records[2]?.s3.object.eTag).toBe(done.ETag?.replaceAll('"', ''));
    expect(records[2]?.s3.object.eTag).toMatch(/^[0-9a-f]{32}-1$/);
  });

  it('announces a browser form upload as ObjectCreated:Post', async () => {
    const { bucket, queue } = await bucketToQueue('form-post');
    const form = new FormData();
    form.append('key', 'uploads/form.txt');
    form.append('file', new Blob(['from a form']), 'form.txt');
    const res = await fetch(`${t.h.url}/${bucket}`, { method: 'POST', body: form });
    expect(res.status).toBe(204);
    const records = await recordsIn(queue);
    expect(records.map((r) => [r.eventName, r.s3.object.key, r.s3.object.size])).toEqual([
      ['ObjectCreated:Post', 'uploads/form.txt', 11],
    ]);
  });

  it('URL-encodes keys as S3 does: a space as +, other characters as UTF-8 escapes, / kept', async () => {
    const { bucket, queue } = await bucketToQueue('encoding');
    for (const Key of ['a@b', 'photos/my summer (1).jpg', 'día/naïve ☀.txt', 'x+y=z']) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'x' }));
    }
    expect((await recordsIn(queue)).map((r) => r.s3.object.key)).toEqual([
      'a%40b',
      'photos/my+summer+%281%29.jpg',
      'd%C3%ADa/na%C3%AFve+%E2%98%80.txt',
      'x%2By%3Dz',
    ]);
  });

  it('matches filter values against the encoded key', async () => {
    const { bucket, queue } = await bucketToQueue('encoded-filter', {
      Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'my+photos/' }] } },
    });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'my photos/a.png', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'my-photos/b.png', Body: 'x' }));
    expect((await recordsIn(queue)).map((r) => r.s3.object.key)).toEqual(['my+photos/a.png']);
  });

  it('gives the events of one key increasing sequencers', async () => {
    const { bucket, queue } = await bucketToQueue('sequencer');
    for (const Body of ['one', 'two', 'three']) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'same', Body }));
    }
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'same' }));
    const sequencers = (await recordsIn(queue)).map((r) => r.s3.object.sequencer);
    expect(sequencers).toHaveLength(4);
    for (const sequencer of sequencers) expect(sequencer).toMatch(SEQUENCER);
    expect([...sequencers].sort()).toEqual(sequencers);
    expect(new Set(sequencers).size).toBe(4);
  });
});

describe('object removed events', () => {
  it('announces DeleteObject and each key of DeleteObjects as ObjectRemoved:Delete', async () => {
    const { bucket, queue } = await bucketToQueue('removed');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'gone', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'batch-1', Body: 'x' }));
    await receiveNow(t.sqs, queue.url);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'gone' }));
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: 'batch-1' }, { Key: 'batch-2' }] },
      }),
    );
    const records = await recordsIn(queue);
    expect(records.map((r) => [r.eventName, r.s3.object.key])).toEqual([
      ['ObjectRemoved:Delete', 'gone'],
      ['ObjectRemoved:Delete', 'batch-1'],
      ['ObjectRemoved:Delete', 'batch-2'],
    ]);
    // a removed object has no size or ETag, and an unversioned bucket no version id
    expect(Object.keys(records[0]?.s3.object ?? {})).toEqual(['key', 'sequencer']);
  });

  it('announces a delete marker, and the delete of a version, with version ids', async () => {
    const { bucket, queue } = await bucketToQueue('versioned');
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'doc', Body: 'v1' }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'doc' }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'doc', VersionId: put.VersionId }));
    const records = await recordsIn(queue);
    expect(records.map((r) => [r.eventName, r.s3.object.versionId])).toEqual([
      ['ObjectCreated:Put', put.VersionId],
      ['ObjectRemoved:DeleteMarkerCreated', marker.VersionId],
      ['ObjectRemoved:Delete', put.VersionId],
    ]);
    expect(marker.DeleteMarker).toBe(true);
  });
});

describe('topic destinations', () => {
  it('publishes the test event and events to a topic, fanned out to its queue', async () => {
    const bucket = await newBucket(s3, 'to-topic');
    const topicArn = await createTopic(t.sns, 's3-events');
    const queue = await createQueue(t.sqs, 'topic-subscriber');
    await subscribeQueue(t.sns, topicArn, queue.arn);
    await configure(bucket, {
      TopicConfigurations: [{ Id: 'to-topic', TopicArn: topicArn, Events: ['s3:ObjectCreated:Put'] }],
    });
    const [testEvent] = await receiveNow(t.sqs, queue.url);
    const testEnvelope = parseEnvelope(testEvent?.Body);
    expect(testEnvelope).toMatchObject({
      Type: 'Notification',
      TopicArn: topicArn,
      Subject: 'Amazon S3 Notification',
    });
    expect(JSON.parse(testEnvelope.Message)).toMatchObject({ Event: 's3:TestEvent', Bucket: bucket });

    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'report.csv', Body: 'a,b' }));
    const [delivered] = await receiveNow(t.sqs, queue.url);
    const envelope = parseEnvelope(delivered?.Body);
    expect(envelope.Subject).toBe('Amazon S3 Notification');
    const [record] = JSON.parse(envelope.Message).Records as EventRecord[];
    expect(record?.eventName).toBe('ObjectCreated:Put');
    expect(record?.s3).toMatchObject({
      configurationId: 'to-topic',
      bucket: { name: bucket },
      object: { key: 'report.csv', size: 3, eTag: md5Hex('a,b') },
    });
  });
});

/** localaws as its own process (the CLI), whose modules start unloaded; resolves with its URL. */
function startProcess(dataDir: string): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [
    ...CLI,
    '--port',
    '0',
    '--log-level',
    'warn',
    '--data-dir',
    dataDir,
  ]);
  let stdout = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) resolve(m[1] as string);
    });
    child.on('exit', () => reject(new Error('localaws exited before it was ready')));
  });
  return { child, url };
}

describe('S3 notifications across a restart on the same data dir', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'localaws-s3-events-'));
  const running: LocalAws[] = [];
  const children: ChildProcess[] = [];

  afterAll(async () => {
    for (const server of running) await server.stop();
    for (const child of children) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  function clientsAt(endpoint: string) {
    const config = {
      endpoint,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
      forcePathStyle: true,
      maxAttempts: 1,
    };
    return { s3: new S3Client(config), sqs: new SQSClient(config) };
  }

  it('keeps the configuration and delivers by it, in a new process', async () => {
    const server = await startLocalAws({ dataDir });
    running.push(server);
    const first = clientsAt(server.url);
    await first.s3.send(new CreateBucketCommand({ Bucket: 'durable-events' }));
    const { QueueUrl } = await first.sqs.send(new CreateQueueCommand({ QueueName: 'durable-events' }));
    const attributes = await first.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    const config: NotificationConfiguration = {
      QueueConfigurations: [
        {
          Id: 'durable',
          QueueArn: attributes.Attributes?.QueueArn,
          Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
          Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.log' }] } },
        },
      ],
    };
    await first.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'durable-events',
        NotificationConfiguration: config,
      }),
    );
    await first.s3.send(new PutObjectCommand({ Bucket: 'durable-events', Key: 'before.log', Body: 'x' }));
    running.splice(running.indexOf(server), 1);
    await server.stop();

    const restarted = startProcess(dataDir);
    children.push(restarted.child);
    const second = clientsAt(await restarted.url);
    const stored = await second.s3.send(
      new GetBucketNotificationConfigurationCommand({ Bucket: 'durable-events' }),
    );
    expect(stored.QueueConfigurations?.[0]).toMatchObject({
      Id: 'durable',
      Filter: { Key: { FilterRules: [{ Name: 'Suffix', Value: '.log' }] } },
    });
    // a delete first: its handler is the one that must load the delivery code in the new process
    await second.s3.send(new DeleteObjectCommand({ Bucket: 'durable-events', Key: 'before.log' }));
    await second.s3.send(new PutObjectCommand({ Bucket: 'durable-events', Key: 'after.log', Body: 'y' }));
    await second.s3.send(new PutObjectCommand({ Bucket: 'durable-events', Key: 'after.txt', Body: 'z' }));
    const bodies: { Event?: string; Records?: EventRecord[] }[] = [];
    for (;;) {
      const out = await receiveNow(second.sqs, QueueUrl as string);
      if (out.length === 0) break;
      bodies.push(...out.map((m) => JSON.parse(m.Body ?? '{}')));
    }
    expect(
      bodies.map((b) => b.Event ?? `${b.Records?.[0]?.eventName} ${b.Records?.[0]?.s3.object.key}`),
    ).toEqual([
      's3:TestEvent',
      'ObjectCreated:Put before.log',
      'ObjectRemoved:Delete before.log',
      'ObjectCreated:Put after.log',
    ]);
  });
});
