/**
 * The baseline: a bare node:http server answering every request with one fixed response
 * (BENCH_FIXED_RESPONSE, JSON of {status, headers, body}), or with the one
 * BENCH_RESPONSES_BY_TARGET gives for the request's X-Amz-Target: the upper bound for any
 * server in Node. A fixed response with a `file` streams that file to requests for its path
 * (a 1 GiB GetObject). Plain JavaScript so that it starts as fast as bare node does, without a loader.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';

const fixed = JSON.parse(process.env.BENCH_FIXED_RESPONSE ?? 'null');
if (!fixed) {
  process.stderr.write('baseline-server: BENCH_FIXED_RESPONSE is not set\n');
  process.exit(2);
}
const prepare = (response) => {
  const body = Buffer.from(response.body);
  return {
    status: response.status,
    body,
    headers: { ...response.headers, 'content-length': String(body.length) },
  };
};
const fallback = prepare(fixed);
const byTarget = new Map(
  Object.entries(JSON.parse(process.env.BENCH_RESPONSES_BY_TARGET ?? '{}')).map(([t, r]) => [t, prepare(r)]),
);

// same keep-alive as localaws; the answer waits for the request body, as any real server's does
const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const target = req.headers['x-amz-target'];
  const answer = (target && byTarget.get(target)) || fallback;
  req.on('end', () => {
    if (fixed.file && req.url?.split('?')[0] === fixed.file.path)
      return streamFile(res, answer, fixed.file.file);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  });
  req.resume();
});
/** Read in the chunks localaws reads an object's file in, so the two differ only in the rest. */
const FILE_CHUNK = 256 * 1024;

function streamFile(res, answer, file) {
  // stat on each request: the bench writes the file once the server is up
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(statSync(file).size) });
  createReadStream(file, { highWaterMark: FILE_CHUNK }).pipe(res);
}

server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`baseline listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
