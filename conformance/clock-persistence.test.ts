/** The server clock across a restart on the same data dir: time never runs backwards. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalAws } from '../src/index.js';
import { rawRequest } from './harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'localaws-clock-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function offsetOf(url: string): Promise<number> {
  return JSON.parse((await rawRequest(url, { path: '/_localaws/clock' })).text).offsetSeconds;
}

describe('the server clock across a restart', () => {
  it('starts where the last server on the data dir left it', async () => {
    const first = await startLocalAws({ port: 0, dataDir });
    first.advanceClock(3600);
    await first.stop();

    const second = await startLocalAws({ port: 0, dataDir });
    expect(await offsetOf(second.url)).toBe(3600);
    second.advanceClock(60);
    second.reset();
    expect(await offsetOf(second.url)).toBe(3660);
    await second.stop();

    const third = await startLocalAws({ port: 0, dataDir });
    expect(await offsetOf(third.url)).toBe(3660);
    await third.stop();
  });

  it('starts at real time in memory', async () => {
    const server = await startLocalAws({ port: 0 });
    expect(await offsetOf(server.url)).toBe(0);
    await server.stop();
  });
});
