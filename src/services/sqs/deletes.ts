/**
 * DeleteMessage and DeleteMessageBatch. As AWS: a stale handle of a standard queue succeeds
 * without deleting (the message was received again since), and so does the handle of a
 * message already gone; a FIFO queue refuses a handle whose visibility timeout has passed.
 */
import type {
  DeleteMessageBatchRequest,
  DeleteMessageBatchRequestEntry,
  DeleteMessageBatchResult,
  DeleteMessageRequest,
} from '@aws-sdk/client-sqs';
import type { RequestContext } from '../types.js';
import { checkBatch, runEntries } from './batch.js';
import { invalidValue, missingParameter } from './errors.js';
import { longPolls } from './long-poll.js';
import { removeMessage } from './message-store.js';
import { type Queue, requireQueue } from './queue-lookup.js';
import { lookUpReceipt } from './receipt-lookup.js';

/** Deletes the message a handle names; returns whether a FIFO group may have moved on. */
function deleteByHandle(ctx: RequestContext, queue: Queue, handle: string | undefined, now: number): boolean {
  if (handle === undefined || handle === '') throw missingParameter('ReceiptHandle');
  const found = lookUpReceipt(ctx.db, queue, handle);
  if (found.state === 'gone') return false;
  if (queue.fifo) {
    if (found.state === 'stale' || found.row.visibleAt <= now) {
      throw invalidValue('ReceiptHandle', handle, 'The receipt handle has expired.');
    }
  } else if (found.state === 'stale') {
    return false;
  }
  removeMessage(ctx.db, queue, found.row);
  return queue.fifo === 1;
}

export function deleteMessage(input: DeleteMessageRequest, ctx: RequestContext): void {
  const queue = requireQueue(ctx, input.QueueUrl);
  if (deleteByHandle(ctx, queue, input.ReceiptHandle, ctx.now()))
    longPolls(ctx.db, ctx.now).notify(queue.id, 1);
}

export function deleteMessageBatch(
  input: DeleteMessageBatchRequest,
  ctx: RequestContext,
): DeleteMessageBatchResult {
  const queue = requireQueue(ctx, input.QueueUrl);
  const entries = input.Entries ?? [];
  checkBatch(entries, 'DeleteMessageBatchRequestEntry');
  const now = ctx.now();
  let unblocked = 0;
  const result = runEntries(entries, (entry: DeleteMessageBatchRequestEntry) => {
    if (deleteByHandle(ctx, queue, entry.ReceiptHandle, now)) unblocked++;
    return { Id: entry.Id };
  });
  if (unblocked > 0) longPolls(ctx.db, ctx.now).notify(queue.id, unblocked);
  return result as DeleteMessageBatchResult;
}
