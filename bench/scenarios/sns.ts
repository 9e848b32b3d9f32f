/**
 * SNS over awsQuery at concurrency 16 (issue 6): Publish to a topic that fans out to three
 * SQS queues, each delivery complete before Publish answers; an op moves three deliveries.
 */
import { sdkRawRequest } from '../raw-request.js';
import type { RawRequest, Scenario, SdkClientConfig } from '../scenario.js';
import { ACCOUNT, createFilledQueue, MESSAGE_BODY } from './sqs-queues.js';

const CONCURRENCY = 16;
const TOPIC = 'bench-fanout';
const QUEUES = ['bench-fanout-billing', 'bench-fanout-shipping', 'bench-fanout-audit'];
const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:${TOPIC}`;
const publishInput = { TopicArn: topicArn, Message: MESSAGE_BODY };
const MESSAGE_ID = /<MessageId>[^<]+<\/MessageId>/;

async function snsClient(config: Pick<SdkClientConfig, 'endpoint' | 'region' | 'credentials'>) {
  const sdk = await import('@aws-sdk/client-sns');
  return { sdk, client: new sdk.SNSClient(config) };
}

/** The topic, its three queues subscribed; one Publish checks that each queue got it. */
async function createFanout(url: string): Promise<void> {
  const { sdk, client } = await snsClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { TopicArn } = await client.send(new sdk.CreateTopicCommand({ Name: TOPIC }));
  if (TopicArn !== topicArn) throw new Error(`topic ${TOPIC} is ${TopicArn}, not ${topicArn}`);
  for (const queue of QUEUES) {
    await createFilledQueue(url, queue, { depth: 0 });
    const Endpoint = `arn:aws:sqs:us-east-1:${ACCOUNT}:${queue}`;
    await client.send(new sdk.SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint }));
  }
  await client.send(new sdk.PublishCommand(publishInput));
  await checkDelivered(url);
  client.destroy();
}

async function checkDelivered(url: string): Promise<void> {
  const sqs = await import('@aws-sdk/client-sqs');
  const client = new sqs.SQSClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  for (const queue of QUEUES) {
    const { Attributes } = await client.send(
      new sqs.GetQueueAttributesCommand({
        QueueUrl: `${url}/${ACCOUNT}/${queue}`,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    if (Attributes?.ApproximateNumberOfMessages !== '1')
      throw new Error(
        `queue ${queue}: ${Attributes?.ApproximateNumberOfMessages} messages after a Publish, not 1`,
      );
  }
  client.destroy();
}

export const snsFanout: Scenario = {
  name: 'sns-fanout',
  title: `SNS Publish (awsQuery) of a ${MESSAGE_BODY.length}-byte message to a topic with ${QUEUES.length} SQS subscriptions`,
  concurrency: CONCURRENCY,
  unit: 'deliveries',
  probe: (url) => sdkRawRequest('sns', 'ListTopics', {}, url),
  setup: createFanout,
  async sdkOperation(config) {
    const { sdk, client } = await snsClient(config);
    const command = new sdk.PublishCommand(publishInput);
    return async () => {
      await client.send(command);
      return QUEUES.length;
    };
  },
  rawRequests: async (url) => [await sdkRawRequest('sns', 'Publish', publishInput, url)],
  rawCycle: ([publish]) => ({
    first: () => publish as RawRequest,
    next(body) {
      if (!MESSAGE_ID.test(body.toString())) throw new Error('Publish answered without a MessageId');
      return QUEUES.length;
    },
  }),
  // what localaws answers, ids of the same length
  baselineResponse: {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': '0c1a5e3f-6d2b-4c8e-9f71-2b3c4d5e6f70' },
    body:
      '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>' +
      '<MessageId>5fea7756-0ea4-451a-a703-a558b9330000</MessageId></PublishResult>' +
      '<ResponseMetadata><RequestId>0c1a5e3f-6d2b-4c8e-9f71-2b3c4d5e6f70</RequestId></ResponseMetadata>' +
      '</PublishResponse>',
  },
};
