import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXPOSITION_CONTENT_TYPE, processMetricsText, readProcess, type ProcessReading } from './process-metrics.js';

/**
 * The bundled sample service `tailgate demo` loads: a small shop API on loopback with
 * realistic, log-normally distributed latencies. A regression can be switched on to show
 * what the gate catches. Product detail says where its time went, as services do in a
 * `Server-Timing` header (`db;dur=10.4, app;dur=5.5`): its time split between the database and
 * the application, and a regression of product detail spent in the database, so a comparison
 * can name the component that rose. `GET /metrics` is its Prometheus endpoint: the process's
 * CPU time and resident memory (`process-metrics.ts`). The demo runs it in tailgate's own process,
 * so that CPU is the load generator's too: a CPU per request to look at, not to gate on.
 */
export interface SampleService {
  url: string;
  /** Makes product detail (or every route) this much slower (0.5 = 50% slower), from now on. */
  injectRegression(slowdown: number, scope?: 'detail' | 'all'): void;
  /** How many logins (`POST /auth/login`) it has answered, and requests refused for want of a token. */
  counts(): { logins: number; unauthorized: number };
  close(): Promise<void>;
}

interface Route {
  medianMs: number;
  sigma: number;
}

const ROUTES = {
  list: { medianMs: 6, sigma: 0.35 },
  // A read that queries a database: a 50% slowdown is some 8 ms, more than a busy machine's
  // generator can add to a p95 (`compare/generator-allowance.ts`), so the demo can show it there too.
  detail: { medianMs: 16, sigma: 0.3 },
  order: { medianMs: 12, sigma: 0.4 },
  login: { medianMs: 15, sigma: 0.3 },
  quote: { medianMs: 3, sigma: 0.3 },
} satisfies Record<string, Route>;

const SYMBOLS = ['ACME', 'GLOBEX', 'INITECH', 'UMBRELLA'];

const PRODUCTS = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, name: `Product ${i + 1}`, price: 5 + ((i * 37) % 90) }));

export interface SampleServiceOptions {
  host?: string;
  port?: number;
  /**
   * A latency multiplier read on every request (1 = as usual), for a speed that drifts over time.
   * Copies given the same function drift together (`tailgate calibrate --paired`).
   */
  speed?: () => number;
  /** Uniform numbers in [0, 1) behind every latency and split (default Math.random), so a test can know them. */
  random?: () => number;
  /** What `/metrics` reports (default this process's CPU time and resident memory), so a test can know it. */
  readProcess?: () => ProcessReading;
}

export async function startSampleService(options: SampleServiceOptions = {}): Promise<SampleService> {
  const speed = options.speed ?? (() => 1);
  const random = options.random ?? Math.random;
  const latency = (route: Route): number => logNormal(route, random);
  let detailSlowdown = 0;
  let allSlowdown = 0;
  let nextOrder = 1;
  let logins = 0;
  let unauthorized = 0;
  const tokens = new Set<string>();
  const signedIn = (req: IncomingMessage): boolean => tokens.has(/^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sample');
    const detail = /^\/api\/products\/(\d+)$/.exec(url.pathname);
    const quote = /^\/api\/quotes\/([A-Z]+)$/.exec(url.pathname);
    if (req.method === 'GET' && url.pathname === '/health') return reply(res, 0, 200, { ok: true });
    if (req.method === 'GET' && url.pathname === '/metrics') {
      res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE });
      res.end(processMetricsText((options.readProcess ?? readProcess)()));
      return;
    }
    const slow = (1 + allSlowdown) * speed();
    if (req.method === 'GET' && url.pathname === '/api/products') return reply(res, latency(ROUTES.list) * slow, 200, { items: PRODUCTS });
    if (req.method === 'GET' && detail) {
      const product = PRODUCTS.find((p) => p.id === Number(detail[1]));
      const time = detailTime(latency(ROUTES.detail) * slow, detailSlowdown, random());
      return reply(res, time.db + time.app, product ? 200 : 404, product ?? { error: 'no such product' }, { 'server-timing': `db;dur=${time.db.toFixed(2)}, app;dur=${time.app.toFixed(2)}` });
    }
    if (req.method === 'POST' && url.pathname === '/api/orders') {
      return readBody(req, () => reply(res, latency(ROUTES.order) * slow, 201, { id: nextOrder++ }));
    }
    // A small trading API for the example profiles: log in for a token, then read and trade.
    if (req.method === 'POST' && url.pathname === '/auth/login') {
      return readBody(req, () => {
        const token = `t${++logins}`;
        tokens.add(token);
        reply(res, latency(ROUTES.login) * slow, 200, { token });
      });
    }
    if (req.method === 'GET' && quote) {
      const symbol = quote[1] as string;
      const known = SYMBOLS.includes(symbol);
      return reply(res, latency(ROUTES.quote) * slow, known ? 200 : 404, known ? { symbol, price: 10 + SYMBOLS.indexOf(symbol) * 7.5 } : { error: 'no such symbol' });
    }
    if (['/api/portfolio', '/api/trades', '/api/cart/items'].includes(url.pathname)) {
      if (!signedIn(req)) {
        unauthorized++;
        return readBody(req, () => reply(res, 0, 401, { error: 'log in first' }));
      }
      if (req.method === 'GET' && url.pathname === '/api/portfolio') return reply(res, latency(ROUTES.list) * slow, 200, { cash: 1000, positions: [{ symbol: 'ACME', quantity: 3 }] });
      if (req.method === 'POST') return readBody(req, () => reply(res, latency(ROUTES.order) * slow, 201, { id: nextOrder++ }));
    }
    reply(res, 0, 404, { error: 'not found' });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    injectRegression: (slowdown, scope = 'detail') => {
      if (scope === 'all') allSlowdown = slowdown;
      else detailSlowdown = slowdown;
    },
    counts: () => ({ logins, unauthorized }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A log-normal latency: the shape real service times have (a long right tail). */
function logNormal(route: Route, random: () => number): number {
  const u = 1 - random();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  return route.medianMs * Math.exp(route.sigma * z);
}

/**
 * Product detail's time, ms, split as its Server-Timing says: the database's share of the usual
 * time is 50 to 75% (`share` in [0, 1) picks it), the application's the rest, and a slowdown
 * (0.5 = 50% slower) is all spent in the database. The whole is the usual time times
 * 1 + slowdown, as the other routes slow down.
 */
export function detailTime(usualMs: number, slowdown: number, share: number): { db: number; app: number } {
  const dbShare = 0.5 + 0.25 * share;
  return { db: usualMs * (dbShare + slowdown), app: usualMs * (1 - dbShare) };
}

function readBody(req: IncomingMessage, then: () => void): void {
  req.resume();
  req.on('end', then);
}

function reply(res: ServerResponse, delayMs: number, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const send = (): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  if (delayMs <= 0) send();
  else setTimeout(send, delayMs);
}
