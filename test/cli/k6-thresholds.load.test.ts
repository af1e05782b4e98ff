import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { respondAfter, startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { captureIo } from './cli-io.js';

/**
 * Thresholds on what k6 users gate on beside latency: checks, one scenario's requests, a named
 * setup step, iterations; a run of the CLI against a loopback server.
 */
describe('thresholds on checks, scenarios, setup steps and iterations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tailgate-k6-thresholds-'));
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/auth/login') return respondAfter(res, req, 40, 200, '{"token":"t1"}');
      // Every third quote answers 503 (a failed request and a failed check); the list is slower, by
      // far more than a busy machine adds to a 1 ms answer (tens of ms at a load average of 17).
      if (req.url === '/quote') return respondAfter(res, req, 1, server.requests() % 3 === 0 ? 503 : 200, '{"price":1}');
      respondAfter(res, req, req.url === '/list' ? 80 : 1);
    });
  });
  afterAll(() => server.close());

  it('judges each on the run and exits 1 when one is broken', async () => {
    const file = join(dir, 'trading.yml');
    writeFileSync(
      file,
      `target: ${server.url}
scenarios:
  browse: { executor: constant-vus, vus: 2, duration: 800ms, journeys: [browse] }
  trade: { executor: constant-vus, vus: 2, duration: 800ms, journeys: [trade] }
setup:
  steps:
    - { name: login, request: POST /auth/login, capture: { token: "$.token" } }
journeys:
  browse: { steps: [{ name: list, request: GET /list }] }
  trade:
    steps:
      - name: quote
        request: "GET /quote"
        headers: { authorization: "Bearer {{ token }}" }
        expect: [200, 503]
        checks: { "price is there": { status: 200 } }
thresholds:
  "checks{check:price is there}": ["rate>0.99"]
  checks: ["rate>0.1"]
  "http_req_duration{scenario:browse}": ["p(50)>=60"]
  "http_req_duration{scenario:trade}": ["p(50)<60"]
  "http_req_duration{step:login}": ["max>=30", "max<10"]
  "iterations{scenario:trade}": ["count>0"]
  "iteration_duration{scenario:browse}": ["min>=60"]
`,
    );
    const io = captureIo({});
    expect(await main(['run', '--config', file, '--quiet'], io)).toBe(1);
    const out = io.unwrapped();
    expect(out).toMatch(/thresholds: 6 met, 2 broken/);
    expect(out).toMatch(/BROKEN checks\{check:price is there\}: rate>0\.99, observed [\d.]+%/);
    expect(out).toMatch(/ok {5}checks: rate>0\.1, observed/);
    expect(out).toMatch(/ok {5}http_req_duration\{scenario:browse\}: p\(50\)>=60, observed/);
    expect(out).toMatch(/ok {5}http_req_duration\{scenario:trade\}: p\(50\)<60, observed/);
    // The setup's login (40 ms) is measured apart, and gates only here, where a threshold names it.
    expect(out).toMatch(/ok {5}http_req_duration\{step:login\}: max>=30, observed/);
    expect(out).toMatch(/BROKEN http_req_duration\{step:login\}: max<10, observed [\d.]+ ms/);
    expect(out).toMatch(/ok {5}iterations\{scenario:trade\}: count>0, observed \d+/);
    expect(out).toMatch(/ok {5}iteration_duration\{scenario:browse\}: min>=60, observed/);
  }, 30_000);
});
