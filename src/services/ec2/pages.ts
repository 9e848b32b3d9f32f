/**
 * MaxResults/NextToken paging over a list sorted by `keyOf` (ascending). The token names the
 * last key handed out, so a page resumes correctly even when items were added or removed.
 */
import { ec2Error, invalidParameterValue } from './errors.js';

export interface PageRequest {
  MaxResults?: number;
  NextToken?: string;
}

export interface PageLimits {
  /** The smallest MaxResults the operation accepts (5 for most Describe calls). */
  min: number;
  max: number;
  /** The name AWS's message gives the parameter, e.g. maxResults. */
  parameter?: string;
}

export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  request: PageRequest,
  limits: PageLimits,
): { items: T[]; nextToken?: string } {
  const { size, after } = pageWindow(request, limits);
  let start = 0;
  if (after !== undefined) {
    start = items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + size);
  const last = page.at(-1);
  const more = start + size < items.length && last !== undefined;
  return more ? { items: page, nextToken: encodeToken(keyOf(last)) } : { items: page };
}

/**
 * The page a request asks for: its size (MaxResults, checked against the limits) and the key
 * it resumes after (from NextToken), for a caller that reads its page straight from an index.
 */
export function pageWindow(request: PageRequest, limits: PageLimits): { size: number; after?: string } {
  const size = request.MaxResults ?? limits.max;
  if (request.MaxResults !== undefined && (size < limits.min || size > limits.max)) {
    const expected = size < limits.min ? `greater than ${limits.min}` : `less than ${limits.max}`;
    throw invalidParameterValue(
      `Value ( ${size} ) for parameter ${limits.parameter ?? 'maxResults'} is invalid. Expecting a value ${expected}.`,
    );
  }
  return request.NextToken === undefined ? { size } : { size, after: decodeToken(request.NextToken) };
}

/** The NextToken of a page whose last item has this key. */
export function encodeToken(key: string): string {
  return Buffer.from(JSON.stringify({ after: key })).toString('base64url');
}

function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // falls through to AWS's error
  }
  throw ec2Error('InvalidPaginationToken', 'The specified pagination token is not valid or is expired.');
}
