import { describe, expect, it } from 'vitest';
import { afterPrefix, isCommonPrefix, walkKeys } from '../../src/services/s3/key-walk.js';

const KEYS = [
  'a.txt',
  'photos/2024/a.jpg',
  'photos/2024/b.jpg',
  'photos/2025/c.jpg',
  'photos/x.html',
  'z.txt',
];

/** Rows from a sorted array, counting how many the walk reads. */
function source(keys: string[]) {
  const sorted = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const read = { rows: 0 };
  const from = (key: string, inclusive: boolean) =>
    (function* () {
      for (const k of sorted) {
        const cmp = Buffer.compare(Buffer.from(k), Buffer.from(key));
        if (cmp > 0 || (inclusive && cmp === 0)) {
          read.rows++;
          yield { key: k };
        }
      }
    })();
  return { from, read };
}

function walk(keys: string[], opts: { prefix?: string; delimiter?: string; after?: string; max?: number }) {
  const s = source(keys);
  const prefix = opts.prefix ?? '';
  const after = opts.after ?? '';
  const page = walkKeys({
    prefix,
    delimiter: opts.delimiter,
    marker: after,
    max: opts.max ?? 1000,
    start: prefix > after ? s.from(prefix, true) : s.from(after, false),
    from: s.from,
    keyOf: (r: { key: string }) => r.key,
  });
  return {
    entries: page.entries.map((e) => (isCommonPrefix(e) ? `[${e.commonPrefix}]` : e.key)),
    truncated: page.truncated,
    read: s.read.rows,
  };
}

describe('walkKeys', () => {
  it('rolls keys up to common prefixes, one read per prefix', () => {
    const out = walk(KEYS, { delimiter: '/' });
    expect(out.entries).toEqual(['a.txt', '[photos/]', 'z.txt']);
    expect(out.read).toBe(3);
  });

  it('lists one level under a prefix and stops at the first key past it', () => {
    const out = walk(KEYS, { prefix: 'photos/', delimiter: '/' });
    expect(out.entries).toEqual(['[photos/2024/]', '[photos/2025/]', 'photos/x.html']);
    expect(out.truncated).toBe(false);
  });

  it('counts prefixes against max and reports truncation', () => {
    expect(walk(KEYS, { delimiter: '/', max: 2 })).toMatchObject({
      entries: ['a.txt', '[photos/]'],
      truncated: true,
    });
    expect(walk(KEYS, { max: 6 }).truncated).toBe(false);
    expect(walk(KEYS, { max: 0 })).toMatchObject({ entries: [], truncated: true });
  });

  it('skips a common prefix the marker lies in', () => {
    expect(walk(KEYS, { delimiter: '/', after: 'photos/' }).entries).toEqual(['z.txt']);
    expect(walk(KEYS, { delimiter: '/', after: 'photos/2024/a.jpg' }).entries).toEqual(['z.txt']);
  });

  it('orders and bounds by UTF-8 bytes', () => {
    const keys = ['a/\u00e9', 'a/\u{1f680}', 'a/\uffff', 'a/z'];
    expect(walk(keys, { prefix: 'a/' }).entries).toEqual(['a/z', 'a/\u00e9', 'a/\uffff', 'a/\u{1f680}']);
  });
});

describe('afterPrefix', () => {
  it('is above every key with the prefix and below the next one', () => {
    const bound = afterPrefix('photos/');
    for (const key of ['photos/', 'photos/\u{10ffff}x', 'photos/zzz']) {
      expect(Buffer.compare(Buffer.from(key), Buffer.from(bound))).toBe(-1);
    }
    expect(Buffer.compare(Buffer.from('photos0'), Buffer.from(bound))).toBeGreaterThanOrEqual(0);
    expect(afterPrefix('a\u{10ffff}')).toBe('b');
    expect(afterPrefix('x\ud7ff')).toBe('x\ue000');
  });
});
