import { afterEach, describe, expect, it, vi } from 'vitest';
import { LongPolls } from '../../src/services/sqs/long-poll.js';

describe('SQS long polls', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('wakes one waiter per message, the longest-waiting first', async () => {
    let now = 1000;
    const polls = new LongPolls(() => now);
    const first = polls.wait(1, now + 20_000);
    const second = polls.wait(1, now + 20_000);
    const other = polls.wait(2, now + 20_000);
    polls.notify(1, 1);
    expect(await first).toBe('woken');
    expect(polls.waiters(1)).toBe(1);
    polls.end(1);
    expect(await second).toBe('ended');
    now += 30_000;
    polls.clockAdvanced();
    expect(await other).toBe('deadline');
    expect(polls.waiters(2)).toBe(0);
  });

  it('ends at the deadline, and wakes when the soonest hidden message is due', async () => {
    vi.useFakeTimers();
    const polls = new LongPolls(() => Date.now());
    const start = Date.now();
    const due = polls.wait(7, start + 5000, start + 2000);
    vi.advanceTimersByTime(1999);
    expect(polls.waiters(7)).toBe(1);
    vi.advanceTimersByTime(1);
    expect(await due).toBe('woken');
    const late = polls.wait(7, Date.now() + 3000);
    vi.advanceTimersByTime(3000);
    expect(await late).toBe('deadline');
    expect(vi.getTimerCount()).toBe(0);
  });
});
