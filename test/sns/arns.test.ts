import { describe, expect, it } from 'vitest';
import { AwsError } from '../../src/errors.js';
import { parseArn, subscriptionTopicArn, topicArn } from '../../src/services/sns/arns.js';
import { afterToken, PAGE_SIZE, pageOf } from '../../src/services/sns/pages.js';

function message(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof AwsError) return err.message;
    throw err;
  }
  throw new Error('did not fail');
}

describe('SNS ARNs', () => {
  it('name topics in the partition of their region', () => {
    expect(topicArn('us-east-1', '123456789012', 't')).toBe('arn:aws:sns:us-east-1:123456789012:t');
    expect(topicArn('cn-north-1', '123456789012', 't')).toBe('arn:aws-cn:sns:cn-north-1:123456789012:t');
    expect(parseArn('arn:aws:sns:eu-west-1:123456789012:orders', 'TopicArn')).toEqual({
      partition: 'aws',
      service: 'sns',
      region: 'eu-west-1',
      accountId: '123456789012',
      resource: 'orders',
    });
  });

  it('reject an ARN of fewer than 6 elements as SNS words it', () => {
    expect(message(() => parseArn('', 'TopicArn'))).toBe(
      'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1',
    );
    expect(message(() => parseArn('arn:aws:sns:us-east-1:123', 'TopicArn'))).toBe(
      'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 5',
    );
  });

  it('take a subscription ARN apart, refusing one without a subscription id', () => {
    const topic = 'arn:aws:sns:us-east-1:123456789012:orders';
    expect(subscriptionTopicArn(`${topic}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`)).toBe(topic);
    expect(message(() => subscriptionTopicArn(topic))).toBe('Invalid parameter: SubscriptionId');
    expect(message(() => subscriptionTopicArn(`${topic}:not-an-id`))).toBe(
      'Invalid parameter: SubscriptionId',
    );
    expect(message(() => subscriptionTopicArn('pending confirmation'))).toBe(
      'Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1',
    );
    expect(message(() => subscriptionTopicArn(undefined))).toBe(
      'Invalid parameter: SubscriptionArn Reason: no value for required parameter',
    );
  });
});

describe('SNS pages', () => {
  it('cut at 100 rows with a token that continues after the last', () => {
    const rows = Array.from({ length: PAGE_SIZE + 1 }, (_, i) => ({ id: i + 1 }));
    const page = pageOf(rows);
    expect(page.items).toHaveLength(100);
    expect(afterToken(page.nextToken)).toBe(100);
    expect(pageOf(rows.slice(0, 100))).toEqual({ items: rows.slice(0, 100) });
    expect(afterToken(undefined)).toBe(0);
    expect(message(() => afterToken('bm9wZQ=='))).toBe('Invalid parameter: NextToken');
  });
});
