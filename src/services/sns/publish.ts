/**
 * Publish and PublishBatch: checks a message as SNS does, deduplicates it on a FIFO topic
 * (five minutes, by MessageDeduplicationId or the SHA-256 of the message), gives it a
 * MessageId (and a SequenceNumber on a FIFO topic), and delivers it to the topic's
 * confirmed subscriptions before answering. Publish also sends to a phone number.
 */
import { createHash, randomUUID } from 'node:crypto';
import type {
  BatchResultErrorEntry,
  PublishBatchInput,
  PublishBatchRequestEntry,
  PublishBatchResponse,
  PublishBatchResultEntry,
  PublishInput,
  PublishResponse,
} from '@aws-sdk/client-sns';
import { AwsError } from '../../errors.js';
import { perDb } from '../../storage/database.js';
import { sequenceNumber } from '../sqs/fifo.js';
import type { RequestContext } from '../types.js';
import { parseArn, requestTopicArn } from './arns.js';
import { deliver, type Outgoing } from './deliveries.js';
import { shownAttributes } from './envelope.js';
import { entryCode, invalid, topicNotFound } from './errors.js';
import {
  type CheckedAttributes,
  checkAttributes,
  checkMessage,
  checkPhoneNumber,
  checkSubject,
  MAX_MESSAGE_BYTES,
  messageSize,
  parseStructure,
} from './message-rules.js';
import { recordSent } from './sent.js';
import { confirmedSubscriptions } from './subscription-store.js';
import { isTrue } from './topic-attributes.js';
import { type Topic, topicAttributes, topicByArn } from './topic-store.js';

const DEDUP_INTERVAL_MS = 5 * 60 * 1000;
const MAX_BATCH_ENTRIES = 10;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]+$/;
/** "up to 128 alphanumeric characters (a-z, A-Z, 0-9) and punctuation" (Publish API reference) */
const FIFO_ID = /^[\x21-\x7E]{1,128}$/;

const statements = perDb((db) => ({
  nextSequence: db.prepare<[number], { sequence: number }>(
    'UPDATE sns_topics SET sequence = sequence + 1 WHERE id = ? RETURNING sequence',
  ),
  findDedup: db.prepare<[number, string, number], { messageId: string; sequenceNumber: string }>(
    `SELECT message_id AS messageId, sequence_number AS sequenceNumber FROM sns_dedup
     WHERE topic_id = ? AND dedup_id = ? AND expires_at > ?`,
  ),
  remember: db.prepare<[number, string, string, string, number]>(
    'INSERT OR REPLACE INTO sns_dedup (topic_id, dedup_id, message_id, sequence_number, expires_at) VALUES (?, ?, ?, ?, ?)',
  ),
  expire: db.prepare<[number]>('DELETE FROM sns_dedup WHERE expires_at <= ?'),
}));

type Entry = Omit<PublishBatchRequestEntry, 'Id'>;

/** A message that passed SNS's checks, ready to deliver. */
interface Checked {
  message: string;
  perProtocol?: Record<string, string>;
  subject?: string;
  attributes: CheckedAttributes;
  groupId?: string;
  dedupId?: string;
}

/** The checks of one message that fail a whole batch (as they fail a Publish). */
function checkContent(entry: Entry, attributesPath: string): Checked {
  const message = checkMessage(entry.Message, 'message');
  checkSubject(entry.Subject);
  const attributes = checkAttributes(entry.MessageAttributes, attributesPath);
  if (messageSize(message, attributes) > MAX_MESSAGE_BYTES) throw invalid('Message too long');
  return {
    message,
    perProtocol: parseStructure(message, entry.MessageStructure),
    subject: entry.Subject,
    attributes,
    groupId: entry.MessageGroupId,
    dedupId: entry.MessageDeduplicationId,
  };
}

/** Checks a group or deduplication id as the queues it reaches check it: one they would refuse
 * must fail the Publish, not vanish after it has answered. */
