/**
 * Shard iterators: the stream's ARN, then (as AWS's begin) `|1|`, then an opaque part holding
 * the stream's row, the next sequence number to read and when the iterator was handed out.
 * An iterator lasts 15 minutes on the server clock.
 */
import { AwsError } from '../../errors.js';
import type { StreamRow } from './streams.js';

const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

export interface ShardPosition {
  streamArn: string;
  streamId: number;
  /** the sequence number of the next record to read */
  next: number;
  issuedAt: number;
}

const SEPARATOR = '|1|';
const PAYLOAD = /^(\d{1,15}):(\d{1,16}):(\d{1,16})$/;

export function makeIterator(stream: StreamRow, next: number, now: number): string {
  return `${stream.arn}${SEPARATOR}${Buffer.from(`${stream.id}:${next}:${now}`).toString('base64')}`;
}

function invalidIterator(): AwsError {
  return new AwsError('ValidationException', 'Invalid ShardIterator', 400);
}

/** What an iterator says; a ValidationException for text that is no iterator of ours. */
export function readIterator(text: string): ShardPosition {
  const at = text.lastIndexOf(SEPARATOR);
  if (at < 0) throw invalidIterator();
  const match = PAYLOAD.exec(Buffer.from(text.slice(at + SEPARATOR.length), 'base64').toString('latin1'));
  if (!match) throw invalidIterator();
  return {
    streamArn: text.slice(0, at),
    streamId: Number(match[1]),
    next: Number(match[2]),
    issuedAt: Number(match[3]),
  };
}

/** Throws ExpiredIteratorException once the iterator is older than its 15 minutes. */
export function checkNotExpired(position: ShardPosition, now: number): void {
  if (now - position.issuedAt > ITERATOR_LIFETIME_MS) {
    throw new AwsError(
      'ExpiredIteratorException',
      'The provided iterator exceeds the maximum age allowed.',
      400,
    );
  }
}
