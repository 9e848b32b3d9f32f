/**
 * Describe* filters: `Name` picks a field, `Values` are alternatives (OR) that may hold the
 * wildcards `*` and `?`; separate filters must all match (AND). `tag:KEY`, `tag-key` and
 * `tag-value` read the resource's tags. An unknown filter name is AWS's InvalidParameterValue.
 */
import type { Filter, Tag } from '@aws-sdk/client-ec2';
import { invalidParameterValue } from './errors.js';

/** A field's value(s) on a record; undefined never matches. */
export type FieldReader<T> = (record: T) => string | number | boolean | readonly string[] | undefined;

export type FilterFields<T> = Record<string, FieldReader<T>>;

type Test<T> = (record: T, tags: readonly Tag[]) => boolean;

/** Compiles the filters once per request; the result tests each record. */
export function filterMatcher<T>(
  filters: readonly Filter[] | undefined,
  fields: FilterFields<T>,
): (record: T, tags: readonly Tag[]) => boolean {
  const tests = (filters ?? []).map((filter) => compileFilter(filter, fields));
  return (record, tags) => tests.every((test) => test(record, tags));
}

function compileFilter<T>(filter: Filter, fields: FilterFields<T>): Test<T> {
  const name = filter.Name ?? '';
  const values = (filter.Values ?? []).map(wildcardTest);
  const anyMatch = (candidates: readonly string[]) => candidates.some((c) => values.some((v) => v(c)));
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return (_, tags) => anyMatch(tags.filter((t) => t.Key === key).map((t) => t.Value ?? ''));
  }
  if (name === 'tag-key') return (_, tags) => anyMatch(tags.map((t) => t.Key ?? ''));
  if (name === 'tag-value') return (_, tags) => anyMatch(tags.map((t) => t.Value ?? ''));
  const read = Object.hasOwn(fields, name) ? fields[name] : undefined;
  if (!read) throw invalidParameterValue(`The filter '${name}' is invalid`);
  return (record) => {
    const value = read(record);
    if (value === undefined) return false;
    return anyMatch(typeof value === 'object' ? value : [String(value)]);
  };
}

/** `*` any run of characters, `?` exactly one; `\` escapes either. */
function wildcardTest(pattern: string): (value: string) => boolean {
  if (!/[*?]/.test(pattern)) return (value) => value === pattern;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i] as string);
    else if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else source += escapeRegExp(c);
  }
  const regex = new RegExp(`^${source}$`);
  return (value) => regex.test(value);
}

function escapeRegExp(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
