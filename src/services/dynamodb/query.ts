/**
 * Query: one partition of a table or index, read as a range scan of its sort key between
 * the bounds the key condition sets, forwards or backwards, a page at a time.
 */
import type { QueryInput, QueryOutput } from '@aws-sdk/client-dynamodb';
import { type Violation, valueAtLeast } from '../constraints.js';
import type { RequestContext } from '../types.js';
import { type KeyAttribute, requireTable } from './catalog.js';
import type { KeyCondition } from './expressions/index.js';
import { validationError } from './expressions/validation-error.js';
import { encodeKeyValue, shardOf } from './key-encoding.js';
import { answerPage } from './page-answer.js';
import { checkCommon } from './parameters.js';
import { checkSelect, indexOf, resumeFrom } from './read-options.js';
import { type Bound, queryIndexRows, queryTableRows, type RangeBounds } from './read-plans.js';
import { checkScalarKeys, requestExpressions } from './request-expressions.js';

/** The smallest byte string greater than every string starting with `prefix`, if any. */
function prefixEnd(prefix: Buffer): Buffer | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const out = Buffer.from(prefix.subarray(0, end));
  out[end - 1] = (out[end - 1] as number) + 1;
  return out;
}

/** The sort-key byte range a key condition's range part selects. */
export function rangeBounds(range: KeyCondition['range'], attr: KeyAttribute | undefined): RangeBounds {
  if (!range || !attr) return {};
  const bytes = range.values.map((v) => encodeKeyValue(v, attr.type) as Buffer);
  const [a, b] = bytes as [Buffer, Buffer | undefined];
  const at = (inclusive: boolean): Bound => ({ bytes: a, inclusive });
  switch (range.op) {
    case '=':
      return { low: at(true), high: at(true) };
    case '<':
      return { high: at(false) };
    case '<=':
      return { high: at(true) };
    case '>':
      return { low: at(false) };
    case '>=':
      return { low: at(true) };
    case 'BETWEEN':
      return { low: at(true), high: { bytes: b as Buffer, inclusive: true } };
    case 'begins_with': {
      const end = prefixEnd(a);
      return { low: at(true), high: end ? { bytes: end, inclusive: false } : undefined };
    }
  }
}

function queryViolations(input: QueryInput): Violation[] {
  return input.Limit !== undefined && input.Limit < 1
    ? [{ value: input.Limit, at: 'limit', constraint: valueAtLeast(1) }]
    : [];
}

function query(input: QueryInput, ctx: RequestContext): QueryOutput {
  checkCommon(input, queryViolations(input));
  if (input.KeyConditionExpression === undefined && input.KeyConditions === undefined) {
    throw validationError(
      'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
    );
  }
  const table = requireTable(ctx, input.TableName as string);
  const index = indexOf(table, input.IndexName);
  const hash = index ? index.hash : table.hash;
  const range = index ? index.range : table.range;
  const { keyCondition, filter, filterPaths, project, nestedRoots } = requestExpressions(input, {
    key: { hash: hash.name, hashType: hash.type, range: range?.name, rangeType: range?.type },
    filter: 'QueryFilter',
    projection: true,
  });
  checkScalarKeys(table, nestedRoots);
  for (const path of filterPaths ?? []) {
    if (path[0] === hash.name || path[0] === range?.name) {
      throw validationError(
        `Filter Expression can only contain non-primary key attributes: Primary key attribute: ${path[0]}`,
      );
    }
  }
  const condition = keyCondition as KeyCondition;
  if (index && !index.local && input.ConsistentRead) {
    throw validationError('Consistent reads are not supported on global secondary indexes');
  }
  const countOnly = checkSelect(input, index, true);
  const resume = resumeFrom(table, index, input.ExclusiveStartKey);
  const hashBytes = encodeKeyValue(condition.hash, hash.type) as Buffer;
  const partition = { shard: shardOf(hashBytes), hash: hashBytes };
  if (resume && !resume.at.hash.equals(hashBytes)) {
    throw validationError(
      'The provided starting key is outside query boundaries based on provided conditions',
    );
  }
  const bounds = rangeBounds(condition.range, range);
  const forward = input.ScanIndexForward !== false;
  const rows = index
    ? queryIndexRows(ctx.db, table, index, partition, bounds, forward, resume)
    : queryTableRows(ctx.db, table, partition, bounds, forward, resume);
  return answerPage(rows, { table, index, input, filter, project, countOnly });
}

export const queryHandlers = { Query: query };
