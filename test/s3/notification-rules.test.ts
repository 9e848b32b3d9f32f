/**
 * Notification configurations as S3 checks them ("Configuring event notifications using object
 * key name filtering": one prefix and one suffix rule, no two configurations taking one event)
 * and the matching of events to them.
 */
import type { NotificationConfiguration } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../src/errors.js';
import {
  checkNotificationConfiguration,
  eventCovers,
  type NotificationRule,
  ruleMatches,
  unvalidatedDestinations,
} from '../../src/services/s3/notification-rules.js';

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:events';
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:events';

function queueConfig(events: string[], rules: [string, string][] = [], id?: string) {
  return {
    Id: id,
    QueueArn: QUEUE,
    Events: events as never,
    Filter: rules.length
      ? { Key: { FilterRules: rules.map(([Name, Value]) => ({ Name: Name as never, Value })) } }
      : undefined,
  };
}

function check(config: NotificationConfiguration) {
  return checkNotificationConfiguration(config, 'us-east-1');
}

function errorOf(config: NotificationConfiguration): AwsError {
  try {
    check(config);
  } catch (err) {
    if (err instanceof AwsError) return err;
    throw err;
  }
  throw new Error('the configuration was accepted');
}

describe('checkNotificationConfiguration', () => {
  it('gives an Id where none was given, capitalises filter names and compiles rules', () => {
    const { config, rules } = check({
      QueueConfigurations: [
        queueConfig(
          ['s3:ObjectCreated:*'],
          [
            ['PREFIX', 'img/'],
            ['suffix', '.jpg'],
          ],
        ),
      ],
      LambdaFunctionConfigurations: [
        {
          Id: 'fn',
          LambdaFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
          Events: ['s3:ObjectRemoved:*'],
        },
      ],
      EventBridgeConfiguration: {},
    });
    const stored = config.QueueConfigurations?.[0];
    expect(Buffer.from(stored?.Id ?? '', 'base64').toString()).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored?.Filter?.Key?.FilterRules).toEqual([
      { Name: 'Prefix', Value: 'img/' },
      { Name: 'Suffix', Value: '.jpg' },
    ]);
    expect(config.EventBridgeConfiguration).toEqual({});
    expect(rules).toEqual([
      {
        id: stored?.Id,
        kind: 'queue',
        arn: QUEUE,
        events: ['ObjectCreated:*'],
        prefix: 'img/',
        suffix: '.jpg',
        filtered: true,
      },
      {
        id: 'fn',
        kind: 'lambda',
        arn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
        events: ['ObjectRemoved:*'],
        prefix: '',
        suffix: '',
        filtered: false,
      },
    ]);
  });

  it.each([
    [
      'an ARN of another service',
      { TopicConfigurations: [{ TopicArn: QUEUE, Events: ['s3:ObjectCreated:*'] }] },
      'The ARN could not be parsed',
    ],
    [
      'an unknown event type',
      { QueueConfigurations: [queueConfig(['s3:ObjectCreated:Upload'])] },
      'The event is not supported for notifications',
    ],
    [
      'an unknown filter rule',
      { QueueConfigurations: [queueConfig(['s3:ObjectCreated:*'], [['middle', 'x']])] },
      'filter rule name must be either prefix or suffix',
    ],
    [
      'two suffix rules',
      {
        QueueConfigurations: [
          queueConfig(
            ['s3:ObjectCreated:*'],
            [
              ['suffix', '.a'],
              ['Suffix', '.b'],
            ],
          ),
        ],
      },
      'Cannot specify more than one suffix rule in a filter.',
    ],
    [
      'a destination in another region',
      {
        QueueConfigurations: [
          { QueueArn: 'arn:aws:sqs:eu-west-1:000000000000:q', Events: ['s3:ObjectCreated:*' as const] },
        ],
      },
      'The notification destination service region is not valid for the bucket location constraint',
    ],
    [
      'two configurations with one Id',
      {
        QueueConfigurations: [
          queueConfig(['s3:ObjectCreated:*'], [], 'same'),
          queueConfig(['s3:ObjectRemoved:*'], [], 'same'),
        ],
      },
      'Same ID used for multiple configurations. IDs must be unique.',
    ],
  ])('refuses %s', (_what, config, message) => {
    const err = errorOf(config as NotificationConfiguration);
    expect([err.code, err.status, err.message]).toEqual(['InvalidArgument', 400, message]);
  });

  it('names the argument of an unparseable ARN as its XML element', () => {
    const err = errorOf({ TopicConfigurations: [{ TopicArn: 'nope', Events: ['s3:ObjectCreated:*'] }] });
    expect(err.fields).toEqual({ ArgumentName: 'Topic', ArgumentValue: 'nope' });
  });

  it('wants events and an ARN (MalformedXML)', () => {
    expect(errorOf({ QueueConfigurations: [{ QueueArn: QUEUE, Events: [] }] }).code).toBe('MalformedXML');
  });

  // the user guide's examples: overlapping prefixes, suffixes, or both, for one event type
  it.each([
    [['s3:ObjectCreated:*'], [], ['s3:ObjectCreated:Put'], [], 'Configurations overlap'],
    [
      ['s3:ObjectCreated:*'],
      [['prefix', 'images/']],
      ['s3:ObjectCreated:*'],
      [['prefix', 'images/2024/']],
      'ambiguously',
    ],
    [
      ['s3:ObjectCreated:*'],
      [['suffix', '.jpg']],
      ['s3:ObjectCreated:*'],
      [['suffix', 'jpg']],
      'ambiguously',
    ],
    [['s3:ObjectCreated:*'], [['prefix', 'images/']], ['s3:ObjectCreated:*'], [], 'ambiguously'],
  ])('refuses %j %j with %j %j', (eventsA, rulesA, eventsB, rulesB, message) => {
    const err = errorOf({
      QueueConfigurations: [queueConfig(eventsA, rulesA as [string, string][])],
      TopicConfigurations: [
        { TopicArn: TOPIC, Events: eventsB as never, Filter: filterOf(rulesB as [string, string][]) },
      ],
    });
    expect(err.message).toContain(message);
  });

  it.each([
    [['s3:ObjectCreated:*'], [], ['s3:ObjectRemoved:*'], []],
    [['s3:ObjectCreated:*'], [['prefix', 'images/']], ['s3:ObjectCreated:*'], [['prefix', 'videos/']]],
    [['s3:ObjectCreated:*'], [['suffix', '.jpg']], ['s3:ObjectCreated:*'], [['suffix', '.png']]],
    [
      ['s3:ObjectCreated:*'],
      [
        ['prefix', 'a/'],
        ['suffix', '.jpg'],
      ],
      ['s3:ObjectCreated:*'],
      [
        ['prefix', 'a/'],
        ['suffix', '.png'],
      ],
    ],
  ])('accepts %j %j with %j %j', (eventsA, rulesA, eventsB, rulesB) => {
    const { rules } = check({
      QueueConfigurations: [queueConfig(eventsA, rulesA as [string, string][])],
      TopicConfigurations: [
        { TopicArn: TOPIC, Events: eventsB as never, Filter: filterOf(rulesB as [string, string][]) },
      ],
    });
    expect(rules).toHaveLength(2);
  });
});

