/**
 * Tags on every EC2 resource, in one table keyed by resource id: CreateTags, DeleteTags,
 * DescribeTags, and the TagSpecifications a create call carries. What kind a resource is
 * comes from its id's prefix; each part of the service says how to tell whether one exists.
 */
import type {
  CreateTagsRequest,
  DeleteTagsRequest,
  DescribeTagsRequest,
  DescribeTagsResult,
  ResourceType,
  Tag,
  TagDescription,
  TagSpecification,
} from '@aws-sdk/client-ec2';
import type { AwsError } from '../../errors.js';
import { perDb } from '../../storage/database.js';
import type { Handler, RequestContext } from '../types.js';
import { checkDryRun } from './dry-run.js';
import { ec2Error, invalidParameterValue, missingParameter } from './errors.js';
import { filterMatcher } from './filters.js';
import { prefixOf } from './ids.js';
import { pageOf } from './pages.js';

export const TAGS_SCHEMA = `CREATE TABLE ec2_tags (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (account, region, resource_id, key)
) WITHOUT ROWID;
CREATE INDEX ec2_tags_value ON ec2_tags (account, region, key, value)`;

/** What CreateTags needs to know of a kind of resource. */
export interface ResourceKind {
  /** DescribeTags' resource-type, e.g. `instance`, `security-group`. */
  type: string;
  exists(ctx: RequestContext, id: string): boolean;
  notFound(id: string): AwsError;
}

/** Kinds by id prefix (`i`, `vpc`, `sg`, ...). */
export type ResourceKinds = Record<string, ResourceKind>;

const MAX_TAGS = 50;

const statements = perDb((db) => ({
  ofResource: db.prepare<[string, string, string], Tag>(
    'SELECT key AS Key, value AS Value FROM ec2_tags WHERE account = ? AND region = ? AND resource_id = ? ORDER BY key',
  ),
  ofPrefix: db.prepare<[string, string, string, string], { id: string; Key: string; Value: string }>(
    'SELECT resource_id AS id, key AS Key, value AS Value FROM ec2_tags WHERE account = ? AND region = ? AND resource_id >= ? AND resource_id < ? ORDER BY resource_id, key',
  ),
  all: db.prepare<[string, string], { id: string; Key: string; Value: string }>(
    'SELECT resource_id AS id, key AS Key, value AS Value FROM ec2_tags WHERE account = ? AND region = ? ORDER BY resource_id, key',
  ),
  tagged: db.prepare<[string, string, string, string, string, string], { id: string }>(
    `SELECT resource_id AS id FROM ec2_tags WHERE account = ? AND region = ? AND key = ?
      AND value IN (SELECT value FROM json_each(?)) AND resource_id >= ? AND resource_id < ?`,
  ),
  ofResources: db.prepare<[string, string, string], { id: string; Key: string; Value: string }>(
    `SELECT resource_id AS id, key AS Key, value AS Value FROM ec2_tags WHERE account = ? AND region = ?
      AND resource_id IN (SELECT value FROM json_each(?)) ORDER BY resource_id, key`,
  ),
  count: db.prepare<[string, string, string], { n: number }>(
    'SELECT count(*) AS n FROM ec2_tags WHERE account = ? AND region = ? AND resource_id = ?',
  ),
  upsert: db.prepare<[string, string, string, string, string]>(
    'INSERT INTO ec2_tags (account, region, resource_id, key, value) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value',
  ),
  deleteKey: db.prepare<[string, string, string, string]>(
    'DELETE FROM ec2_tags WHERE account = ? AND region = ? AND resource_id = ? AND key = ?',
  ),
  deleteAll: db.prepare<[string, string, string]>(
    'DELETE FROM ec2_tags WHERE account = ? AND region = ? AND resource_id = ?',
  ),
}));

export function tagsOf(ctx: RequestContext, id: string): Tag[] {
  return statements(ctx.db).ofResource.all(ctx.accountId, ctx.region, id);
}

/** Every tag of every resource whose id has this prefix, read at once for a Describe call. */
export function tagsByResource(ctx: RequestContext, prefix: string): Map<string, Tag[]> {
  return groupByResource(
    statements(ctx.db).ofPrefix.all(ctx.accountId, ctx.region, `${prefix}-`, `${prefix}.`),
  );
}

function groupByResource(rows: readonly { id: string; Key: string; Value: string }[]): Map<string, Tag[]> {
  const out = new Map<string, Tag[]>();
  for (const row of rows) {
    const tags = out.get(row.id);
    if (tags) tags.push({ Key: row.Key, Value: row.Value });
    else out.set(row.id, [{ Key: row.Key, Value: row.Value }]);
  }
  return out;
}

/** Ids of the resources of one kind whose tag `key` has one of `values`: an index seek, for a
 * Describe call's exact `tag:KEY` filter over many resources. */
export function resourcesTagged(
  ctx: RequestContext,
  prefix: string,
  key: string,
  values: readonly string[],
): string[] {
  return statements(ctx.db)
    .tagged.all(ctx.accountId, ctx.region, key, JSON.stringify(values), `${prefix}-`, `${prefix}.`)
    .map((row) => row.id);
}

/** The tags of these resources, read at once. */
export function tagsOfResources(ctx: RequestContext, ids: readonly string[]): Map<string, Tag[]> {
  if (ids.length === 0) return new Map();
  return groupByResource(statements(ctx.db).ofResources.all(ctx.accountId, ctx.region, JSON.stringify(ids)));
}

