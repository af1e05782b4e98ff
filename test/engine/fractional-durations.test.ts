import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/config/load-profile.js';
import { buildPlan } from '../../src/plan/plan.js';
import { respondAfter, startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { runProfile } from '../helpers/run-profile.js';

/** Durations and think ranges with decimals, as k6 writes them, drive a real run. */
describe('fractional durations', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer((req, res) => respondAfter(res, req, 1));
  });
  afterAll(() => server.close());

  it('runs 0.6s with a think time of 0.1s-0.15s after each request', async () => {
    const profile = parseProfile(
      `target: ${server.url}\nscenarios: { s: { executor: constant-vus, vus: 1, duration: 0.6s, gracefulStop: 0.5s } }\njourneys: { j: { steps: [{ request: GET /, think: 0.1s-0.15s, timeout: 1.5s }] } }\n`,
      { file: 'fractions.yml', env: {} },
    );
    const plan = buildPlan(profile);
    expect(plan.durationMs).toBe(600);
    expect(plan.scenarios[0]?.gracefulStopMs).toBe(500);
    expect(profile.journeys[0]?.steps[0]).toMatchObject({ think: { minMs: 100, maxMs: 150 }, timeoutMs: 1500 });
    const record = await runProfile(profile);
    // Each iteration waits at least 100 ms after its request: at most 7 start in 600 ms.
    expect(record.overall.requests).toBeGreaterThan(0);
    expect(record.overall.requests).toBeLessThanOrEqual(7);
    expect(record.overall.errors).toBe(0);
  }, 20_000);
});
