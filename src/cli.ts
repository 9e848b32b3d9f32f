#!/usr/bin/env node
/** `localaws [options]`: flags and environment -> config -> server. */
import { parseArgs, usage } from './cli-args.js';
import { ConfigError, DEFAULTS } from './config.js';
import { startServer } from './server.js';
import { VERSION } from './version.js';

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`localaws: ${err.message}\n`);
    process.exit(2);
  }
  if (parsed === 'help') return void process.stdout.write(`${usage()}\n`);
  if (parsed === 'version') return void process.stdout.write(`${VERSION}\n`);
  const server = await startServer({ ...DEFAULTS, ...parsed });
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // the ready line comes last: whoever reads it may signal at once
  process.stdout.write(`localaws ${VERSION} listening on ${server.url}\n`);
}

main().catch((err: NodeJS.ErrnoException) => {
  process.stderr.write(`localaws: ${err.code === 'EADDRINUSE' ? err.message : err.stack}\n`);
  process.exit(1);
});
