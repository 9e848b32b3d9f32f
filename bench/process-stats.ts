/**
 * CPU time and memory of a server process, read from /proc: the servers run as child
 * processes so that what they spend is theirs alone, not the drivers'.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface CpuTicks {
  user: number;
  system: number;
}

export interface Memory {
  rssBytes: number;
  peakRssBytes: number;
}

/** utime and stime (fields 14 and 15) of /proc/<pid>/stat, in clock ticks. */
export function parseStat(text: string): CpuTicks {
  // the command name (field 2) is in parentheses and may itself hold spaces or ')'
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field n is fields[n - 3]
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  if (!Number.isFinite(user) || !Number.isFinite(system)) throw new Error(`unreadable /proc stat: ${text}`);
  return { user, system };
}

/** VmRSS and VmHWM (peak) of /proc/<pid>/status, in bytes. */
export function parseStatus(text: string): Memory {
  return { rssBytes: kibField(text, 'VmRSS'), peakRssBytes: kibField(text, 'VmHWM') };
}

function kibField(text: string, name: string): number {
  const start = text.indexOf(`${name}:`);
  if (start < 0) throw new Error(`/proc status has no ${name}`);
  const line = text.slice(start + name.length + 1, text.indexOf('\n', start));
  const kib = Number.parseInt(line.trim(), 10);
  if (!Number.isFinite(kib)) throw new Error(`unreadable ${name}: ${line}`);
  return kib * 1024;
}

/**
 * Busy clock ticks of the whole machine from the `cpu` line of /proc/stat: user, nice,
 * system, irq and softirq (guest time is already inside user; idle, iowait and steal are not busy).
 */
export function parseMachineStat(text: string): number {
  const line = text.slice(0, text.indexOf('\n'));
  if (!line.startsWith('cpu ')) throw new Error(`unreadable /proc/stat: ${line}`);
  const [user, nice, system, , , irq, softirq] = line.slice(4).trim().split(/\s+/).map(Number);
  const busy = [user, nice, system, irq, softirq].reduce((sum: number, t) => sum + (t ?? Number.NaN), 0);
  if (!Number.isFinite(busy)) throw new Error(`unreadable /proc/stat: ${line}`);
  return busy;
}

export function readMachineCpu(): number {
  return parseMachineStat(readFileSync('/proc/stat', 'latin1'));
}

export function readCpu(pid: number): CpuTicks {
  return parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1'));
}

export function readMemory(pid: number): Memory {
  return parseStatus(readFileSync(`/proc/${pid}/status`, 'latin1'));
}

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc's CPU times (100 on every Linux this runs on, but asked). */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    const answer = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    ticksPerSecond = Number.isInteger(answer) && answer > 0 ? answer : 100;
  }
  return ticksPerSecond;
}

/** CPU seconds spent between two readings. */
export function cpuSeconds(before: CpuTicks, after: CpuTicks): number {
  return (after.user - before.user + after.system - before.system) / clockTicksPerSecond();
}