/** Adds or replaces tags, within AWS's limits. */
export function writeTags(ctx: RequestContext, id: string, tags: readonly Tag[]): void {
  const s = statements(ctx.db);
  for (const tag of tags) checkTag(tag);
  for (const tag of tags) s.upsert.run(ctx.accountId, ctx.region, id, tag.Key as string, tag.Value ?? '');
  if ((s.count.get(ctx.accountId, ctx.region, id)?.n ?? 0) > MAX_TAGS)
    throw ec2Error('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
}

/** Tags AWS itself puts on a resource (`aws:` keys, e.g. the launch template an instance came
 * from): not the caller's, so not held to the caller's rules. */
export function writeAwsTags(ctx: RequestContext, id: string, tags: readonly Tag[]): void {
  const s = statements(ctx.db);
  for (const tag of tags) s.upsert.run(ctx.accountId, ctx.region, id, tag.Key as string, tag.Value ?? '');
}

/** Forgets a deleted resource's tags. */
export function dropTags(ctx: RequestContext, id: string): void {
  statements(ctx.db).deleteAll.run(ctx.accountId, ctx.region, id);
}

/**
 * The tags a create call's TagSpecifications give each resource type it makes, refusing a
 * type the call does not create. Validate before creating anything; write with writeTags.
 */
export function tagsBySpecification(
  specs: readonly TagSpecification[] | undefined,
  allowedTypes: readonly string[],
): Map<string, Tag[]> {
  const out = new Map<string, Tag[]>();
  for (const spec of specs ?? []) {
    const type = spec.ResourceType ?? '';
    if (!allowedTypes.includes(type))
      throw invalidParameterValue(`'${type}' is not a valid taggable resource type for this operation.`);
    const tags = [...(out.get(type) ?? []), ...(spec.Tags ?? [])];
    for (const tag of tags) checkTag(tag);
    out.set(type, tags);
  }
  return out;
}

function checkTag(tag: Tag): void {
  const key = tag.Key;
  if (key === undefined || key === '') throw invalidParameterValue('Tag key cannot be null or empty');
  if (key.toLowerCase().startsWith('aws:'))
    throw invalidParameterValue(
      `Value ( ${key} ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use`,
    );
  if (key.length > 128) throw invalidParameterValue('Tag key exceeds the maximum length of 128 characters');
  if ((tag.Value ?? '').length > 256)
    throw invalidParameterValue('Tag value exceeds the maximum length of 256 characters');
}

/** CreateTags, DeleteTags and DescribeTags over the kinds of resource the service has. */
export function tagHandlers(kinds: ResourceKinds): Record<string, Handler> {
  const existing = (ctx: RequestContext, ids: readonly string[] | undefined): string[] => {
    if (!ids || ids.length === 0) throw missingParameter('resourceIdSet');
    for (const id of ids) {
      const kind = kinds[prefixOf(id)];
      if (!kind) throw ec2Error('InvalidID', `The ID '${id}' is not valid`);
      if (!kind.exists(ctx, id)) throw kind.notFound(id);
    }
    return [...ids];
  };
  return {
    CreateTags(input: CreateTagsRequest, ctx: RequestContext): void {
      const ids = existing(ctx, input.Resources);
      if (!input.Tags) throw missingParameter('tagSet');
      for (const tag of input.Tags) checkTag(tag);
      checkDryRun(input);
      for (const id of ids) writeTags(ctx, id, input.Tags);
    },
    DeleteTags(input: DeleteTagsRequest, ctx: RequestContext): void {
      const ids = existing(ctx, input.Resources);
      checkDryRun(input);
      const s = statements(ctx.db);
      for (const id of ids) {
        if (!input.Tags) {
          s.deleteAll.run(ctx.accountId, ctx.region, id);
          continue;
        }
        const current = new Map(tagsOf(ctx, id).map((t) => [t.Key, t.Value]));
        for (const tag of input.Tags) {
          const key = tag.Key ?? '';
          if (tag.Value === undefined || current.get(key) === tag.Value)
            s.deleteKey.run(ctx.accountId, ctx.region, id, key);
        }
      }
    },
    DescribeTags(input: DescribeTagsRequest, ctx: RequestContext): DescribeTagsResult {
      checkDryRun(input);
      const typeOf = (id: string) => (kinds[prefixOf(id)]?.type ?? '') as ResourceType;
      const matches = filterMatcher<TagDescription>(input.Filters, {
        key: (t) => t.Key,
        value: (t) => t.Value,
        'resource-id': (t) => t.ResourceId,
        'resource-type': (t) => t.ResourceType,
      });
      const rows = statements(ctx.db).all.all(ctx.accountId, ctx.region);
      const described: TagDescription[] = [];
      for (const row of rows) {
        const d = { Key: row.Key, ResourceId: row.id, ResourceType: typeOf(row.id), Value: row.Value };
        if (matches(d, [{ Key: row.Key, Value: row.Value }])) described.push(d);
      }
      const page = pageOf(described, (d) => `${d.ResourceId}\u0000${d.Key}`, input, { min: 5, max: 1000 });
      return { Tags: page.items, NextToken: page.nextToken };
    },
  };
}
