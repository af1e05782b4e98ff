import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { PlanOutline } from '../../src/cli/plan-outline.js';
import { loadProfile } from '../../src/config/load-profile.js';
import { profileHash } from '../../src/plan/profile-hash.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { captureIo } from './cli-io.js';

const dir = mkdtempSync(join(tmpdir(), 'tailgate-inspect-'));
const write = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** The example profile of DESIGN.md: an arrival-rate scenario for 60 s, then a VU ramp for 60 s. */
const PROFILE = `
name: shop
target: \${TARGET_URL}
defaults: { timeout: 10s, headers: { authorization: "Bearer \${API_TOKEN}" } }
warmup: 5s
scenarios:
  browse:
    executor: constant-arrival-rate
    rate: 50
    duration: 60s
    preAllocatedVUs: 20
    maxVUs: 200
  ramp:
    executor: ramping-vus
    startTime: 60s
    stages: [{ duration: 30s, target: 20 }, { duration: 30s, target: 0 }]
    journeys: [shopper]
journeys:
  shopper:
    weight: 4
    steps:
      - name: list
        request: GET /api/products
        expect: 200
        capture: { productId: "$.items[0].id" }
        think: 1s-3s
      - name: detail
        request: GET /api/products/{{ productId }}
  buyer:
    weight: 1
    steps:
      - name: checkout
        request: POST /api/orders
        body: { productId: 7, quantity: 1 }
        expect: [200, 201]
thresholds:
  http_req_duration: ["p(95)<500"]
  "http_req_duration{step:checkout}": ["p(99)<800"]
  http_req_failed: ["rate<0.01"]
regression: { p95: 10%, throughput: 15%, alpha: 0.05 }
`;

let server: LoopbackServer;
let env: Record<string, string>;
beforeAll(async () => {
  server = await startServer((_req, res) => res.end('ok'));
  env = { TARGET_URL: server.url, API_TOKEN: 'secret-token-value' };
});
afterAll(() => server.close());

