/**
 * Topics: CreateTopic (idempotent with equal attributes and tags, AWS's name rules, FIFO
 * topics), DeleteTopic (idempotent, takes its subscriptions along), ListTopics in pages of
 * 100, Get/SetTopicAttributes with the defaults and subscription counts AWS reports, and tags.
 * Messages are those AWS answers (API reference; responses recorded against AWS in
 * localstack's tests/aws/services/sns/test_sns.snapshot.json).
 */
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PublishCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import {
  clientsFor,
  createQueue,
  createTopic,
  DEFAULT_ACCOUNT,
  invalidParameter,
  REGION,
  receiveNow,
  snsError,
  subscribeQueue,
  TOPIC_NOT_FOUND,
  uniqueName,
  useSns,
} from './setup.js';

const t = useSns();

async function topicAttributes(topicArn: string): Promise<Record<string, string>> {
  const out = await t.sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
  return out.Attributes ?? {};
}

describe('CreateTopic', () => {
  it('returns the ARN arn:aws:sns:<region>:<account>:<name>', async () => {
    const name = uniqueName('orders');
    const out = await t.sns.send(new CreateTopicCommand({ Name: name }));
    expect(out.TopicArn).toBe(`arn:aws:sns:${REGION}:${DEFAULT_ACCOUNT}:${name}`);
  });

  it('is idempotent: the same name with equal, or no, attributes gives the same topic', async () => {
    const Name = uniqueName('idempotent');
    const first = await t.sns.send(
      new CreateTopicCommand({ Name, Attributes: { DisplayName: 'AlreadySet' } }),
    );
    const again = await t.sns.send(
      new CreateTopicCommand({ Name, Attributes: { DisplayName: 'AlreadySet' } }),
    );
    const bare = await t.sns.send(new CreateTopicCommand({ Name }));
    expect(again.TopicArn).toBe(first.TopicArn);
    expect(bare.TopicArn).toBe(first.TopicArn);
    expect((await topicAttributes(first.TopicArn as string)).DisplayName).toBe('AlreadySet');
  });

  it('rejects the same name with different attributes', async () => {
    const Name = uniqueName('conflict');
    await t.sns.send(new CreateTopicCommand({ Name, Attributes: { DisplayName: 'one' } }));
    await expect(
      t.sns.send(new CreateTopicCommand({ Name, Attributes: { DisplayName: 'two' } })),
    ).rejects.toMatchObject(
      invalidParameter(
        'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
      ),
    );
  });

  it('accepts the same tags or a subset again, and rejects a tag the topic does not have', async () => {
    const Name = uniqueName('tagged');
    const tags = [
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: '2' },
    ];
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name, Tags: tags }));
    for (const Tags of [tags, [tags[0]], []]) {
      const again = await t.sns.send(new CreateTopicCommand({ Name, Tags }));
      expect(again.TopicArn).toBe(TopicArn);
    }
    await expect(
      t.sns.send(new CreateTopicCommand({ Name, Tags: [{ Key: 'c', Value: '3' }] })),
    ).rejects.toMatchObject(
      invalidParameter('Invalid parameter: Tags Reason: Topic already exists with different tags'),
    );
  });

  it('accepts names of 1 to 256 letters, digits, hyphens and underscores', async () => {
    for (const Name of ['a', `Z_9-${'x'.repeat(252)}`]) {
      const out = await t.sns.send(new CreateTopicCommand({ Name }));
      expect(out.TopicArn).toBe(`arn:aws:sns:${REGION}:${DEFAULT_ACCOUNT}:${Name}`);
    }
  });

  it('rejects other names with "Invalid parameter: Topic Name"', async () => {
    const bad = ['', 'x'.repeat(257), 'a:b', 'a;b', 'a!b', 'a@b', 'a|b', 'a^b', 'a%b', 'a b', 'a.b'];
    for (const Name of bad) {
      await expect(t.sns.send(new CreateTopicCommand({ Name })), JSON.stringify(Name)).rejects.toMatchObject(
        invalidParameter('Invalid parameter: Topic Name'),
      );
    }
  });

  it('creates a FIFO topic from a .fifo name with FifoTopic=true', async () => {
    const Name = uniqueName('fifo', true);
    const { TopicArn } = await t.sns.send(
      new CreateTopicCommand({ Name, Attributes: { FifoTopic: 'true' } }),
    );
    expect(TopicArn).toBe(`arn:aws:sns:${REGION}:${DEFAULT_ACCOUNT}:${Name}`);
    const attrs = await topicAttributes(TopicArn as string);
    expect(attrs).toMatchObject({ FifoTopic: 'true', ContentBasedDeduplication: 'false' });
  });

  it('keeps ContentBasedDeduplication given at creation of a FIFO topic', async () => {
    const arn = await createTopic(t.sns, 'cbd', { FifoTopic: 'true', ContentBasedDeduplication: 'true' });
    expect((await topicAttributes(arn)).ContentBasedDeduplication).toBe('true');
  });

  it('rejects FifoTopic=true without the .fifo suffix, and a .fifo name for a standard topic', async () => {
    await expect(
      t.sns.send(new CreateTopicCommand({ Name: uniqueName('nosuffix'), Attributes: { FifoTopic: 'true' } })),
    ).rejects.toMatchObject(invalidParameter('Invalid parameter: Topic Name'));
    // AWS answers 400 here; its wording has varied ("Invalid parameter: Topic Name" / "Topic names must be made up of...")
    await expect(
      t.sns.send(new CreateTopicCommand({ Name: uniqueName('suffix', true) })),
    ).rejects.toMatchObject(snsError('InvalidParameter', 400, /topic name/i));
  });
});

