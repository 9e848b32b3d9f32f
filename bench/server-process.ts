/**
 * Starting and stopping a server under test as a child process, and knowing when it is
 * ready.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { track } from './children.js';
import type { Scenario } from './scenario.js';
import { REPO_ROOT, type ServerSpec } from './servers.js';

export interface RunningServer {
  name: string;
  pid: number;
  url: string;
  port: number;
  /** performance.now() when it was spawned */
  spawnedAt: number;
  /** spawn to the ready line, for servers that print one */
  readyMs?: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
const STDERR_KEPT = 4096;

export async function launch(spec: ServerSpec, scenario: Scenario): Promise<RunningServer> {
  const port = spec.readyLine ? 0 : await freePort();
  const cmd = spec.command(scenario, port);
  const spawnedAt = performance.now();
  const child = spawn(cmd.file, cmd.args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...cmd.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_KEPT);
  });
  const stop = () => stopChild(child, exited);
  try {
    const url = spec.readyLine ? await readyUrl(child, spec.readyLine, exited) : `http://127.0.0.1:${port}`;
    const parsed = new URL(url);
    if (parsed.hostname !== '127.0.0.1') throw new Error(`${spec.name} listens on ${url}, not 127.0.0.1`);
    child.stdout?.resume();
    return {
      name: spec.name,
      pid: child.pid as number,
      url,
      port: Number(parsed.port),
      spawnedAt,
      readyMs: spec.readyLine ? performance.now() - spawnedAt : undefined,
      stop,
    };
  } catch (err) {
    await stop();
    throw new Error(`${spec.name} did not start: ${(err as Error).message}\n${stderr}`);
  }
}

function readyUrl(child: ChildProcess, readyLine: RegExp, exited: Promise<void>): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(
      () => reject(new Error(`no ready line in ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    lines.on('line', (line) => {
      const match = readyLine.exec(line);
      if (!match) return;
      clearTimeout(timer);
      lines.close();
      resolve(match[1] as string);
    });
    exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`exited with code ${child.exitCode} before it was ready`));
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** A port nothing listens on now, for a server that must be told which one to take. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
