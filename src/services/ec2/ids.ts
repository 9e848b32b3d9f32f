/**
 * Resource ids as EC2 makes them: a type prefix and 17 hex digits (`i-0123456789abcdef0`).
 * The prefix says what a resource is, which DescribeTags and CreateTags need.
 */
import { randomBytes } from 'node:crypto';

export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

/** Well formed: the prefix, a dash, then 8 or 17 hex digits (both lengths exist in AWS). */
export function isWellFormedId(prefix: string, id: string): boolean {
  if (!id.startsWith(`${prefix}-`)) return false;
  const rest = id.slice(prefix.length + 1);
  return (rest.length === 8 || rest.length === 17) && /^[0-9a-f]+$/.test(rest);
}

/** The part before the first dash: what kind of resource an id names. */
export function prefixOf(id: string): string {
  const dash = id.indexOf('-');
  return dash < 0 ? '' : id.slice(0, dash);
}
