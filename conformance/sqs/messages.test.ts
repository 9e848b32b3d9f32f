/**
 * Sending over AWS JSON 1.0: bodies and their character rules, sizes, delays, message and
 * system attributes with the digests AWS documents, and SendMessageBatch. The SDK checks
 * MD5OfMessageBody itself; the attribute digests are checked here against AWS's algorithm
 * and against published vectors.
 */
import {
  type MessageAttributeValue,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { useLocalAws } from '../harness.js';
import { md5Hex, md5OfMessageAttributes } from './message-digest.js';
import { counts, createQueue, receive, sqsClient, sqsError } from './queues.js';

const h = useLocalAws();
const sqs = () => sqsClient(h);
const utf8 = (text: string) => new TextEncoder().encode(text);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('SendMessage', () => {
  it('returns a MessageId and the MD5 of the body, and the body comes back unchanged', async () => {
    const url = await createQueue(sqs(), 'bodies');
    const body = '{"order": 42, "note": "<a & b> \'quoted\' \\"double\\""}\n\tüñíçødé 日本語 🚀\r\n';
    const sent = await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    expect(sent.MessageId).toMatch(UUID);
    expect(sent.MD5OfMessageBody).toBe(md5Hex(body));
    expect(sent.MD5OfMessageAttributes).toBeUndefined();
    const [message] = await receive(sqs(), url);
    expect(message).toMatchObject({ MessageId: sent.MessageId, Body: body, MD5OfBody: md5Hex(body) });
    expect(message.ReceiptHandle).toBeTruthy();
  });

  it('accepts every character class AWS allows, at the edges of each range', async () => {
    const url = await createQueue(sqs(), 'edges');
    const body = '\t\n\r \u{D7FF}\u{E000}\u{FFFD}\u{10000}\u{10FFFF}';
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    const [message] = await receive(sqs(), url);
    expect(message.Body).toBe(body);
  });

  it('rejects characters outside #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF with InvalidMessageContents', async () => {
    const url = await createQueue(sqs(), 'bad-chars');
    for (const body of ['nul\u0000', 'bell\u0007', 'escape\u001B', '\u{FFFE}', 'x\u{FFFF}']) {
      await expect(
        sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: body })),
        JSON.stringify(body),
      ).rejects.toMatchObject(sqsError('InvalidMessageContents', 400, { name: 'InvalidMessageContents' }));
    }
    expect(await counts(sqs(), url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('rejects an empty body', async () => {
    const url = await createQueue(sqs(), 'empty');
    await expect(
      sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: '' })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('counts bytes, attributes included, against the queue MaximumMessageSize', async () => {
    const url = await createQueue(sqs(), 'small', { MaximumMessageSize: '1024' });
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(1024) }));
    await expect(
      sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(1025) })),
    ).rejects.toMatchObject(
      sqsError('InvalidParameterValue', 400, {
        message: 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
      }),
    );
    const tooLong = [
      // 512 characters, 1536 UTF-8 bytes
      { MessageBody: '€'.repeat(512) },
      {
        MessageBody: 'x'.repeat(1000),
        MessageAttributes: { note: { DataType: 'String', StringValue: 'y'.repeat(30) } },
      },
    ];
    for (const input of tooLong) {
      await expect(sqs().send(new SendMessageCommand({ QueueUrl: url, ...input }))).rejects.toMatchObject(
        sqsError('InvalidParameterValue', 400),
      );
    }
    expect((await counts(sqs(), url)).visible).toBe(1);
  });

  it('on a missing queue fails with QueueDoesNotExist', async () => {
    const url = await createQueue(sqs(), 'exists');
    await expect(
      sqs().send(new SendMessageCommand({ QueueUrl: `${url}-not`, MessageBody: 'x' })),
    ).rejects.toMatchObject(
      sqsError('AWS.SimpleQueueService.NonExistentQueue', 400, { name: 'QueueDoesNotExist' }),
    );
  });
});

