/** The HTTP server: admin routes under /_localaws/, everything else to the AWS dispatcher. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, adminRequest } from './admin/routes.js';
import type { Config } from './config.js';
import { dispatch, writeResponse } from './dispatch.js';
import { Runtime } from './runtime.js';

export interface RunningServer {
  url: string;
  port: number;
  runtime: Runtime;
  stop(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const rt = new Runtime(config);
  await rt.init();
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => onRequest(rt, req, res));
  server.on('checkContinue', (req, res) => {
    continueOnFirstRead(req, res);
    onRequest(rt, req, res);
  });
  // a malformed request (a 10 MB header, bad framing) gets a 4xx and the server keeps serving
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status =
      err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  try {
    await listen(server, config);
  } catch (err) {
    rt.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    runtime: rt,
    stop: () => stop(server, rt),
  };
}

function listen(server: Server, config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function stop(server: Server, rt: Runtime): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      rt.close();
      resolve();
    });
    server.closeAllConnections();
  });
}

/**
 * `Expect: 100-continue`: the 100 goes out when something first reads the body, so a request
 * refused before that (no such bucket, a bad signature, a bad header) gets its answer without
 * the client sending the body, as S3 does. Without this node would send the 100 at once.
 */
function continueOnFirstRead(req: IncomingMessage, res: ServerResponse): void {
  const onListener = (event: string | symbol) => {
    if (event !== 'data' && event !== 'readable') return;
    req.off('newListener', onListener);
    if (!res.headersSent) res.writeContinue();
  };
  req.on('newListener', onListener);
}

function onRequest(rt: Runtime, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  if (url.startsWith(ADMIN_PREFIX)) {
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    adminRequest(rt, req, path, new URLSearchParams(q < 0 ? '' : url.slice(q + 1))).then((r) =>
      writeResponse(res, req.method ?? 'GET', r),
    );
    return;
  }
  dispatch(rt, req, res).catch((err) => {
    // the dispatcher answers every AWS error itself; this is a bug, not a client's fault
    rt.logger.log('error', `unhandled: ${(err as Error).stack}`);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end();
  });
}
