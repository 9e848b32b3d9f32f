/**
 * Delivery to SQS, received right after Publish returns (no waiting): the JSON envelope
 * exactly as AWS writes it ("Amazon SNS message and JSON formats": Type, MessageId, TopicArn,
 * Subject only when given, Message, Timestamp with milliseconds, SignatureVersion, Signature,
 * SigningCertURL, UnsubscribeURL, MessageAttributes as {Type, Value}), a signature that
 * verifies as AWS documents it, raw message delivery (the message as body, attributes as SQS
 * message attributes: "Amazon SNS raw message delivery"), the UnsubscribeURL, and the
 * subscription's dead-letter queue when its queue is gone. MD5s of raw attributes are the
 * values AWS returned for the same attributes (localstack test_sns.snapshot.json).
 */
import { createHash } from 'node:crypto';
import {
  PublishCommand,
  type PublishCommandInput,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
} from '@aws-sdk/client-sns';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { md5OfMessageAttributes } from '../sqs/message-digest.js';
import {
  createQueue,
  createTopic,
  type Envelope,
  ISO_MILLIS,
  numberAttribute,
  onlyEnvelope,
  parseEnvelope,
  receiveNow,
  stringAttribute,
  subscribeQueue,
  topicWithQueue,
  useSns,
} from './setup.js';
import { type SignedMessage, signatureVerifies, signingCertificate } from './signature.js';

const t = useSns();

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

async function publishAndReceive(
  input: Omit<PublishCommandInput, 'TopicArn'>,
  subscriptionAttributes: Record<string, string> = {},
) {
  const { topicArn, queue, subscriptionArn } = await topicWithQueue(
    t.sns,
    t.sqs,
    'delivery',
    subscriptionAttributes,
  );
  const before = Date.now();
  const out = await t.sns.send(new PublishCommand({ TopicArn: topicArn, ...input }));
  const after = Date.now();
  const messages = await receiveNow(t.sqs, queue.url);
  return { topicArn, queue, subscriptionArn, out, before, after, messages };
}