describe('delays', () => {
  it('a message DelaySeconds hides it, counted as delayed, until the delay has passed', async () => {
    const url = await createQueue(sqs(), 'delayed');
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 10 }));
    expect(await receive(sqs(), url)).toEqual([]);
    expect(await counts(sqs(), url)).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
    h.server.advanceClock(9);
    expect(await receive(sqs(), url)).toEqual([]);
    h.server.advanceClock(2);
    expect((await receive(sqs(), url)).map((m) => m.Body)).toEqual(['later']);
  });

  it('the queue DelaySeconds applies when a message sets none; a message DelaySeconds 0 overrides it', async () => {
    const url = await createQueue(sqs(), 'delay-queue', { DelaySeconds: '20' });
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'queue delay' }));
    await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'no delay', DelaySeconds: 0 }));
    expect((await receive(sqs(), url, { MaxNumberOfMessages: 10 })).map((m) => m.Body)).toEqual(['no delay']);
    expect(await counts(sqs(), url)).toMatchObject({ delayed: 1 });
    h.server.advanceClock(21);
    expect((await receive(sqs(), url, { MaxNumberOfMessages: 10 })).map((m) => m.Body)).toEqual([
      'queue delay',
    ]);
  });

  it('a DelaySeconds above 900 is InvalidParameterValue', async () => {
    const url = await createQueue(sqs(), 'too-late');
    await expect(
      sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 })),
    ).rejects.toMatchObject(sqsError('InvalidParameterValue', 400));
  });
});

describe('message attributes', () => {
  // the vectors published with AWS's algorithm (npm aws-md5-of-message-attributes)
  const vectors: [Record<string, MessageAttributeValue>, string][] = [
    [
      { attribName1: { DataType: 'String', StringValue: 'attribValue 1' } },
      '19e27d4e946b072f3f58da80d94fd778',
    ],
    [
      {
        customNumberTypeAttrib: {
          DataType: 'Number.float',
          StringValue: '4563442423554324324264524243.32543234',
        },
      },
      '9fe1b90bbd9965bdf77bac517c7d2495',
    ],
    [
      { binaryAttribute: { DataType: 'Binary', BinaryValue: utf8('Hello binary world!') } },
      '31a92b15d92f8db860eda32aceb656c3',
    ],
  ];

  it('the digest used here reproduces the published vectors', () => {
    for (const [attributes, md5] of vectors) expect(md5OfMessageAttributes(attributes)).toBe(md5);
  });

  it('String, Number, Binary and custom types round-trip with the documented MD5OfMessageAttributes', async () => {
    const url = await createQueue(sqs(), 'attributes');
    for (const [MessageAttributes, md5] of vectors) {
      const sent = await sqs().send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: 'm', MessageAttributes }),
      );
      expect(sent.MD5OfMessageAttributes).toBe(md5);
    }
    const all = Object.assign({}, ...vectors.map(([a]) => a), {
      'color.custom': { DataType: 'String.colour', StringValue: 'blue' },
      price: { DataType: 'Number', StringValue: '-12.50' },
      blob: { DataType: 'Binary.gzip', BinaryValue: new Uint8Array([0, 255, 1, 254]) },
    }) as Record<string, MessageAttributeValue>;
    const sent = await sqs().send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'all', MessageAttributes: all }),
    );
    expect(sent.MD5OfMessageAttributes).toBe(md5OfMessageAttributes(all));

    const received = await receive(sqs(), url, { MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] });
    const last = received.find((m) => m.Body === 'all');
    expect(last?.MD5OfMessageAttributes).toBe(md5OfMessageAttributes(all));
    expect(Object.keys(last?.MessageAttributes ?? {}).sort()).toEqual(Object.keys(all).sort());
    for (const [name, value] of Object.entries(all)) {
      const got = last?.MessageAttributes?.[name];
      expect(got?.DataType, name).toBe(value.DataType);
      if (value.BinaryValue)
        expect(Buffer.from(got?.BinaryValue ?? [])).toEqual(Buffer.from(value.BinaryValue));
      else expect(got?.StringValue, name).toBe(value.StringValue);
    }
  });

  it('invalid attributes are InvalidParameterValue', async () => {
    const url = await createQueue(sqs(), 'bad-attributes');
    const eleven = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]),
    );
    const invalid: Record<string, MessageAttributeValue>[] = [
      { 'AWS.reserved': { DataType: 'String', StringValue: 'v' } },
      { 'amazon.reserved': { DataType: 'String', StringValue: 'v' } },
      { '.leading': { DataType: 'String', StringValue: 'v' } },
      { 'double..dot': { DataType: 'String', StringValue: 'v' } },
      { 'bad name': { DataType: 'String', StringValue: 'v' } },
      { kind: { DataType: 'Integer', StringValue: '1' } },
      { count: { DataType: 'Number', StringValue: 'many' } },
      { text: { DataType: 'String', StringValue: '' } },
      { text: { DataType: 'String' } },
      eleven,
    ];
    for (const MessageAttributes of invalid) {
      await expect(
        sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes })),
        Object.keys(MessageAttributes)[0],
      ).rejects.toMatchObject(sqsError('InvalidParameterValue', 400));
    }
    expect((await counts(sqs(), url)).visible).toBe(0);
  });

  it('the AWSTraceHeader system attribute is returned on receive and digested into MD5OfMessageSystemAttributes', async () => {
    const url = await createQueue(sqs(), 'traced');
    const trace = {
      DataType: 'String',
      StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    };
    const sent = await sqs().send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'traced',
        MessageSystemAttributes: { AWSTraceHeader: trace },
      }),
    );
    expect(sent.MD5OfMessageSystemAttributes).toBe(md5OfMessageAttributes({ AWSTraceHeader: trace }));
    expect(sent.MD5OfMessageAttributes).toBeUndefined();
    const [message] = await receive(sqs(), url, {
      MessageSystemAttributeNames: ['AWSTraceHeader'],
      MessageAttributeNames: ['All'],
    });
    expect(message.Attributes).toEqual({ AWSTraceHeader: trace.StringValue });
    expect(message.MessageAttributes).toBeUndefined();
  });
});

