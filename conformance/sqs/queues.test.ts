/**
 * SQS queue management over AWS JSON 1.0 (the SDK v3 client): create, look up, list, delete,
 * purge, attributes and their validation, counters, tags, dead-letter sources, queue URLs and
 * account isolation. Behaviour and codes from the SQS API reference.
 */
import {
  AddPermissionCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { useLocalAws } from '../harness.js';
import {
  counts,
  createQueue,
  DEFAULT_ACCOUNT,
  QUEUE_DOES_NOT_EXIST,
  queueAttribute,
  queueName,
  receive,
  sqsClient,
  sqsError,
} from './queues.js';

const h = useLocalAws();
const sqs = () => sqsClient(h);

const STANDARD_NAME_RULE =
  'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length';
const FIFO_NAME_RULE =
  'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.';

describe('CreateQueue and GetQueueUrl', () => {
  it('returns the URL http://<host>:<port>/<account>/<name>, which GetQueueUrl finds again', async () => {
    const name = queueName('orders');
    const created = await sqs().send(new CreateQueueCommand({ QueueName: name }));
    expect(created.QueueUrl).toBe(`${h.url}/${DEFAULT_ACCOUNT}/${name}`);
    const found = await sqs().send(new GetQueueUrlCommand({ QueueName: name }));
    expect(found.QueueUrl).toBe(created.QueueUrl);
    expect(await queueAttribute(sqs(), created.QueueUrl!, 'QueueArn')).toBe(
      `arn:aws:sqs:us-east-1:${DEFAULT_ACCOUNT}:${name}`,
    );
  });

  it('is idempotent with equal attributes, or with none, and returns the same URL', async () => {
    const name = queueName('idempotent');
    const Attributes = { VisibilityTimeout: '60', DelaySeconds: '5' };
    const first = await sqs().send(new CreateQueueCommand({ QueueName: name, Attributes }));
    const again = await sqs().send(new CreateQueueCommand({ QueueName: name, Attributes }));
    const bare = await sqs().send(new CreateQueueCommand({ QueueName: name }));
    expect(again.QueueUrl).toBe(first.QueueUrl);
    expect(bare.QueueUrl).toBe(first.QueueUrl);
    expect(await queueAttribute(sqs(), first.QueueUrl!, 'VisibilityTimeout')).toBe('60');
  });

  it('fails with QueueAlreadyExists (QueueNameExists) when an attribute differs', async () => {
    const name = queueName('conflict');
    await sqs().send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '60' } }));
    await expect(
      sqs().send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '61' } })),
    ).rejects.toMatchObject(
      sqsError('QueueAlreadyExists', 400, {
        name: 'QueueNameExists',
        message: expect.stringContaining(
          'A queue already exists with the same name and a different value for attribute',
        ),
      }),
    );
  });

  it('accepts names of 1 to 80 alphanumerics, hyphens and underscores, and rejects others', async () => {
    const longest = `${queueName('n')}_`.padEnd(80, 'x');
    const out = await sqs().send(new CreateQueueCommand({ QueueName: longest }));
    expect(out.QueueUrl).toBe(`${h.url}/${DEFAULT_ACCOUNT}/${longest}`);
    for (const bad of [`${longest}y`, 'has space', 'dot.ted', 'slash/ed', 'star*']) {
      await expect(sqs().send(new CreateQueueCommand({ QueueName: bad })), bad).rejects.toMatchObject(
        sqsError('InvalidParameterValue', 400, { message: STANDARD_NAME_RULE }),
      );
    }
  });

  it('creates a FIFO queue only with FifoQueue=true and the .fifo suffix', async () => {
    const name = queueName('ordered', true);
    const out = await sqs().send(
      new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: 'true' } }),
    );
    expect(out.QueueUrl).toBe(`${h.url}/${DEFAULT_ACCOUNT}/${name}`);
    const attrs = await sqs().send(
      new GetQueueAttributesCommand({ QueueUrl: out.QueueUrl, AttributeNames: ['All'] }),
    );
    expect(attrs.Attributes).toMatchObject({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
      DeduplicationScope: 'queue',
      FifoThroughputLimit: 'perQueue',
    });
    // the 80 characters include the suffix
    for (const bad of [queueName('nosuffix'), `${name.slice(0, -5).padEnd(76, 'x')}.fifo`]) {
      await expect(
        sqs().send(new CreateQueueCommand({ QueueName: bad, Attributes: { FifoQueue: 'true' } })),
        bad,
      ).rejects.toMatchObject(sqsError('InvalidParameterValue', 400, { message: FIFO_NAME_RULE }));
    }
    // a standard queue's name may not contain the dot
    await expect(
      sqs().send(new CreateQueueCommand({ QueueName: queueName('standard', true) })),
    ).rejects.toMatchObject(sqsError('InvalidParameterValue', 400, { message: STANDARD_NAME_RULE }));
  });

  it('rejects FIFO-only attributes on a standard queue with InvalidAttributeName', async () => {
    for (const Attributes of [{ ContentBasedDeduplication: 'false' }, { FifoQueue: 'false' }]) {
      await expect(
        sqs().send(new CreateQueueCommand({ QueueName: queueName('plain'), Attributes })),
      ).rejects.toMatchObject(sqsError('InvalidAttributeName', 400, { name: 'InvalidAttributeName' }));
    }
  });

  it('GetQueueUrl of a missing queue fails with QueueDoesNotExist (AWS.SimpleQueueService.NonExistentQueue)', async () => {
    await expect(sqs().send(new GetQueueUrlCommand({ QueueName: 'never-created' }))).rejects.toMatchObject({
      ...QUEUE_DOES_NOT_EXIST,
      message: expect.stringContaining('The specified queue does not exist'),
    });
  });

  it('GetQueueUrl with QueueOwnerAWSAccountId finds a queue of that account', async () => {
    const name = queueName('shared-with-other');
    const url = await sqs()
      .send(new CreateQueueCommand({ QueueName: name }))
      .then((o) => o.QueueUrl!);
    await sqs().send(
      new AddPermissionCommand({
        QueueUrl: url,
        Label: 'other-account',
        AWSAccountIds: ['111111111111'],
        Actions: ['*'],
      }),
    );
    const own = await sqs().send(
      new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: DEFAULT_ACCOUNT }),
    );
    expect(own.QueueUrl).toBe(url);
    const other = sqsClient(h, '111111111111');
    const found = await other.send(
      new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: DEFAULT_ACCOUNT }),
    );
    expect(found.QueueUrl).toBe(url);
    await expect(other.send(new GetQueueUrlCommand({ QueueName: name }))).rejects.toMatchObject(
      QUEUE_DOES_NOT_EXIST,
    );
  });
});

