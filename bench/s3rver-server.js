/**
 * s3rver (npm devDependency) as a bench peer: started through its API rather than its CLI
 * because its only account is the hard-coded S3RVER key pair, and the drivers sign as
 * `test`. Its store is a fresh temporary directory, removed when it stops. Prints the same
 * ready line as the other servers so the harness gives it port 0.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver');
require('s3rver/lib/models/account').DUMMY_ACCOUNT.createKeyPair('test', 'test');

const directory = mkdtempSync(join(tmpdir(), 'bench-s3rver-'));
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(process.env.BENCH_PORT ?? 0),
  directory,
  silent: true,
});
const { port } = await server.run();
process.stdout.write(`s3rver listening on http://127.0.0.1:${port}\n`);
// 100k objects are 300k files, longer to remove than the harness waits for a server to stop:
// a detached rm finishes the job after this process has gone
process.on('SIGTERM', () => {
  spawn('rm', ['-rf', directory], { detached: true, stdio: 'ignore' }).unref();
  process.exit(0);
});
