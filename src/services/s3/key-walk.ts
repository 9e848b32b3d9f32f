/**
 * One page of keys in UTF-8 order under a prefix, rolled up at a delimiter into common
 * prefixes, as every S3 listing pages: each common prefix is one entry, found by one index
 * seek past all the keys it covers, so a page costs what it holds, not what it skips.
 */

export interface CommonPrefixEntry {
  commonPrefix: string;
}

export interface KeyWalk<T> {
  prefix: string;
  delimiter?: string;
  /** A marker inside a common prefix means that prefix was listed already. */
  marker: string;
  max: number;
  /** The rows in key order where the page starts (after its marker), read lazily. */
  start: Iterable<T>;
  /** The rows in key order from `from`, inclusive or not, read lazily. */
  from(from: string, inclusive: boolean): Iterable<T>;
  keyOf(row: T): string;
}

export interface KeyPage<T> {
  entries: (T | CommonPrefixEntry)[];
  truncated: boolean;
}

/** The smallest string above every string that starts with `prefix` (UTF-8 order is code point order). */
export function afterPrefix(prefix: string): string {
  let end = prefix.length;
  while (end > 0) {
    const start = end >= 2 && isSurrogatePair(prefix, end - 2) ? end - 2 : end - 1;
    const last = prefix.codePointAt(start) as number;
    if (last < 0x10ffff) {
      // the surrogate range holds no characters of its own
      return prefix.slice(0, start) + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1);
    }
    end = start;
  }
  return '\u{10ffff}\u{10ffff}';
}

function isSurrogatePair(s: string, at: number): boolean {
  const high = s.charCodeAt(at);
  const low = s.charCodeAt(at + 1);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}

export function isCommonPrefix<T extends object>(entry: T | CommonPrefixEntry): entry is CommonPrefixEntry {
  return 'commonPrefix' in entry;
}

export function walkKeys<T>(w: KeyWalk<T>): KeyPage<T> {
  const entries: (T | CommonPrefixEntry)[] = [];
  let rows = w.start;
  for (;;) {
    let next: string | undefined;
    for (const row of rows) {
      const key = w.keyOf(row);
      if (!key.startsWith(w.prefix)) return { entries, truncated: false };
      const cut = w.delimiter ? key.indexOf(w.delimiter, w.prefix.length) : -1;
      if (cut < 0) {
        if (entries.length === w.max) return { entries, truncated: true };
        entries.push(row);
        continue;
      }
      const prefix = key.slice(0, cut + (w.delimiter as string).length);
      if (!w.marker.startsWith(prefix)) {
        if (entries.length === w.max) return { entries, truncated: true };
        entries.push({ commonPrefix: prefix });
      }
      next = afterPrefix(prefix);
      break;
    }
    // the rows just left are closed now: only then may the next read begin
    if (next === undefined) return { entries, truncated: false };
    rows = w.from(next, true);
  }
}

/** A page of rows keyed by their `key` column, resumed after a key marker: first the rest of the
 * marker key's own rows (`within`: later uploads, older versions), then the keys after it;
 * without them, at the prefix or just after the marker, whichever comes later. */
export function walkAfterMarker<T extends { key: string }>(
  w: Omit<KeyWalk<T>, 'start' | 'keyOf'>,
  within?: () => Iterable<T>,
): KeyPage<T> {
  const { from, prefix, marker } = w;
  let start: Iterable<T>;
  if (within) start = chain(within, () => from(marker, false));
  else start = prefix > marker ? from(prefix, true) : from(marker, false);
  return walkKeys({ ...w, start, keyOf: (row) => row.key });
}

/** Rows from one read, then another: each read starts only once the one before is done. */
function* chain<T>(...reads: (() => Iterable<T>)[]): Generator<T> {
  for (const read of reads) yield* read();
}

/** S3's encoding-type=url: percent-encoding that keeps the slashes. */
export function urlEncodeKey(key: string): string {
  return encodeURIComponent(key).replace(SLASH, '/');
}

const SLASH = /%2F/g;
