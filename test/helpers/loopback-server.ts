import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  url: string;
  port: number;
  /** Requests in flight now, and the largest number seen. */
  inFlight: () => number;
  requests: () => number;
  close: () => Promise<void>;
}

/** A real HTTP server on 127.0.0.1, on a free port, for the engine to load. */
export async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<LoopbackServer> {
  let inFlight = 0;
  let requests = 0;
  const server = createServer((req, res) => {
    inFlight++;
    requests++;
    res.on('close', () => inFlight--);
    handler(req, res);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    inFlight: () => inFlight,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Drains the request body, then answers after `delayMs`. */
export function respondAfter(res: ServerResponse, req: IncomingMessage, delayMs: number, status = 200, body = 'ok'): void {
  req.resume();
  req.on('end', () => {
    setTimeout(() => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body);
    }, delayMs);
  });
}
