import { describe, expect, it } from 'vitest';
import {
  between,
  comparable,
  equalTo,
  greaterThan,
  lessThan,
  OUT_OF_RANGE,
  rangeContains,
} from '../../../src/services/sns/filter-policy/numeric.js';

const c = (value: number) => {
  const result = comparable(value);
  if (result === undefined) throw new Error(`out of range: ${value}`);
  return result;
};

describe('comparable numbers (event-ruler ComparableNumber)', () => {
  it('keeps about six decimals (in Java doubles, as event-ruler does) and keeps order', () => {
    expect(c(1.0000004)).toBe(c(1));
    expect(c(1.000001)).toBeGreaterThan(c(1));
    expect(c(-2.5)).toBeLessThan(c(-2.4));
    expect(c(301.5)).toBe(c(3.015e2));
  });

  it('covers -5e9 to 5e9 inclusive', () => {
    expect(comparable(5e9)).toBe(1e16);
    expect(comparable(-5e9)).toBe(0);
    expect(comparable(5e9 + 1)).toBeUndefined();
    expect(() => equalTo(-6e9)).toThrow(OUT_OF_RANGE);
  });
});

describe('numeric ranges', () => {
  it('honours open and closed bounds', () => {
    const range = between(0, true, 150, false);
    expect([0, 0.000001, 150, 150.000001].map((v) => rangeContains(range, c(v)))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(rangeContains(greaterThan(5, false), c(5))).toBe(true);
    expect(rangeContains(greaterThan(5, true), c(5))).toBe(false);
    expect(rangeContains(lessThan(5, true), c(4.999999))).toBe(true);
    expect(rangeContains(lessThan(5, true), c(-5e9))).toBe(true);
  });

  it('requires the bottom below the top', () => {
    expect(() => between(3, true, 1, true)).toThrow('Bottom must be less than top');
    expect(() => between(1, false, 1, false)).toThrow('Bottom must be less than top');
  });
});
