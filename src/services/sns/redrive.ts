/**
 * Dead-letter queues of subscriptions: a message SNS could not deliver (its queue is gone
 * or refused it, its HTTP endpoint failed past the retry policy) goes to the queue the
 * subscription's RedrivePolicy names, as it would have been delivered; without one, or
 * when that queue is gone too, it is dropped, as AWS drops it.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { AwsError } from '../../errors.js';
import { type QueueMessage, sendToQueue } from '../sqs/deliver.js';
import type { RequestContext } from '../types.js';
import type { SnsAttribute } from './envelope.js';
import type { AttributeMap } from './topic-store.js';

/** The principal SQS reports as SenderId for what SNS delivers. */
const SNS_SENDER_ID = 'AIDAIT2UOQQY3AUEKVGXU';

/** Message attributes as SQS takes them (raw delivery). */
export function queueAttributes(
  attributes: Record<string, SnsAttribute> | undefined,
): Record<string, MessageAttributeValue> | undefined {
  if (!attributes) return undefined;
  const converted: Record<string, MessageAttributeValue> = {};
  for (const [name, a] of Object.entries(attributes)) {
    converted[name] =
      a.BinaryValue !== undefined
        ? { DataType: a.DataType, BinaryValue: a.BinaryValue }
        : { DataType: a.DataType, StringValue: a.StringValue };
  }
  return converted;
}

/** Sends to a queue; false when the queue is gone or refused the message. */
export function trySendToQueue(ctx: RequestContext, queueArn: string, message: QueueMessage): boolean {
  try {
    return sendToQueue(ctx, queueArn, message, SNS_SENDER_ID) !== undefined;
  } catch (err) {
    if (err instanceof AwsError) return false;
    throw err;
  }
}

/** Moves an undeliverable message to the subscription's dead-letter queue, if it has one. */
export function redrive(ctx: RequestContext, subscriptionAttributes: string, message: QueueMessage): void {
  const policy = (JSON.parse(subscriptionAttributes) as AttributeMap).RedrivePolicy;
  if (policy === undefined) return;
  const target = (JSON.parse(policy) as { deadLetterTargetArn: string }).deadLetterTargetArn;
  trySendToQueue(ctx, target, message);
}
