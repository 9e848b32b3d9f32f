/**
 * The baseline: a bare node:http server answering every request with one fixed response
 * (BENCH_FIXED_RESPONSE, JSON of {status, headers, body}), or with the one
 * BENCH_RESPONSES_BY_TARGET gives for the request's X-Amz-Target: the upper bound for any
 * server in Node. Plain JavaScript so that it starts as fast as bare node does, without a loader.
 */
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
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  });
  req.resume();
});
server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`baseline listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
