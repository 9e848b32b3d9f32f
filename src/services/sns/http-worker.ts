/**
 * Delivers pending HTTP/S messages in the background, never inside a request: due rows
 * are POSTed (at most MAX_IN_FLIGHT at once, 15 s each, as AWS allows); a 2xx deletes
 * the row, a 5xx, 429 or a failed connection retries it after the delay its retry policy
 * gives (on the server clock), and any other answer, or a spent policy, ends it, sending a
 * notification to the subscription's dead-letter queue. It wakes after a publish commits,
 * when the soonest retry is due, and when the clock is advanced; it resumes what was
 * pending after a restart.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../storage/database.js';
import type { RequestContext, ServiceEnvironment } from '../types.js';
import { type RetryPolicy, retryDelay } from './delivery-policy.js';
import {
  dueHttpDeliveries,
  type HttpDelivery,
  nextHttpDeliveryAt,
  removeHttpDelivery,
  rescheduleHttpDelivery,
} from './http-queue.js';
import { redrive } from './redrive.js';
import { subscriptionByArn } from './subscription-store.js';

const MAX_IN_FLIGHT = 64;
const TIMEOUT_MS = 15_000;

type Outcome = 'delivered' | 'retry' | 'failed';

function outcomeOf(status: number): Outcome {
  if (status >= 200 && status < 300) return 'delivered';
  return status >= 500 || status === 429 ? 'retry' : 'failed';
}

async function post(delivery: HttpDelivery): Promise<Outcome> {
  try {
    const response = await fetch(delivery.endpoint, {
      method: 'POST',
      headers: JSON.parse(delivery.headers) as Record<string, string>,
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    return outcomeOf(response.status);
  } catch {
    return 'retry';
  }
}

class HttpWorker {
  private readonly inFlight = new Set<number>();
  private timer?: NodeJS.Timeout;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(private readonly env: ServiceEnvironment) {}

  /** Posts what is due and sets a timer for what is not. */
  run(): void {
    if (this.stopped || !this.env.db.open) return;
    const now = this.env.clock.now();
    for (const delivery of dueHttpDeliveries(this.env.db, now, MAX_IN_FLIGHT + this.inFlight.size)) {
      if (this.inFlight.size >= MAX_IN_FLIGHT) break;
      if (this.inFlight.has(delivery.id)) continue;
      this.inFlight.add(delivery.id);
      void post(delivery).then((outcome) => this.settle(delivery, outcome));
    }
    this.scheduleNext();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private settle(delivery: HttpDelivery, outcome: Outcome): void {
    this.inFlight.delete(delivery.id);
    if (this.stopped || !this.env.db.open) return;
    try {
      this.env.db.transaction(() => this.record(delivery, outcome))();
    } catch (err) {
      this.env.logger.log('error', `sns http delivery: ${String((err as Error).stack ?? err)}`);
    }
    this.run();
  }

  private record(delivery: HttpDelivery, outcome: Outcome): void {
    if (outcome === 'retry') {
      const attempts = delivery.attempts + 1;
      const delay = retryDelay(JSON.parse(delivery.retryPolicy) as RetryPolicy, attempts);
      if (delay !== undefined) {
        rescheduleHttpDelivery(this.env.db, delivery.id, attempts, this.env.clock.now() + delay * 1000);
        return;
      }
    }
    removeHttpDelivery(this.env.db, delivery.id);
    if (outcome !== 'delivered') this.deadLetter(delivery);
  }

  /** Notifications past their policy go to the dead-letter queue; confirmations do not. */
  private deadLetter(delivery: HttpDelivery): void {
    const headers = JSON.parse(delivery.headers) as Record<string, string>;
    if (headers['x-amz-sns-message-type'] !== 'Notification') return;
    const subscription = subscriptionByArn(this.env.db, delivery.subscriptionArn);
    if (!subscription) return;
    const attributes = delivery.rawAttributes === null ? undefined : JSON.parse(delivery.rawAttributes);
    redrive(this.context(subscription.accountId, subscription.region), subscription.attributes, {
      body: delivery.body,
      attributes: attributes && decodeBinary(attributes),
    });
  }

  private context(accountId: string, region: string): RequestContext {
    const { env } = this;
    return {
      requestId: randomUUID(),
      endpoint: `http://${env.config.host}:${env.config.port}`,
      accountId,
      region,
      caller: { accessKeyId: '', accountId },
      service: 'sns',
      operation: 'Publish',
      config: env.config,
      db: env.db,
      blobs: env.blobs,
      now: () => env.clock.now(),
    };
  }

  private scheduleNext(): void {
    const at = nextHttpDeliveryAt(this.env.db);
    if (at === undefined || at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timerAt = Number.POSITIVE_INFINITY;
        this.run();
      },
      Math.max(0, at - this.env.clock.now()),
    );
    this.timer.unref();
  }

  /** The clock jumped: a retry set for later may be due now. */
  clockAdvanced(): void {
    clearTimeout(this.timer);
    this.timerAt = Number.POSITIVE_INFINITY;
    this.run();
  }
}

/** Raw attributes as stored (binary values in base64) back to bytes. */
function decodeBinary(
  attributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>,
) {
  const decoded: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }> = {};
  for (const [name, a] of Object.entries(attributes)) {
    decoded[name] =
      a.BinaryValue === undefined
        ? { DataType: a.DataType, StringValue: a.StringValue }
        : { DataType: a.DataType, BinaryValue: Buffer.from(a.BinaryValue, 'base64') };
  }
  return decoded;
}

const workers = new WeakMap<Db, HttpWorker>();

export function startHttpWorker(env: ServiceEnvironment): () => void {
  const worker = new HttpWorker(env);
  workers.set(env.db, worker);
  const offAdvance = env.clock.onAdvance(() => worker.clockAdvanced());
  setImmediate(() => worker.run());
  return () => {
    offAdvance();
    worker.stop();
  };
}

/** Asks the worker to look for due deliveries once the current transaction has committed. */
export function wakeHttpWorker(db: Db): void {
  const worker = workers.get(db);
  if (worker) setImmediate(() => worker.run());
}
