/**
 * Pagination of queue listings (ListQueues, ListDeadLetterSourceQueues): by name, MaxResults
 * 1..1000, an opaque NextToken only when MaxResults was given and more remain; without
 * MaxResults at most 1000 come back, as AWS does.
 */
import { invalidParameterValue, invalidValue } from './errors.js';

const MAX_RESULTS = 1000;

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

function decodeToken(token: string): string {
  const name = Buffer.from(token, 'base64url').toString('utf8');
  if (!name || Buffer.from(name, 'utf8').toString('base64url') !== token) {
    throw invalidParameterValue('Invalid NextToken value.');
  }
  return name;
}

/** One page of names after the token's; `fetch` returns up to `limit` items after `after`. */
export function pageOf<T extends { name: string }>(
  input: { MaxResults?: number; NextToken?: string },
  fetch: (after: string, limit: number) => T[],
): Page<T> {
  const max = input.MaxResults;
  if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS)) {
    throw invalidValue('MaxResults', max, `MaxResults must be an integer between 1 and ${MAX_RESULTS}.`);
  }
  const after = input.NextToken ? decodeToken(input.NextToken) : '';
  const limit = max ?? MAX_RESULTS;
  const items = fetch(after, limit + 1);
  if (items.length <= limit) return { items };
  const page = items.slice(0, limit);
  return { items: page, nextToken: max === undefined ? undefined : encodeToken((page.at(-1) as T).name) };
}

function encodeToken(name: string): string {
  return Buffer.from(name, 'utf8').toString('base64url');
}
