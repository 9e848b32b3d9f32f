/**
 * DynamoDB Streams (the dynamodbstreams endpoint, X-Amz-Target DynamoDBStreams_20120810.*,
 * signed as dynamodb): ListStreams, DescribeStream, GetShardIterator and GetRecords over the
 * streams and records the DynamoDB write path keeps in the same database.
 */
import type {
  DescribeStreamInput,
  DescribeStreamOutput,
  GetRecordsInput,
  GetRecordsOutput,
  GetShardIteratorInput,
  GetShardIteratorOutput,
  KeySchemaElement,
  ListStreamsInput,
  ListStreamsOutput,
  ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import { AwsError } from '../../errors.js';
import {
  checkString,
  NOT_NULL,
  throwIfViolations,
  type Violation,
  valueAtLeast,
  valueAtMost,
} from '../constraints.js';
import type { RequestContext, ServiceDefinition } from '../types.js';
import { validationError } from './expressions/validation-error.js';
import { readingIntegers } from './integers.js';
import {
  findStream,
  formatSequence,
  isStreamArn,
  listStreams,
  parseSequence,
  RETENTION_MS,
  type StreamRow,
  streamById,
} from './streams.js';
import { checkNotExpired, makeIterator, readIterator } from './streams-iterators.js';
import { firstRetained, type RecordRow, readRecords, startStreamTrim, toRecord } from './streams-records.js';
import { enumViolation, tableNameViolations } from './table-validation.js';

const ITERATOR_TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] as const;
const SHARD_FILTER_TYPES = ['CHILD_SHARDS'] as const;
const MAX_RECORDS = 1000;
/** GetRecords answers at most 1 MB of records. */
const MAX_PAGE_BYTES = 1024 * 1024;

function limitViolations(limit: number | undefined, max: number): Violation[] {
  if (limit === undefined) return [];
  if (limit < 1) return [{ value: limit, at: 'limit', constraint: valueAtLeast(1) }];
  if (limit > max) return [{ value: limit, at: 'limit', constraint: valueAtMost(max) }];
  return [];
}

function checkArn(arn: string | undefined): void {
  if (arn !== undefined && !isStreamArn(arn)) throw validationError('Invalid StreamArn');
}

function streamNotFound(arn: string): AwsError {
  return new AwsError(
    'ResourceNotFoundException',
    `Requested resource not found: Stream: ${arn} not found`,
    400,
  );
}

function requireStream(ctx: RequestContext, arn: string): StreamRow {
  const stream = findStream(ctx.db, arn, ctx.now());
  if (!stream) throw streamNotFound(arn);
  return stream;
}

const closed = (stream: StreamRow) => stream.disabled_at !== null;

function describeStream(input: DescribeStreamInput, ctx: RequestContext): DescribeStreamOutput {
  checkArn(input.StreamArn);
  const filter = input.ShardFilter;
  throwIfViolations([
    ...checkString(input.StreamArn, 'streamArn', { min: 37, max: 1024, required: true }),
    ...limitViolations(input.Limit, 100),
    ...checkString(input.ExclusiveStartShardId, 'exclusiveStartShardId', { min: 28, max: 65 }),
    ...enumViolation(filter?.Type, 'shardFilter.type', SHARD_FILTER_TYPES),
    ...checkString(filter?.ShardId, 'shardFilter.shardId', { min: 28, max: 65 }),
  ]);
  const stream = requireStream(ctx, input.StreamArn as string);
  const now = ctx.now();
  const after = input.ExclusiveStartShardId;
  // one shard, which has no children
  const listed = filter === undefined && (after === undefined || after < stream.shard_id);
  const first = firstRetained(ctx.db, stream, now);
  return {
    StreamDescription: {
      StreamArn: stream.arn,
      StreamLabel: stream.label,
      StreamStatus: closed(stream) ? 'DISABLED' : 'ENABLED',
      StreamViewType: stream.view_type,
      CreationRequestDateTime: new Date(stream.created_at),
      TableName: stream.table_name,
      KeySchema: JSON.parse(stream.key_schema) as KeySchemaElement[],
      Shards: listed
        ? [
            {
              ShardId: stream.shard_id,
              SequenceNumberRange: {
                StartingSequenceNumber: formatSequence(first),
                EndingSequenceNumber: closed(stream)
                  ? formatSequence(Math.max(stream.last_seq, first))
                  : undefined,
              },
            },
          ]
        : [],
    },
  };
}

/** The sequence number an iterator of this type starts reading at. */
function startOf(ctx: RequestContext, stream: StreamRow, type: ShardIteratorType, sequence?: string): number {
  const now = ctx.now();
  if (type === 'LATEST') return stream.last_seq + 1;
  const first = firstRetained(ctx.db, stream, now);
  if (type === 'TRIM_HORIZON') return first;
  const at = parseSequence(sequence as string);
  if (at === undefined) throw validationError(`Invalid SequenceNumber: ${sequence}`);
  const start = type === 'AFTER_SEQUENCE_NUMBER' ? at + 1 : at;
  if (start < first) throw trimmed();
  if (start > stream.last_seq + 1) throw validationError(`Invalid SequenceNumber: ${sequence}`);
  return start;
}

