import type { ServiceEnvironment } from '../types.js';

/**
 * Runs `work` (given the server clock's now) on a timer and right after each clock advance,
 * logging rather than throwing what fails; returns the stop function a service's `start` gives.
 */
export function startPeriodic(
  env: ServiceEnvironment,
  label: string,
  everyMs: number,
  work: (now: number) => void,
): () => void {
  const run = () => {
    if (!env.db.open) return;
    try {
      work(env.clock.now());
    } catch (err) {
      env.logger.log('error', `dynamodb ${label} failed: ${String(err)}`);
    }
  };
  const timer = setInterval(run, everyMs);
  timer.unref();
  const unlisten = env.clock.onAdvance(() => setImmediate(run).unref());
  return () => {
    clearInterval(timer);
    unlisten();
  };
}
