/**
 * ChangeMessageVisibility and its batch. The new timeout counts from now; 0 releases the
 * message at once; the total since the message was received may not pass 12 hours. A
 * handle whose message was deleted or received again since is refused; one whose timeout
 * already ran out is accepted and changes nothing (AWS answers OK there: the message is no
 * longer in flight under that receive).
 */
import type {
  ChangeMessageVisibilityBatchRequest,
  ChangeMessageVisibilityBatchRequestEntry,
  ChangeMessageVisibilityBatchResult,
  ChangeMessageVisibilityRequest,
} from '@aws-sdk/client-sqs';
import { AwsError } from '../../errors.js';
import type { RequestContext } from '../types.js';
import { checkBatch, runEntries } from './batch.js';
import { invalidValue, missingParameter } from './errors.js';
import { longPolls } from './long-poll.js';
import { setVisibleAt } from './message-store.js';
import { type Queue, requireQueue } from './queue-lookup.js';
import { lookUpReceipt } from './receipt-lookup.js';

const MAX_VISIBILITY = 43_200;

/** Changes one message's visibility; returns whether it became visible sooner than before. */
function changeVisibility(
  ctx: RequestContext,
  queue: Queue,
  handle: string | undefined,
  timeout: number | undefined,
  now: number,
  inBatch: boolean,
): boolean {
  if (handle === undefined || handle === '') throw missingParameter('ReceiptHandle');
  if (timeout === undefined) throw missingParameter('VisibilityTimeout');
  if (!Number.isInteger(timeout) || timeout < 0 || timeout > MAX_VISIBILITY) {
    throw invalidValue('VisibilityTimeout', timeout, `Must be between 0 and ${MAX_VISIBILITY}, if provided.`);
  }
  const found = lookUpReceipt(ctx.db, queue, handle);
  if (found.state !== 'latest') {
    const reason = 'Message does not exist or is not available for visibility timeout change.';
    // AWS reports this case in batch results as ReceiptHandleIsInvalid
    if (inBatch) throw new AwsError('ReceiptHandleIsInvalid', reason, 400);
    throw invalidValue('ReceiptHandle', handle, reason);
  }
  const { row } = found;
  if (row.visibleAt <= now) return false;
  // whole seconds, as AWS counts them
  const inFlightSeconds = Math.floor((now - (row.receivedAt ?? now)) / 1000);
  if (inFlightSeconds + timeout > MAX_VISIBILITY) {
    throw invalidValue(
      'VisibilityTimeout',
      timeout,
      `Total VisibilityTimeout for the message is beyond the limit [${MAX_VISIBILITY} seconds].`,
    );
  }
  const visibleAt = now + timeout * 1000;
  setVisibleAt(ctx.db, queue, row, visibleAt);
  return visibleAt < row.visibleAt;
}

export function changeMessageVisibility(input: ChangeMessageVisibilityRequest, ctx: RequestContext): void {
  const queue = requireQueue(ctx, input.QueueUrl);
  if (changeVisibility(ctx, queue, input.ReceiptHandle, input.VisibilityTimeout, ctx.now(), false)) {
    longPolls(ctx.db, ctx.now).notify(queue.id, 1);
  }
}

export function changeMessageVisibilityBatch(
  input: ChangeMessageVisibilityBatchRequest,
  ctx: RequestContext,
): ChangeMessageVisibilityBatchResult {
  const queue = requireQueue(ctx, input.QueueUrl);
  const entries = input.Entries ?? [];
  checkBatch(entries, 'ChangeMessageVisibilityBatchRequestEntry');
  const now = ctx.now();
  let sooner = 0;
  const result = runEntries(entries, (entry: ChangeMessageVisibilityBatchRequestEntry) => {
    if (changeVisibility(ctx, queue, entry.ReceiptHandle, entry.VisibilityTimeout, now, true)) sooner++;
    return { Id: entry.Id };
  });
  if (sooner > 0) longPolls(ctx.db, ctx.now).notify(queue.id, sooner);
  return result as ChangeMessageVisibilityBatchResult;
}
