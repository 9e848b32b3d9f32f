import { describe, expect, it } from 'vitest';
import type { AwsError } from '../../src/errors.js';
import { checkVolumeSpec, effectivePerformance } from '../../src/services/ec2/volume-rules.js';
import { thrownBy } from '../protocol/thrown.js';

const failure = (spec: Parameters<typeof checkVolumeSpec>[0]) => {
  const outcome = thrownBy(() => checkVolumeSpec(spec)) as AwsError | undefined;
  return outcome && `${outcome.code}: ${outcome.message}`;
};

describe('EBS volume rules', () => {
  it('accepts the figures each type allows', () => {
    expect(failure({ type: 'gp2', size: 1 })).toBeUndefined();
    expect(failure({ type: 'gp3', size: 100, iops: 16000, throughput: 1000 })).toBeUndefined();
    expect(failure({ type: 'io1', size: 4, iops: 200 })).toBeUndefined();
    expect(failure({ type: 'io2', size: 100, iops: 100000 })).toBeUndefined();
    expect(failure({ type: 'st1', size: 125 })).toBeUndefined();
    expect(failure({ type: 'standard', size: 1024 })).toBeUndefined();
  });

  it('refuses sizes outside the type range, in AWS words', () => {
    expect(failure({ type: 'standard', size: 2000 })).toBe(
      'InvalidParameterValue: Volume of 2000GiB is too large for volume type standard; maximum is 1024GiB',
    );
    expect(failure({ type: 'st1', size: 100 })).toBe(
      'InvalidParameterValue: Volume of 100GiB is too small for volume type st1; minimum is 125GiB',
    );
    expect(failure({ type: 'gp2', size: 0 })).toMatch(/^InvalidParameterValue: Volume of 0GiB is too small/);
  });

  it('checks provisioned IOPS: where allowed, required, in range and within the size ratio', () => {
    expect(failure({ type: 'gp2', size: 10, iops: 300 })).toBe(
      'InvalidParameterCombination: The parameter iops is not supported for gp2 volumes.',
    );
    expect(failure({ type: 'io1', size: 10 })).toBe(
      'InvalidParameterCombination: The parameter iops must be specified for io1 volumes.',
    );
    expect(failure({ type: 'gp3', size: 20, iops: 15000 })).toBe(
      'InvalidParameterValue: Iops to volume size ratio of 750.000000 is too high; maximum is 500',
    );
    expect(failure({ type: 'io1', size: 100, iops: 50 })).toBe(
      'InvalidParameterValue: Volume iops of 50 is too low; minimum is 100.',
    );
  });

  it('allows throughput on gp3 only, up to a quarter MiB/s per IOPS', () => {
    expect(failure({ type: 'io2', size: 100, iops: 1000, throughput: 200 })).toMatch(
      /^InvalidParameterCombination/,
    );
    expect(failure({ type: 'gp3', size: 100, throughput: 1000 })).toMatch(
      /Throughput to iops ratio of 0.333333/,
    );
  });

  it('fills in the performance AWS reports', () => {
    expect(effectivePerformance({ type: 'gp2', size: 8 })).toEqual({ iops: 100 });
    expect(effectivePerformance({ type: 'gp2', size: 1000 })).toEqual({ iops: 3000 });
    expect(effectivePerformance({ type: 'gp2', size: 16000 })).toEqual({ iops: 16000 });
    expect(effectivePerformance({ type: 'gp3', size: 8 })).toEqual({ iops: 3000, throughput: 125 });
    expect(effectivePerformance({ type: 'st1', size: 500 })).toEqual({});
  });
});
