import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/config/load-profile.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { runPairedProfile } from '../helpers/run-paired.js';
import { runProfile } from '../helpers/run-profile.js';

/**
 * A session login as most web APIs have one: POST /login sets a session cookie and hands out a
 * CSRF token in a response header; every later request must carry both, or it is refused (403).
 * Three VUs log in once each and load the API for 4 s. The cookie rides in each VU's jar, the
 * token is captured from the header, an order's id by a pattern over a text body. The same
 * profile without the jar is refused on every request: the test can fail.
 */

interface Session {
  csrf: string;
  requests: number;
}

function sessionServer(): { handler: (req: IncomingMessage, res: ServerResponse) => void; sessions: Map<string, Session>; refused: () => number; logins: () => number; orders: () => string[] } {
  const sessions = new Map<string, Session>();
  let refused = 0;
  let logins = 0;
  const orders: string[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    req.resume();
    req.on('end', () => {
      const url = req.url ?? '';
      if (req.method === 'POST' && url === '/login') {
        logins++;
        const sid = randomBytes(8).toString('hex');
        const csrf = randomBytes(8).toString('hex');
        sessions.set(sid, { csrf, requests: 0 });
        res.setHeader('set-cookie', [`sid=${sid}; Path=/; HttpOnly; SameSite=Strict`, 'theme=dark; Path=/static']);
        res.setHeader('x-csrf-token', csrf);
        res.end('{"ok":true}');
        return;
      }
      const sid = /(?:^|;\s*)sid=([0-9a-f]+)/.exec(req.headers.cookie ?? '')?.[1];
      const session = sid === undefined ? undefined : sessions.get(sid);
      // The theme cookie is for /static only: sent elsewhere, the jar got its path wrong.
      if (session === undefined || req.headers['x-csrf-token'] !== session.csrf || (req.headers.cookie ?? '').includes('theme=')) {
        refused++;
        res.statusCode = 403;
        res.end('refused');
        return;
      }
      session.requests++;
      if (req.method === 'POST' && url === '/api/orders') {
        res.setHeader('content-type', 'text/plain');
        res.end(`created order id=${1000 + session.requests} for you`);
        return;
      }
      const order = /^\/api\/orders\/(\d+)$/.exec(url)?.[1];
      if (order !== undefined) orders.push(order);
      res.end('{"items":[1,2,3]}');
    });
  };
  return { handler, sessions, refused: () => refused, logins: () => logins, orders: () => orders };
}

const profileFor = (url: string, cookies: boolean, duration: string): string => `
target: ${url}
${cookies ? '' : 'cookies: false\n'}scenarios:
  shop: { executor: constant-vus, vus: 3, duration: ${duration} }
journeys:
  shopper:
    steps:
      - name: login
        request: POST /login
        once: true
        capture: { csrf: { header: X-CSRF-Token } }
      - name: items
        request: GET /api/items
        headers: { x-csrf-token: "{{ csrf }}" }
      - name: order
        request: POST /api/orders
        headers: { x-csrf-token: "{{ csrf }}" }
        body: { sku: 7 }
        capture: { orderId: { regex: 'id=(\\d+)' } }
      - name: order detail
        request: GET /api/orders/{{ orderId }}
        headers: { x-csrf-token: "{{ csrf }}" }
        think: 10ms
`;

describe('a session login: cookie jar, header and pattern captures', () => {
  let server: LoopbackServer;
  let target: ReturnType<typeof sessionServer>;
  beforeAll(async () => {
    target = sessionServer();
    server = await startServer(target.handler);
  });
  afterAll(() => server.close());

  it('no request of three VUs over 4 s is refused: each VU logs in once and keeps its session', async () => {
    const profile = parseProfile(profileFor(server.url, true, '4s'), { file: 'session.yml', env: {} });
    const record = await runProfile(profile);
    expect(target.refused()).toBe(0);
    // One login per VU (once: true), each VU's session then carried by its own jar.
    expect(target.logins()).toBe(3);
    expect(target.sessions.size).toBe(3);
    for (const session of target.sessions.values()) expect(session.requests).toBeGreaterThan(10);
    for (const step of ['items', 'order', 'order detail']) {
      expect(record.steps[step]?.requests).toBeGreaterThan(10);
      expect(record.steps[step]?.errors).toBe(0);
    }
    // Every captured id came from the order's text body, and every capture was a passed check.
    expect(target.orders().length).toBe(record.steps['order detail']?.requests);
    expect(target.orders().every((id) => Number(id) > 1000)).toBe(true);
    expect(record.checks?.['capture csrf']?.fails).toBe(0);
    expect(record.checks?.['capture orderId']?.fails).toBe(0);
  }, 30_000);

  it('without the jar (cookies: false) every request after the login is refused', async () => {
    const before = target.refused();
    const profile = parseProfile(profileFor(server.url, false, '1s'), { file: 'session.yml', env: {} });
    const record = await runProfile(profile);
    expect(target.refused() - before).toBeGreaterThan(0);
    expect(record.steps.items?.errors).toBe(record.steps.items?.requests);
    // The order was refused, so nothing was captured and the detail was never sent.
    expect(record.steps['order detail']?.requests ?? 0).toBe(0);
    expect(record.checks?.['capture orderId']?.passes ?? 0).toBe(0);
  }, 30_000);

  it('in paired mode each VU keeps a jar per target: neither target sees the other\'s session', async () => {
    const base = sessionServer();
    const baseServer = await startServer(base.handler);
    try {
      const headBefore = { refused: target.refused(), logins: target.logins() };
      const profile = parseProfile(profileFor(server.url, true, '2s'), { file: 'session.yml', env: {} });
      const { paired } = await runPairedProfile(profile, baseServer.url, { blockMs: 1000, settleMs: 0, order: 'abba', seed: 1 });
      // A session cookie of one target sent to the other would be unknown there, and refused.
      expect(target.refused() - headBefore.refused).toBe(0);
      expect(base.refused()).toBe(0);
      expect(target.logins() - headBefore.logins).toBeGreaterThan(0);
      expect(base.logins()).toBeGreaterThan(0);
      expect(paired.head.steps.items?.errors).toBe(0);
      expect(paired.base.steps.items?.errors).toBe(0);
      expect(paired.base.steps.items?.requests).toBeGreaterThan(0);
    } finally {
      await baseServer.close();
    }
  }, 30_000);
});
