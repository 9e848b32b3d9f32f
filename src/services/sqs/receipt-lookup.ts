/**
 * What a receipt handle given to DeleteMessage or ChangeMessageVisibility refers to now:
 * garbage (or another queue's handle) is ReceiptHandleIsInvalid; otherwise the message is
 * gone, was received again since (the handle is stale), or this is its latest receive.
 */
import type { Db } from '../../storage/database.js';
import { receiptHandleIsInvalid } from './errors.js';
import { type MessageRow, messageBySeq } from './message-store.js';
import type { Queue } from './queue-lookup.js';
import { decodeReceiptHandle } from './receipt-handle.js';

export type ReceiptState = { state: 'gone' } | { state: 'stale' | 'latest'; row: MessageRow };

export function lookUpReceipt(db: Db, queue: Queue, handle: string | undefined): ReceiptState {
  const receipt = handle ? decodeReceiptHandle(handle) : undefined;
  if (!receipt || receipt.queueId !== queue.id) throw receiptHandleIsInvalid(handle ?? '');
  const row = messageBySeq(db, receipt.seq);
  if (!row || row.queueId !== queue.id) return { state: 'gone' };
  return { state: row.receiveCount === receipt.receives ? 'latest' : 'stale', row };
}
