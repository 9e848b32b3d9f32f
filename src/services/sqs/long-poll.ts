/**
 * Waiting receivers (ReceiveMessage with WaitTimeSeconds). A waiter costs a promise and a
 * deadline timer, nothing else: no polling. It is woken by a send to its queue (one waiter
 * per message sent), by a per-queue timer set for when the queue's next hidden message or
 * FIFO group becomes receivable, by a clock advance (all waiters re-check), and by its own
 * deadline; it ends when its queue is deleted or purged, or the server stops. A woken
 * waiter tries to receive again and, finding nothing, waits again.
 */
import type { Db } from '../../storage/database.js';

export type WakeReason = 'woken' | 'deadline' | 'ended';

interface Waiter {
  readonly queueId: number;
  /** server-clock ms */
  readonly deadline: number;
  timer?: NodeJS.Timeout;
  resolve(reason: WakeReason): void;
}

export class LongPolls {
  private readonly waiting = new Map<number, Set<Waiter>>();
  /** per queue: the wake-up for its soonest hidden message, while it has waiters */
  private readonly soonest = new Map<number, { at: number; timer: NodeJS.Timeout }>();

  constructor(private readonly now: () => number) {}

  /** Waits until woken, the deadline (server clock) or the queue's end. `readyAt` is when the
   * queue's next hidden message becomes receivable, if one is hidden. */
  wait(queueId: number, deadline: number, readyAt?: number): Promise<WakeReason> {
    return new Promise((resolve) => {
      const waiter: Waiter = { queueId, deadline, resolve };
      waiter.timer = setTimeout(() => this.release(waiter, 'deadline'), Math.max(0, deadline - this.now()));
      waiter.timer.unref();
      let set = this.waiting.get(queueId);
      if (!set) {
        set = new Set();
        this.waiting.set(queueId, set);
      }
      set.add(waiter);
      if (readyAt !== undefined && readyAt < deadline) this.wakeAt(queueId, readyAt);
    });
  }

  /** Up to `count` messages became receivable: wakes as many waiters, the longest-waiting first. */
  notify(queueId: number, count = Number.POSITIVE_INFINITY): void {
    const set = this.waiting.get(queueId);
    if (!set) return;
    let left = count;
    for (const waiter of set) {
      if (left-- <= 0) break;
      this.release(waiter, 'woken');
    }
  }

  /** The queue was deleted or purged: its waiters answer with no messages. */
  end(queueId: number): void {
    for (const waiter of this.waiting.get(queueId) ?? []) this.release(waiter, 'ended');
  }

  /** The server clock jumped: every waiter re-checks; those past their deadline finish. */
  clockAdvanced(): void {
    const now = this.now();
    for (const set of [...this.waiting.values()]) {
      for (const waiter of set) this.release(waiter, waiter.deadline <= now ? 'deadline' : 'woken');
    }
  }

  /** The server stops: every waiter ends. */
  close(): void {
    for (const queueId of [...this.waiting.keys()]) this.end(queueId);
  }

  /** How many receivers wait on a queue. */
  waiters(queueId: number): number {
    return this.waiting.get(queueId)?.size ?? 0;
  }

  private wakeAt(queueId: number, at: number): void {
    const current = this.soonest.get(queueId);
    if (current && current.at <= at) return;
    if (current) clearTimeout(current.timer);
    const timer = setTimeout(
      () => {
        this.soonest.delete(queueId);
        this.notify(queueId);
      },
      Math.max(0, at - this.now()),
    );
    timer.unref();
    this.soonest.set(queueId, { at, timer });
  }

  private release(waiter: Waiter, reason: WakeReason): void {
    const set = this.waiting.get(waiter.queueId);
    if (!set?.delete(waiter)) return;
    clearTimeout(waiter.timer);
    if (set.size === 0) {
      this.waiting.delete(waiter.queueId);
      const soonest = this.soonest.get(waiter.queueId);
      if (soonest) clearTimeout(soonest.timer);
      this.soonest.delete(waiter.queueId);
    }
    waiter.resolve(reason);
  }
}

const registry = new WeakMap<Db, LongPolls>();

/** The long polls of one server (its database), made on first use with the server clock. */
export function longPolls(db: Db, now: () => number): LongPolls {
  let polls = registry.get(db);
  if (!polls) {
    polls = new LongPolls(now);
    registry.set(db, polls);
  }
  return polls;
}
