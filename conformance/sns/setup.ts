/**
 * Shared setup for the SNS conformance suites: one server per test file, real SNS and SQS SDK
 * v3 clients against it (per account), uniquely named topics and queues, SQS subscriptions,
 * the JSON envelope SNS writes into SQS, and the shape of an SNS error as the SDK surfaces
 * it. Expected values come from AWS's documentation and from responses recorded against AWS
 * (cited where a test relies on one).
 */
import {
  CreateTopicCommand,
  type MessageAttributeValue,
  SNSClient,
  SubscribeCommand,
  type SubscribeCommandInput,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  type QueueAttributeName,
  ReceiveMessageCommand,
  type ReceiveMessageCommandInput,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Config } from '../../src/index.js';
import { type Harness, useLocalAws } from '../harness.js';

export const DEFAULT_ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The envelope's Timestamp: GMT with milliseconds, e.g. 2012-06-05T04:37:04.321Z. */
export const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export interface SnsHarness {
  h: Harness;
  /** built on first use, once beforeAll has started the server */
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
}

export function useSns(options: Partial<Config> = {}): SnsHarness {
  const h = useLocalAws(options);
  let clients: { sns: SNSClient; sqs: SQSClient } | undefined;
  return {
    h,
    get sns() {
      clients ??= clientsFor(h);
      return clients.sns;
    },
    get sqs() {
      clients ??= clientsFor(h);
      return clients.sqs;
    },
  };
}

/** SNS and SQS clients; a 12-digit access key id acts in that account. */
export function clientsFor(h: Harness, accessKeyId = 'test'): { sns: SNSClient; sqs: SQSClient } {
  const config = h.clientConfig({ credentials: { accessKeyId, secretAccessKey: 'test' } });
  return { sns: new SNSClient(config), sqs: new SQSClient(config) };
}

let created = 0;

/** A name no other test of the file uses; FIFO names carry the `.fifo` suffix. */
export function uniqueName(label: string, fifo = false): string {
  created += 1;
  return `${label}-${created}${fifo ? '.fifo' : ''}`;
}

export async function createTopic(
  sns: SNSClient,
  label: string,
  attributes: Record<string, string> = {},
): Promise<string> {
  const fifo = attributes.FifoTopic === 'true';
  const out = await sns.send(
    new CreateTopicCommand({ Name: uniqueName(label, fifo), Attributes: attributes }),
  );
  if (!out.TopicArn) throw new Error('CreateTopic returned no TopicArn');
  return out.TopicArn;
}

export interface TestQueue {
  url: string;
  arn: string;
}

export async function createQueue(
  sqs: SQSClient,
  label: string,
  attributes: Partial<Record<QueueAttributeName, string>> = {},
): Promise<TestQueue> {
  const fifo = attributes.FifoQueue === 'true';
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: uniqueName(label, fifo), Attributes: attributes }),
  );
  if (!QueueUrl) throw new Error('CreateQueue returned no QueueUrl');
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const arn = out.Attributes?.QueueArn;
  if (!arn) throw new Error('GetQueueAttributes returned no QueueArn');
  return { url: QueueUrl, arn };
}

/** Subscribes a queue and returns the subscription ARN (SQS subscriptions need no confirmation). */
export async function subscribeQueue(
  sns: SNSClient,
  topicArn: string,
  queueArn: string,
  attributes: Record<string, string> = {},
): Promise<string> {
  return subscribe(sns, { TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: attributes });
}

export async function subscribe(sns: SNSClient, input: SubscribeCommandInput): Promise<string> {
  const out = await sns.send(new SubscribeCommand({ ReturnSubscriptionArn: true, ...input }));
  if (!out.SubscriptionArn) throw new Error('Subscribe returned no SubscriptionArn');
  return out.SubscriptionArn;
}

/** A topic with one fresh queue subscribed to it. */
export async function topicWithQueue(
  sns: SNSClient,
  sqs: SQSClient,
  label: string,
  subscriptionAttributes: Record<string, string> = {},
): Promise<{ topicArn: string; queue: TestQueue; subscriptionArn: string }> {
  const topicArn = await createTopic(sns, `${label}-topic`);
  const queue = await createQueue(sqs, `${label}-queue`);
  const subscriptionArn = await subscribeQueue(sns, topicArn, queue.arn, subscriptionAttributes);
  return { topicArn, queue, subscriptionArn };
}

/**
 * One short-poll receive of up to 10 messages with every attribute: SNS delivers to SQS before
 * Publish returns, so nothing here ever waits.
 */
export async function receiveNow(
  sqs: SQSClient,
  url: string,
  input: Omit<ReceiveMessageCommandInput, 'QueueUrl'> = {},
): Promise<Message[]> {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      WaitTimeSeconds: 0,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
      ...input,
    }),
  );
  return out.Messages ?? [];
}

/** The bodies of everything the queue holds right now (up to 10), in receive order. */
export async function bodiesNow(sqs: SQSClient, url: string): Promise<string[]> {
  return (await receiveNow(sqs, url)).map((m) => m.Body ?? '');
}

/** The JSON document SNS delivers to an SQS (or HTTP) subscriber without raw delivery. */
export interface Envelope {
  Type: string;
  MessageId: string;
  SequenceNumber?: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  SignatureVersion?: string;
  Signature?: string;
  SigningCertURL?: string;
  UnsubscribeURL?: string;
  SubscribeURL?: string;
  Token?: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

export function parseEnvelope(body: string | undefined): Envelope {
  if (body === undefined) throw new Error('message has no body');
  return JSON.parse(body) as Envelope;
}

/** The only message the queue holds, parsed as an envelope. */
export async function onlyEnvelope(sqs: SQSClient, url: string): Promise<Envelope> {
  const messages = await receiveNow(sqs, url);
  if (messages.length !== 1) throw new Error(`expected one message, the queue holds ${messages.length}`);
  return parseEnvelope(messages[0].Body);
}

/**
 * What the SDK throws for an SNS error (awsQuery): `Code` is the wire code (`NotFound`,
 * `InvalidParameter`, `ParameterValueInvalid`...), the status the model's, the message AWS's.
 */
export function snsError(code: string, status: number, message?: string | RegExp): Record<string, unknown> {
  return {
    Code: code,
    $metadata: { httpStatusCode: status },
    ...(message === undefined ? {} : { message }),
  };
}

export const invalidParameter = (message: string | RegExp) => snsError('InvalidParameter', 400, message);

export const TOPIC_NOT_FOUND = snsError('NotFound', 404, 'Topic does not exist');
export const SUBSCRIPTION_NOT_FOUND = snsError('NotFound', 404, 'Subscription does not exist');

export const stringAttribute = (StringValue: string): MessageAttributeValue => ({
  DataType: 'String',
  StringValue,
});
export const numberAttribute = (value: number | string): MessageAttributeValue => ({
  DataType: 'Number',
  StringValue: String(value),
});

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` returns a value (for what AWS does asynchronously: HTTP deliveries). */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