describe('ListQueues', () => {
  it('filters by name prefix and pages with MaxResults and NextToken', async () => {
    const prefix = queueName('listing');
    const names = ['a', 'b', 'c', 'd', 'e'].map((s) => `${prefix}-${s}`);
    for (const name of names) await sqs().send(new CreateQueueCommand({ QueueName: name }));
    await sqs().send(new CreateQueueCommand({ QueueName: `x${prefix}` }));
    const expected = names.map((n) => `${h.url}/${DEFAULT_ACCOUNT}/${n}`);

    const all = await sqs().send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    expect([...(all.QueueUrls ?? [])].sort()).toEqual(expected);
    expect(all.NextToken).toBeUndefined();

    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sqs().send(
        new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken }),
      );
      expect(page.QueueUrls?.length).toBeLessThanOrEqual(2);
      seen.push(...(page.QueueUrls ?? []));
      NextToken = page.NextToken;
      pages += 1;
    } while (NextToken && pages < 10);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(expected);

    const none = await sqs().send(new ListQueuesCommand({ QueueNamePrefix: `${prefix}-zzz` }));
    expect(none.QueueUrls ?? []).toEqual([]);
  });
});

describe('DeleteQueue', () => {
  it('removes the queue and its messages; the name can be created again', async () => {
    const name = queueName('deleted');
    const url = (await sqs().send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'before delete' }));
    await sqs().send(new DeleteQueueCommand({ QueueUrl: url }));
    await expect(sqs().send(new GetQueueUrlCommand({ QueueName: name }))).rejects.toMatchObject(
      QUEUE_DOES_NOT_EXIST,
    );
    await expect(
      sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })),
    ).rejects.toMatchObject(QUEUE_DOES_NOT_EXIST);
    await expect(sqs().send(new DeleteQueueCommand({ QueueUrl: url }))).rejects.toMatchObject(
      QUEUE_DOES_NOT_EXIST,
    );
    // AWS asks for 60 seconds between deleting a name and creating it again
    h.server.advanceClock(61);
    const again = await sqs().send(new CreateQueueCommand({ QueueName: name }));
    expect(again.QueueUrl).toBe(url);
    expect(await receive(sqs(), url)).toEqual([]);
  });
});

