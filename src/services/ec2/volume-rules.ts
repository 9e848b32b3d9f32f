/**
 * EBS's rules for a volume's size and performance by type (sizes in GiB, throughput in
 * MiB/s), and the defaults AWS fills in: gp2's IOPS follow its size (3 per GiB, 100 to
 * 16000), gp3 starts at 3000 IOPS and 125 MiB/s.
 */
import { invalidParameterCombination, invalidParameterValue } from './errors.js';

export interface VolumeSpec {
  type: string;
  size: number;
  iops?: number;
  throughput?: number;
}

interface TypeRule {
  minSize: number;
  maxSize: number;
  /** Provisioned IOPS: range, whether required, the most per GiB. */
  iops?: { min: number; max: number; required: boolean; perGib: number };
  throughput?: { min: number; max: number };
}

const RULES: Record<string, TypeRule> = {
  standard: { minSize: 1, maxSize: 1024 },
  gp2: { minSize: 1, maxSize: 16384 },
  gp3: {
    minSize: 1,
    maxSize: 65536,
    iops: { min: 3000, max: 80000, required: false, perGib: 500 },
    throughput: { min: 125, max: 2000 },
  },
  io1: { minSize: 4, maxSize: 16384, iops: { min: 100, max: 64000, required: true, perGib: 50 } },
  io2: { minSize: 4, maxSize: 65536, iops: { min: 100, max: 256000, required: true, perGib: 1000 } },
  st1: { minSize: 125, maxSize: 16384 },
  sc1: { minSize: 125, maxSize: 16384 },
};

/** Checks a volume's figures against its type's rules, with AWS's errors. */
export function checkVolumeSpec(spec: VolumeSpec): void {
  const rule = RULES[spec.type];
  if (!rule) throw invalidParameterValue(`Value (${spec.type}) for parameter volumeType is invalid.`);
  if (!Number.isInteger(spec.size) || spec.size < rule.minSize)
    throw invalidParameterValue(
      `Volume of ${spec.size}GiB is too small for volume type ${spec.type}; minimum is ${rule.minSize}GiB`,
    );
  if (spec.size > rule.maxSize)
    throw invalidParameterValue(
      `Volume of ${spec.size}GiB is too large for volume type ${spec.type}; maximum is ${rule.maxSize}GiB`,
    );
  checkIops(spec, rule);
  checkThroughput(spec, rule);
}

function checkIops(spec: VolumeSpec, rule: TypeRule): void {
  const limits = rule.iops;
  if (!limits) {
    if (spec.iops !== undefined)
      throw invalidParameterCombination(`The parameter iops is not supported for ${spec.type} volumes.`);
    return;
  }
  if (spec.iops === undefined) {
    if (limits.required)
      throw invalidParameterCombination(`The parameter iops must be specified for ${spec.type} volumes.`);
    return;
  }
  if (spec.iops < limits.min)
    throw invalidParameterValue(`Volume iops of ${spec.iops} is too low; minimum is ${limits.min}.`);
  if (spec.iops > limits.max)
    throw invalidParameterValue(`Volume iops of ${spec.iops} is too high; maximum is ${limits.max}.`);
  const ratio = spec.iops / spec.size;
  if (ratio > limits.perGib)
    throw invalidParameterValue(
      `Iops to volume size ratio of ${ratio.toFixed(6)} is too high; maximum is ${limits.perGib}`,
    );
}

function checkThroughput(spec: VolumeSpec, rule: TypeRule): void {
  if (spec.throughput === undefined) return;
  const limits = rule.throughput;
  if (!limits)
    throw invalidParameterCombination(`The parameter throughput is not supported for ${spec.type} volumes.`);
  if (spec.throughput < limits.min)
    throw invalidParameterValue(
      `Throughput of ${spec.throughput}MiB/s is too low; minimum is ${limits.min}MiB/s.`,
    );
  if (spec.throughput > limits.max)
    throw invalidParameterValue(
      `Throughput of ${spec.throughput}MiB/s is too high; maximum is ${limits.max}MiB/s.`,
    );
  const iops = spec.iops ?? rule.iops?.min ?? 0;
  if (spec.throughput / iops > 0.25)
    throw invalidParameterValue(
      `Throughput to iops ratio of ${(spec.throughput / iops).toFixed(6)} is too high; maximum is 0.250000 MiB/s per iops.`,
    );
}

/** The IOPS and throughput a volume reports once AWS's defaults are applied. */
export function effectivePerformance(spec: VolumeSpec): { iops?: number; throughput?: number } {
  switch (spec.type) {
    case 'gp2':
      return { iops: Math.min(16000, Math.max(100, spec.size * 3)) };
    case 'gp3':
      return { iops: spec.iops ?? 3000, throughput: spec.throughput ?? 125 };
    case 'io1':
    case 'io2':
      return { iops: spec.iops };
    default:
      return {};
  }
}
