/**
 * The server's one clock. Tests move it forward through the admin API instead of sleeping;
 * everything time-driven (expiry, visibility, TTL, instance states) reads it.
 */
export class Clock {
  private readonly listeners = new Set<() => void>();

  /** Starts `offsetMs` ahead of the real clock: where a server on the same data dir left it,
   * so time on the server never runs backwards across a restart. */
  constructor(private offsetMs = 0) {}

  /** Milliseconds since the epoch, as the server sees them. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after every advance (e.g. to wake long polls whose wait it ended);
   * returns the function that removes it. */
  onAdvance(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How far the server clock is ahead of the real one. */
  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }

  get offsetMilliseconds(): number {
    return this.offsetMs;
  }
}
