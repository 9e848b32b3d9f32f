/** A leveled logger writing one line per event to stderr (stdout carries the ready line). */
import type { LogLevel } from './config.js';

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export class Logger {
  private readonly rank: number;

  constructor(level: LogLevel) {
    this.rank = RANK[level];
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] <= this.rank;
  }

  log(level: LogLevel, message: string): void {
    if (RANK[level] <= this.rank) process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
  }
}
