/** TagResource, UntagResource, ListTagsOfResource: tags of a table, by its ARN. */
import type {
  ListTagsOfResourceInput,
  ListTagsOfResourceOutput,
  Tag,
  TagResourceInput,
  UntagResourceInput,
} from '@aws-sdk/client-dynamodb';
import { AwsError } from '../../errors.js';
import { checkString, NOT_NULL, throwIfViolations, type Violation } from '../constraints.js';
import type { RequestContext } from '../types.js';
import { findTable, type Table } from './catalog.js';
import { statement } from './store.js';

const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[a-zA-Z0-9_.-]{3,255}$/;
const PAGE = 50;

function tagViolations(tags: Tag[] | undefined): Violation[] {
  if (tags === undefined) return [{ value: undefined, at: 'tags', constraint: NOT_NULL }];
  const out: Violation[] = [];
  tags.forEach((t, i) => {
    out.push(...checkString(t.Key, `tags.${i + 1}.member.key`, { min: 1, max: 128, required: true }));
    out.push(...checkString(t.Value, `tags.${i + 1}.member.value`, { min: 0, max: 256, required: true }));
  });
  return out;
}

/** The table an ARN names, answered as DynamoDB answers a bad or unknown ARN. */
function tableByArn(ctx: RequestContext, arn: string | undefined): Table {
  throwIfViolations(checkString(arn, 'resourceArn', { min: 1, max: 1283, required: true }));
  if (!TABLE_ARN.test(arn as string)) {
    throw new AwsError(
      'ValidationException',
      `Invalid TableArn: Invalid ResourceArn provided as input ${arn}`,
      400,
    );
  }
  const table = findTable(ctx, arn as string);
  if (!table || table.accountId !== ctx.accountId) {
    throw new AwsError(
      'ResourceNotFoundException',
      `Requested resource not found: ResourcArn: ${arn} not found`,
      400,
    );
  }
  return table;
}

export function insertTags(ctx: RequestContext, tableId: number, tags: Tag[]): void {
  throwIfViolations(tagViolations(tags));
  const put = statement(
    ctx.db,
    'INSERT INTO dynamodb_tags (table_id, key, value) VALUES (?, ?, ?) ON CONFLICT (table_id, key) DO UPDATE SET value = excluded.value',
  );
  for (const t of tags) put.run(tableId, t.Key, t.Value);
}

function tagResource(input: TagResourceInput, ctx: RequestContext): Record<string, never> {
  const table = tableByArn(ctx, input.ResourceArn);
  insertTags(ctx, table.id, input.Tags as Tag[]);
  return {};
}

function untagResource(input: UntagResourceInput, ctx: RequestContext): Record<string, never> {
  if (input.TagKeys === undefined)
    throwIfViolations([{ value: undefined, at: 'tagKeys', constraint: NOT_NULL }]);
  const table = tableByArn(ctx, input.ResourceArn);
  const remove = statement(ctx.db, 'DELETE FROM dynamodb_tags WHERE table_id = ? AND key = ?');
  for (const key of input.TagKeys ?? []) remove.run(table.id, key);
  return {};
}

function listTags(input: ListTagsOfResourceInput, ctx: RequestContext): ListTagsOfResourceOutput {
  const table = tableByArn(ctx, input.ResourceArn);
  const rows = statement(
    ctx.db,
    'SELECT key AS Key, value AS Value FROM dynamodb_tags WHERE table_id = ? AND key > ? ORDER BY key LIMIT ?+0',
  ).all(table.id, input.NextToken ?? '', PAGE + 1) as Tag[];
  const more = rows.length > PAGE;
  if (more) rows.pop();
  return { Tags: rows, NextToken: more ? rows[rows.length - 1]?.Key : undefined };
}

export const tagHandlers = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsOfResource: listTags,
};
