/**
 * The service's own checks of what it records instead of sending (GET /_localaws/sns/messages)
 * and of the certificate it serves: email confirmations carry their SubscribeURL, SMS from
 * a topic is prefixed with its DisplayName, a Lambda subscriber's event is signed, the
 * listing filters by topic, endpoint and phone number, and a topic of one account takes
 * publishes and subscriptions from another.
 */
import { createVerify, X509Certificate } from 'node:crypto';
import {
  CreateTopicCommand,
  PublishCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { useLocalAws } from '../harness.js';

const h = useLocalAws();
const sns = (accessKeyId = 'test') =>
  new SNSClient(h.clientConfig({ credentials: { accessKeyId, secretAccessKey: 'test' } }));

interface Recorded {
  protocol: string;
  endpoint: string;
  topicArn: string | null;
  type: string;
  messageId: string;
  subject: string | null;
  message: string;
  body: string;
  subscribeUrl?: string;
  token?: string;
  phoneNumber?: string;
  messageAttributes: Record<string, { Type: string; Value: string }>;
}

async function recorded(query: Record<string, string>): Promise<Recorded[]> {
  const response = await fetch(`${h.url}/_localaws/sns/messages?${new URLSearchParams(query)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { messages: Recorded[] }).messages;
}

let named = 0;
async function topic(label: string, client = sns()): Promise<string> {
  named += 1;
  return (await client.send(new CreateTopicCommand({ Name: `svc-sinks-${label}-${named}` })))
    .TopicArn as string;
}

describe('recorded deliveries', () => {
  it('record an email confirmation with its SubscribeURL, which confirms, then each notification', async () => {
    const topicArn = await topic('email');
    const endpoint = `svc-${named}@example.com`;
    await sns().send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: endpoint }));
    const [confirmation] = await recorded({ endpoint });
    expect(confirmation).toMatchObject({ protocol: 'email', type: 'SubscriptionConfirmation', topicArn });
    expect(confirmation?.body).toContain(confirmation?.subscribeUrl);
    expect(new URL(confirmation?.subscribeUrl ?? '').searchParams.get('Token')).toBe(confirmation?.token);
    expect((await fetch(confirmation?.subscribeUrl ?? '')).status).toBe(200);
    const { MessageId } = await sns().send(
      new PublishCommand({ TopicArn: topicArn, Message: 'hello inbox', Subject: 'Greetings' }),
    );
    const messages = await recorded({ endpoint });
    expect(messages[1]).toMatchObject({
      type: 'Notification',
      messageId: MessageId,
      subject: 'Greetings',
      message: 'hello inbox',
      body: 'hello inbox',
    });
  });

  it('prefix SMS from a topic with its DisplayName, and filter by phone number', async () => {
    const topicArn = await topic('sms');
    await sns().send(
      new SetTopicAttributesCommand({
        TopicArn: topicArn,
        AttributeName: 'DisplayName',
        AttributeValue: 'Shop',
      }),
    );
    await sns().send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sms', Endpoint: '+15550001111' }));
    await sns().send(new PublishCommand({ TopicArn: topicArn, Message: 'your order shipped' }));
    await sns().send(new PublishCommand({ PhoneNumber: '+15550002222', Message: 'direct' }));
    const [fromTopic] = await recorded({ phoneNumber: '+15550001111' });
    expect(fromTopic).toMatchObject({
      phoneNumber: '+15550001111',
      message: 'your order shipped',
      body: 'Shop> your order shipped',
    });
    const direct = await recorded({ phoneNumber: '+15550002222' });
    expect(direct.map((m) => [m.topicArn, m.body])).toEqual([[null, 'direct']]);
    expect((await recorded({ topicArn })).map((m) => m.endpoint)).toEqual(['+15550001111']);
  });

  it('record the signed event a Lambda subscriber would be invoked with', async () => {
    const topicArn = await topic('lambda');
    const functionArn = `arn:aws:lambda:us-east-1:000000000000:function:svc-${named}`;
    await sns().send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'lambda', Endpoint: functionArn }));
    await sns().send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'invoke me',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } },
      }),
    );
    const [invocation] = await recorded({ endpoint: functionArn });
    const record = JSON.parse(invocation?.body ?? '{}').Records[0];
    expect(record).toMatchObject({ EventSource: 'aws:sns', EventVersion: '1.0' });
    const event = record.Sns;
    expect(event).toMatchObject({
      Type: 'Notification',
      TopicArn: topicArn,
      Subject: null,
      Message: 'invoke me',
      MessageAttributes: { kind: { Type: 'String', Value: 'order' } },
    });
    const pem = await (await fetch(event.SigningCertUrl)).text();
    const canonical = ['Message', 'MessageId', 'Timestamp', 'TopicArn', 'Type']
      .map((name) => `${name}\n${event[name]}\n`)
      .join('');
    const key = new X509Certificate(pem).publicKey;
    expect(createVerify('RSA-SHA1').update(canonical).verify(key, event.Signature, 'base64')).toBe(true);
  });

  it('serve the signing certificate as PEM', async () => {
    const response = await fetch(`${h.url}/_localaws/sns/SimpleNotificationService.pem`);
    expect(response.headers.get('content-type')).toBe('application/x-pem-file');
    const pem = await response.text();
    expect(pem.startsWith('-----BEGIN CERTIFICATE-----\n')).toBe(true);
    expect(new X509Certificate(pem).subject).toContain('sns.amazonaws.com');
  });
});

describe('another account', () => {
  it('publishes to a topic it does not own and subscribes its own queue to it', async () => {
    const owner = await topic('shared');
    const other = sns('111111111111');
    const sqs = new SQSClient(
      h.clientConfig({ credentials: { accessKeyId: '111111111111', secretAccessKey: 'x' } }),
    );
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `svc-other-${named}` }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    const { SubscriptionArn } = await other.send(
      new SubscribeCommand({ TopicArn: owner, Protocol: 'sqs', Endpoint: Attributes?.QueueArn }),
    );
    expect(SubscriptionArn?.startsWith(`${owner}:`)).toBe(true);
    await other.send(new PublishCommand({ TopicArn: owner, Message: 'from afar' }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(JSON.parse(Messages?.[0]?.Body ?? '{}')).toMatchObject({ TopicArn: owner, Message: 'from afar' });
  });
});
