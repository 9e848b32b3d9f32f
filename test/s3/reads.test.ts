import { describe, expect, it } from 'vitest';
import { checkReadConditions, parseRange } from '../../src/services/s3/reads.js';

describe('parseRange', () => {
  const cases: [string, [number, number] | undefined][] = [
    ['bytes=4-7', [4, 7]],
    ['bytes=4-', [4, 10]],
    ['bytes=-7', [4, 10]],
    ['bytes=-100', [0, 10]],
    ['bytes=3-1000', [3, 10]],
    ['bytes=7-3', undefined],
    ['bytes=0-1,3-4', undefined],
    ['items=0-1', undefined],
    ['bytes=-', undefined],
  ];
  for (const [header, expected] of cases) {
    it(`reads ${header} of 11 bytes as ${expected ? expected.join('-') : 'the whole object'}`, () => {
      const range = parseRange(header, 11);
      expect(range ? [range.start, range.end] : undefined).toEqual(expected);
    });
  }

  it('refuses a start past the end, a zero suffix and any range of an empty object with 416', () => {
    for (const [header, size] of [
      ['bytes=11-', 11],
      ['bytes=-0', 11],
      ['bytes=0-0', 0],
    ] as const) {
      expect(() => parseRange(header, size)).toThrow(
        expect.objectContaining({ code: 'InvalidRange', status: 416 }),
      );
    }
  });
});

describe('checkReadConditions', () => {
  const object = { etag: '"abc"', modified_at: Date.UTC(2024, 0, 1, 12, 0, 0, 500) };
  const now = Date.UTC(2024, 6, 1);
  const before = new Date(Date.UTC(2023, 0, 1));
  const same = new Date(Date.UTC(2024, 0, 1, 12, 0, 0));
  const outcome = (c: Parameters<typeof checkReadConditions>[0]) => {
    try {
      checkReadConditions(c, object, now);
      return 200;
    } catch (err) {
      return (err as { status: number }).status;
    }
  };

  it('applies If-Match before If-Unmodified-Since, and If-None-Match before If-Modified-Since', () => {
    expect(outcome({ IfMatch: '"abc"', IfUnmodifiedSince: before })).toBe(200);
    expect(outcome({ IfMatch: '"zzz"' })).toBe(412);
    expect(outcome({ IfUnmodifiedSince: before })).toBe(412);
    expect(outcome({ IfNoneMatch: 'abc', IfModifiedSince: before })).toBe(304);
    expect(outcome({ IfNoneMatch: '"zzz"', IfModifiedSince: same })).toBe(200);
    expect(outcome({ IfMatch: '"zzz"', IfNoneMatch: '"abc"' })).toBe(412);
  });

  it('compares dates at whole seconds and ignores If-Modified-Since in the future', () => {
    expect(outcome({ IfModifiedSince: same })).toBe(304);
    expect(outcome({ IfUnmodifiedSince: same })).toBe(200);
    expect(outcome({ IfModifiedSince: new Date(now + 1000) })).toBe(200);
  });

  it('matches lists, weak tags and the wildcard', () => {
    expect(outcome({ IfMatch: '"x", W/"abc"' })).toBe(200);
    expect(outcome({ IfNoneMatch: '*' })).toBe(304);
  });
});
