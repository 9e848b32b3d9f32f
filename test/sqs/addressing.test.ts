import { describe, expect, it } from 'vitest';
import { parseQueueArn, parseQueueUrl, queueArn } from '../../src/services/sqs/addressing.js';

describe('SQS queue addresses', () => {
  it('takes the account and name from the last two path segments of any host', () => {
    for (const url of [
      'http://localhost:4566/123456789012/jobs',
      'http://127.0.0.1:1234/123456789012/jobs/',
      'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs',
      'http://h/queue/us-east-1/123456789012/jobs?x=1',
    ]) {
      expect(parseQueueUrl(url, '000000000000'), url).toEqual({ accountId: '123456789012', name: 'jobs' });
    }
  });

  it('reads a bare name as a queue of the caller and refuses URLs that name no queue', () => {
    expect(parseQueueUrl('jobs.fifo', '000000000000')).toEqual({
      accountId: '000000000000',
      name: 'jobs.fifo',
    });
    expect(parseQueueUrl('http://whatever-incorrect-queue-address', '000000000000')).toBeUndefined();
    expect(parseQueueUrl('http://h/not-an-account/jobs', '000000000000')).toBeUndefined();
    expect(parseQueueUrl('', '000000000000')).toBeUndefined();
  });

  it('builds and parses ARNs, with the partition of the region', () => {
    expect(queueArn('us-east-1', '123456789012', 'q')).toBe('arn:aws:sqs:us-east-1:123456789012:q');
    expect(queueArn('cn-north-1', '123456789012', 'q')).toBe('arn:aws-cn:sqs:cn-north-1:123456789012:q');
    expect(parseQueueArn('arn:aws:sqs:us-east-1:123456789012:q')).toEqual({
      region: 'us-east-1',
      accountId: '123456789012',
      name: 'q',
    });
    expect(parseQueueArn('arn:aws:sns:us-east-1:123456789012:q')).toBeUndefined();
    expect(parseQueueArn('dummy')).toBeUndefined();
  });
});
