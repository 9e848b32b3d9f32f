import type {
  DescribeStreamOutput,
  GetRecordsOutput,
  GetShardIteratorOutput,
} from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import type { AwsError } from '../../src/errors.js';
import { itemHandlers } from '../../src/services/dynamodb/items.js';
import { DYNAMODB_MIGRATIONS } from '../../src/services/dynamodb/store.js';
import { formatSequence, isStreamArn, parseSequence } from '../../src/services/dynamodb/streams.js';
import { readIterator } from '../../src/services/dynamodb/streams-iterators.js';
import { dynamodbstreams } from '../../src/services/dynamodb/streams-service.js';
import { tableHandlers } from '../../src/services/dynamodb/tables.js';
import type { RequestContext } from '../../src/services/types.js';
import { migrate, openDatabase } from '../../src/storage/database.js';

function context(): RequestContext {
  const db = openDatabase();
  migrate(db, 'dynamodb', DYNAMODB_MIGRATIONS);
  return { db, accountId: '000000000000', region: 'us-east-1', now: () => Date.now() } as RequestContext;
}

const thrown = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err as AwsError;
  }
  throw new Error('nothing thrown');
};

describe('stream records and transactions', () => {
  it('a rolled-back write leaves no record and uses no sequence number', () => {
    const ctx = context();
    const { TableDescription } = tableHandlers.CreateTable(
      {
        TableName: 'txn',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      },
      ctx,
    );
    const put = (id: string) => itemHandlers.PutItem({ TableName: 'txn', Item: { id: { S: id } } }, ctx);
    const crashing = ctx.db.transaction(() => {
      put('lost');
      throw new Error('crash after the write');
    });
    expect(() => crashing()).toThrow('crash after the write');
    put('kept');
    const { handlers } = dynamodbstreams;
    const StreamArn = TableDescription?.LatestStreamArn as string;
    const described = handlers.DescribeStream({ StreamArn }, ctx) as DescribeStreamOutput;
    const { ShardIterator } = handlers.GetShardIterator(
      {
        StreamArn,
        ShardId: described.StreamDescription?.Shards?.[0]?.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      },
      ctx,
    ) as GetShardIteratorOutput;
    const { Records = [] } = handlers.GetRecords({ ShardIterator }, ctx) as GetRecordsOutput;
    expect(Records.map((r) => r.dynamodb?.Keys)).toEqual([{ id: { S: 'kept' } }]);
    expect(Records[0]?.dynamodb?.SequenceNumber).toBe(formatSequence(1));
  });
});

describe('sequence numbers', () => {
  it('are decimal text of at least 21 digits that reads back as the position', () => {
    expect(formatSequence(1)).toBe('100000000000000000001');
    expect(formatSequence(123456)).toHaveLength(21);
    expect(parseSequence(formatSequence(987654321))).toBe(987654321);
  });

  it('place numbers below the first before every record, and refuse text', () => {
    expect(parseSequence('000000000000000000001')).toBe(0);
    expect(parseSequence('1'.repeat(40))).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseSequence('10000000000000000000a')).toBeUndefined();
    expect(parseSequence('-100000000000000000001')).toBeUndefined();
  });
});

describe('stream ARNs and iterators', () => {
  const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2024-01-01T00:00:00.000';

  it('tells a stream ARN from a table ARN or text', () => {
    expect(isStreamArn(arn)).toBe(true);
    expect(isStreamArn('arn:aws:dynamodb:us-east-1:000000000000:table/t')).toBe(false);
    expect(isStreamArn(`${arn}/extra`)).toBe(false);
    expect(isStreamArn('arn:aws:sqs:us-east-1:000000000000:table/t/stream/x')).toBe(false);
    expect(isStreamArn('not an arn')).toBe(false);
  });

  it('refuses any iterator text it did not hand out with a ValidationException', () => {
    const payload = (text: string) => `${arn}|1|${Buffer.from(text).toString('base64')}`;
    expect(readIterator(payload('4:17:1700000000000'))).toEqual({
      streamArn: arn,
      streamId: 4,
      next: 17,
      issuedAt: 1700000000000,
    });
    for (const text of ['', 'garbage', `${arn}|1|`, payload('4:17'), payload('a:b:c'), payload('4:17:1:2')]) {
      const err = thrown(() => readIterator(text));
      expect([err.code, err.message]).toEqual(['ValidationException', 'Invalid ShardIterator']);
    }
  });
});
