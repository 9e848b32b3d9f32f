/** The bench's side of a driver process (bench/drivers/worker.ts): fork, hand over the job, collect. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { track } from './children.js';
import type { DriverJob, DriverResult, DriverWindow, FromDriver, ToDriver } from './drivers/job.js';

const WORKER = fileURLToPath(new URL('./drivers/worker.ts', import.meta.url));
const PREPARE_TIMEOUT_MS = 60_000;
/** how long past its grace a driver may take to report before it is killed */
const REPORT_TIMEOUT_MS = 10_000;

export class DriverProcess {
  private readonly child: ChildProcess;
  private readonly pending = new Map<FromDriver['type'], (message: FromDriver) => void>();
  private failure: ((err: Error) => void) | undefined;
  private readonly prepared: Promise<FromDriver>;

  constructor(private readonly job: DriverJob) {
    this.child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    track(this.child);
    this.child.on('message', (message: FromDriver) => this.receive(message));
    this.child.on('exit', (code) => this.failure?.(new Error(`driver process exited with code ${code}`)));
    // expected from the start, so that a failure while preparing is never missed
    this.prepared = this.expect('ready', PREPARE_TIMEOUT_MS);
  }

  /** Resolves once the driver has built its client (and for the SDK, had one answer). */
  async ready(): Promise<void> {
    await this.prepared;
  }

  async run(window: DriverWindow): Promise<DriverResult> {
    const result = this.expect('result', window.to + window.graceMs + REPORT_TIMEOUT_MS - Date.now());
    this.send({ type: 'go', window });
    const message = await result;
    return (message as Extract<FromDriver, { type: 'result' }>).result;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  private receive(message: FromDriver): void {
    if (message.type === 'started') this.send({ type: 'job', job: this.job });
    else if (message.type === 'failed') this.failure?.(new Error(`driver failed: ${message.message}`));
    else this.pending.get(message.type)?.(message);
  }

  private expect(type: FromDriver['type'], timeoutMs: number): Promise<FromDriver> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill();
        reject(new Error(`driver did not send '${type}' in ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        this.pending.delete(type);
        this.failure = undefined;
      };
      this.pending.set(type, (message) => {
        settle();
        resolve(message);
      });
      this.failure = (err) => {
        settle();
        reject(err);
      };
    });
  }

  private send(message: ToDriver): void {
    this.child.send(message);
  }
}
