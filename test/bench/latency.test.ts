import { describe, expect, it } from 'vitest';
import { LatencyRecorder, median, percentile, summarize } from '../../bench/latency.js';

const sorted = (values: number[]) => Float64Array.from(values).sort();

describe('percentile (nearest rank)', () => {
  it('picks the smallest value with p% at or below it', () => {
    const ten = sorted([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]);
    expect(percentile(ten, 50)).toBe(5);
    expect(percentile(ten, 90)).toBe(9);
    expect(percentile(ten, 99)).toBe(10);
    expect(percentile(ten, 100)).toBe(10);
    expect(percentile(ten, 0)).toBe(1);
  });

  it('is NaN for no samples, the value itself for one', () => {
    expect(percentile(new Float64Array(0), 50)).toBeNaN();
    expect(percentile(sorted([3.5]), 99)).toBe(3.5);
  });
});

describe('summarize', () => {
  it('merges the samples of several drivers before ranking', () => {
    const s = summarize([Float64Array.from([4, 1]), Float64Array.from([3, 2, 100])]);
    expect(s).toEqual({ count: 5, mean: 22, p50: 3, p90: 100, p99: 100, p999: 100, max: 100 });
  });

  it('sorts numerically, not as text', () => {
    expect(summarize([Float64Array.from([10, 9, 100])]).p50).toBe(10);
  });
});

describe('LatencyRecorder', () => {
  it('keeps every sample past its first capacity', () => {
    const r = new LatencyRecorder();
    for (let i = 0; i < 40_000; i++) r.record(i);
    const values = r.values();
    expect(r.size).toBe(40_000);
    expect(values.length).toBe(40_000);
    expect(values[39_999]).toBe(39_999);
    expect(values[16_384]).toBe(16_384);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([120, 80, 95])).toBe(95);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
