/**
 * SQS over AWS JSON 1.0, at concurrency 16 (issue 5): SendMessage; a worker's cycle of
 * ReceiveMessage(10), DeleteMessageBatch and a SendMessageBatch that puts back as many, so
 * the queue stays 1,000 deep; ReceiveMessage alone on a queue of 1k and of 1M messages with
 * half of them in flight (received with VisibilityTimeout 0, so the queue stays as it is).
 */
import type { Message } from '@aws-sdk/client-sqs';
import { sdkRawRequest } from '../raw-request.js';
import { RequestTemplate } from '../request-template.js';
import type { RawCycle, RawRequest, Scenario, SdkClientConfig } from '../scenario.js';
import { deleteBatchAnswer, receiveAnswer, sendAnswer, sendBatchAnswer } from './sqs-answers.js';
import {
  batchEntries,
  countMessages,
  createFilledQueue,
  failOnBatchFailures,
  MESSAGE_BODY,
  type QueueFill,
  queueUrl,
} from './sqs-queues.js';

const CONCURRENCY = 16;
const probe = (url: string) => sdkRawRequest('sqs', 'ListQueues', {}, url);

async function sqsClient(config: SdkClientConfig) {
  const sdk = await import('@aws-sdk/client-sqs');
  return { sdk, client: new sdk.SQSClient(config) };
}

const SEND_QUEUE = 'bench-send';

export const sqsSend: Scenario = {
  name: 'sqs-send',
  title: 'SQS SendMessage (awsJson1_0), a 138-byte JSON body',
  concurrency: CONCURRENCY,
  probe,
  setup: (url) => createFilledQueue(url, SEND_QUEUE, { depth: 0 }),
  async sdkOperation(config) {
    const { sdk, client } = await sqsClient(config);
    const QueueUrl = queueUrl(config.endpoint, SEND_QUEUE);
    return () => client.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: MESSAGE_BODY }));
  },
  rawRequests: async (url) => [
    await sdkRawRequest(
      'sqs',
      'SendMessage',
      { QueueUrl: queueUrl(url, SEND_QUEUE), MessageBody: MESSAGE_BODY },
      url,
    ),
  ],
  baselineResponse: sendAnswer,
};

const CYCLE_QUEUE = 'bench-cycle';
const CYCLE_DEPTH = 1_000;

/** Receive up to 10, delete them in one batch, send as many back: the messages moved. */
async function cycleOnce(
  sdk: typeof import('@aws-sdk/client-sqs'),
  client: import('@aws-sdk/client-sqs').SQSClient,
  QueueUrl: string,
): Promise<number> {
  const { Messages = [] } = await client.send(
    new sdk.ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
  );
  if (!Messages.length) return 0;
  const Entries = Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle }));
  const deleted = await client.send(new sdk.DeleteMessageBatchCommand({ QueueUrl, Entries }));
  if (deleted.Failed?.length) throw new Error(`DeleteMessageBatch: ${deleted.Failed.length} failed`);
  const sent = await client.send(
    new sdk.SendMessageBatchCommand({ QueueUrl, Entries: batchEntries(Messages.length) }),
  );
  if (sent.Failed?.length) throw new Error(`SendMessageBatch: ${sent.Failed.length} failed`);
  return Messages.length;
}

/** The raw cycle: [receive, a captured DeleteMessageBatch as template, SendMessageBatch of 1..10]. */
function rawWorkerCycle(requests: RawRequest[]): RawCycle {
  const [receive, deleteCaptured, ...refills] = requests as [RawRequest, RawRequest, ...RawRequest[]];
  const del = new RequestTemplate(deleteCaptured);
  const { QueueUrl } = del.json as { QueueUrl: string };
  let step: 'receive' | 'delete' | 'refill' = 'receive';
  let moved = 0;
  return {
    first() {
      step = 'receive';
      return receive;
    },
    next(body) {
      if (step === 'receive') {
        const messages = (JSON.parse(body.toString()) as { Messages?: Message[] }).Messages ?? [];
        moved = messages.length;
        if (!moved) return 0;
        step = 'delete';
        const Entries = messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle }));
        return del.withBody(JSON.stringify({ QueueUrl, Entries }));
      }
      failOnBatchFailures(step === 'delete' ? 'DeleteMessageBatch' : 'SendMessageBatch', body);
      if (step === 'refill') return moved;
      step = 'refill';
      return refills[moved - 1] as RawRequest;
    },
  };
}

export const sqsCycle: Scenario = {
  name: 'sqs-cycle',
  title: `SQS worker cycle: ReceiveMessage(10), DeleteMessageBatch, SendMessageBatch refill, ${CYCLE_DEPTH} deep`,
  concurrency: CONCURRENCY,
  unit: 'msgs',
  probe,
  setup: (url) => createFilledQueue(url, CYCLE_QUEUE, { depth: CYCLE_DEPTH }),
  async sdkOperation(config) {
    const { sdk, client } = await sqsClient(config);
    const QueueUrl = queueUrl(config.endpoint, CYCLE_QUEUE);
    return () => cycleOnce(sdk, client, QueueUrl);
  },
  async rawRequests(url) {
    const QueueUrl = queueUrl(url, CYCLE_QUEUE);
    const placeholder = [{ Id: '0', ReceiptHandle: 'placeholder' }];
    return [
      await sdkRawRequest('sqs', 'ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10 }, url),
      await sdkRawRequest('sqs', 'DeleteMessageBatch', { QueueUrl, Entries: placeholder }, url),
      ...(await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          sdkRawRequest('sqs', 'SendMessageBatch', { QueueUrl, Entries: batchEntries(i + 1) }, url),
        ),
      )),
    ];
  },
  rawCycle: rawWorkerCycle,
  baselineResponse: receiveAnswer(10),
  baselineByTarget: {
    'AmazonSQS.ReceiveMessage': receiveAnswer(10),
    'AmazonSQS.DeleteMessageBatch': deleteBatchAnswer(10),
    'AmazonSQS.SendMessageBatch': sendBatchAnswer(10),
  },
};

/** Receives that leave the queue as it was: the messages stay visible, in the same number. */
function receiveScenario(name: string, fill: Required<QueueFill>, extra: Partial<Scenario>): Scenario {
  const input = (url: string) => ({
    QueueUrl: queueUrl(url, name),
    MaxNumberOfMessages: 10,
    VisibilityTimeout: 0,
  });
  return {
    name,
    title: `SQS ReceiveMessage(10) on a queue of ${fill.depth} messages, ${fill.inFlight} in flight`,
    concurrency: CONCURRENCY,
    unit: 'msgs',
    probe,
    setup: (url) => createFilledQueue(url, name, fill),
    async sdkOperation(config) {
      const { sdk, client } = await sqsClient(config);
      const command = new sdk.ReceiveMessageCommand(input(config.endpoint));
      return async () => (await client.send(command)).Messages?.length ?? 0;
    },
    rawRequests: async (url) => [await sdkRawRequest('sqs', 'ReceiveMessage', input(url), url)],
    rawCycle: ([receive]) => ({ first: () => receive as RawRequest, next: countMessages }),
    baselineResponse: receiveAnswer(10),
    ...extra,
  };
}

export const sqsReceive = receiveScenario('sqs-receive', { depth: 1_000, inFlight: 500 }, {});

export const sqsReceive1m = receiveScenario(
  'sqs-receive-1m',
  { depth: 1_000_000, inFlight: 500_000 },
  { optIn: true, scaleOf: 'sqs-receive' },
);
