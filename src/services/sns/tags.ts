/** Topic tags: TagResource, UntagResource, ListTagsForResource, and the tags CreateTopic sets. */
import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  Tag,
  TagResourceRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-sns';
import { AwsError } from '../../errors.js';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { requestTopicArn } from './arns.js';
import { invalid } from './errors.js';
import { type Topic, topicByArn } from './topic-store.js';

const MAX_TAGS = 50;

const statements = perDb((db) => db.prepare<[string, number]>('UPDATE sns_topics SET tags = ? WHERE id = ?'));

/** The tags after adding `added` to `current` (a key again replaces its value), within AWS's limits. */
export function checkTags(added: Tag[] | undefined, current: Tag[]): Tag[] {
  const keys = new Set<string>();
  const next = [...current];
  for (const { Key: key = '', Value: value = '' } of added ?? []) {
    if (keys.has(key)) throw invalid('Duplicated keys are not allowed.');
    keys.add(key);
    if (key.length === 0 || key.length > 128)
      throw invalid('Tags', 'Tag keys must be between 1 and 128 characters');
    if (value.length > 256) throw invalid('Tags', 'Tag values must be at most 256 characters');
    const at = next.findIndex((t) => t.Key === key);
    if (at >= 0) next[at] = { Key: key, Value: value };
    else next.push({ Key: key, Value: value });
  }
  if (next.length > MAX_TAGS) {
    throw new AwsError(
      'TagLimitExceededException',
      'Could not complete request: tag quota of per resource exceeded',
      400,
    );
  }
  return next;
}

/** Whether every tag CreateTopic asks for is already on the topic. */
export function sameTags(current: Tag[], requested: Tag[] | undefined): boolean {
  return (requested ?? []).every((t) => current.some((c) => c.Key === t.Key && c.Value === t.Value));
}

function taggedTopic(ctx: RequestContext, arn: string | undefined): Topic {
  const topic = topicByArn(ctx.db, requestTopicArn(ctx, arn, 'ResourceArn'));
  if (!topic) throw new AwsError('ResourceNotFoundException', 'Resource does not exist', 404);
  return topic;
}

export function tagResource(input: TagResourceRequest, ctx: RequestContext): void {
  const topic = taggedTopic(ctx, input.ResourceArn);
  const tags = checkTags(input.Tags, JSON.parse(topic.tags) as Tag[]);
  statements(ctx.db).run(JSON.stringify(tags), topic.id);
}

export function untagResource(input: UntagResourceRequest, ctx: RequestContext): void {
  const topic = taggedTopic(ctx, input.ResourceArn);
  const removed = new Set(input.TagKeys ?? []);
  const tags = (JSON.parse(topic.tags) as Tag[]).filter((t) => !removed.has(t.Key ?? ''));
  statements(ctx.db).run(JSON.stringify(tags), topic.id);
}

export function listTagsForResource(
  input: ListTagsForResourceRequest,
  ctx: RequestContext,
): ListTagsForResourceResponse {
  return { Tags: JSON.parse(taggedTopic(ctx, input.ResourceArn).tags) as Tag[] };
}