describe('tailgate inspect', () => {
  it('prints the plan: timing, total duration, peak VUs and rate, steps, thresholds, hash; sends nothing', async () => {
    const file = write('shop.yml', PROFILE);
    const io = captureIo(env);
    expect(await main(['inspect', '--config', file], io)).toBe(0);
    const out = io.out();
    const hash = profileHash(await loadProfile(file, { env }));
    expect(out).toContain(`profile shop (${file}), hash ${hash}`);
    // The target came from the environment (TARGET_URL): shown as ***, as every such value.
    expect(out).toContain('target ***\n');
    expect(out).not.toContain(server.url);
    // The block length is the loader's default, whatever it is.
    expect(out).toMatch(/duration 2m \(warm-up 5s, then 115s measured in blocks of \d+(ms|s)\), up to 30s more for iterations in flight to finish/);
    // browse's maxVUs while it runs; 50 iterations/s of journeys of 1.8 steps on average.
    expect(out).toContain('peak 200 VUs (open-model scenarios counted at their maxVUs), 50 iterations/s (about 90 requests/s) from open-model scenarios');
    expect(out).toMatch(/browse {2}0s-1m {2}constant-arrival-rate \(open model\): 50 iterations\/s, 20-200 VUs; journeys shopper, buyer/);
    expect(out).toMatch(/ramp {4}1m-2m {2}ramping-vus \(closed model\): 1 -> 20 -> 0 VUs over 2 stage\(s\); journeys shopper/);
    expect(out).toContain('    list: GET /api/products  (expect 200; captures productId; think 1s-3s)');
    expect(out).toContain('    detail: GET /api/products/{{ productId }}');
    expect(out).toContain('    checkout: POST /api/orders  (expect 200, 201)');
    expect(out).toContain('  http_req_duration{step:checkout}: p(99)<800');
    expect(out).toContain('regression gate: p95 +10%, throughput -15%, error rate +1 pt, alpha 0.05');
    expect(out).not.toContain('secret-token-value');
    expect(server.requests()).toBe(0);
  });

  it('--json writes the same plan for machines', async () => {
    const io = captureIo(env);
    expect(await main(['inspect', '--config', write('shop-json.yml', PROFILE), '--json'], io)).toBe(0);
    const outline = JSON.parse(io.out()) as PlanOutline;
    expect(outline.schema).toBe('tailgate.inspect/v1');
    expect(outline.durationMs).toBe(120_000);
    expect(outline.peakVUs).toBe(200);
    expect(outline.peakIterationRate).toBe(50);
    expect(outline.peakRequestRate).toBe(90);
    expect(outline.scenarios.map((s) => [s.name, s.startMs, s.endMs, s.model])).toEqual([
      ['browse', 0, 60_000, 'open'],
      ['ramp', 60_000, 120_000, 'closed'],
    ]);
    expect(outline.journeys.flatMap((j) => j.steps.map((s) => s.name))).toEqual(['list', 'detail', 'checkout']);
    expect(outline.thresholds).toHaveLength(3);
    expect(outline.regression).toMatchObject({ p95Pct: 10, throughputPct: 15, alpha: 0.05, steps: 'all' });
    expect(io.out()).not.toContain('secret-token-value');
    expect(server.requests()).toBe(0);
  });

  it('says which thresholds stop the run when broken (abortOnFail), and from when', async () => {
    const text = PROFILE.replace(
      'http_req_failed: ["rate<0.01"]',
      'http_req_failed: ["rate<0.05", { threshold: "rate<0.01", abortOnFail: true, delayAbortEval: 10s }]\n  checks: [{ threshold: "rate>0.9", abortOnFail: true }]',
    );
    const io = captureIo(env);
    expect(await main(['inspect', '--config', write('abort.yml', text)], io)).toBe(0);
    expect(io.out()).toContain('  http_req_failed: rate<0.05, rate<0.01 (stops the run when broken, from 10s after the warm-up)');
    expect(io.out()).toContain('  checks: rate>0.9 (stops the run when broken)');
    const json = captureIo(env);
    expect(await main(['inspect', '--config', write('abort-json.yml', text), '--json'], json)).toBe(0);
    const outline = JSON.parse(json.out()) as PlanOutline;
    expect(outline.thresholds.find((t) => t.metric === 'http_req_failed')?.abortOnFail).toEqual([{ expression: 1, delayAbortEvalMs: 10_000 }]);
    expect(outline.thresholds.find((t) => t.metric === 'http_req_duration')?.abortOnFail).toBeUndefined();
  });

  it('adds overlapping scenarios and finds a ramp peak between its ends', async () => {
    const io = captureIo(env);
    const text = `
target: \${TARGET_URL}
scenarios:
  a: { executor: ramping-arrival-rate, startRate: 0, stages: [{ duration: 10s, target: 100 }, { duration: 10s, target: 0 }], preAllocatedVUs: 5, maxVUs: 40 }
  b: { executor: ramping-vus, startTime: 5s, stages: [{ duration: 5s, target: 30 }, { duration: 10s, target: 0 }] }
journeys:
  j: { steps: [{ request: GET /a }, { request: GET /b }] }
`;
    expect(await main(['inspect', '--config', write('overlap.yml', text), '--json'], io)).toBe(0);
    const outline = JSON.parse(io.out()) as PlanOutline;
    expect(outline.durationMs).toBe(20_000);
    expect(outline.peakVUs).toBe(70); // at 10 s: a's maxVUs 40 and b's 30
    expect(outline.peakIterationRate).toBe(100);
    expect(outline.peakRequestRate).toBe(200);
  });

  it('a profile with a mistake is exit 2 with the line, field and fix, as for run', async () => {
    const io = captureIo(env);
    const file = write('bad.yml', PROFILE.replace('rate: 50', 'rate: fast'));
    expect(await main(['inspect', '--config', file], io)).toBe(2);
    expect(io.log.join('\n')).toMatch(/bad\.yml:\d+:\d+ scenarios\.browse\.rate/);
    const thresholds = captureIo(env);
    expect(await main(['inspect', '--config', write('bad-threshold.yml', PROFILE.replace('p(95)<500', 'p(95)<<500'))], thresholds)).toBe(2);
    expect(await main(['inspect'], captureIo(env))).toBe(2);
    expect(server.requests()).toBe(0);
  });

  it('--target replaces the file target unread', async () => {
    const io = captureIo({ API_TOKEN: 'x' });
    expect(await main(['inspect', '--config', write('target.yml', PROFILE), '--target', 'https://preview.example.com/base'], io)).toBe(0);
    expect(io.out()).toContain('target https://preview.example.com/base');
  });

  it('an example profile whose ${TARGET_URL} is not set says how to give inspect a target, and then inspects', async () => {
    const example = fileURLToPath(new URL('../../examples/profiles/load.yml', import.meta.url));
    const io = captureIo({});
    expect(await main(['inspect', '--config', example], io)).toBe(2);
    const log = io.log.join('\n');
    expect(log).toMatch(/load\.yml:\d+:\d+ target: environment variable TARGET_URL is not set\. Fix: give inspect a target, any URL \(it sends no request\)/);
    expect(log).toContain(`tailgate inspect --config ${example} --target URL, or TARGET_URL=URL tailgate inspect --config ${example}`);
    const given = captureIo({});
    expect(await main(['inspect', '--config', example, '--target', 'http://127.0.0.1:3000'], given)).toBe(0);
    expect(given.out()).toContain('target http://127.0.0.1:3000');
  });

  it('other unset variables keep their own fix', async () => {
    const io = captureIo({ TARGET_URL: 'http://127.0.0.1:3000' });
    expect(await main(['inspect', '--config', write('token.yml', PROFILE)], io)).toBe(2);
    const log = io.log.join('\n');
    expect(log).toMatch(/environment variable API_TOKEN is not set/);
    expect(log).not.toContain('give inspect a target');
  });
});