describe('GetTopicAttributes and SetTopicAttributes', () => {
  it('reports the defaults AWS gives a new standard topic', async () => {
    const arn = await createTopic(t.sns, 'defaults');
    const attrs = await topicAttributes(arn);
    expect(attrs).toMatchObject({
      TopicArn: arn,
      Owner: DEFAULT_ACCOUNT,
      DisplayName: '',
      SubscriptionsConfirmed: '0',
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
    });
    expect(attrs.FifoTopic).toBeUndefined();
    expect(JSON.parse(attrs.Policy)).toEqual({
      Version: '2008-10-17',
      Id: '__default_policy_ID',
      Statement: [
        {
          Sid: '__default_statement_ID',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: [
            'SNS:GetTopicAttributes',
            'SNS:SetTopicAttributes',
            'SNS:AddPermission',
            'SNS:RemovePermission',
            'SNS:DeleteTopic',
            'SNS:Subscribe',
            'SNS:ListSubscriptionsByTopic',
            'SNS:Publish',
          ],
          Resource: arn,
          Condition: { StringEquals: { 'AWS:SourceOwner': DEFAULT_ACCOUNT } },
        },
      ],
    });
    expect(JSON.parse(attrs.EffectiveDeliveryPolicy)).toEqual({
      http: {
        defaultHealthyRetryPolicy: {
          minDelayTarget: 20,
          maxDelayTarget: 20,
          numRetries: 3,
          numMaxDelayRetries: 0,
          numNoDelayRetries: 0,
          numMinDelayRetries: 0,
          backoffFunction: 'linear',
        },
        disableSubscriptionOverrides: false,
        defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
      },
    });
  });

  it('sets DisplayName, Policy, DeliveryPolicy and KmsMasterKeyId and reads them back', async () => {
    const arn = await createTopic(t.sns, 'settable');
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'SNS:Publish', Resource: arn }],
    });
    const deliveryPolicy = JSON.stringify({
      http: { defaultHealthyRetryPolicy: { minDelayTarget: 5, maxDelayTarget: 6, numRetries: 1 } },
    });
    const updates: Record<string, string> = {
      DisplayName: 'Orders',
      Policy: policy,
      DeliveryPolicy: deliveryPolicy,
      KmsMasterKeyId: 'alias/aws/sns',
    };
    for (const [AttributeName, AttributeValue] of Object.entries(updates)) {
      await t.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName, AttributeValue }));
    }
    const attrs = await topicAttributes(arn);
    expect(attrs.DisplayName).toBe('Orders');
    expect(attrs.KmsMasterKeyId).toBe('alias/aws/sns');
    expect(JSON.parse(attrs.Policy)).toEqual(JSON.parse(policy));
    expect(JSON.parse(attrs.DeliveryPolicy)).toMatchObject(JSON.parse(deliveryPolicy));
    expect(JSON.parse(attrs.EffectiveDeliveryPolicy).http.defaultHealthyRetryPolicy).toMatchObject({
      minDelayTarget: 5,
      maxDelayTarget: 6,
      numRetries: 1,
    });
  });

  it('rejects an attribute that cannot be set, such as FifoTopic after creation', async () => {
    const arn = await createTopic(t.sns, 'fixed');
    await expect(
      t.sns.send(
        new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'FifoTopic', AttributeValue: 'false' }),
      ),
    ).rejects.toMatchObject(invalidParameter('Invalid parameter: AttributeName'));
  });

  it('counts confirmed, pending and deleted subscriptions', async () => {
    const arn = await createTopic(t.sns, 'counted');
    const subs: string[] = [];
    for (const label of ['q1', 'q2']) {
      const queue = await createQueue(t.sqs, label);
      subs.push(await subscribeQueue(t.sns, arn, queue.arn));
    }
    await t.sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: 'ops@example.com' }));
    expect(await topicAttributes(arn)).toMatchObject({
      SubscriptionsConfirmed: '2',
      SubscriptionsPending: '1',
      SubscriptionsDeleted: '0',
    });
    await t.sns.send(new UnsubscribeCommand({ SubscriptionArn: subs[0] }));
    expect(await topicAttributes(arn)).toMatchObject({
      SubscriptionsConfirmed: '1',
      SubscriptionsPending: '1',
      SubscriptionsDeleted: '1',
    });
  });

  it('answers NotFound for a topic that does not exist, InvalidParameter for a malformed ARN', async () => {
    const missing = `arn:aws:sns:${REGION}:${DEFAULT_ACCOUNT}:${uniqueName('never-created')}`;
    await expect(t.sns.send(new GetTopicAttributesCommand({ TopicArn: missing }))).rejects.toMatchObject(
      TOPIC_NOT_FOUND,
    );
    await expect(t.sns.send(new GetTopicAttributesCommand({ TopicArn: 'test-topic' }))).rejects.toMatchObject(
      invalidParameter('Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1'),
    );
    await expect(
      t.sns.send(
        new SetTopicAttributesCommand({
          TopicArn: missing,
          AttributeName: 'DisplayName',
          AttributeValue: 'x',
        }),
      ),
    ).rejects.toMatchObject(TOPIC_NOT_FOUND);
  });
});

