import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, respondAfter, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';

const quick = { type: 'constant-vus', vus: 2, durationMs: 600 } as const;

describe('errors are counted by kind and never crash the run', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/status') return respondAfter(res, req, 1, 500, 'boom');
      if (req.url === '/hang') return req.resume(); // never answers
      if (req.url === '/reset') return req.socket.destroy();
      if (req.url === '/not-json') return respondAfter(res, req, 1, 200, '<html>');
      respondAfter(res, req, 1, 200, '{"items":[{"id":7}]}');
    });
  });
  afterAll(() => server.close());

  it('status, timeout and reset failures, each in its own step; a capture that finds nothing is a failed check', async () => {
    const journeys = [
      { name: 'status', weight: 1, steps: [step('GET /status', { expect: [200] })] },
      { name: 'timeout', weight: 1, steps: [step('GET /hang', { timeoutMs: 150 })] },
      { name: 'reset', weight: 1, steps: [step('GET /reset')] },
      { name: 'capture', weight: 1, steps: [step('GET /not-json', { capture: { id: '$.items[0].id' } }), step('GET /items/{{ id }}')] },
      { name: 'fine', weight: 1, steps: [step('GET /ok')] },
    ];
    const record = await runProfile(
      profileWith({
        target: server.url,
        journeys,
        scenarios: journeys.map((j) => ({ name: j.name, journeys: [j.name], executor: quick })),
      }),
    );
    const kinds = (name: string) => record.steps[name]?.errorKinds;
    expect(kinds('GET /status')).toEqual({ status: record.steps['GET /status']?.requests });
    expect(record.steps['GET /status']?.statuses).toEqual({ '500': record.steps['GET /status']?.requests });
    expect(kinds('GET /hang')?.timeout).toBeGreaterThanOrEqual(2);
    // A timeout keeps its elapsed time: a lower bound of the latency, never a fast response.
    expect(record.summary.steps['GET /hang']?.p50).toBeGreaterThanOrEqual(150);
    expect(kinds('GET /reset')?.reset).toBeGreaterThan(0);
    // Not a failed request (k6's http_req_failed): a failed check.
    expect(record.steps['GET /not-json']?.errors).toBe(0);
    expect(record.checks?.['capture id']).toEqual({ passes: 0, fails: record.steps['GET /not-json']?.requests });
    // The step that needs the value is not sent without it.
    expect(record.steps['GET /items/{{ id }}']?.requests).toBe(0);
    expect(record.steps['GET /ok']?.errors).toBe(0);
    const totalErrors = Object.values(record.steps).reduce((sum, s) => sum + s.errors, 0);
    expect(record.overall.errors).toBe(totalErrors);
    const byKind = Object.values(record.overall.errorKinds).reduce((sum, n) => sum + (n ?? 0), 0);
    expect(byKind).toBe(record.overall.errors);
  }, 10_000);

  it('refused connections', async () => {
    const closed = createServer();
    const port = await new Promise<number>((resolve) => closed.listen(0, '127.0.0.1', () => resolve((closed.address() as { port: number }).port)));
    await new Promise((resolve) => closed.close(resolve));
    const record = await runProfile(profileWith({ target: `http://127.0.0.1:${port}`, scenarios: [{ executor: { type: 'constant-vus', vus: 1, durationMs: 300 } }] }));
    expect(record.overall.requests).toBeGreaterThan(0);
    expect(record.overall.errorKinds).toEqual({ refused: record.overall.requests });
    expect(record.summary.overall.p95).toBe(0);
  });

  it('DNS failures (a lookup that fails, injected: no query leaves the machine)', async () => {
    const failingConnector = (_options: unknown, callback: (error: Error | null, socket: null) => void): void => {
      callback(Object.assign(new Error('getaddrinfo ENOTFOUND preview.invalid'), { code: 'ENOTFOUND' }), null);
    };
    const record = await runProfile(
      profileWith({ target: 'http://preview.invalid', scenarios: [{ executor: { type: 'constant-vus', vus: 1, durationMs: 200 } }] }),
      { connect: failingConnector as never },
    );
    expect(record.overall.errorKinds).toEqual({ dns: record.overall.requests });
  });

  it('TLS failures (https to a plain HTTP server)', async () => {
    const record = await runProfile(
      profileWith({ target: server.url.replace('http:', 'https:'), scenarios: [{ executor: { type: 'constant-vus', vus: 1, durationMs: 200 } }] }),
    );
    expect(record.overall.requests).toBeGreaterThan(0);
    expect(record.overall.errorKinds).toEqual({ tls: record.overall.requests });
  });
});