describe('the envelope', () => {
  it('holds every field in AWS order, with Subject and MessageAttributes when given', async () => {
    const { topicArn, subscriptionArn, out, before, after, messages } = await publishAndReceive({
      Message: 'order 42 placed',
      Subject: 'Order placed',
      MessageAttributes: { event: stringAttribute('order_placed') },
    });
    expect(messages).toHaveLength(1);
    const envelope = parseEnvelope(messages[0].Body);
    expect(Object.keys(envelope)).toEqual([
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
      'UnsubscribeURL',
      'MessageAttributes',
    ]);
    expect(envelope).toMatchObject({
      Type: 'Notification',
      MessageId: out.MessageId,
      TopicArn: topicArn,
      Subject: 'Order placed',
      Message: 'order 42 placed',
      SignatureVersion: '1',
      UnsubscribeURL: `${t.h.url}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
      MessageAttributes: { event: { Type: 'String', Value: 'order_placed' } },
    });
    expect(envelope.Timestamp).toMatch(ISO_MILLIS);
    const published = Date.parse(envelope.Timestamp);
    expect(published).toBeGreaterThanOrEqual(before - 1);
    expect(published).toBeLessThanOrEqual(after + 1);
    expect(envelope.Signature).toMatch(BASE64);
    expect(envelope.SigningCertURL?.startsWith(`${t.h.url}/`)).toBe(true);
  });

  it('leaves out Subject and MessageAttributes when not given', async () => {
    const { messages } = await publishAndReceive({ Message: 'plain' });
    expect(Object.keys(parseEnvelope(messages[0].Body))).toEqual([
      'Type',
      'MessageId',
      'TopicArn',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
      'UnsubscribeURL',
    ]);
  });

  it('writes each attribute type as {Type, Value}, Binary in Base64', async () => {
    const { messages } = await publishAndReceive({
      Message: 'typed',
      MessageAttributes: {
        s: stringAttribute('text'),
        n: numberAttribute('99.12'),
        b: { DataType: 'Binary', BinaryValue: new Uint8Array([2, 3, 4]) },
        a: { DataType: 'String.Array', StringValue: '["red", 2, true]' },
      },
    });
    expect(parseEnvelope(messages[0].Body).MessageAttributes).toEqual({
      s: { Type: 'String', Value: 'text' },
      n: { Type: 'Number', Value: '99.12' },
      b: { Type: 'Binary', Value: 'AgME' },
      a: { Type: 'String.Array', Value: '["red", 2, true]' },
    });
  });

  it('carries the message unchanged, whatever its characters', async () => {
    const message = 'ö§a1"_!?,. £$-\n\ttabbed\r\n{"json": [1, 2]} <xml attr="v">&amp;</xml> 日本語 🚀';
    // "Subjects must be UTF-8 text with no line breaks or control characters" (Publish API reference)
    const { messages } = await publishAndReceive({ Message: message, Subject: 'Ünïcödé subject: 日本' });
    const envelope = parseEnvelope(messages[0].Body);
    expect(envelope.Message).toBe(message);
    expect(envelope.Subject).toBe('Ünïcödé subject: 日本');
    expect(await signatureVerifies(envelope as unknown as SignedMessage)).toBe(true);
  });

  it('is in the queue when Publish returns, for every subscribed queue', async () => {
    const topicArn = await createTopic(t.sns, 'immediate');
    const queues = [];
    for (const label of ['a', 'b', 'c']) {
      const queue = await createQueue(t.sqs, `immediate-${label}`);
      await subscribeQueue(t.sns, topicArn, queue.arn);
      queues.push(queue);
    }
    for (let i = 0; i < 5; i++) {
      await t.sns.send(new PublishCommand({ TopicArn: topicArn, Message: `now ${i}` }));
      for (const queue of queues) {
        expect((await onlyEnvelope(t.sqs, queue.url)).Message).toBe(`now ${i}`);
      }
    }
  });
});

describe('the signature', () => {
  it('verifies with SHA1withRSA against the certificate at SigningCertURL (SignatureVersion 1)', async () => {
    const { messages } = await publishAndReceive({ Message: 'signed', Subject: 'With subject' });
    const envelope = parseEnvelope(messages[0].Body);
    expect(envelope.SignatureVersion).toBe('1');
    expect(await signatureVerifies(envelope as unknown as SignedMessage)).toBe(true);

    const without = parseEnvelope((await publishAndReceive({ Message: 'no subject' })).messages[0].Body);
    expect(await signatureVerifies(without as unknown as SignedMessage)).toBe(true);
  });

  it('fails to verify once any signed field is altered', async () => {
    const { messages } = await publishAndReceive({ Message: 'tamper me', Subject: 'Original' });
    const envelope = parseEnvelope(messages[0].Body) as unknown as SignedMessage;
    for (const [field, value] of [
      ['Message', 'tampered'],
      ['Subject', 'Altered'],
      ['MessageId', '00000000-0000-0000-0000-000000000000'],
      ['Timestamp', '2001-01-01T00:00:00.000Z'],
      ['TopicArn', 'arn:aws:sns:us-east-1:000000000000:other'],
      ['Type', 'SubscriptionConfirmation'],
    ]) {
      expect(await signatureVerifies({ ...envelope, [field]: value }), field).toBe(false);
    }
  });

  it('serves a PEM X.509 certificate whose validity covers now', async () => {
    const { messages } = await publishAndReceive({ Message: 'cert' });
    const cert = await signingCertificate(parseEnvelope(messages[0].Body).SigningCertURL as string);
    expect(Date.parse(cert.validFrom)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(cert.validTo)).toBeGreaterThan(Date.now());
    expect(cert.publicKey.asymmetricKeyType).toBe('rsa');
  });

  it('uses SHA256withRSA when the topic sets SignatureVersion 2', async () => {
    const { topicArn, queue } = await topicWithQueue(t.sns, t.sqs, 'sig-v2');
    await t.sns.send(
      new SetTopicAttributesCommand({
        TopicArn: topicArn,
        AttributeName: 'SignatureVersion',
        AttributeValue: '2',
      }),
    );
    await t.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'signed with sha256' }));
    const envelope = await onlyEnvelope(t.sqs, queue.url);
    expect(envelope.SignatureVersion).toBe('2');
    expect(await signatureVerifies(envelope as unknown as SignedMessage)).toBe(true);
  });
});

describe('raw message delivery', () => {
  it('puts the message itself in the body and the attributes in SQS message attributes', async () => {
    const { messages } = await publishAndReceive(
      {
        Message: 'Test msg',
        Subject: 'not delivered raw',
        MessageAttributes: { attr1: numberAttribute('99.12') },
      },
      { RawMessageDelivery: 'true' },
    );
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message.Body).toBe('Test msg');
    expect(message.MD5OfBody).toBe(md5('Test msg'));
    expect(message.MessageAttributes).toEqual({ attr1: { DataType: 'Number', StringValue: '99.12' } });
    // the digest AWS returned for this very attribute
    expect(message.MD5OfMessageAttributes).toBe('d302007e9aa062660afc85fd0a482472');
  });

  it('keeps every attribute type, Binary as bytes', async () => {
    const { messages } = await publishAndReceive(
      {
        Message: 'text',
        MessageAttributes: {
          'an-attribute-key': stringAttribute('an-attribute-value'),
          'binary-attribute': { DataType: 'Binary', BinaryValue: new Uint8Array([2, 3, 4]) },
          list: { DataType: 'String.Array', StringValue: '["a","b"]' },
        },
      },
      { RawMessageDelivery: 'true' },
    );
    const attributes = messages[0].MessageAttributes ?? {};
    expect(attributes['an-attribute-key']).toEqual({ DataType: 'String', StringValue: 'an-attribute-value' });
    expect(attributes['binary-attribute']?.DataType).toBe('Binary');
    expect([...(attributes['binary-attribute']?.BinaryValue ?? [])]).toEqual([2, 3, 4]);
    expect(attributes.list).toEqual({ DataType: 'String.Array', StringValue: '["a","b"]' });
    expect(messages[0].MD5OfMessageAttributes).toBe(md5OfMessageAttributes(attributes));
  });

  it('delivers the `sqs` entry of a json message structure as the body', async () => {
    const { messages } = await publishAndReceive(
      {
        Message: JSON.stringify({ default: 'for everyone', sqs: '{"for":"sqs"}' }),
        MessageStructure: 'json',
      },
      { RawMessageDelivery: 'true' },
    );
    expect(messages.map((m) => m.Body)).toEqual(['{"for":"sqs"}']);
  });

  it('can be switched on and off on a live subscription', async () => {
    const { topicArn, queue, subscriptionArn } = await topicWithQueue(t.sns, t.sqs, 'toggle');
    const setRaw = (value: string) =>
      t.sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn: subscriptionArn,
          AttributeName: 'RawMessageDelivery',
          AttributeValue: value,
        }),
      );
    await setRaw('true');
    await t.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'raw one' }));
    expect((await receiveNow(t.sqs, queue.url)).map((m) => m.Body)).toEqual(['raw one']);
    await setRaw('false');
    await t.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'wrapped one' }));
    expect((await onlyEnvelope(t.sqs, queue.url)).Message).toBe('wrapped one');
  });
});

describe('UnsubscribeURL', () => {
  it('unsubscribes the endpoint when fetched', async () => {
    const { topicArn, queue } = await topicWithQueue(t.sns, t.sqs, 'unsubscribe-url');
    await t.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'last one' }));
    const envelope: Envelope = await onlyEnvelope(t.sqs, queue.url);
    const res = await fetch(envelope.UnsubscribeURL as string);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('UnsubscribeResponse');
    await t.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'never delivered' }));
    expect(await receiveNow(t.sqs, queue.url)).toEqual([]);
  });
});

describe("the subscription's dead-letter queue", () => {
  async function orphanedSubscription(subscriptionAttributes: Record<string, string>) {
    const topicArn = await createTopic(t.sns, 'orphan');
    const queue = await createQueue(t.sqs, 'orphan-queue');
    const dlq = await createQueue(t.sqs, 'orphan-dlq');
    await subscribeQueue(t.sns, topicArn, queue.arn, {
      ...subscriptionAttributes,
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
    });
    await t.sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }));
    return { topicArn, dlq };
  }

  it('receives the envelope of each message whose queue no longer exists', async () => {
    const { topicArn, dlq } = await orphanedSubscription({});
    const out = await t.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'test_dlq_after_sqs_endpoint_deleted',
        MessageAttributes: { attr1: numberAttribute(111) },
      }),
    );
    const envelope = await onlyEnvelope(t.sqs, dlq.url);
    expect(envelope).toMatchObject({
      Type: 'Notification',
      MessageId: out.MessageId,
      TopicArn: topicArn,
      Message: 'test_dlq_after_sqs_endpoint_deleted',
      MessageAttributes: { attr1: { Type: 'Number', Value: '111' } },
    });
    expect(await signatureVerifies(envelope as unknown as SignedMessage)).toBe(true);
  });

  it('receives the raw message and its attributes for a raw subscription', async () => {
    const { topicArn, dlq } = await orphanedSubscription({ RawMessageDelivery: 'true' });
    await t.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'raw to the dlq',
        MessageAttributes: { attr1: numberAttribute(111) },
      }),
    );
    const messages = await receiveNow(t.sqs, dlq.url);
    expect(messages.map((m) => m.Body)).toEqual(['raw to the dlq']);
    expect(messages[0].MessageAttributes).toEqual({ attr1: { DataType: 'Number', StringValue: '111' } });
  });

  it('is not needed for Publish to succeed when the queue is gone', async () => {
    const topicArn = await createTopic(t.sns, 'no-dlq');
    const queue = await createQueue(t.sqs, 'no-dlq-queue');
    await subscribeQueue(t.sns, topicArn, queue.arn);
    await t.sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }));
    const out = await t.sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'into the void' }));
    expect(out.$metadata.httpStatusCode).toBe(200);
  });
});
