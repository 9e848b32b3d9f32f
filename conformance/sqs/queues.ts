/**
 * Shared setup for the SQS suites: SDK clients per account, uniquely named queues, the
 * Approximate* counters, and the shape of an SQS error as the SDK surfaces it.
 */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type QueueAttributeName,
  ReceiveMessageCommand,
  type ReceiveMessageCommandInput,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Harness } from '../harness.js';

export const DEFAULT_ACCOUNT = '000000000000';

/** A JSON-protocol client; a 12-digit access key id acts in that account. */
export function sqsClient(h: Harness, accessKeyId = 'test'): SQSClient {
  return new SQSClient(h.clientConfig({ credentials: { accessKeyId, secretAccessKey: 'test' } }));
}

let created = 0;

/** A name no other test in the file uses; FIFO names carry the `.fifo` suffix. */
export function queueName(label: string, fifo = false): string {
  created += 1;
  return `${label}-${created}${fifo ? '.fifo' : ''}`;
}

export async function createQueue(
  sqs: SQSClient,
  label: string,
  attributes: Partial<Record<QueueAttributeName, string>> = {},
): Promise<string> {
  const fifo = attributes.FifoQueue === 'true';
  const out = await sqs.send(
    new CreateQueueCommand({ QueueName: queueName(label, fifo), Attributes: attributes }),
  );
  if (!out.QueueUrl) throw new Error('CreateQueue returned no QueueUrl');
  return out.QueueUrl;
}

export async function queueAttribute(sqs: SQSClient, url: string, name: QueueAttributeName): Promise<string> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [name] }));
  const value = out.Attributes?.[name];
  if (value === undefined) throw new Error(`GetQueueAttributes returned no ${name}`);
  return value;
}

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

export async function counts(sqs: SQSClient, url: string): Promise<QueueCounts> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  const a = out.Attributes ?? {};
  return {
    visible: Number(a.ApproximateNumberOfMessages),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed),
  };
}

/** One short-poll receive; [] when the queue hands out nothing. */
export async function receive(
  sqs: SQSClient,
  url: string,
  input: Omit<ReceiveMessageCommandInput, 'QueueUrl'> = {},
) {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0, ...input }));
  return out.Messages ?? [];
}

/**
 * What the SDK throws for an SQS error: `name` is the JSON error shape, `Code` the query
 * protocol's code (from x-amzn-query-error, which the SDK asks for with x-amzn-query-mode).
 * Unmodelled errors (InvalidParameterValue, MissingParameter) are matched by Code only.
 */
export function sqsError(
  code: string,
  status: number,
  more: { name?: string; message?: unknown } = {},
): Record<string, unknown> {
  return {
    Code: code,
    $metadata: { httpStatusCode: status },
    ...(more.name ? { name: more.name } : {}),
    ...(more.message ? { message: more.message } : {}),
  };
}

export const QUEUE_DOES_NOT_EXIST = sqsError('AWS.SimpleQueueService.NonExistentQueue', 400, {
  name: 'QueueDoesNotExist',
});

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