describe('SendMessageBatch', () => {
  const entries = (n: number, body = (i: number) => `message ${i}`): SendMessageBatchRequestEntry[] =>
    Array.from({ length: n }, (_, i) => ({ Id: `m${i}`, MessageBody: body(i) }));

  it('sends 10 entries and reports each by Id with its MessageId and MD5', async () => {
    const url = await createQueue(sqs(), 'batch');
    const out = await sqs().send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(10) }));
    expect(out.Failed ?? []).toEqual([]);
    expect(out.Successful?.map((e) => e.Id).sort()).toEqual(
      entries(10)
        .map((e) => e.Id)
        .sort(),
    );
    for (const entry of out.Successful ?? []) {
      expect(entry.MessageId).toMatch(UUID);
      expect(entry.MD5OfMessageBody).toBe(md5Hex(`message ${entry.Id?.slice(1)}`));
    }
    expect(new Set(out.Successful?.map((e) => e.MessageId)).size).toBe(10);
    const bodies = (await receive(sqs(), url, { MaxNumberOfMessages: 10, VisibilityTimeout: 60 })).map(
      (m) => m.Body,
    );
    const more = (await receive(sqs(), url, { MaxNumberOfMessages: 10 })).map((m) => m.Body);
    expect([...bodies, ...more].sort()).toEqual(
      entries(10)
        .map((e) => e.MessageBody)
        .sort(),
    );
  });

  it('carries per-entry delays and attributes', async () => {
    const url = await createQueue(sqs(), 'batch-options');
    const MessageAttributes = { kind: { DataType: 'String', StringValue: 'batched' } };
    const out = await sqs().send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'now', MessageBody: 'now', MessageAttributes },
          { Id: 'later', MessageBody: 'later', DelaySeconds: 30 },
        ],
      }),
    );
    expect(out.Successful?.find((e) => e.Id === 'now')?.MD5OfMessageAttributes).toBe(
      md5OfMessageAttributes(MessageAttributes),
    );
    const [now] = await receive(sqs(), url, { MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] });
    expect(now.Body).toBe('now');
    expect(now.MessageAttributes).toEqual(MessageAttributes);
    expect(await counts(sqs(), url)).toMatchObject({ delayed: 1 });
  });

  it('rejects 11 entries, no entries, repeated Ids and malformed Ids as a whole, sending nothing', async () => {
    const url = await createQueue(sqs(), 'batch-invalid');
    await expect(
      sqs().send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(11) })),
    ).rejects.toMatchObject({
      message: 'Maximum number of entries per request are 10. You have sent 11.',
    });
    await expect(
      sqs().send(
        new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'bad:id', MessageBody: 'a' }] }),
      ),
    ).rejects.toMatchObject({
      message:
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
    });
    const cases: [SendMessageBatchRequestEntry[], string, string][] = [
      [entries(11), 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 'TooManyEntriesInBatchRequest'],
      [[{ Id: '', MessageBody: 'a' }], 'AWS.SimpleQueueService.InvalidBatchEntryId', 'InvalidBatchEntryId'],
      [[], 'AWS.SimpleQueueService.EmptyBatchRequest', 'EmptyBatchRequest'],
      [
        [
          { Id: 'same', MessageBody: 'a' },
          { Id: 'same', MessageBody: 'b' },
        ],
        'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
        'BatchEntryIdsNotDistinct',
      ],
      [
        [{ Id: 'not valid!', MessageBody: 'a' }],
        'AWS.SimpleQueueService.InvalidBatchEntryId',
        'InvalidBatchEntryId',
      ],
      [
        [{ Id: 'x'.repeat(81), MessageBody: 'a' }],
        'AWS.SimpleQueueService.InvalidBatchEntryId',
        'InvalidBatchEntryId',
      ],
    ];
    for (const [Entries, code, name] of cases) {
      await expect(
        sqs().send(new SendMessageBatchCommand({ QueueUrl: url, Entries })),
        name,
      ).rejects.toMatchObject(sqsError(code, 400, { name }));
    }
    expect(await counts(sqs(), url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('reports invalid entries in Failed and sends the valid ones', async () => {
    const url = await createQueue(sqs(), 'batch-partial');
    const out = await sqs().send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'good', MessageBody: 'fine' },
          { Id: 'bad-body', MessageBody: 'nul\u0000' },
          { Id: 'bad-delay', MessageBody: 'late', DelaySeconds: 901 },
          { Id: 'also-good', MessageBody: 'also fine' },
        ],
      }),
    );
    expect(out.Successful?.map((e) => e.Id).sort()).toEqual(['also-good', 'good']);
    const failed = [...(out.Failed ?? [])].sort((a, b) => (a.Id ?? '').localeCompare(b.Id ?? ''));
    expect(failed).toEqual([
      expect.objectContaining({ Id: 'bad-body', SenderFault: true, Code: expect.any(String) }),
      expect.objectContaining({ Id: 'bad-delay', SenderFault: true, Code: 'InvalidParameterValue' }),
    ]);
    const bodies = (await receive(sqs(), url, { MaxNumberOfMessages: 10 })).map((m) => m.Body);
    expect(bodies.sort()).toEqual(['also fine', 'fine']);
  });

  it('fails with BatchRequestTooLong when the entries together exceed 1 MiB', async () => {
    const url = await createQueue(sqs(), 'batch-size');
    const fits = await sqs().send(
      new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(10, () => 'x'.repeat(20_000)) }),
    );
    expect(fits.Successful).toHaveLength(10);
    await expect(
      sqs().send(
        new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(10, () => 'y'.repeat(110_000)) }),
      ),
    ).rejects.toMatchObject(
      sqsError('AWS.SimpleQueueService.BatchRequestTooLong', 400, {
        name: 'BatchRequestTooLong',
        message: expect.stringMatching(
          /^Batch requests cannot be longer than \d+ bytes\. You have sent \d+ bytes\.$/,
        ),
      }),
    );
    expect((await counts(sqs(), url)).visible).toBe(10);
  });
});