describe('DeleteTopic', () => {
  it('deletes the topic, and deleting it again (or any unknown topic) succeeds', async () => {
    const arn = await createTopic(t.sns, 'doomed');
    await t.sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    await expect(t.sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).rejects.toMatchObject(
      TOPIC_NOT_FOUND,
    );
    const again = await t.sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    expect(again.$metadata.httpStatusCode).toBe(200);
  });

  it('removes its subscriptions: a topic re-created with the same name starts with none', async () => {
    const Name = uniqueName('reborn');
    const { TopicArn } = await t.sns.send(new CreateTopicCommand({ Name }));
    const queue = await createQueue(t.sqs, 'reborn-queue');
    const subscriptionArn = await subscribeQueue(t.sns, TopicArn as string, queue.arn);
    await t.sns.send(new DeleteTopicCommand({ TopicArn }));
    const everywhere = await t.sns.send(new ListSubscriptionsCommand({}));
    expect(everywhere.Subscriptions?.map((s) => s.SubscriptionArn)).not.toContain(subscriptionArn);

    const reborn = await t.sns.send(new CreateTopicCommand({ Name }));
    expect(reborn.TopicArn).toBe(TopicArn);
    const listed = await t.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(listed.Subscriptions).toEqual([]);
    expect(await topicAttributes(TopicArn as string)).toMatchObject({ SubscriptionsConfirmed: '0' });
    await t.sns.send(new PublishCommand({ TopicArn, Message: 'after rebirth' }));
    expect(await receiveNow(t.sqs, queue.url)).toEqual([]);
  });
});