describe('PurgeQueue', () => {
  it('deletes visible, in-flight and delayed messages; a second purge within 60 s is PurgeQueueInProgress', async () => {
    const url = await createQueue(sqs(), 'purged');
    for (const body of ['one', 'two', 'three'])
      await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 60 }));
    expect(await receive(sqs(), url)).toHaveLength(1);
    expect(await counts(sqs(), url)).toEqual({ visible: 2, inFlight: 1, delayed: 1 });

    await sqs().send(new PurgeQueueCommand({ QueueUrl: url }));
    expect(await counts(sqs(), url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    h.server.advanceClock(30);
    await expect(sqs().send(new PurgeQueueCommand({ QueueUrl: url }))).rejects.toMatchObject(
      sqsError('AWS.SimpleQueueService.PurgeQueueInProgress', 403, {
        name: 'PurgeQueueInProgress',
        message: `Only one PurgeQueue operation on ${url.slice(url.lastIndexOf('/') + 1)} is allowed every 60 seconds.`,
      }),
    );
    h.server.advanceClock(31);
    expect(await receive(sqs(), url, { MaxNumberOfMessages: 10 })).toEqual([]);
    await sqs().send(new PurgeQueueCommand({ QueueUrl: url }));
  });

  it('of a missing queue fails with QueueDoesNotExist', async () => {
    await expect(
      sqs().send(new PurgeQueueCommand({ QueueUrl: `${h.url}/${DEFAULT_ACCOUNT}/no-such-queue` })),
    ).rejects.toMatchObject(QUEUE_DOES_NOT_EXIST);
  });
});

