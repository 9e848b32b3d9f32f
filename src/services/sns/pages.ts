/**
 * NextToken pagination of ListTopics and the subscription listings: pages of 100 in
 * creation order; the token is opaque to clients and names the last row of the page.
 */
import { invalid } from './errors.js';

export const PAGE_SIZE = 100;

const TOKEN_PREFIX = 'lak1:';

/** The row id a NextToken continues after (0 without a token). */
export function afterToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  const text = Buffer.from(token, 'base64').toString('utf8');
  const id = text.startsWith(TOKEN_PREFIX) ? Number(text.slice(TOKEN_PREFIX.length)) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 0) throw invalid('NextToken');
  return id;
}

/** A page from up to PAGE_SIZE + 1 rows fetched after the token's. */
export function pageOf<T extends { id: number }>(rows: T[]): { items: T[]; nextToken?: string } {
  if (rows.length <= PAGE_SIZE) return { items: rows };
  const items = rows.slice(0, PAGE_SIZE);
  const last = (items.at(-1) as T).id;
  return { items, nextToken: Buffer.from(`${TOKEN_PREFIX}${last}`, 'utf8').toString('base64') };
}
