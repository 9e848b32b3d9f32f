import { describe, expect, it } from 'vitest';
import type { RawCycle, RawRequest } from '../../bench/scenario.js';
import { dynamodbGet, dynamodbQuery, dynamodbTransact } from '../../bench/scenarios/dynamodb.js';
import { queryAnswer } from '../../bench/scenarios/dynamodb-answers.js';
import { spread } from '../../bench/scenarios/dynamodb-tables.js';
import { s3Get, s3List100k, s3Put } from '../../bench/scenarios/s3.js';
import { snsFanout } from '../../bench/scenarios/sns.js';
import { sqsCycle } from '../../bench/scenarios/sqs.js';
import { deleteBatchAnswer, receiveAnswer, sendBatchAnswer } from '../../bench/scenarios/sqs-answers.js';

const URL = 'http://127.0.0.1:4999';
const text = (request: RawRequest | number) => Buffer.from((request as RawRequest).bytes).toString();
const bodyOf = (request: RawRequest | number) => JSON.parse(text(request).split('\r\n\r\n')[1] as string);

async function cycleOf(scenario: {
  rawRequests(url: string): Promise<RawRequest[]>;
  rawCycle?(r: RawRequest[], connection: number): RawCycle;
}) {
  return scenario.rawCycle?.(await scenario.rawRequests(URL), 0) as RawCycle;
}

describe('the SQS worker cycle, raw', () => {
  it('receives, deletes what came by its receipt handles, and sends as many back', async () => {
    const cycle = await cycleOf(sqsCycle);
    expect(text(cycle.first())).toMatch(/\r\nx-amz-target: AmazonSQS\.ReceiveMessage\r\n/);
    const received = receiveAnswer(3);
    const del = cycle.next(Buffer.from(received.body));
    expect(text(del)).toMatch(/\r\nx-amz-target: AmazonSQS\.DeleteMessageBatch\r\n/);
    const handles = JSON.parse(received.body).Messages.map((m: { ReceiptHandle: string }) => m.ReceiptHandle);
    expect(bodyOf(del)).toEqual({
      QueueUrl: `${URL}/000000000000/bench-cycle`,
      Entries: handles.map((ReceiptHandle: string, i: number) => ({ Id: String(i), ReceiptHandle })),
    });
    const refill = cycle.next(Buffer.from(deleteBatchAnswer(3).body));
    expect(text(refill)).toMatch(/\r\nx-amz-target: AmazonSQS\.SendMessageBatch\r\n/);
    expect(bodyOf(refill).Entries).toHaveLength(3);
    expect(cycle.next(Buffer.from(sendBatchAnswer(3).body))).toBe(3);
  });

  it('ends an op that received nothing at once, and fails one whose delete failed', async () => {
    const cycle = await cycleOf(sqsCycle);
    cycle.first();
    expect(cycle.next(Buffer.from('{}'))).toBe(0);
    cycle.first();
    cycle.next(Buffer.from(receiveAnswer(2).body));
    const failed =
      '{"Successful":[],"Failed":[{"Id":"0","Code":"ReceiptHandleIsInvalid","SenderFault":true}]}';
    expect(() => cycle.next(Buffer.from(failed))).toThrow(
      /DeleteMessageBatch: 1 entries failed \(ReceiptHandleIsInvalid\)/,
    );
  });
});

describe('the DynamoDB scenarios, raw', () => {
  it('count the items a Query page brought', async () => {
    const cycle = await cycleOf(dynamodbQuery);
    expect(bodyOf(cycle.first())).toMatchObject({ TableName: 'bench-orders', Limit: 25 });
    expect(cycle.next(Buffer.from(queryAnswer(25).body))).toBe(25);
  });

  it('fail a GetItem that found nothing', async () => {
    const cycle = await cycleOf(dynamodbGet);
    cycle.first();
    expect(() => cycle.next(Buffer.from('{}'))).toThrow(/found no item/);
  });

  it('spread keys evenly and without repeats', () => {
    const keys = spread(500, 10_000);
    expect(new Set(keys).size).toBe(500);
    expect(Math.max(...keys)).toBeGreaterThan(9_000);
    expect(new Set(spread(100, 100)).size).toBe(100);
  });
});

describe('the TransactWriteItems scenario, raw', () => {
  it('gives every op a new ClientRequestToken, as the SDK does, so that none is a repeat', async () => {
    const cycle = await cycleOf(dynamodbTransact);
    const bodies = Array.from({ length: 3 }, () => bodyOf(cycle.first()));
    expect(new Set(bodies.map((b) => b.ClientRequestToken)).size).toBe(3);
    expect(bodies[0].TransactItems).toHaveLength(2);
    expect(bodies[0].ClientRequestToken).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the S3 scenarios, raw', () => {
  it('put 1 KiB objects path style, keys in turn from the connection on', async () => {
    const requests = await s3Put.rawRequests(URL);
    const cycle = s3Put.rawCycle?.(requests, 1) as RawCycle;
    expect(text(cycle.first())).toMatch(
      /^PUT \/bench-objects\/objects\/000001\.bin\?x-id=PutObject HTTP\/1\.1\r\n/,
    );
    expect(text(cycle.first())).toMatch(/^PUT \/bench-objects\/objects\/000002\.bin\?/);
    expect(text(cycle.first()).split('\r\n\r\n')[1]).toHaveLength(1024);
    expect(cycle.next(Buffer.alloc(0))).toBe(1);
  });

  it('fail a GetObject whose answer is not the whole object', async () => {
    const cycle = await cycleOf(s3Get);
    expect(text(cycle.first())).toMatch(
      /^GET \/bench-objects\/objects\/000000\.bin\?x-id=GetObject HTTP\/1\.1\r\n/,
    );
    expect(cycle.next(Buffer.from(s3Get.baselineResponse.body))).toBe(1);
    expect(() => cycle.next(Buffer.from('<Error><Code>NoSuchKey</Code></Error>'))).toThrow(/not 1024/);
  });
});

describe('the S3 listing scenario, raw', () => {
  it('lists prefixes spread over the bucket and fails a page short of 100 keys', async () => {
    const cycle = await cycleOf(s3List100k);
    expect(text(cycle.first())).toMatch(/^GET \/bench-listing\/\?list-type=2&prefix=list%2Fp0000%2F /);
    expect(text(cycle.first())).toMatch(/^GET \/bench-listing\/\?list-type=2&prefix=list%2Fp0015%2F /);
    expect(cycle.next(Buffer.from(s3List100k.baselineResponse.body))).toBe(100);
    expect(() => cycle.next(Buffer.from('<KeyCount>99</KeyCount>'))).toThrow(/99 keys, not 100/);
  });
});

describe('the SNS fan-out scenario, raw', () => {
  it('publishes to the topic and counts three deliveries per Publish answered with a MessageId', async () => {
    const cycle = await cycleOf(snsFanout);
    expect(text(cycle.first())).toMatch(
      /Action=Publish&.*TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Abench-fanout/,
    );
    expect(cycle.next(Buffer.from(snsFanout.baselineResponse.body))).toBe(3);
    expect(() => cycle.next(Buffer.from('<PublishResponse/>'))).toThrow(/without a MessageId/);
  });
});
