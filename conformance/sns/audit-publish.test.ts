/**
 * What the Publish API reference says of MessageGroupId and MessageDeduplicationId: each "can
 * contain up to 128 alphanumeric characters (a-z, A-Z, 0-9) and punctuation"; on a FIFO topic
 * both follow that rule; on a standard topic MessageGroupId "is optional and is forwarded only
 * to Amazon SQS standard subscriptions to activate fair queues", with "the same validation rules
 * as for FIFO topics". A malformed id is refused by Publish (and PublishBatch) and nothing is
 * delivered; a queue never refuses what Publish accepted. And ContentBasedDeduplication set on a
 * FIFO topic after its creation governs the next Publish.
 */
import {
  PublishBatchCommand,
  PublishCommand,
  type PublishCommandInput,
  SetTopicAttributesCommand,
} from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import {
  createQueue,
  createTopic,
  invalidParameter,
  parseEnvelope,
  receiveNow,
  subscribe,
  subscribeQueue,
  useSns,
} from './setup.js';
import { sinkMessages } from './sinks.js';

const t = useSns();

const publish = (input: PublishCommandInput) => t.sns.send(new PublishCommand(input));

const malformed = (name: string) =>
  invalidParameter(
    `Invalid parameter: ${name} Reason: ${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
  );

/** Ids a queue would refuse: too long, empty, a space, a character outside ASCII. */
const BAD_IDS = ['g'.repeat(129), '', 'tenant 1', 'tenant-ü'];

describe('MessageGroupId on a standard topic', () => {
  it('is forwarded to standard queues (fair queues) and not to other endpoints', async () => {
    const topicArn = await createTopic(t.sns, 'fair');
    const queue = await createQueue(t.sqs, 'fair-queue');
    await subscribeQueue(t.sns, topicArn, queue.arn);
    const raw = await createQueue(t.sqs, 'fair-raw');
    await subscribeQueue(t.sns, topicArn, raw.arn, { RawMessageDelivery: 'true' });
    await subscribe(t.sns, { TopicArn: topicArn, Protocol: 'sms', Endpoint: '+15555550199' });
    const groupId = `tenant-42!#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~${'g'.repeat(88)}`;
    expect(groupId).toHaveLength(128);
    const out = await publish({ TopicArn: topicArn, Message: 'fair share', MessageGroupId: groupId });
    expect(out.SequenceNumber).toBeUndefined();

    const [enveloped] = await receiveNow(t.sqs, queue.url);
    expect(enveloped?.Attributes?.MessageGroupId).toBe(groupId);
    expect(parseEnvelope(enveloped?.Body)).toMatchObject({ MessageId: out.MessageId, Message: 'fair share' });
    expect(parseEnvelope(enveloped?.Body).SequenceNumber).toBeUndefined();
    const [rawMessage] = await receiveNow(t.sqs, raw.url);
    expect(rawMessage).toMatchObject({ Body: 'fair share', Attributes: { MessageGroupId: groupId } });
    const [sms] = await sinkMessages(t.h.url, { phoneNumber: '+15555550199' });
    expect(sms?.message).toBe('fair share');
  });

  it('is refused when a queue would refuse it, in Publish and PublishBatch, delivering nothing', async () => {
    const topicArn = await createTopic(t.sns, 'fair-refused');
    const queue = await createQueue(t.sqs, 'fair-refused');
    await subscribeQueue(t.sns, topicArn, queue.arn);
    for (const MessageGroupId of BAD_IDS) {
      await expect(
        publish({ TopicArn: topicArn, Message: 'lost?', MessageGroupId }),
        JSON.stringify(MessageGroupId),
      ).rejects.toMatchObject(malformed('MessageGroupId'));
    }
    await expect(
      t.sns.send(
        new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: [
            { Id: 'ok', Message: 'fine', MessageGroupId: 'tenant-1' },
            { Id: 'bad', Message: 'lost?', MessageGroupId: 'tenant 2' },
          ],
        }),
      ),
    ).rejects.toMatchObject(malformed('MessageGroupId'));
    expect(await receiveNow(t.sqs, queue.url)).toEqual([]);
  });
});

describe('ids on a FIFO topic', () => {
  it('refuses a malformed MessageGroupId or MessageDeduplicationId, delivering nothing', async () => {
    const topicArn = await createTopic(t.sns, 'fifo-ids', { FifoTopic: 'true' });
    const queue = await createQueue(t.sqs, 'fifo-ids', { FifoQueue: 'true' });
    await subscribeQueue(t.sns, topicArn, queue.arn);
    for (const bad of BAD_IDS.filter((id) => id !== '')) {
      await expect(
        publish({ TopicArn: topicArn, Message: 'm', MessageGroupId: bad, MessageDeduplicationId: 'd-1' }),
      ).rejects.toMatchObject(malformed('MessageGroupId'));
    }
    for (const bad of BAD_IDS) {
      await expect(
        publish({ TopicArn: topicArn, Message: 'm', MessageGroupId: 'g', MessageDeduplicationId: bad }),
        JSON.stringify(bad),
      ).rejects.toMatchObject(malformed('MessageDeduplicationId'));
    }
    expect(await receiveNow(t.sqs, queue.url)).toEqual([]);
    const longest = 'd'.repeat(128);
    await publish({
      TopicArn: topicArn,
      Message: 'kept',
      MessageGroupId: 'g',
      MessageDeduplicationId: longest,
    });
    const [message] = await receiveNow(t.sqs, queue.url);
    expect(message?.Attributes).toMatchObject({ MessageGroupId: 'g', MessageDeduplicationId: longest });
  });

  it('follows ContentBasedDeduplication set after the topic was created', async () => {
    const topicArn = await createTopic(t.sns, 'cbd-later', { FifoTopic: 'true' });
    const queue = await createQueue(t.sqs, 'cbd-later', { FifoQueue: 'true' });
    await subscribeQueue(t.sns, topicArn, queue.arn, { RawMessageDelivery: 'true' });
    const once = { TopicArn: topicArn, Message: 'same body', MessageGroupId: 'g' };
    await expect(publish(once)).rejects.toMatchObject(
      invalidParameter(
        'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      ),
    );
    const set = (AttributeValue: string) =>
      t.sns.send(
        new SetTopicAttributesCommand({
          TopicArn: topicArn,
          AttributeName: 'ContentBasedDeduplication',
          AttributeValue,
        }),
      );
    await set('true');
    const first = await publish(once);
    const duplicate = await publish(once);
    expect(duplicate.MessageId).toBe(first.MessageId);
    expect((await receiveNow(t.sqs, queue.url)).map((m) => m.Body)).toEqual(['same body']);
    await set('false');
    await expect(publish({ ...once, Message: 'another body' })).rejects.toMatchObject(
      invalidParameter(
        'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      ),
    );
  });
});
