import { describe, expect, it } from 'vitest';
import { isWellFormedId, newId, prefixOf } from '../../src/services/ec2/ids.js';
import { encodeToken, pageOf, pageWindow } from '../../src/services/ec2/pages.js';

const items = Array.from({ length: 12 }, (_, i) => `k${String(i).padStart(2, '0')}`);
const limits = { min: 5, max: 1000 };

describe('EC2 paging', () => {
  it('walks every item exactly once, page by page', () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = pageOf(items, (k) => k, { MaxResults: 5, NextToken: token }, limits);
      seen.push(...page.items);
      token = page.nextToken;
      pages++;
    } while (token);
    expect(seen).toEqual(items);
    expect(pages).toBe(3);
  });

  it('answers everything without a token when no MaxResults is given', () => {
    expect(pageOf(items, (k) => k, {}, limits)).toEqual({ items });
  });

  it('resumes after the last key even when that item is gone', () => {
    const first = pageOf(items, (k) => k, { MaxResults: 5 }, limits);
    const rest = pageOf(
      items.filter((k) => k !== 'k04'),
      (k) => k,
      { MaxResults: 5, NextToken: first.nextToken },
      limits,
    );
    expect(rest.items[0]).toBe('k05');
  });

  it('refuses MaxResults out of range and a token it did not make', () => {
    expect(() => pageOf(items, (k) => k, { MaxResults: 4 }, limits)).toThrow(
      expect.objectContaining({ code: 'InvalidParameterValue' }),
    );
    expect(() => pageOf(items, (k) => k, { NextToken: 'garbage!' }, limits)).toThrow(
      expect.objectContaining({ code: 'InvalidPaginationToken' }),
    );
  });
});

describe('EC2 page windows (for pages read straight from an index)', () => {
  it('gives the size asked for, or the largest, and resumes after the key a token names', () => {
    expect(pageWindow({}, limits)).toEqual({ size: 1000 });
    const first = pageOf(items, (k) => k, { MaxResults: 5 }, limits);
    expect(pageWindow({ MaxResults: 7, NextToken: first.nextToken }, limits)).toEqual({
      size: 7,
      after: 'k04',
    });
    expect(pageWindow({ NextToken: encodeToken('k09') }, limits).after).toBe('k09');
  });

  it('refuses what pageOf refuses', () => {
    expect(() => pageWindow({ MaxResults: 1001 }, limits)).toThrow(
      expect.objectContaining({ code: 'InvalidParameterValue' }),
    );
    expect(() => pageWindow({ NextToken: 'garbage!' }, limits)).toThrow(
      expect.objectContaining({ code: 'InvalidPaginationToken' }),
    );
  });
});

describe('EC2 ids', () => {
  it('makes prefix + 17 hex digits and tells well-formed ids', () => {
    const id = newId('i');
    expect(id).toMatch(/^i-[0-9a-f]{17}$/);
    expect(isWellFormedId('i', id)).toBe(true);
    expect(isWellFormedId('i', 'i-1234abcd')).toBe(true);
    expect(isWellFormedId('i', 'i-123')).toBe(false);
    expect(isWellFormedId('vpc', id)).toBe(false);
    expect(prefixOf('eipalloc-0123')).toBe('eipalloc');
  });
});
