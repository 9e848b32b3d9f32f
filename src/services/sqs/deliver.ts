/**
 * Putting a message into a queue on behalf of another service (SNS fan-out, dead-letter
 * redrive): by the queue's ARN, through SendMessage itself, so the same rules, MD5s, FIFO
 * deduplication and grouping, and long-poll wake-ups apply. It runs in the caller's
 * transaction.
 */
import type { MessageAttributeValue, SendMessageResult } from '@aws-sdk/client-sqs';
import type { RequestContext } from '../types.js';
import { parseQueueArn, queueUrl } from './addressing.js';
import { sendMessage } from './messages.js';
import { findQueue } from './queue-lookup.js';

export interface QueueMessage {
  body: string;
  attributes?: Record<string, MessageAttributeValue>;
  groupId?: string;
  /** used only when the queue is FIFO (a standard queue refuses one) */
  dedupId?: string;
  traceHeader?: string;
}

/**
 * Sends `message` to the queue `queueArn` names, as the principal `senderId` (what
 * receivers see as SenderId). Returns undefined when no such queue exists; throws the
 * AwsError SendMessage would when the queue refuses the message.
 */
export function sendToQueue(
  ctx: RequestContext,
  queueArn: string,
  message: QueueMessage,
  senderId: string,
): SendMessageResult | undefined {
  const parts = parseQueueArn(queueArn);
  const queue = parts && findQueue(ctx.db, parts.accountId, parts.region, parts.name);
  if (!queue) return undefined;
  const asOwner: RequestContext = {
    ...ctx,
    accountId: queue.accountId,
    region: queue.region,
    caller: { accessKeyId: '', accountId: queue.accountId, userId: senderId },
  };
  return sendMessage(
    {
      QueueUrl: queueUrl(ctx.endpoint, queue.accountId, queue.name),
      MessageBody: message.body,
      MessageAttributes: message.attributes,
      MessageGroupId: message.groupId,
      MessageDeduplicationId: queue.fifo ? message.dedupId : undefined,
      MessageSystemAttributes: message.traceHeader
        ? { AWSTraceHeader: { DataType: 'String', StringValue: message.traceHeader } }
        : undefined,
    },
    asOwner,
  );
}
