/** Queue tags: TagQueue, UntagQueue, ListQueueTags, and the tags CreateQueue sets. */

import type {
  ListQueueTagsRequest,
  ListQueueTagsResult,
  TagQueueRequest,
  UntagQueueRequest,
} from '@aws-sdk/client-sqs';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { invalidParameterValue, missingParameter } from './errors.js';
import { requireQueue } from './queue-lookup.js';

const MAX_TAGS = 50;

const statements = perDb((db) => db.prepare<[string, number]>('UPDATE sqs_queues SET tags = ? WHERE id = ?'));

/** The tags after adding `added` to `current`, within AWS's limits. */
export function checkTags(
  added: Record<string, string> | undefined,
  current: Record<string, string>,
  queueName: string,
): Record<string, string> {
  const next = { ...current };
  for (const [key, value] of Object.entries(added ?? {})) {
    if (key.length === 0 || key.length > 128) {
      throw invalidParameterValue(`Tag keys must be between 1 and 128 characters in length.`);
    }
    if (value.length > 256)
      throw invalidParameterValue('Tag values must be at most 256 characters in length.');
    next[key] = value;
  }
  if (Object.keys(next).length > MAX_TAGS)
    throw invalidParameterValue(`Too many tags added for queue ${queueName}.`);
  return next;
}

export function tagQueue(input: TagQueueRequest, ctx: RequestContext): void {
  const queue = requireQueue(ctx, input.QueueUrl);
  if (!input.Tags || Object.keys(input.Tags).length === 0) throw missingParameter('Tags');
  const tags = checkTags(input.Tags, JSON.parse(queue.tags) as Record<string, string>, queue.name);
  statements(ctx.db).run(JSON.stringify(tags), queue.id);
}

export function untagQueue(input: UntagQueueRequest, ctx: RequestContext): void {
  const queue = requireQueue(ctx, input.QueueUrl);
  if (!input.TagKeys || input.TagKeys.length === 0) throw missingParameter('TagKeys');
  const tags = JSON.parse(queue.tags) as Record<string, string>;
  for (const key of input.TagKeys) delete tags[key];
  statements(ctx.db).run(JSON.stringify(tags), queue.id);
}

export function listQueueTags(input: ListQueueTagsRequest, ctx: RequestContext): ListQueueTagsResult {
  const queue = requireQueue(ctx, input.QueueUrl);
  const tags = JSON.parse(queue.tags) as Record<string, string>;
  return Object.keys(tags).length ? { Tags: tags } : {};
}