describe('GetQueueAttributes and SetQueueAttributes', () => {
  it('All returns every attribute with its documented default', async () => {
    const url = await createQueue(sqs(), 'defaults');
    const name = url.slice(url.lastIndexOf('/') + 1);
    const out = await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(out.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      DelaySeconds: '0',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      VisibilityTimeout: '30',
      QueueArn: `arn:aws:sqs:us-east-1:${DEFAULT_ACCOUNT}:${name}`,
    });
    // epoch seconds
    expect(out.Attributes?.CreatedTimestamp).toMatch(/^\d{10}$/);
    expect(out.Attributes?.LastModifiedTimestamp).toMatch(/^\d{10}$/);
    expect(out.Attributes).not.toHaveProperty('FifoQueue');
  });

  it('returns only the attributes named, and none when no name is given', async () => {
    const url = await createQueue(sqs(), 'named');
    const one = await sqs().send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout'] }),
    );
    expect(one.Attributes).toEqual({ VisibilityTimeout: '30' });
    const none = await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url }));
    expect(none.Attributes ?? {}).toEqual({});
  });

  it('an unknown attribute name is InvalidAttributeName', async () => {
    const url = await createQueue(sqs(), 'unknown-attr');
    await expect(
      sqs().send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Colour: 'blue' } as never })),
    ).rejects.toMatchObject(sqsError('InvalidAttributeName', 400, { name: 'InvalidAttributeName' }));
    await expect(
      sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Colour' as never] })),
    ).rejects.toMatchObject(sqsError('InvalidAttributeName', 400, { name: 'InvalidAttributeName' }));
  });

  it('SetQueueAttributes changes values and accepts the ends of each documented range', async () => {
    const url = await createQueue(sqs(), 'ranges');
    const bounds = [
      { DelaySeconds: '0', MaximumMessageSize: '1024', MessageRetentionPeriod: '60' },
      { ReceiveMessageWaitTimeSeconds: '0', VisibilityTimeout: '0' },
      { DelaySeconds: '900', MaximumMessageSize: '1048576', MessageRetentionPeriod: '1209600' },
      { ReceiveMessageWaitTimeSeconds: '20', VisibilityTimeout: '43200' },
    ];
    for (const Attributes of bounds) {
      await sqs().send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes }));
      const out = await sqs().send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: Object.keys(Attributes) as never }),
      );
      expect(out.Attributes).toEqual(Attributes);
    }
  });

  it('rejects values outside the documented ranges with InvalidAttributeValue', async () => {
    const url = await createQueue(sqs(), 'invalid-values');
    const invalid: [string, string][] = [
      ['DelaySeconds', '901'],
      ['DelaySeconds', '-1'],
      ['MaximumMessageSize', '1023'],
      ['MaximumMessageSize', '1048577'],
      ['MessageRetentionPeriod', '59'],
      ['MessageRetentionPeriod', '1209601'],
      ['ReceiveMessageWaitTimeSeconds', '21'],
      ['VisibilityTimeout', '43201'],
      ['VisibilityTimeout', 'soon'],
    ];
    for (const [attribute, value] of invalid) {
      await expect(
        sqs().send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { [attribute]: value } })),
        `${attribute}=${value}`,
      ).rejects.toMatchObject(
        sqsError('InvalidAttributeValue', 400, {
          name: 'InvalidAttributeValue',
          message: expect.stringContaining(attribute),
        }),
      );
    }
    await expect(
      sqs().send(
        new CreateQueueCommand({
          QueueName: queueName('bad-create'),
          Attributes: { VisibilityTimeout: '43201' },
        }),
      ),
    ).rejects.toMatchObject(sqsError('InvalidAttributeValue', 400, { name: 'InvalidAttributeValue' }));
    expect(await queueAttribute(sqs(), url, 'VisibilityTimeout')).toBe('30');
  });

  it('Approximate counters count visible, in-flight and delayed messages', async () => {
    const url = await createQueue(sqs(), 'counted');
    expect(await counts(sqs(), url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a' }));
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'b' }));
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'c', DelaySeconds: 40 }));
    expect(await counts(sqs(), url)).toEqual({ visible: 2, inFlight: 0, delayed: 1 });
    expect(await receive(sqs(), url, { VisibilityTimeout: 20 })).toHaveLength(1);
    expect(await counts(sqs(), url)).toEqual({ visible: 1, inFlight: 1, delayed: 1 });
    h.server.advanceClock(21);
    expect(await counts(sqs(), url)).toEqual({ visible: 2, inFlight: 0, delayed: 1 });
    h.server.advanceClock(20);
    expect(await counts(sqs(), url)).toEqual({ visible: 3, inFlight: 0, delayed: 0 });
  });
});

describe('tags', () => {
  it('are set at creation, added, overwritten, listed and removed', async () => {
    const name = queueName('tagged');
    const url = (await sqs().send(new CreateQueueCommand({ QueueName: name, tags: { team: 'payments' } })))
      .QueueUrl!;
    const listTags = async () => (await sqs().send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags ?? {};
    expect(await listTags()).toEqual({ team: 'payments' });
    await sqs().send(new TagQueueCommand({ QueueUrl: url, Tags: { env: 'dev', team: 'billing' } }));
    expect(await listTags()).toEqual({ team: 'billing', env: 'dev' });
    await sqs().send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['team', 'absent'] }));
    expect(await listTags()).toEqual({ env: 'dev' });
    await sqs().send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['env'] }));
    expect(await listTags()).toEqual({});
  });
});

