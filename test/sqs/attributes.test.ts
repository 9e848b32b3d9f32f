import { describe, expect, it } from 'vitest';
import type { AwsError } from '../../src/errors.js';
import {
  applyAttributes,
  attributeColumns,
  defaultAttributes,
  normalizeAttributes,
  parseRedriveAllowPolicy,
  parseRedrivePolicy,
} from '../../src/services/sqs/attributes.js';

function errorOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (err) {
    const { code, message } = err as AwsError;
    return { code, message };
  }
  throw new Error('expected an error');
}

const DLQ = 'arn:aws:sqs:us-east-1:000000000000:dlq';

describe('SQS queue attributes', () => {
  it('accepts each range end and normalizes numbers and booleans', () => {
    expect(
      normalizeAttributes(
        {
          VisibilityTimeout: '43200',
          DelaySeconds: '0',
          MaximumMessageSize: '1048576',
          MessageRetentionPeriod: '60',
          ReceiveMessageWaitTimeSeconds: '020',
          SqsManagedSseEnabled: 'TRUE',
        },
        false,
      ),
    ).toEqual({
      VisibilityTimeout: '43200',
      DelaySeconds: '0',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '60',
      ReceiveMessageWaitTimeSeconds: '20',
      SqsManagedSseEnabled: 'true',
    });
  });

  it('rejects values outside the ranges with InvalidAttributeValue', () => {
    const cases: [string, string][] = [
      ['VisibilityTimeout', '43201'],
      ['DelaySeconds', '901'],
      ['MaximumMessageSize', '1023'],
      ['MaximumMessageSize', '1048577'],
      ['MessageRetentionPeriod', '59'],
      ['MessageRetentionPeriod', '1209601'],
      ['ReceiveMessageWaitTimeSeconds', '21'],
      ['VisibilityTimeout', '-1'],
      ['VisibilityTimeout', '1.5'],
      ['VisibilityTimeout', ''],
      ['SqsManagedSseEnabled', 'yes'],
    ];
    for (const [name, value] of cases) {
      expect(
        errorOf(() => normalizeAttributes({ [name]: value }, false)),
        `${name}=${value}`,
      ).toEqual({
        code: 'InvalidAttributeValue',
        message: `Invalid value for the parameter ${name}.`,
      });
    }
  });

  it('knows which attributes exist, are read-only, or belong to FIFO queues', () => {
    expect(errorOf(() => normalizeAttributes({ Colour: 'red' }, false))).toEqual({
      code: 'InvalidAttributeName',
      message: 'Unknown Attribute Colour.',
    });
    expect(errorOf(() => normalizeAttributes({ QueueArn: 'x' }, false)).message).toBe(
      'Unknown Attribute QueueArn.',
    );
    expect(errorOf(() => normalizeAttributes({ ContentBasedDeduplication: 'true' }, false)).code).toBe(
      'InvalidAttributeName',
    );
    expect(errorOf(() => normalizeAttributes({ FifoThroughputLimit: 'perQueue' }, false)).message).toBe(
      'You can specify the FifoThroughputLimit only when FifoQueue is set to true.',
    );
    expect(normalizeAttributes({ DeduplicationScope: 'messageGroup' }, true)).toEqual({
      DeduplicationScope: 'messageGroup',
    });
    expect(errorOf(() => normalizeAttributes({ FifoQueue: 'false' }, true)).message).toBe(
      'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.',
    );
  });

  it('lets one kind of server-side encryption replace the other, never both at once', () => {
    const kms = applyAttributes(
      defaultAttributes(false),
      normalizeAttributes({ KmsMasterKeyId: 'alias/k' }, false),
    );
    expect(kms).toMatchObject({
      KmsMasterKeyId: 'alias/k',
      KmsDataKeyReusePeriodSeconds: '300',
      SqsManagedSseEnabled: 'false',
    });
    const back = applyAttributes(kms, normalizeAttributes({ SqsManagedSseEnabled: 'true' }, false));
    expect(back.KmsMasterKeyId).toBeUndefined();
    expect(back.SqsManagedSseEnabled).toBe('true');
    expect(
      errorOf(() => normalizeAttributes({ KmsMasterKeyId: 'k', SqsManagedSseEnabled: 'true' }, false)).code,
    ).toBe('InvalidAttributeName');
  });

  it('an empty Policy or RedrivePolicy removes it', () => {
    const withPolicy = applyAttributes(
      defaultAttributes(false),
      normalizeAttributes({ Policy: '{"Version":"2012-10-17"}' }, false),
    );
    expect(withPolicy.Policy).toBe('{"Version":"2012-10-17"}');
    expect(applyAttributes(withPolicy, normalizeAttributes({ Policy: '' }, false)).Policy).toBeUndefined();
    expect(errorOf(() => normalizeAttributes({ Policy: 'not json' }, false)).code).toBe(
      'InvalidAttributeValue',
    );
  });

  it('parses a RedrivePolicy with AWS messages, count as number or string', () => {
    expect(parseRedrivePolicy(`{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":"5"}`)).toEqual({
      deadLetterTargetArn: DLQ,
      maxReceiveCount: 5,
    });
    const bad = (value: string) => errorOf(() => parseRedrivePolicy(value));
    expect(bad('{"maxReceiveCount":3}')).toEqual({
      code: 'InvalidParameterValue',
      message:
        'Value {"maxReceiveCount":3} for parameter RedrivePolicy is invalid. Reason: Redrive policy does not contain mandatory attribute: deadLetterTargetArn.',
    });
    expect(bad(`{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":1001}`).message).toContain(
      'Reason: Invalid value for maxReceiveCount: 1001, valid values are from 1 to 1000 both inclusive.',
    );
    expect(bad('{"deadLetterTargetArn":"dummy","maxReceiveCount":42}').message).toBe(
      'Value {"deadLetterTargetArn":"dummy","maxReceiveCount":42} for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.',
    );
    expect(bad('{').code).toBe('InvalidParameterValue');
  });

  it('parses a RedriveAllowPolicy and its rules', () => {
    expect(parseRedriveAllowPolicy('{"redrivePermission":"allowAll"}')).toEqual({
      redrivePermission: 'allowAll',
    });
    expect(parseRedriveAllowPolicy(`{"redrivePermission":"byQueue","sourceQueueArns":["${DLQ}"]}`)).toEqual({
      redrivePermission: 'byQueue',
      sourceQueueArns: [DLQ],
    });
    expect(errorOf(() => parseRedriveAllowPolicy('{"redrivePermission":"byQueue"}')).message).toContain(
      'When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.',
    );
    expect(
      errorOf(() => parseRedriveAllowPolicy(`{"redrivePermission":"denyAll","sourceQueueArns":["${DLQ}"]}`))
        .message,
    ).toContain('you must set redrivePermission to byQueue');
    expect(errorOf(() => parseRedriveAllowPolicy('{"redrivePermission":"some"}')).code).toBe(
      'InvalidParameterValue',
    );
  });

  it('derives the columns the request path reads', () => {
    const fifo = applyAttributes(
      defaultAttributes(true),
      normalizeAttributes(
        {
          ContentBasedDeduplication: 'true',
          RedrivePolicy: `{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":3}`,
        },
        true,
      ),
    );
    expect(attributeColumns(fifo)).toEqual({
      visibilityTimeout: 30,
      delaySeconds: 0,
      maxMessageSize: 1048576,
      retention: 345600,
      waitTime: 0,
      contentDedup: 1,
      dedupByGroup: 0,
      dlqArn: DLQ,
      maxReceiveCount: 3,
    });
  });
});
