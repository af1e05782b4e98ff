import { createServer, request, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** What the proxy was asked: a tunnel (`CONNECT host:port`) or a request in absolute form (`GET http://host/path`). */
export interface ProxyCall {
  kind: 'connect' | 'forward';
  /** `host:port` of a tunnel, the absolute URL of a forwarded request. */
  target: string;
  authorization?: string;
}

export interface TestProxy {
  /** `http://127.0.0.1:PORT`, or `https://` with `tls` */
  url: string;
  calls: ProxyCall[];
  close(): Promise<void>;
}

/**
 * A tiny HTTP proxy on 127.0.0.1 for tests: CONNECT tunnels and absolute-form requests. Every host
 * it is asked for is 127.0.0.1 at the asked port, so a test target can have a name no resolver
 * knows (`tailgate-target.test`): only a request that went through the proxy can reach it. With
 * `credentials` ("user:password") it answers 407 to anything without them. With `tls` (a
 * certificate for 127.0.0.1 and its key) it is an https proxy: clients speak TLS with it first.
 */
export async function startTestProxy(options: { credentials?: string; tls?: { cert: string; key: string } } = {}): Promise<TestProxy> {
  const calls: ProxyCall[] = [];
  const sockets = new Set<Socket>();
  const expected = options.credentials === undefined ? undefined : `Basic ${Buffer.from(options.credentials).toString('base64')}`;
  const authorized = (headers: IncomingHttpHeaders): boolean => expected === undefined || headers['proxy-authorization'] === expected;
  const handler: RequestListener = (req, res) => {
    calls.push({ kind: 'forward', target: req.url ?? '', ...(req.headers['proxy-authorization'] ? { authorization: req.headers['proxy-authorization'] } : {}) });
    if (!authorized(req.headers)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const url = new URL(req.url ?? '/');
    const { 'proxy-authorization': _, 'proxy-connection': __, ...headers } = req.headers;
    const upstream = request({ host: '127.0.0.1', port: Number(url.port || 80), method: req.method, path: url.pathname + url.search, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  };
  const server = options.tls ? createHttpsServer(options.tls, handler) : createServer(handler);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    calls.push({ kind: 'connect', target: req.url ?? '', ...(req.headers['proxy-authorization'] ? { authorization: req.headers['proxy-authorization'] } : {}) });
    client.on('error', () => client.destroy());
    if (!authorized(req.headers)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const port = Number(/:(\d+)$/.exec(req.url ?? '')?.[1] ?? 443);
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
