/**
 * Garbage never gets a 5xx: every SNS operation localaws answers is sent inputs generated from
 * its input shape (a fixed seed, so a failure reproduces), with real topics, subscriptions,
 * queues and attribute names and values swapped in often enough to get past the first lookups,
 * through the SDK and again on the wire with parameters dropped, given odd values, or indexed
 * oddly. Each must answer a success or an SNS error below 500.
 */
import * as sdk from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/protocol/model.js';
import { sns as service } from '../../src/services/sns/index.js';
import { Sampler } from '../../test/protocol/samples.js';
import { reusableSdkClient } from '../../test/protocol/sdk-harness.js';
import { mutateForm, postMutatedForms, sdkStatus } from '../fuzz.js';
import { HttpSubscriber } from './http-subscriber.js';
import { createQueue, createTopic, subscribe, subscribeQueue, useSns } from './setup.js';

const SEEDS = [1, 2, 3, 4];
const MUTATIONS = 3;

const t = useSns();
const model = loadModel('sns');
const operations = Object.keys(service.handlers).sort();
const endpoint = new HttpSubscriber();

/** Values a member of each name takes from real resources or AWS's vocabulary. */
let pool: Record<string, string[]>;

const ATTRIBUTE_NAMES = [
  'RawMessageDelivery',
  'FilterPolicy',
  'FilterPolicyScope',
  'RedrivePolicy',
  'DeliveryPolicy',
  'DisplayName',
  'Policy',
  'ContentBasedDeduplication',
  'SignatureVersion',
  'KmsMasterKeyId',
  'ReplayPolicy',
  'ArchivePolicy',
  'HTTPSuccessFeedbackSampleRate',
];

const ATTRIBUTE_VALUES = [
  'true',
  'MessageBody',
  '2',
  '{"event":["a",{"prefix":"b"}],"n":[{"numeric":[">",1]}]}',
  '{"a":{"b":[{"anything-but":{"suffix":"x"}}]}}',
  '{"healthyRetryPolicy":{"minDelayTarget":"abc","numRetries":-3}}',
  '{"http":{"defaultHealthyRetryPolicy":{"backoffFunction":7,"maxDelayTarget":1e9}}}',
  '{"http":5}',
  '{"healthyRetryPolicy":null,"requestPolicy":"x"}',
  '[]',
  'null',
  '{',
];

/** Garbage for a query parameter. */
const GARBAGE = [
  '',
  'x',
  '-1',
  '99999999999999999999',
  'true',
  '{',
  '[]',
  'null',
  '\u0000',
  'é🚀',
  'arn:aws:sns:us-east-1:000000000000:fuzz-topic:not-a-uuid',
  'arn:aws:sns:us-west-2:000000000000:fuzz-topic',
  'arn:aws:sqs:us-east-1:000000000000:nowhere',
];

function fuzzInput(sampler: Sampler, operation: string): Record<string, unknown> {
  const input = sampler.structure((model.operations[operation] as { input: string }).input);
  for (const [member, values] of Object.entries(pool)) {
    if (member in input && sampler.int(3) > 0) input[member] = sampler.pick(values);
  }
  if (input.Attributes && sampler.int(2) === 0) {
    const attributes: Record<string, string> = {};
    for (let n = sampler.int(3) + 1; n > 0; n--) {
      attributes[sampler.pick(ATTRIBUTE_NAMES)] = sampler.pick(ATTRIBUTE_VALUES);
    }
    input.Attributes = attributes;
  }
  return input;
}

beforeAll(async () => {
  await endpoint.start();
  const topic = await createTopic(t.sns, 'fuzz-topic');
  const fifo = await createTopic(t.sns, 'fuzz-fifo', { FifoTopic: 'true' });
  const queue = await createQueue(t.sqs, 'fuzz-queue');
  const fifoQueue = await createQueue(t.sqs, 'fuzz-queue', { FifoQueue: 'true' });
  const subscriptions = [
    await subscribeQueue(t.sns, topic, queue.arn),
    await subscribeQueue(t.sns, fifo, fifoQueue.arn),
    await subscribe(t.sns, { TopicArn: topic, Protocol: 'http', Endpoint: `${endpoint.url}/fuzz` }),
    await subscribe(t.sns, { TopicArn: topic, Protocol: 'email', Endpoint: 'fuzz@example.com' }),
  ];
  const arns = [topic, fifo];
  pool = {
    TopicArn: arns,
    TargetArn: arns,
    ResourceArn: arns,
    SubscriptionArn: subscriptions,
    Endpoint: [queue.arn, fifoQueue.arn, `${endpoint.url}/fuzz`, 'fuzz@example.com', '+15555550100'],
    Protocol: ['sqs', 'http', 'https', 'email', 'email-json', 'sms', 'lambda', 'application', 'firehose'],
    AttributeName: ATTRIBUTE_NAMES,
    AttributeValue: ATTRIBUTE_VALUES,
    MessageStructure: ['json'],
    Message: ['{"default":"d","sqs":"s"}', 'plain', '{"default":5}'],
    MessageGroupId: ['group-1', 'with space', 'x'.repeat(129)],
    PhoneNumber: ['+15555550100', '5555', '+1 555'],
  };
});

afterAll(() => endpoint.stop());

describe('garbage input', () => {
  it('never gets a 5xx from any SNS operation, through the SDK or on the wire', async () => {
    const wire = reusableSdkClient('sns', { endpoint: t.h.url });
    const failures: string[] = [];
    const statuses = new Set<number>();
    let answered = 0;
    for (const seed of SEEDS) {
      for (const [index, operation] of operations.entries()) {
        const sampler = new Sampler(model, { seed: seed * 1000 + index, maxDepth: 3, omitRate: 0.4 });
        const input = fuzzInput(sampler, operation);
        const status = await sdkStatus(t.sns, sdk, operation, input);
        answered += 1;
        statuses.add(status);
        if (status >= 500 || status === 0) {
          failures.push(`${operation} seed ${seed}: ${status} for ${JSON.stringify(input)}`);
        }
        const body = (await wire.captureRequest(operation, input)).body.toString();
        const wired = await postMutatedForms(t.h.url, body, MUTATIONS, (b) =>
          mutateForm(b, sampler, GARBAGE),
        );
        answered += wired.answered;
        for (const failure of wired.failures) failures.push(`${operation} seed ${seed}: ${failure}`);
      }
    }
    expect(failures).toEqual([]);
    expect(answered).toBe(SEEDS.length * operations.length * (1 + MUTATIONS));
    // the inputs reach the handlers: some succeed, some are refused, some name what is not there
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 400, 404]));
  }, 120_000);
});
