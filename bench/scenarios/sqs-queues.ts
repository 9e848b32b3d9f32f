/**
 * SQS queues for the scenarios: their names and URLs, the message they carry, and filling
 * one to a depth with part of it in flight, through the API (SendMessageBatch and
 * ReceiveMessage over many connections: a million messages in about a minute).
 */
import { pump } from '../fill.js';
import { sdkRawRequest } from '../raw-request.js';

/** The account localaws gives the `test` key. */
export const ACCOUNT = '000000000000';
/** In flight for longer than any run: the longest visibility timeout SQS allows. */
const HIDDEN_S = 43_200;
const FILL_CONNECTIONS = 32;

/** A small JSON event, the kind of body worker queues carry. */
export const MESSAGE_BODY = JSON.stringify({
  type: 'order.created',
  orderId: 'o-000123456',
  customerId: 'c-004242',
  total: '129.90',
  currency: 'EUR',
  at: '2024-05-01T12:00:00.000Z',
});

/** The URL localaws gives queue `name`; it accepts it whatever host the client used. */
export function queueUrl(endpoint: string, name: string): string {
  return `${endpoint}/${ACCOUNT}/${name}`;
}

/** SendMessageBatch entries carrying `count` copies of the message. */
export function batchEntries(count: number): { Id: string; MessageBody: string }[] {
  return Array.from({ length: count }, (_, i) => ({ Id: String(i), MessageBody: MESSAGE_BODY }));
}

export interface QueueFill {
  /** messages in the queue */
  depth: number;
  /** of which received, with the longest visibility timeout so they stay in flight */
  inFlight?: number;
}

/** Creates queue `name` with `fill.depth` messages, `fill.inFlight` of them in flight, and checks the counts. */
export async function createFilledQueue(url: string, name: string, fill: QueueFill): Promise<void> {
  const { SQSClient, CreateQueueCommand, GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
  const client = new SQSClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name }));
  if (QueueUrl !== queueUrl(url, name))
    throw new Error(`queue ${name} is at ${QueueUrl}, not where expected`);
  const inFlight = fill.inFlight ?? 0;
  await sendMessages(url, QueueUrl, fill.depth);
  await hideMessages(url, QueueUrl, inFlight);
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const visible = Number(Attributes?.ApproximateNumberOfMessages);
  const hidden = Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
  if (visible !== fill.depth - inFlight || hidden !== inFlight) {
    throw new Error(
      `queue ${name}: ${visible} visible and ${hidden} in flight, not ${fill.depth - inFlight} and ${inFlight}`,
    );
  }
  client.destroy();
}

async function sendMessages(url: string, QueueUrl: string, count: number): Promise<void> {
  const full = await sdkRawRequest('sqs', 'SendMessageBatch', { QueueUrl, Entries: batchEntries(10) }, url);
  const rest = count % 10;
  const last = rest
    ? await sdkRawRequest('sqs', 'SendMessageBatch', { QueueUrl, Entries: batchEntries(rest) }, url)
    : full;
  const batches = Math.ceil(count / 10);
  await pump(url, batches, (i) => (i === batches - 1 ? last : full), {
    connections: FILL_CONNECTIONS,
    units: (body) => {
      failOnBatchFailures('SendMessageBatch', body);
      return 1;
    },
  });
}

/** Receives `count` messages with the longest visibility timeout; `count` must be a multiple of 10. */
async function hideMessages(url: string, QueueUrl: string, count: number): Promise<void> {
  if (count % 10) throw new Error(`in flight: ${count} is not a multiple of 10`);
  const receive = await sdkRawRequest(
    'sqs',
    'ReceiveMessage',
    { QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: HIDDEN_S },
    url,
  );
  const received = await pump(url, count / 10, () => receive, {
    connections: FILL_CONNECTIONS,
    units: countMessages,
  });
  if (received !== count) throw new Error(`received ${received} messages to put in flight, not ${count}`);
}

/** The messages in a ReceiveMessage answer (AWS JSON). */
export function countMessages(body: Buffer): number {
  const messages = (JSON.parse(body.toString()) as { Messages?: unknown[] }).Messages;
  return messages?.length ?? 0;
}

/** A batch answer (AWS JSON) with failed entries throws: the op did not do all it asked. */
export function failOnBatchFailures(operation: string, body: Buffer): void {
  const failed = (JSON.parse(body.toString()) as { Failed?: { Code?: string }[] }).Failed;
  if (failed?.length) throw new Error(`${operation}: ${failed.length} entries failed (${failed[0]?.Code})`);
}
