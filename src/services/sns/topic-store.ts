/** Topic rows: finding a topic by its ARN, as a request names it. */
import type { Db } from '../../storage/database.js';
import { perDb } from '../../storage/database.js';
import type { RequestContext } from '../types.js';
import { requestTopicArn } from './arns.js';
import { topicNotFound } from './errors.js';

/** A row of sns_topics. Flags are SQLite integers (0 or 1). */
export interface Topic {
  id: number;
  accountId: string;
  region: string;
  name: string;
  arn: string;
  fifo: number;
  /** JSON: the attributes set on the topic (defaults are not stored) */
  attributes: string;
  /** JSON: [{Key, Value}] in the order they were added */
  tags: string;
  deletedSubscriptions: number;
  sequence: number;
  createdAt: number;
}

const TOPIC_COLUMNS = `id, account_id AS accountId, region, name, arn, fifo, attributes, tags,
  deleted_subscriptions AS deletedSubscriptions, sequence, created_at AS createdAt`;

const statements = perDb((db) => ({
  byArn: db.prepare<[string], Topic>(`SELECT ${TOPIC_COLUMNS} FROM sns_topics WHERE arn = ?`),
}));

export function topicByArn(db: Db, arn: string): Topic | undefined {
  return statements(db).byArn.get(arn);
}

/** The topic a request's TopicArn names: in the request's region, of any account. */
export function requireTopic(ctx: RequestContext, arn: string | undefined, parameter = 'TopicArn'): Topic {
  const topic = topicByArn(ctx.db, requestTopicArn(ctx, arn, parameter));
  if (!topic) throw topicNotFound();
  return topic;
}

export type AttributeMap = Record<string, string>;

export function topicAttributes(topic: Topic): AttributeMap {
  return JSON.parse(topic.attributes) as AttributeMap;
}
