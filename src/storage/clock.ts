/**
 * The server's one clock. Tests move it forward through the admin API instead of sleeping;
 * everything time-driven (expiry, visibility, TTL, instance states) reads it.
 */
export class Clock {
  private offsetMs = 0;

  /** Milliseconds since the epoch, as the server sees them. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  /** How far the server clock is ahead of the real one. */
  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }
}
