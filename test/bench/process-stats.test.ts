import { describe, expect, it } from 'vitest';
import { parseMachineStat, parseStat, parseStatus, readCpu, readMemory } from '../../bench/process-stats.js';

describe('parseStat', () => {
  it('reads utime and stime (fields 14 and 15)', () => {
    const line =
      '4242 (node) S 1 4242 4242 0 -1 4194560 9120 0 0 0 731 95 0 0 20 0 11 0 1834 1102004224 21003 18446744073709551615';
    expect(parseStat(line)).toEqual({ user: 731, system: 95 });
  });

  it('is not fooled by spaces and parentheses in the command name', () => {
    const line = '7 (a) b (c d) R 1 7 7 0 -1 0 0 0 0 0 12 34 0 0 20 0 1 0 1 1 1';
    expect(parseStat(line)).toEqual({ user: 12, system: 34 });
  });

  it('refuses text that is not a stat line', () => {
    expect(() => parseStat('nonsense')).toThrow(/unreadable/);
  });
});

describe('parseStatus', () => {
  it('reads VmRSS and VmHWM in bytes', () => {
    const text = 'Name:\tnode\nVmPeak:\t 1000 kB\nVmHWM:\t   90112 kB\nVmRSS:\t   61440 kB\nThreads:\t11\n';
    expect(parseStatus(text)).toEqual({ rssBytes: 61440 * 1024, peakRssBytes: 90112 * 1024 });
  });

  it('says which field is missing', () => {
    expect(() => parseStatus('Name:\tnode\n')).toThrow(/VmRSS/);
  });
});

describe('parseMachineStat', () => {
  it('sums user, nice, system, irq and softirq, not idle, iowait or steal', () => {
    const text = 'cpu  100 5 40 9000 30 2 8 50 0 0\ncpu0 50 2 20 4500 15 1 4 25 0 0\n';
    expect(parseMachineStat(text)).toBe(100 + 5 + 40 + 2 + 8);
  });
});

describe('reading /proc for a live process', () => {
  it('gives this process a CPU time and a resident size', () => {
    const cpu = readCpu(process.pid);
    expect(cpu.user + cpu.system).toBeGreaterThan(0);
    const memory = readMemory(process.pid);
    expect(memory.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(memory.peakRssBytes).toBeGreaterThanOrEqual(memory.rssBytes);
  });
});