describe('ListDeadLetterSourceQueues', () => {
  it('lists the queues whose RedrivePolicy targets the dead-letter queue', async () => {
    const dlq = await createQueue(sqs(), 'dlq');
    const dlqArn = await queueAttribute(sqs(), dlq, 'QueueArn');
    const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });
    const sources = [
      await createQueue(sqs(), 'source', { RedrivePolicy }),
      await createQueue(sqs(), 'source', { RedrivePolicy }),
    ];
    await createQueue(sqs(), 'unrelated');
    const all = await sqs().send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
    expect([...all.queueUrls!].sort()).toEqual([...sources].sort());

    const first = await sqs().send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq, MaxResults: 1 }));
    expect(first.queueUrls).toHaveLength(1);
    expect(first.NextToken).toBeTruthy();
    const second = await sqs().send(
      new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq, MaxResults: 1, NextToken: first.NextToken }),
    );
    expect([...first.queueUrls!, ...second.queueUrls!].sort()).toEqual([...sources].sort());

    const none = await sqs().send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: sources[0] }));
    expect(none.queueUrls ?? []).toEqual([]);
  });
});

describe('queue URLs and accounts', () => {
  it('a queue URL works whichever host names the server (localhost or 127.0.0.1)', async () => {
    const viaLocalhost = new SQSClient(h.clientConfig({ endpoint: h.url.replace('127.0.0.1', 'localhost') }));
    const name = queueName('any-host');
    const url = (await sqs().send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const localhostUrl = url.replace('127.0.0.1', 'localhost');
    expect(localhostUrl).not.toBe(url);

    // the URL a client is given names the host it used
    const seen = await viaLocalhost.send(new GetQueueUrlCommand({ QueueName: name }));
    expect(seen.QueueUrl).toBe(localhostUrl);

    await sqs().send(new SendMessageCommand({ QueueUrl: localhostUrl, MessageBody: 'to localhost' }));
    await viaLocalhost.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'to 127.0.0.1' }));
    const bodies = (await receive(viaLocalhost, localhostUrl, { MaxNumberOfMessages: 10 })).map(
      (m) => m.Body,
    );
    expect(bodies.sort()).toEqual(['to 127.0.0.1', 'to localhost']);
  });

  it('two accounts (12-digit access key ids) have separate queues of the same name', async () => {
    const a = sqsClient(h, '111111111111');
    const b = sqsClient(h, '222222222222');
    const name = queueName('per-account');
    const urlA = (await a.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const urlB = (
      await b.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '5' } }))
    ).QueueUrl!;
    expect(urlA).toBe(`${h.url}/111111111111/${name}`);
    expect(urlB).toBe(`${h.url}/222222222222/${name}`);
    expect(await queueAttribute(a, urlA, 'QueueArn')).toBe(`arn:aws:sqs:us-east-1:111111111111:${name}`);
    expect(await queueAttribute(a, urlA, 'VisibilityTimeout')).toBe('30');

    await a.send(new SendMessageCommand({ QueueUrl: urlA, MessageBody: 'for a' }));
    expect(await receive(b, urlB)).toEqual([]);
    expect((await receive(a, urlA)).map((m) => m.Body)).toEqual(['for a']);

    const onlyA = queueName('only-a');
    await a.send(new CreateQueueCommand({ QueueName: onlyA }));
    await expect(b.send(new GetQueueUrlCommand({ QueueName: onlyA }))).rejects.toMatchObject(
      QUEUE_DOES_NOT_EXIST,
    );
    const listed = await b.send(new ListQueuesCommand({ QueueNamePrefix: onlyA }));
    expect(listed.QueueUrls ?? []).toEqual([]);
  });
});