function checkFifoId(name: 'MessageGroupId' | 'MessageDeduplicationId', value: string | undefined): void {
  if (value !== undefined && !FIFO_ID.test(value)) {
    throw invalid(
      name,
      `${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
  }
}

/** The deduplication id of a message to a FIFO topic; a standard topic takes a MessageGroupId
 * too, for the SQS fair queues it reaches. */
function checkFifo(topic: Topic | undefined, entry: Entry): string | undefined {
  const fifo = topic?.fifo === 1;
  if (!fifo) {
    if (entry.MessageDeduplicationId !== undefined) {
      throw invalid(
        'MessageDeduplicationId',
        'The request includes MessageDeduplicationId parameter that is not valid for this topic type',
      );
    }
    checkFifoId('MessageGroupId', entry.MessageGroupId);
    return undefined;
  }
  if (!entry.MessageGroupId) throw invalid('The MessageGroupId parameter is required for FIFO topics');
  checkFifoId('MessageGroupId', entry.MessageGroupId);
  checkFifoId('MessageDeduplicationId', entry.MessageDeduplicationId);
  if (entry.MessageDeduplicationId !== undefined) return entry.MessageDeduplicationId;
  if (!isTrue(topicAttributes(topic as Topic).ContentBasedDeduplication)) {
    throw invalid(
      'The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
  }
  return createHash('sha256')
    .update(entry.Message ?? '')
    .digest('hex');
}

interface Sent {
  MessageId: string;
  SequenceNumber?: string;
}

/** Delivers a checked message to the topic's subscribers; a FIFO duplicate is not delivered again. */
function publishToTopic(ctx: RequestContext, topic: Topic, checked: Checked): Sent {
  const now = ctx.now();
  const s = statements(ctx.db);
  let sequence: string | undefined;
  if (topic.fifo === 1) {
    const dedupId = checked.dedupId as string;
    s.expire.run(now);
    const earlier = s.findDedup.get(topic.id, dedupId, now);
    if (earlier) return { MessageId: earlier.messageId, SequenceNumber: earlier.sequenceNumber };
    sequence = sequenceNumber((s.nextSequence.get(topic.id) as { sequence: number }).sequence);
  }
  const messageId = randomUUID();
  if (sequence !== undefined)
    s.remember.run(topic.id, checked.dedupId as string, messageId, sequence, now + DEDUP_INTERVAL_MS);
  const out: Outgoing = {
    type: 'Notification',
    messageId,
    topic,
    message: checked.message,
    perProtocol: checked.perProtocol,
    subject: checked.subject,
    attributes: checked.attributes.attributes,
    timestamp: new Date(now).toISOString(),
    groupId: checked.groupId,
    dedupId: checked.dedupId,
    sequenceNumber: sequence,
  };
  deliver(ctx, out, confirmedSubscriptions(ctx.db, topic.id));
  return sequence === undefined
    ? { MessageId: messageId }
    : { MessageId: messageId, SequenceNumber: sequence };
}

function publishToPhone(ctx: RequestContext, phoneNumber: string, checked: Checked): Sent {
  const messageId = randomUUID();
  const attributes = checked.attributes.attributes;
  const sms = checked.perProtocol
    ? (checked.perProtocol.sms ?? (checked.perProtocol.default as string))
    : checked.message;
  recordSent(ctx.db, {
    accountId: ctx.accountId,
    region: ctx.region,
    protocol: 'sms',
    endpoint: phoneNumber,
    topicArn: null,
    subscriptionArn: null,
    type: 'Notification',
    messageId,
    subject: checked.subject ?? null,
    message: sms,
    messageAttributes: attributes ? JSON.stringify(shownAttributes(attributes)) : null,
    body: sms,
    subscribeUrl: null,
    token: null,
    sentAt: ctx.now(),
  });
  return { MessageId: messageId };
}

/** The topic Publish names by TopicArn or TargetArn; a mobile endpoint ARN names none here. */
function targetTopic(ctx: RequestContext, input: PublishInput): Topic | undefined {
  if (input.TopicArn !== undefined && input.TargetArn !== undefined) {
    throw invalid('TopicArn or TargetArn', 'Only one of them may be specified');
  }
  const parameter = input.TopicArn !== undefined ? 'TopicArn' : 'TargetArn';
  const arn = input.TopicArn ?? input.TargetArn;
  if (arn === undefined) throw invalid('TopicArn or TargetArn', 'no value for required parameter');
  const parts = parseArn(arn, parameter);
  if (parts.resource.startsWith('endpoint/')) {
    throw invalid('TargetArn', 'No endpoint found for the target arn specified');
  }
  requestTopicArn(ctx, arn, parameter);
  return topicByArn(ctx.db, arn);
}

/**
 * Publishes for another AWS service (S3's event notifications): to the topic an ARN names, of
 * whichever account, with no caller to check. False when there is no such topic, or it is a
 * FIFO topic (which such services do not publish to).
 */
export function publishFromService(
  ctx: RequestContext,
  topicArn: string,
  message: string,
  subject: string,
): boolean {
  const topic = topicByArn(ctx.db, topicArn);
  if (!topic || topic.fifo === 1) return false;
  publishToTopic(ctx, topic, { message, subject, attributes: { size: 0 } });
  return true;
}

export function publish(input: PublishInput, ctx: RequestContext): PublishResponse {
  if (input.Subject === '') throw invalid('Subject');
  checkMessage(input.Message, 'message');
  if (input.PhoneNumber !== undefined && input.TopicArn === undefined && input.TargetArn === undefined) {
    checkPhoneNumber(input.PhoneNumber);
    return publishToPhone(ctx, input.PhoneNumber, checkContent(input, 'messageAttributes'));
  }
  const topic = targetTopic(ctx, input);
  const checked = checkContent(input, 'messageAttributes');
  checked.dedupId = checkFifo(topic, input);
  if (!topic) throw topicNotFound();
  return publishToTopic(ctx, topic, checked);
}

function checkBatch(entries: PublishBatchRequestEntry[] | undefined): PublishBatchRequestEntry[] {
  if (!entries || entries.length === 0) {
    throw new AwsError('EmptyBatchRequestException', "The batch request doesn't contain any entries.", 400);
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new AwsError(
      'TooManyEntriesInBatchRequestException',
      'The batch request contains more entries than permissible.',
      400,
    );
  }
  const ids = new Set<string>();
  for (const { Id: id = '' } of entries) {
    if (ids.has(id)) {
      throw new AwsError(
        'BatchEntryIdsNotDistinctException',
        'Two or more batch entries in the request have the same Id.',
        400,
      );
    }
    ids.add(id);
    if (id.length > 80) {
      throw new AwsError(
        'InvalidBatchEntryIdException',
        `The Id of a batch entry in the batch request is too long: ${id}`,
        400,
      );
    }
    if (!BATCH_ENTRY_ID.test(id)) {
      throw new AwsError(
        'InvalidBatchEntryIdException',
        `The Id of a batch entry in the batch request contains an impermissible character: ${id}`,
        400,
      );
    }
  }
  return entries;
}

/** An entry's own failure (an empty message or a bad subject) fails only that entry. */
function entryFailure(entry: PublishBatchRequestEntry): BatchResultErrorEntry | undefined {
  try {
    if (entry.Message === '') throw invalid('Empty message');
    if (entry.Subject === '') throw invalid('Subject');
    checkSubject(entry.Subject);
    return undefined;
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    return { Id: entry.Id, Code: entryCode(err), Message: err.message, SenderFault: true };
  }
}

function checkEntry(entry: PublishBatchRequestEntry, index: number): Checked | BatchResultErrorEntry {
  return (
    entryFailure(entry) ??
    checkContent(entry, `publishBatchRequestEntries.${index + 1}.member.messageAttributes`)
  );
}

export function publishBatch(input: PublishBatchInput, ctx: RequestContext): PublishBatchResponse {
  const entries = checkBatch(input.PublishBatchRequestEntries);
  const topic = topicByArn(ctx.db, requestTopicArn(ctx, input.TopicArn));
  const checked = entries.map(checkEntry);
  let total = 0;
  for (const [index, entry] of entries.entries()) {
    const result = checked[index] as Checked | BatchResultErrorEntry;
    if ('Code' in result) continue;
    result.dedupId = checkFifo(topic, entry);
    total += messageSize(result.message, result.attributes);
  }
  if (total > MAX_MESSAGE_BYTES) {
    throw new AwsError(
      'BatchRequestTooLongException',
      'The length of all the messages put together is more than the limit.',
      400,
    );
  }
  if (!topic) throw topicNotFound();
  const Successful: PublishBatchResultEntry[] = [];
  const Failed: BatchResultErrorEntry[] = [];
  for (const [index, entry] of entries.entries()) {
    const result = checked[index] as Checked | BatchResultErrorEntry;
    if ('Code' in result) Failed.push(result);
    else Successful.push({ Id: entry.Id, ...publishToTopic(ctx, topic, result) });
  }
  return { Successful, Failed };
}
