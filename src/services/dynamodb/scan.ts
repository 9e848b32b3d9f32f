/**
 * Scan: every item of a table or index in stored order (partitions spread by their shard),
 * a page at a time; a parallel-scan segment is a contiguous range of shards.
 */
import type { ScanInput, ScanOutput } from '@aws-sdk/client-dynamodb';
import type { Violation } from '../constraints.js';
import { valueAtLeast, valueAtMost } from '../constraints.js';
import type { RequestContext } from '../types.js';
import { requireTable } from './catalog.js';
import { validationError } from './expressions/validation-error.js';
import { segmentStart } from './key-encoding.js';
import { answerPage } from './page-answer.js';
import { checkCommon } from './parameters.js';
import { checkSelect, indexOf, resumeFrom } from './read-options.js';
import { scanIndexRows, scanTableRows } from './read-plans.js';
import { checkScalarKeys, requestExpressions } from './request-expressions.js';

function scanViolations(input: ScanInput): Violation[] {
  const out: Violation[] = [];
  if (input.Limit !== undefined && input.Limit < 1)
    out.push({ value: input.Limit, at: 'limit', constraint: valueAtLeast(1) });
  const { Segment: segment, TotalSegments: total } = input;
  if (segment !== undefined && segment < 0)
    out.push({ value: segment, at: 'segment', constraint: valueAtLeast(0) });
  if (segment !== undefined && segment > 999999) {
    out.push({ value: segment, at: 'segment', constraint: valueAtMost(999999) });
  }
  if (total !== undefined && total < 1)
    out.push({ value: total, at: 'totalSegments', constraint: valueAtLeast(1) });
  if (total !== undefined && total > 1000000) {
    out.push({ value: total, at: 'totalSegments', constraint: valueAtMost(1000000) });
  }
  return out;
}

/** The shard range of the requested segment (all shards without one). */
function segmentShards(input: ScanInput): [number, number] {
  const { Segment: segment, TotalSegments: total } = input;
  if (segment !== undefined && total === undefined) {
    throw validationError(
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
    );
  }
  if (total !== undefined && segment === undefined) {
    throw validationError(
      'The Segment parameter is required but was not present in the request when parameter TotalSegments is present',
    );
  }
  if (segment === undefined || total === undefined) return [0, 0x100000000];
  if (segment >= total) {
    throw validationError(
      `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${total}`,
    );
  }
  return [segmentStart(segment, total), segmentStart(segment + 1, total)];
}

function scan(input: ScanInput, ctx: RequestContext): ScanOutput {
  checkCommon(input, scanViolations(input));
  const shards = segmentShards(input);
  const { filter, project, nestedRoots } = requestExpressions(input, {
    filter: 'ScanFilter',
    projection: true,
  });
  const table = requireTable(ctx, input.TableName as string);
  checkScalarKeys(table, nestedRoots);
  const index = indexOf(table, input.IndexName);
  if (index && !index.local && input.ConsistentRead) {
    throw validationError('Consistent reads are not supported on global secondary indexes');
  }
  const countOnly = checkSelect(input, index, false);
  const resume = resumeFrom(table, index, input.ExclusiveStartKey);
  if (resume && (resume.at.shard < shards[0] || resume.at.shard >= shards[1])) {
    throw validationError(
      'The provided Exclusive start key does not map to the provided Segment and TotalSegments values.',
    );
  }
  const rows = index
    ? scanIndexRows(ctx.db, table, index, shards, resume)
    : scanTableRows(ctx.db, table, shards, resume);
  return answerPage(rows, { table, index, input, filter, project, countOnly });
}

export const scanHandlers = { Scan: scan };
