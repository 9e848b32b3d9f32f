/**
 * The second client the issue names, boto3: its resource API (Key/Attr conditions, Decimal,
 * sets and bytes, batch_writer, waiters) and client API (paginators, a cancelled transaction,
 * PartiQL, TTL) and the dynamodbstreams client, run by audit-boto3.py against the server.
 * Skipped, with a message, where python3 cannot import boto3.
 */
import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { useDynamoDB } from './setup.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./audit-boto3.py', import.meta.url));

function hasBoto3(): boolean {
  try {
    execFileSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const BOTO3 = hasBoto3();
if (!BOTO3) console.warn('conformance/dynamodb/audit-boto3.test.ts: python3 has no boto3, skipping');

const t = useDynamoDB();
// biome-ignore lint/suspicious/noExplicitAny: the script's JSON, asserted member by member
let seen: Record<string, any>;

describe.skipIf(!BOTO3)('boto3 against localaws', () => {
  beforeAll(async () => {
    const { stdout } = await run('python3', [SCRIPT, t.h.url], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_EC2_METADATA_DISABLED: 'true' },
    });
    seen = JSON.parse(stdout);
  }, 60_000);

  it('creates a table with the resource API and waits for it', () => {
    expect(seen.table_status).toBe('ACTIVE');
    expect(seen.table_gsis).toEqual(['byEmail']);
    expect(seen.deleted).toBe(true);
  });

  it('round-trips Decimal, sets, bytes, nested lists and maps, and projects nested paths', () => {
    expect(seen.get).toEqual({
      pk: 'CUST#1',
      sk: 'PROFILE',
      email: 'ada@example.com',
      balance: '10.5',
      big: '12345678901234567890.123456789',
      tags: ['a', 'b'],
      scores: ['1', '2'],
      blob: [0, 1, 255],
      nested: { list: ['1', 'two', { three: true }], none: null },
    });
    expect(seen.projected).toEqual({ email: 'ada@example.com', nested: { list: ['two'] } });
  });

  it('writes through batch_writer, queries with Key conditions and the GSI, scans with Attr filters', () => {
    expect(seen.orders).toEqual(['ORDER#029', 'ORDER#028', 'ORDER#027']);
    expect(seen.by_email.map((i: { pk: string }) => i.pk)).toEqual(['CUST#1']);
    expect(seen.scan_filtered).toEqual(['ORDER#010', 'ORDER#011', 'ORDER#012']);
    expect(seen.scan_counts).toEqual([3, 31]);
    expect(seen.batch_get).toEqual([{ pk: 'CUST#1', sk: 'ORDER#001', n: '1' }]);
    expect(seen.batch_unprocessed).toEqual({});
    expect(seen.query_pages).toEqual([7, 7, 7, 7, 3]);
  });

  it('updates in decimal with UPDATED_NEW and reports a failed condition with the old item', () => {
    expect(seen.updated).toEqual({ balance: '10.75', visits: '1', tags: ['a', 'b', 'c'] });
    expect(seen.condition_failed).toEqual({
      code: 'ConditionalCheckFailedException',
      message: 'The conditional request failed',
      item_email: { S: 'ada@example.com' },
    });
  });

  it('cancels a transaction with its reasons in order and writes none of it', () => {
    expect(seen.transaction).toEqual({
      code: 'TransactionCanceledException',
      message:
        'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
      reasons: ['None', 'ConditionalCheckFailed'],
      reason_item_email: { S: 'ada@example.com' },
      user_written: false,
    });
  });

  it('runs PartiQL, TTL, list_tables pages and answers errors with their codes', () => {
    expect(seen.partiql).toEqual([{ v: { N: '7' } }]);
    expect(seen.ttl).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });
    expect(seen.list_tables).toContain('boto-app');
    expect(seen.validation).toEqual({
      code: 'ValidationException',
      message: 'The provided key element does not match the schema',
    });
    expect(seen.missing).toEqual({
      code: 'ResourceNotFoundException',
      message: 'Requested resource not found: Table: boto-none not found',
    });
  });

  it('reads the stream records of the writes in order with the dynamodbstreams client', () => {
    expect(seen.stream_records.map((r: { event: string }) => r.event)).toEqual([
      'INSERT',
      'INSERT',
      'INSERT',
      'INSERT',
      'INSERT',
    ]);
    expect(seen.stream_records.map((r: { keys: { sk: { S: string } } }) => r.keys.sk.S)).toEqual([
      'PROFILE',
      'ORDER#000',
      'ORDER#001',
      'ORDER#002',
      'ORDER#003',
    ]);
    expect(seen.stream_records[0].view).toBe('NEW_AND_OLD_IMAGES');
  });
});
