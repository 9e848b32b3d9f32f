/** SendMessage and SendMessageBatch. */
import { createHash, randomUUID } from 'node:crypto';
import type {
  MessageAttributeValue,
  SendMessageBatchRequest,
  SendMessageBatchRequestEntry,
  SendMessageBatchResult,
  SendMessageRequest,
  SendMessageResult,
} from '@aws-sdk/client-sqs';
import { AwsError } from '../../errors.js';
import type { RequestContext } from '../types.js';
import { MAX_MESSAGE_SIZE } from './attributes.js';
import { checkBatch, runEntries } from './batch.js';
import { invalidParameterValue, invalidValue, missingParameter } from './errors.js';
import { addToGroup, findDuplicate, rememberDedup, sequenceNumber } from './fifo.js';
import { longPolls } from './long-poll.js';
import { md5Hex } from './md5.js';
import {
  type CheckedAttributes,
  type CheckedSystemAttributes,
  checkAttributes,
  checkBody,
  checkDelay,
  checkFifoId,
  checkSize,
  checkSystemAttributes,
  messageSize,
} from './message-rules.js';
import { insertMessage } from './message-store.js';
import { type Queue, requireQueue } from './queue-lookup.js';

type Outgoing = Omit<SendMessageRequest, 'QueueUrl'>;

interface Sent extends SendMessageResult {
  /** false when FIFO deduplication dropped the message */
  enqueued: boolean;
}

const NOT_FOR_QUEUE_TYPE = 'The request includes a parameter that is not valid for this queue type.';
const NEEDS_DEDUP_ID =
  'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly';

/** A message that passed the queue's rules, ready to store. */
interface Checked {
  body: string;
  attributes: CheckedAttributes;
  system: CheckedSystemAttributes;
  delaySeconds: number;
  groupId?: string;
  /** FIFO: given, or the SHA-256 of the body under content-based deduplication */
  dedupId?: string;
}

function checkMessage(queue: Queue, message: Outgoing): Checked {
  const fifo = queue.fifo === 1;
  const body = checkBody(message.MessageBody);
  checkDelay(message.DelaySeconds, fifo);
  const attributes = checkAttributes(message.MessageAttributes);
  const system = checkSystemAttributes(message.MessageSystemAttributes);
  checkSize(messageSize(body, attributes), queue.maxMessageSize);
  const { MessageGroupId: groupId, MessageDeduplicationId: dedupId } = message;
  checkFifoId(groupId, 'MessageGroupId');
  checkFifoId(dedupId, 'MessageDeduplicationId');
  // a FIFO queue takes DelaySeconds 0 per message, but applies its own delay all the same
  const delaySeconds = fifo ? queue.delaySeconds : (message.DelaySeconds ?? queue.delaySeconds);
  if (!fifo) {
    if (dedupId !== undefined) throw invalidValue('MessageDeduplicationId', dedupId, NOT_FOR_QUEUE_TYPE);
    return { body, attributes, system, delaySeconds, groupId };
  }
  if (!groupId) throw missingParameter('MessageGroupId');
  if (dedupId === undefined && !queue.contentDedup) throw invalidParameterValue(NEEDS_DEDUP_ID);
  const dedup = dedupId ?? createHash('sha256').update(body).digest('hex');
  return { body, attributes, system, delaySeconds, groupId, dedupId: dedup };
}

/** Checks one message against the queue and stores it (or, a FIFO duplicate, not). */
function send(ctx: RequestContext, queue: Queue, message: Outgoing, now: number): Sent {
  const checked = checkMessage(queue, message);
  const { body, attributes, system, groupId, dedupId } = checked;
  const md5 = {
    MD5OfMessageBody: md5Hex(body),
    MD5OfMessageAttributes: attributes.md5 ?? undefined,
    MD5OfMessageSystemAttributes: system.md5,
  };
  const scope = queue.dedupByGroup ? (groupId as string) : '';
  const earlier = dedupId === undefined ? undefined : findDuplicate(ctx.db, queue.id, scope, dedupId, now);
  if (earlier) {
    return {
      ...md5,
      MessageId: earlier.messageId,
      SequenceNumber: sequenceNumber(earlier.seq),
      enqueued: false,
    };
  }
  const messageId = randomUUID();
  const visibleAt = now + checked.delaySeconds * 1000;
  const seq = insertMessage(ctx.db, {
    queueId: queue.id,
    messageId,
    body,
    md5Body: md5.MD5OfMessageBody,
    attributes: attributes.json,
    md5Attributes: attributes.md5,
    traceHeader: system.traceHeader,
    senderId: ctx.caller.userId ?? ctx.accountId,
    sentAt: now,
    visibleAt,
    groupId: groupId ?? null,
    dedupId: dedupId ?? null,
    dlqSourceArn: null,
  });
  if (!queue.fifo) return { ...md5, MessageId: messageId, enqueued: true };
  addToGroup(ctx.db, queue.id, groupId as string, seq, visibleAt);
  rememberDedup(ctx.db, queue.id, scope, dedupId as string, { messageId, seq }, now);
  return { ...md5, MessageId: messageId, SequenceNumber: sequenceNumber(seq), enqueued: true };
}

export function sendMessage(input: SendMessageRequest, ctx: RequestContext): SendMessageResult {
  const queue = requireQueue(ctx, input.QueueUrl);
  const { enqueued, ...result } = send(ctx, queue, input, ctx.now());
  // one waiting receiver woken per message enqueued
  if (enqueued) longPolls(ctx.db, ctx.now).notify(queue.id, 1);
  return result;
}

function attributesSize(attributes: Record<string, MessageAttributeValue> | undefined): number {
  let size = 0;
  for (const [name, value] of Object.entries(attributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '');
    size += value.BinaryValue ? value.BinaryValue.length : Buffer.byteLength(value.StringValue ?? '');
  }
  return size;
}

/** Checks what AWS checks for the batch as a whole before sending any entry. */
function checkSendBatch(queue: Queue, entries: SendMessageBatchRequestEntry[]): void {
  let total = 0;
  for (const entry of entries) {
    if (queue.fifo && !entry.MessageGroupId)
      throw invalidParameterValue('The request must contain the parameter MessageGroupId.');
    if (queue.fifo && entry.MessageDeduplicationId === undefined && !queue.contentDedup) {
      throw invalidParameterValue(NEEDS_DEDUP_ID);
    }
    total += Buffer.byteLength(entry.MessageBody ?? '') + attributesSize(entry.MessageAttributes);
  }
  if (total > MAX_MESSAGE_SIZE) {
    throw new AwsError(
      'BatchRequestTooLong',
      `Batch requests cannot be longer than ${MAX_MESSAGE_SIZE} bytes. You have sent ${total} bytes.`,
      400,
    );
  }
}

export function sendMessageBatch(
  input: SendMessageBatchRequest,
  ctx: RequestContext,
): SendMessageBatchResult {
  const queue = requireQueue(ctx, input.QueueUrl);
  const entries = input.Entries ?? [];
  checkBatch(entries, 'SendMessageBatchRequestEntry');
  checkSendBatch(queue, entries);
  const now = ctx.now();
  let enqueuedCount = 0;
  const result = runEntries(entries, (entry) => {
    const { enqueued, ...sent } = send(ctx, queue, entry, now);
    if (enqueued) enqueuedCount++;
    return { Id: entry.Id, ...sent };
  });
  if (enqueuedCount > 0) longPolls(ctx.db, ctx.now).notify(queue.id, enqueuedCount);
  return result as SendMessageBatchResult;
}