describe('ListTopics', () => {
  it('pages 100 topics at a time with NextToken, and lists each topic once', async () => {
    // a fresh account, so that the listing holds exactly these topics
    const { sns } = clientsFor(t.h, '100000000001');
    const created = new Set<string>();
    for (let i = 0; i < 150; i++) {
      const out = await sns.send(new CreateTopicCommand({ Name: `page-${i}` }));
      created.add(out.TopicArn as string);
    }
    const first = await sns.send(new ListTopicsCommand({}));
    expect(first.Topics).toHaveLength(100);
    expect(first.NextToken).toBeTruthy();
    const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    expect(second.Topics).toHaveLength(50);
    expect(second.NextToken).toBeUndefined();
    const listed = [...(first.Topics ?? []), ...(second.Topics ?? [])].map((topic) => topic.TopicArn);
    expect(new Set(listed)).toEqual(created);
  });

  it('lists only the topics of the calling account and region', async () => {
    const { sns } = clientsFor(t.h, '100000000002');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'mine' }));
    const west = new SNSClient(
      t.h.clientConfig({
        region: 'us-west-2',
        credentials: { accessKeyId: '100000000002', secretAccessKey: 'x' },
      }),
    );
    const here = await sns.send(new ListTopicsCommand({}));
    expect(here.Topics).toEqual([{ TopicArn }]);
    const there = await west.send(new ListTopicsCommand({}));
    expect(there.Topics ?? []).toEqual([]);
  });
});

describe('tags', () => {
  it('tags, lists, updates and untags a topic', async () => {
    const arn = await createTopic(t.sns, 'tags');
    await t.sns.send(
      new TagResourceCommand({
        ResourceArn: arn,
        Tags: [
          { Key: 'k1', Value: 'v1' },
          { Key: 'k2', Value: 'v2' },
        ],
      }),
    );
    const sorted = async () => {
      const out = await t.sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
      return [...(out.Tags ?? [])].sort((a, b) => String(a.Key).localeCompare(String(b.Key)));
    };
    expect(await sorted()).toEqual([
      { Key: 'k1', Value: 'v1' },
      { Key: 'k2', Value: 'v2' },
    ]);
    await t.sns.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['k1'] }));
    expect(await sorted()).toEqual([{ Key: 'k2', Value: 'v2' }]);
    await t.sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'k2', Value: 'v2b' }] }));
    expect(await sorted()).toEqual([{ Key: 'k2', Value: 'v2b' }]);
  });

  it('rejects duplicated keys in one TagResource', async () => {
    const arn = await createTopic(t.sns, 'dup-tags');
    await expect(
      t.sns.send(
        new TagResourceCommand({
          ResourceArn: arn,
          Tags: [
            { Key: 'k1', Value: 'v1' },
            { Key: 'k2', Value: 'v2' },
            { Key: 'k2', Value: 'v2' },
          ],
        }),
      ),
    ).rejects.toMatchObject(invalidParameter('Invalid parameter: Duplicated keys are not allowed.'));
  });

  it('keeps the tags given to CreateTopic', async () => {
    const { TopicArn } = await t.sns.send(
      new CreateTopicCommand({ Name: uniqueName('born-tagged'), Tags: [{ Key: 'team', Value: 'payments' }] }),
    );
    const out = await t.sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
    expect(out.Tags).toEqual([{ Key: 'team', Value: 'payments' }]);
  });

  it('answers ResourceNotFound for the tags of a topic that does not exist', async () => {
    const missing = `arn:aws:sns:${REGION}:${DEFAULT_ACCOUNT}:${uniqueName('no-tags-here')}`;
    await expect(t.sns.send(new ListTagsForResourceCommand({ ResourceArn: missing }))).rejects.toMatchObject(
      snsError('ResourceNotFound', 404),
    );
  });
});
