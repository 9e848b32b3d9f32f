/** Counts what completes inside the measured window: ops, the units they moved, their latencies, errors. */
import { performance } from 'node:perf_hooks';
import { LatencyRecorder } from '../latency.js';
import type { DriverResult, DriverWindow } from './job.js';

const ERROR_SAMPLES = 5;

export class Tally {
  /** the window in performance.now() time */
  readonly from: number;
  readonly to: number;
  private ops = 0;
  private units = 0;
  private errors = 0;
  private bytes = 0;
  private readonly errorSamples = new Set<string>();
  private readonly latencies = new LatencyRecorder();
  private cpuAtFrom: NodeJS.CpuUsage | undefined;
  private cpuAtTo: NodeJS.CpuUsage | undefined;

  constructor(window: DriverWindow) {
    this.from = window.from - performance.timeOrigin;
    this.to = window.to - performance.timeOrigin;
    setTimeout(() => {
      this.cpuAtFrom = process.cpuUsage();
    }, this.from - performance.now());
    setTimeout(() => {
      this.cpuAtTo = process.cpuUsage();
    }, this.to - performance.now());
  }

  /** true while new requests may still be sent */
  get open(): boolean {
    return performance.now() < this.to;
  }

  /** An op that succeeded: `startedAt` is when its first request went out. */
  answered(startedAt: number, units: number, bytes: number): void {
    const now = performance.now();
    if (now < this.from || now > this.to) return;
    this.ops++;
    this.units += units;
    this.bytes += bytes;
    this.latencies.record(now - startedAt);
  }

  failed(message: string): void {
    const now = performance.now();
    if (now < this.from || now > this.to) return;
    this.errors++;
    if (this.errorSamples.size < ERROR_SAMPLES) this.errorSamples.add(message);
  }

  result(): DriverResult {
    const from = this.cpuAtFrom ?? process.cpuUsage();
    const to = this.cpuAtTo ?? process.cpuUsage();
    return {
      ops: this.ops,
      units: this.units,
      errors: this.errors,
      errorSamples: [...this.errorSamples],
      latencies: this.latencies.values(),
      bytes: this.bytes,
      cpuSeconds: (to.user + to.system - from.user - from.system) / 1e6,
    };
  }
}