function filterOf(rules: [string, string][]) {
  return rules.length
    ? { Key: { FilterRules: rules.map(([Name, Value]) => ({ Name: Name as never, Value })) } }
    : undefined;
}

describe('matching', () => {
  const rule: NotificationRule = {
    id: 'r',
    kind: 'queue',
    arn: QUEUE,
    events: ['ObjectCreated:*', 'ObjectRemoved:Delete'],
    prefix: 'my+photos/',
    suffix: '.jpg',
    filtered: true,
  };

  it.each([
    ['ObjectCreated:Put', 'my+photos/cat.jpg', true],
    ['ObjectCreated:CompleteMultipartUpload', 'my+photos/cat.jpg', true],
    ['ObjectRemoved:Delete', 'my+photos/cat.jpg', true],
    ['ObjectRemoved:DeleteMarkerCreated', 'my+photos/cat.jpg', false],
    ['ObjectCreated:Put', 'my+photos/cat.png', false],
    ['ObjectCreated:Put', 'photos/cat.jpg', false],
  ])('%s of %s: %s', (event, key, expected) => {
    expect(ruleMatches(rule, event, key)).toBe(expected);
  });

  it('lets a wildcard cover the events of its kind only', () => {
    expect(eventCovers('ObjectCreated:*', 'ObjectCreated:Copy')).toBe(true);
    expect(eventCovers('ObjectCreated:*', 'ObjectRemoved:Delete')).toBe(false);
    expect(eventCovers('ObjectCreated:Put', 'ObjectCreated:Post')).toBe(false);
  });
});

describe('unvalidatedDestinations', () => {
  it('numbers each destination with why', () => {
    const err = unvalidatedDestinations([
      { arn: QUEUE, reason: 'The destination queue does not exist' },
      { arn: TOPIC, reason: 'The destination topic does not exist' },
    ]);
    expect([err.code, err.status, err.message]).toEqual([
      'InvalidArgument',
      400,
      'Unable to validate the following destination configurations',
    ]);
    expect(err.fields).toEqual({
      ArgumentName1: QUEUE,
      ArgumentValue1: 'The destination queue does not exist',
      ArgumentName2: TOPIC,
      ArgumentValue2: 'The destination topic does not exist',
    });
  });
});
