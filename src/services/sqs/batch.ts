/** The rules every *Batch operation shares: 1 to 10 entries with distinct, well-formed ids. */
import type { BatchResultErrorEntry } from '@aws-sdk/client-sqs';
import { AwsError } from '../../errors.js';

const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_BATCH_ENTRIES = 10;

export function checkBatch(entries: { Id?: string }[] | undefined, entryName: string): void {
  if (!entries || entries.length === 0) {
    throw new AwsError('EmptyBatchRequest', `There should be at least one ${entryName} in the request.`, 400);
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new AwsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
      400,
    );
  }
  const seen = new Set<string>();
  for (const { Id: id } of entries) {
    if (id === undefined || !ENTRY_ID.test(id)) {
      throw new AwsError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
        400,
      );
    }
    if (seen.has(id)) throw new AwsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`, 400);
    seen.add(id);
  }
}

/** Runs one entry; an AwsError becomes the entry's failure, anything else propagates. */
export function runEntries<E extends { Id?: string }, R>(
  entries: E[],
  run: (entry: E) => R,
): { Successful: R[]; Failed: BatchResultErrorEntry[] } {
  const Successful: R[] = [];
  const Failed: BatchResultErrorEntry[] = [];
  for (const entry of entries) {
    try {
      Successful.push(run(entry));
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      Failed.push({ Id: entry.Id, SenderFault: err.senderFault, Code: err.code, Message: err.message });
    }
  }
  return { Successful, Failed };
}