describe('journeys', () => {
  let server: LoopbackServer;
  const seen: string[] = [];
  beforeAll(async () => {
    server = await startServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${req.headers['x-token'] ?? ''} ${body}`);
        res.writeHead(req.url === '/orders' ? 201 : 200, { 'content-type': 'application/json' });
        res.end(req.url === '/products' ? JSON.stringify({ items: [{ id: 'a b' }, { id: 9 }] }) : '{}');
      });
    });
  });
  afterAll(() => server.close());

  it('run steps in order with captures filling later paths, headers and bodies', async () => {
    const record = await runProfile(
      profileWith({
        target: `${server.url}/`,
        journeys: [
          {
            name: 'shop',
            weight: 1,
            steps: [
              step('GET /products', { name: 'list', capture: { first: '$.items[0].id', second: '$.items[1].id' } }),
              step('GET /products/{{ first }}', { name: 'detail', headers: { 'x-token': 't-{{ second }}' } }),
              step('POST /orders', { name: 'order', body: { kind: 'json', value: { productId: '{{ second }}', note: 'for {{first}}' } }, expect: [201] }),
            ],
          },
        ],
        scenarios: [{ executor: { type: 'constant-vus', vus: 1, durationMs: 300 } }],
      }),
    );
    expect(seen.slice(0, 3)).toEqual(['GET /products  ', 'GET /products/a%20b t-9 ', 'POST /orders  {"productId":9,"note":"for a b"}']);
    expect(record.overall.errors).toBe(0);
    expect(record.steps.list?.requests).toBeGreaterThanOrEqual(record.steps.order?.requests ?? 0);
  });

  it('pick journeys by weight', async () => {
    seen.length = 0;
    const journeys = [
      { name: 'heavy', weight: 4, steps: [step('GET /heavy')] },
      { name: 'light', weight: 1, steps: [step('GET /light')] },
    ];
    // A fixed number of iterations, not a time: a busy machine then changes how long the picks
    // take, not how many there are (0.8 ± 0.05 is 3.5 standard deviations of 800 picks).
    const record = await runProfile(profileWith({ target: server.url, journeys, scenarios: [{ executor: { type: 'shared-iterations', vus: 4, iterations: 800, maxDurationMs: 25_000 } }] }));
    const heavy = record.steps['GET /heavy']?.requests ?? 0;
    const light = record.steps['GET /light']?.requests ?? 0;
    expect(heavy + light).toBe(800);
    expect(heavy / (heavy + light)).toBeGreaterThan(0.75);
    expect(heavy / (heavy + light)).toBeLessThan(0.85);
  }, 30_000);

  it('wait their think time between steps', async () => {
    const record = await runProfile(
      profileWith({
        target: server.url,
        journeys: [{ name: 'slow', weight: 1, steps: [step('GET /a', { think: { minMs: 100, maxMs: 100 } }), step('GET /b', { think: { minMs: 100, maxMs: 100 } })] }],
        scenarios: [{ executor: { type: 'constant-vus', vus: 1, durationMs: 1000 } }],
      }),
    );
    // One VU, about 100 ms per step: 10 requests in a second, not thousands.
    expect(record.overall.requests).toBeGreaterThanOrEqual(8);
    expect(record.overall.requests).toBeLessThanOrEqual(11);
  });
});
