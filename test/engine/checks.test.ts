import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../cli/cli-io.js';
import type { Check } from '../../src/config/profile-types.js';
import { parseProfile } from '../../src/config/load-profile.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';

/**
 * Checks (k6's check()) against a loopback API: each counted in the run's `checks` metric, none
 * a failed request; http_req_failed follows k6 (a status outside expect, or no response).
 */
describe('checks', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/quote') {
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-region': 'eu' });
          return res.end(JSON.stringify({ symbol: 'ACME', price: 12.5, currency: 'EUR', tags: ['tech', 'large'] }));
        }
        if (req.url === '/broken') {
          res.writeHead(503, { 'content-type': 'text/plain' });
          return res.end('down for maintenance');
        }
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      });
    });
  });
  afterAll(() => server.close());

  const quoteChecks: Check[] = [
    { name: 'status 200', kind: 'status', statuses: [200] },
    { name: 'json', kind: 'header', header: 'content-type', op: 'contains', value: 'application/json' },
    { name: 'region', kind: 'header', header: 'x-region', op: 'equals', value: 'eu' },
    { name: 'no cookie', kind: 'header', header: 'set-cookie', op: 'missing' },
    { name: 'names ACME', kind: 'body', contains: 'ACME' },
    { name: 'priced', kind: 'json', path: '$.price', op: 'gt', value: 0 },
    { name: 'cheap', kind: 'json', path: '$.price', op: 'lte', value: 10 },
    { name: 'in USD', kind: 'json', path: '$.currency', op: 'equals', value: 'USD' },
    { name: 'tech', kind: 'json', path: '$.tags', op: 'contains', value: 'tech' },
    { name: 'has volume', kind: 'json', path: '$.volume', op: 'exists' },
  ];

  it('counts each check by name; failed checks are not failed requests', async () => {
    const record = await runProfile(
      profileWith({
        target: server.url,
        journeys: [{ name: 'quotes', weight: 1, steps: [step('GET /quote', { name: 'quote', checks: quoteChecks })] }],
        scenarios: [{ executor: { type: 'constant-vus', vus: 2, durationMs: 400 } }],
      }),
    );
    const n = record.steps.quote?.requests as number;
    expect(n).toBeGreaterThan(0);
    expect(record.steps.quote?.errors).toBe(0);
    const pass = { passes: n, fails: 0 };
    const fail = { passes: 0, fails: n };
    expect(record.checks).toEqual({
      'status 200': pass,
      json: pass,
      region: pass,
      'no cookie': pass,
      'names ACME': pass,
      priced: pass,
      cheap: fail,
      'in USD': fail,
      tech: pass,
      'has volume': fail,
    });
    expect(parseRunRecord(JSON.stringify(record), 'run.json').checks).toEqual(record.checks);
  }, 20_000);

  it('goes on with the iteration after a failed step, as k6 does; a request with no response fails its checks', async () => {
    const closedPort = await (async () => {
      const s = await startServer(() => {});
      await s.close();
      return s.port;
    })();
    const record = await runProfile(
      profileWith({
        target: server.url,
        journeys: [
          {
            name: 'j',
            weight: 1,
            steps: [
              step('GET /broken', { name: 'broken', expect: [200], checks: [{ name: 'up', kind: 'body', contains: 'ok' }] }),
              step('GET /fine', { name: 'fine', checks: [{ name: 'fine ok', kind: 'status', statuses: [200] }] }),
            ],
          },
        ],
        scenarios: [{ executor: { type: 'constant-vus', vus: 1, durationMs: 300 } }],
      }),
    );
    const broken = record.steps.broken?.requests as number;
    expect(record.steps.broken?.errorKinds).toEqual({ status: broken });
    // Every iteration went on to its second step.
    expect(record.steps.fine?.requests).toBe(broken);
    expect(record.checks).toEqual({ up: { passes: 0, fails: broken }, 'fine ok': { passes: broken, fails: 0 } });

    const refused = await runProfile(
      profileWith({
        target: `http://127.0.0.1:${closedPort}`,
        journeys: [{ name: 'j', weight: 1, steps: [step('GET /', { name: 'gone', checks: [{ name: 'answered', kind: 'status', statuses: [200] }] })] }],
        scenarios: [{ executor: { type: 'constant-vus', vus: 1, durationMs: 200 } }],
      }),
    );
    expect(refused.checks?.answered).toEqual({ passes: 0, fails: refused.steps.gone?.requests });
  }, 20_000);

  it('leaves warm-up requests out of the checks, as out of every statistic', async () => {
    const record = await runProfile(
      profileWith({
        target: server.url,
        warmupMs: 200,
        journeys: [{ name: 'j', weight: 1, steps: [step('GET /quote', { name: 'quote', checks: [{ name: 'status 200', kind: 'status', statuses: [200] }] })] }],
        scenarios: [{ executor: { type: 'constant-vus', vus: 1, durationMs: 500 } }],
      }),
    );
    expect(record.checks?.['status 200']).toEqual({ passes: record.steps.quote?.requests, fails: 0 });
  }, 20_000);

  it('reads checks from a profile file into the same assertions', () => {
    const profile = parseProfile(
      `target: ${server.url}
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys:
  j:
    steps:
      - name: quote
        request: GET /quote
        checks:
          status 200: { status: 200 }
          json: { header: Content-Type, contains: application/json }
          no cookie: { header: set-cookie, exists: false }
          names ACME: { bodyContains: ACME }
          priced: { json: "$.price", gt: 0 }
          has volume: { json: "$.volume" }
`,
      { file: 'quotes.yml', env: {} },
    );
    expect(profile.journeys[0]?.steps[0]?.checks).toEqual([
      { name: 'status 200', kind: 'status', statuses: [200] },
      { name: 'json', kind: 'header', header: 'content-type', op: 'contains', value: 'application/json' },
      { name: 'no cookie', kind: 'header', header: 'set-cookie', op: 'missing' },
      { name: 'names ACME', kind: 'body', contains: 'ACME' },
      { name: 'priced', kind: 'json', path: '$.price', op: 'gt', value: 0 },
      { name: 'has volume', kind: 'json', path: '$.volume', op: 'exists' },
    ]);
  });

  it('inspect names a step’s checks; run prints the checks metric as k6 does', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tailgate-checks-')), 'quotes.yml');
    writeFileSync(
      file,
      `target: ${server.url}\nscenarios: { s: { executor: constant-vus, duration: 300ms } }\njourneys:\n  j:\n    steps:\n      - name: quote\n        request: GET /quote\n        checks:\n          priced: { json: "$.price", gt: 0 }\n          in USD: { json: "$.currency", equals: USD }\n`,
    );
    const inspect = captureIo({});
    expect(await main(['inspect', '--config', file], inspect)).toBe(0);
    expect(inspect.out()).toContain('    quote: GET /quote  (checks priced, in USD)');
    const run = captureIo({});
    expect(await main(['run', '--config', file], run)).toBe(0);
    expect(run.out()).toMatch(/checks: 50\.00% of \d+ passed\n {2}ok {3}priced: (\d+) of \1 passed\n {2}FAIL in USD: 0 of \d+ passed/);
  }, 20_000);
});
