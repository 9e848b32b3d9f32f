/**
 * SQS's background work, on the server clock: deleting messages past their queue's
 * retention period (receives already skip them; this frees the space), forgetting expired
 * deduplication ids and receive attempts, advancing message move tasks, and waking long
 * polls when the clock is advanced. It runs every second, right after a clock advance, and
 * every few milliseconds while a move task runs.
 */
import { type Db, perDb } from '../../storage/database.js';
import type { ServiceEnvironment } from '../types.js';
import { expireDedup } from './fifo.js';
import { longPolls } from './long-poll.js';
import { removeMessage } from './message-store.js';
import { advanceMoveTasks } from './move-tasks.js';
import { QUEUE_COLUMNS, type Queue } from './queue-lookup.js';
import { expireAttempts } from './receive-attempts.js';

const SWEEP_INTERVAL_MS = 1000;
const MOVE_TASK_INTERVAL_MS = 20;
/** Expired messages deleted per queue and run, so a sweep never holds the database long. */
const EXPIRED_BATCH = 5000;

const statements = perDb((db) => ({
  expiring: db.prepare<{ now: number }, Queue>(
    `SELECT ${QUEUE_COLUMNS} FROM sqs_queues q WHERE EXISTS (
       SELECT 1 FROM sqs_messages m WHERE m.queue_id = q.id AND m.sent_at <= @now - q.retention * 1000)`,
  ),
  deleteExpired: db.prepare<[number, number, number]>(
    `DELETE FROM sqs_messages WHERE seq IN (
       SELECT seq FROM sqs_messages WHERE queue_id = ? AND sent_at <= ? LIMIT ?+0)`,
  ),
  expiredOfQueue: db.prepare<[number, number, number], { seq: number; groupId: string | null }>(
    'SELECT seq, group_id AS groupId FROM sqs_messages WHERE queue_id = ? AND sent_at <= ? LIMIT ?+0',
  ),
}));

/** Deletes expired messages, up to a batch per queue; returns whether any queue has more. */
export function sweepExpired(db: Db, now: number, clock: () => number): boolean {
  const s = statements(db);
  let more = false;
  for (const queue of s.expiring.all({ now })) {
    const before = now - queue.retention * 1000;
    if (queue.fifo) {
      // a FIFO group moves on to its next message when its oldest expires, which may be
      // what a waiting receiver waits for
      const rows = s.expiredOfQueue.all(queue.id, before, EXPIRED_BATCH);
      for (const row of rows) removeMessage(db, queue, row);
      longPolls(db, clock).notify(queue.id);
      more ||= rows.length === EXPIRED_BATCH;
    } else {
      more ||= s.deleteExpired.run(queue.id, before, EXPIRED_BATCH).changes === EXPIRED_BATCH;
    }
  }
  expireDedup(db, now);
  expireAttempts(db, now);
  return more;
}

class Background {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly run: () => void;

  constructor(private readonly env: ServiceEnvironment) {
    const clock = () => env.clock.now();
    const work = env.db.transaction(() => {
      const now = clock();
      const more = sweepExpired(env.db, now, clock);
      return advanceMoveTasks(env.db, now, clock) || more;
    });
    this.run = () => {
      if (this.stopped || !env.db.open) return;
      let busy = false;
      try {
        busy = work();
      } catch (err) {
        env.logger.log('error', `sqs background: ${String((err as Error).stack ?? err)}`);
      }
      this.schedule(busy ? MOVE_TASK_INTERVAL_MS : SWEEP_INTERVAL_MS);
    };
  }

  start(): () => void {
    const polls = longPolls(this.env.db, () => this.env.clock.now());
    // at once, so the first request after an advance already sees what it expired
    const offAdvance = this.env.clock.onAdvance(() => {
      this.run();
      polls.clockAdvanced();
    });
    this.schedule(SWEEP_INTERVAL_MS);
    return () => {
      this.stopped = true;
      clearTimeout(this.timer);
      offAdvance();
      polls.close();
    };
  }

  /** Runs soon (a move task was started). */
  kick(): void {
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.run, ms);
    this.timer.unref();
  }
}

const registry = new WeakMap<Db, Background>();

export function startBackground(env: ServiceEnvironment): () => void {
  const background = new Background(env);
  registry.set(env.db, background);
  return background.start();
}

/** Asks the server's background to run soon, if it runs. */
export function kickBackground(db: Db): void {
  registry.get(db)?.kick();
}
