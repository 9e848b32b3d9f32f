/** CreateTopic, DeleteTopic, ListTopics, GetTopicAttributes and SetTopicAttributes. */
import type {
  CreateTopicInput,
  CreateTopicResponse,
  DeleteTopicInput,
  GetTopicAttributesInput,
  GetTopicAttributesResponse,
  ListTopicsInput,
  ListTopicsResponse,
  SetTopicAttributesInput,
  Tag,
} from '@aws-sdk/client-sns';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { requestTopicArn, topicArn } from './arns.js';
import { invalid } from './errors.js';
import { cancelDeliveriesOfTopic } from './http-queue.js';
import { afterToken, PAGE_SIZE, pageOf } from './pages.js';
import { deleteTopicSubscriptions, subscriptionCounts } from './subscription-store.js';
import { checkTags, sameTags } from './tags.js';
import {
  checkCreateAttributes,
  checkTopicAttribute,
  describeTopic,
  isTrue,
  sameAttributes,
} from './topic-attributes.js';
import { type AttributeMap, requireTopic, type Topic, topicAttributes, topicByArn } from './topic-store.js';

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

const statements = perDb((db) => ({
  insert: db.prepare(
    `INSERT INTO sns_topics (account_id, region, name, arn, fifo, attributes, tags, created_at)
     VALUES (@accountId, @region, @name, @arn, @fifo, @attributes, @tags, @createdAt)`,
  ),
  delete: db.prepare<[number]>('DELETE FROM sns_topics WHERE id = ?'),
  deleteDedup: db.prepare<[number]>('DELETE FROM sns_dedup WHERE topic_id = ?'),
  setAttributes: db.prepare<[string, number]>('UPDATE sns_topics SET attributes = ? WHERE id = ?'),
  list: db.prepare<[string, string, number, number], { id: number; arn: string }>(
    'SELECT id, arn FROM sns_topics WHERE account_id = ? AND region = ? AND id > ? ORDER BY id LIMIT ?+0',
  ),
}));

function checkName(name: string | undefined, fifo: boolean): string {
  const valid = name !== undefined && (fifo ? FIFO_TOPIC_NAME : TOPIC_NAME).test(name);
  if (!valid) throw invalid('Topic Name');
  return name;
}

/** An existing topic is "created" again when nothing asked for differs from what it has. */
function existing(topic: Topic, input: CreateTopicInput): CreateTopicResponse {
  if (!sameAttributes(topicAttributes(topic), input.Attributes)) {
    throw invalid('Attributes', 'Topic already exists with different attributes');
  }
  if (!sameTags(JSON.parse(topic.tags) as Tag[], input.Tags)) {
    throw invalid('Tags', 'Topic already exists with different tags');
  }
  return { TopicArn: topic.arn };
}

export function createTopic(input: CreateTopicInput, ctx: RequestContext): CreateTopicResponse {
  const fifo = isTrue(input.Attributes?.FifoTopic);
  const name = checkName(input.Name, fifo);
  const arn = topicArn(ctx.region, ctx.accountId, name);
  const topic = topicByArn(ctx.db, arn);
  if (topic) return existing(topic, input);
  const attributes = checkCreateAttributes(input.Attributes, fifo);
  if (input.DataProtectionPolicy) attributes.DataProtectionPolicy = input.DataProtectionPolicy;
  statements(ctx.db).insert.run({
    accountId: ctx.accountId,
    region: ctx.region,
    name,
    arn,
    fifo: fifo ? 1 : 0,
    attributes: JSON.stringify(attributes),
    tags: JSON.stringify(checkTags(input.Tags, [])),
    createdAt: ctx.now(),
  });
  return { TopicArn: arn };
}

/** Deleting a topic deletes its subscriptions; deleting one that does not exist succeeds. */
export function deleteTopic(input: DeleteTopicInput, ctx: RequestContext): void {
  const topic = topicByArn(ctx.db, requestTopicArn(ctx, input.TopicArn));
  if (!topic) return;
  cancelDeliveriesOfTopic(ctx.db, topic.arn);
  deleteTopicSubscriptions(ctx.db, topic.id);
  statements(ctx.db).deleteDedup.run(topic.id);
  statements(ctx.db).delete.run(topic.id);
}

export function listTopics(input: ListTopicsInput, ctx: RequestContext): ListTopicsResponse {
  const after = afterToken(input.NextToken);
  const rows = statements(ctx.db).list.all(ctx.accountId, ctx.region, after, PAGE_SIZE + 1);
  const page = pageOf(rows);
  return { Topics: page.items.map((t) => ({ TopicArn: t.arn })), NextToken: page.nextToken };
}

export function getTopicAttributes(
  input: GetTopicAttributesInput,
  ctx: RequestContext,
): GetTopicAttributesResponse {
  const topic = requireTopic(ctx, input.TopicArn);
  const counts = subscriptionCounts(ctx.db, topic.id);
  const Attributes = describeTopic({
    arn: topic.arn,
    accountId: topic.accountId,
    attributes: topicAttributes(topic),
    confirmed: counts.confirmed,
    pending: counts.pending,
    deleted: topic.deletedSubscriptions,
  });
  return { Attributes };
}

export function setTopicAttributes(input: SetTopicAttributesInput, ctx: RequestContext): void {
  const topic = requireTopic(ctx, input.TopicArn);
  const name = input.AttributeName ?? '';
  const value = checkTopicAttribute(name, input.AttributeValue ?? '', topic.fifo === 1);
  const attributes: AttributeMap = topicAttributes(topic);
  if (value === undefined) delete attributes[name];
  else attributes[name] = value;
  statements(ctx.db).setAttributes.run(JSON.stringify(attributes), topic.id);
}
