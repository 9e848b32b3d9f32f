/** Latency samples (milliseconds) and the percentiles the report shows. */

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** A growable array of samples: a typed array so a million of them cost 8 MB, not a heap of numbers. */
export class LatencyRecorder {
  private samples = new Float64Array(1 << 14);
  private count = 0;

  record(ms: number): void {
    if (this.count === this.samples.length) {
      const bigger = new Float64Array(this.samples.length * 2);
      bigger.set(this.samples);
      this.samples = bigger;
    }
    this.samples[this.count++] = ms;
  }

  get size(): number {
    return this.count;
  }

  values(): Float64Array {
    return this.samples.slice(0, this.count);
  }
}

/** Nearest-rank percentile of ascending samples: the smallest value with at least p% at or below it. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** One summary over the samples of every driver process. */
export function summarize(parts: Float64Array[]): LatencySummary {
  const count = parts.reduce((n, part) => n + part.length, 0);
  const all = new Float64Array(count);
  let offset = 0;
  let total = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
    for (const v of part) total += v;
  }
  all.sort();
  return {
    count,
    mean: count ? total / count : Number.NaN,
    p50: percentile(all, 50),
    p90: percentile(all, 90),
    p99: percentile(all, 99),
    p999: percentile(all, 99.9),
    max: count ? (all[count - 1] as number) : Number.NaN,
  };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
