import { describe, expect, it } from 'vitest';
import { filterMatcher } from '../../src/services/ec2/filters.js';

interface Row {
  id: string;
  type: string;
  zones?: string[];
  count?: number;
}

const fields = {
  'instance-id': (r: Row) => r.id,
  'instance-type': (r: Row) => r.type,
  zone: (r: Row) => r.zones,
  count: (r: Row) => r.count,
};

const row: Row = { id: 'i-0123', type: 't3.micro', zones: ['us-east-1a', 'us-east-1b'], count: 2 };

describe('EC2 filters', () => {
  it('matches any of a filter’s values, and every filter', () => {
    expect(
      filterMatcher([{ Name: 'instance-type', Values: ['m5.large', 't3.micro'] }], fields)(row, []),
    ).toBe(true);
    expect(
      filterMatcher(
        [
          { Name: 'instance-type', Values: ['t3.micro'] },
          { Name: 'instance-id', Values: ['i-9999'] },
        ],
        fields,
      )(row, []),
    ).toBe(false);
  });

  it('reads wildcards: * any run, ? one character, backslash escapes', () => {
    const test = (pattern: string, value: string) =>
      filterMatcher([{ Name: 'instance-type', Values: [pattern] }], fields)({ ...row, type: value }, []);
    expect(test('t3.*', 't3.micro')).toBe(true);
    expect(test('t?.micro', 't3.micro')).toBe(true);
    expect(test('t?.micro', 't30.micro')).toBe(false);
    expect(test('t3.\\*', 't3.*')).toBe(true);
    expect(test('t3.\\*', 't3.micro')).toBe(false);
    expect(test('t3.mi(ro', 't3.mi(ro')).toBe(true);
    expect(test('T3.*', 't3.micro')).toBe(false);
  });

  it('matches list fields by any member and numbers by their text', () => {
    expect(filterMatcher([{ Name: 'zone', Values: ['us-east-1b'] }], fields)(row, [])).toBe(true);
    expect(filterMatcher([{ Name: 'count', Values: ['2'] }], fields)(row, [])).toBe(true);
    expect(filterMatcher([{ Name: 'zone', Values: ['x'] }], fields)({ id: 'i-1', type: 't' }, [])).toBe(
      false,
    );
  });

  it('reads tags through tag:KEY, tag-key and tag-value', () => {
    const tags = [
      { Key: 'Name', Value: 'web-1' },
      { Key: 'env', Value: 'prod' },
    ];
    expect(filterMatcher([{ Name: 'tag:Name', Values: ['web-*'] }], fields)(row, tags)).toBe(true);
    expect(filterMatcher([{ Name: 'tag:env', Values: ['dev'] }], fields)(row, tags)).toBe(false);
    expect(filterMatcher([{ Name: 'tag:missing', Values: ['*'] }], fields)(row, tags)).toBe(false);
    expect(filterMatcher([{ Name: 'tag-key', Values: ['env'] }], fields)(row, tags)).toBe(true);
    expect(filterMatcher([{ Name: 'tag-value', Values: ['prod'] }], fields)(row, tags)).toBe(true);
  });

  it('refuses a filter it does not know, with AWS’s error', () => {
    expect(() => filterMatcher([{ Name: 'colour', Values: ['red'] }], fields)).toThrow(
      expect.objectContaining({ code: 'InvalidParameterValue', message: "The filter 'colour' is invalid" }),
    );
    expect(() => filterMatcher([{ Name: 'constructor', Values: ['x'] }], fields)).toThrow(
      "The filter 'constructor' is invalid",
    );
  });
});
