import { describe, expect, it } from 'vitest';
import { split } from '../../bench/load.js';
import { BenchUsageError, parseBenchArgs } from '../../bench/options.js';
import { formatFigure, formatRatio } from '../../bench/report.js';

const choices = { scenarios: ['sts', 's3', 's3-1m'], optIn: ['s3-1m'], servers: ['localaws', 'baseline'] };

describe('parseBenchArgs', () => {
  it('has defaults for a run of a few minutes: every scenario but the opt-in ones, their own concurrency', () => {
    expect(parseBenchArgs([], choices)).toEqual({
      durationS: 5,
      warmupS: 1,
      concurrency: undefined,
      clients: 1,
      starts: 3,
      scenarios: ['sts', 's3'],
      drivers: ['raw', 'sdk'],
      servers: ['localaws', 'baseline'],
      json: false,
    });
  });

  it('takes values after the flag or after =', () => {
    const o = parseBenchArgs(
      ['--duration', '2.5', '--concurrency=64', '--scenario', 'sts', '--driver', 'sdk', '--json'],
      choices,
    );
    expect(o).toMatchObject({
      durationS: 2.5,
      concurrency: 64,
      scenarios: ['sts'],
      drivers: ['sdk'],
      json: true,
    });
  });

  it('takes an opt-in scenario by name, or with all', () => {
    expect(parseBenchArgs(['--scenario', 's3-1m,sts'], choices)).toMatchObject({
      scenarios: ['s3-1m', 'sts'],
    });
    expect(parseBenchArgs(['--scenario=all'], choices)).toMatchObject({ scenarios: ['sts', 's3', 's3-1m'] });
  });

  it('refuses unknown names, bad numbers and out-of-range values', () => {
    expect(() => parseBenchArgs(['--driver', 'raw,curl'], choices)).toThrow(/curl is not one of raw, sdk/);
    expect(() => parseBenchArgs(['--concurrency', '1.5'], choices)).toThrow(/not an integer/);
    expect(() => parseBenchArgs(['--duration', '0'], choices)).toThrow(/outside/);
    expect(() => parseBenchArgs(['--duration'], choices)).toThrow(/needs a value/);
    expect(() => parseBenchArgs(['--fast'], choices)).toThrow(BenchUsageError);
  });

  it('answers --help', () => {
    expect(parseBenchArgs(['--json', '--help'], choices)).toBe('help');
  });
});

describe('split', () => {
  it('spreads concurrency evenly over driver processes', () => {
    expect(split(32, 3)).toEqual([11, 11, 10]);
    expect(split(2, 4)).toEqual([1, 1]);
  });
});

describe('report figures', () => {
  it('shows about three significant digits', () => {
    expect(formatFigure(17054.4)).toBe('17054');
    expect(formatFigure(43.94)).toBe('43.9');
    expect(formatFigure(0.487)).toBe('0.49');
    expect(formatFigure(0)).toBe('0');
    expect(formatFigure(undefined)).toBe('-');
  });

  it('divides the subject by the other server, or says there is nothing to divide', () => {
    expect(formatRatio(17054, 56941)).toBe('0.30');
    expect(formatRatio(5, 0)).toBe('-');
    expect(formatRatio(undefined, 3)).toBe('-');
  });
});