function trimmed(): AwsError {
  return new AwsError(
    'TrimmedDataAccessException',
    'The operation attempted to read past the oldest stream record in a shard.',
    400,
  );
}

function iteratorViolations(input: GetShardIteratorInput): Violation[] {
  const type = input.ShardIteratorType;
  return [
    ...checkString(input.StreamArn, 'streamArn', { min: 37, max: 1024, required: true }),
    ...checkString(input.ShardId, 'shardId', { min: 28, max: 65, required: true }),
    ...(type === undefined
      ? [{ value: type, at: 'shardIteratorType', constraint: NOT_NULL }]
      : enumViolation(type, 'shardIteratorType', ITERATOR_TYPES)),
    ...checkString(input.SequenceNumber, 'sequenceNumber', { min: 21, max: 40 }),
  ];
}

function checkSequenceFor(type: ShardIteratorType, sequence: string | undefined): void {
  const needsOne = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
  if (needsOne && sequence === undefined) {
    throw validationError(`Must specify a SequenceNumber for ShardIteratorType ${type}`);
  }
  if (!needsOne && sequence !== undefined) {
    throw validationError(`SequenceNumber must not be specified for ShardIteratorType ${type}`);
  }
}

function getShardIterator(input: GetShardIteratorInput, ctx: RequestContext): GetShardIteratorOutput {
  checkArn(input.StreamArn);
  throwIfViolations(iteratorViolations(input));
  const type = input.ShardIteratorType as ShardIteratorType;
  checkSequenceFor(type, input.SequenceNumber);
  const stream = requireStream(ctx, input.StreamArn as string);
  if (input.ShardId !== stream.shard_id) {
    throw new AwsError(
      'ResourceNotFoundException',
      'Requested resource not found: Shard does not exist',
      400,
    );
  }
  return { ShardIterator: makeIterator(stream, startOf(ctx, stream, type, input.SequenceNumber), ctx.now()) };
}

/** The records from `next` on, up to the count and the 1 MB a page holds (at least one). */
function page(ctx: RequestContext, stream: StreamRow, next: number, limit: number): RecordRow[] {
  const rows = readRecords(ctx.db, stream, next, limit);
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    bytes += (rows[i] as RecordRow).size_bytes;
    if (bytes > MAX_PAGE_BYTES && i > 0) return rows.slice(0, i);
  }
  return rows;
}

function getRecords(input: GetRecordsInput, ctx: RequestContext): GetRecordsOutput {
  throwIfViolations([
    ...checkString(input.ShardIterator, 'shardIterator', { min: 1, max: 2048, required: true }),
    ...limitViolations(input.Limit, MAX_RECORDS),
  ]);
  const position = readIterator(input.ShardIterator as string);
  const now = ctx.now();
  checkNotExpired(position, now);
  const stream = streamById(ctx.db, position.streamId, now);
  if (!stream) throw streamNotFound(position.streamArn);
  if (stream.arn !== position.streamArn) throw validationError('Invalid ShardIterator');
  if (position.next <= stream.trimmed_seq) throw trimmed();
  const rows = page(ctx, stream, position.next, input.Limit ?? MAX_RECORDS);
  // the record the iterator points at aged out since the iterator was made
  if (rows.length > 0 && (rows[0] as RecordRow).created_at < now - RETENTION_MS) throw trimmed();
  const next = rows.length > 0 ? (rows[rows.length - 1] as RecordRow).seq + 1 : position.next;
  return {
    Records: rows.map((row) => toRecord(stream, row)),
    // a closed shard read to its end has no next iterator
    NextShardIterator: closed(stream) && next > stream.last_seq ? undefined : makeIterator(stream, next, now),
  };
}

function listStreamsHandler(input: ListStreamsInput, ctx: RequestContext): ListStreamsOutput {
  throwIfViolations([
    ...(input.TableName === undefined ? [] : tableNameViolations(input.TableName)),
    ...limitViolations(input.Limit, 100),
    ...checkString(input.ExclusiveStartStreamArn, 'exclusiveStartStreamArn', { min: 37, max: 1024 }),
  ]);
  checkArn(input.ExclusiveStartStreamArn);
  const limit = input.Limit ?? 100;
  const rows = listStreams(
    ctx.db,
    {
      accountId: ctx.accountId,
      region: ctx.region,
      tableName: input.TableName,
      afterArn: input.ExclusiveStartStreamArn ?? '',
      limit: limit + 1,
    },
    ctx.now(),
  );
  const more = rows.length > limit;
  if (more) rows.pop();
  return {
    Streams: rows.map((s) => ({ StreamArn: s.arn, TableName: s.table_name, StreamLabel: s.label })),
    LastEvaluatedStreamArn: more ? rows[rows.length - 1]?.arn : undefined,
  };
}

export const dynamodbstreams: ServiceDefinition = {
  id: 'dynamodbstreams',
  handlers: readingIntegers({
    DescribeStream: describeStream,
    GetShardIterator: getShardIterator,
    GetRecords: getRecords,
    ListStreams: listStreamsHandler,
  }),
  start: startStreamTrim,
};
