/** Every child process the bench starts (servers, drivers), so that none outlives the run. */
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();

export function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** SIGKILLs whatever is still running, at the end of the run however it ends. */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}
