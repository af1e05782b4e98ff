import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeRecords } from '../../src/record/merge-records.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';

/**
 * A target that never answers: gracefulStop (and a stop's grace) must cut the requests still in
 * flight, as k6 does, and count them and their iterations apart from the target's errors. The
 * request timeout (20 s) is far past every bound here, so a run that waits for it fails the test.
 */
describe('requests in flight when a graceful stop expires', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    // /hang never answers; anything else is answered at once.
    server = await startServer((req, res) => {
      req.resume();
      if (req.url !== '/hang') res.end('ok');
    });
  });
  afterAll(() => server.close());

  const hang = [{ name: 'main', weight: 1, steps: [step('GET /hang', { timeoutMs: 20_000 })] }];

  it('closed model: cut off when gracefulStop expires, counted as interrupted, not as errors', async () => {
    const started = performance.now();
    const record = await runProfile(
      profileWith({ target: server.url, journeys: hang, scenarios: [{ executor: { type: 'constant-vus', vus: 3, durationMs: 1000 }, gracefulStopMs: 500 }] }),
    );
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(record.scenarios.s0?.interruptedIterations).toBe(3);
    expect(record.scenarios.s0?.iterations).toBe(0);
    expect(record.steps['GET /hang']?.interrupted).toBe(3);
    expect(record.overall.interrupted).toBe(3);
    expect(record.overall.requests).toBe(0);
    expect(record.overall.errors).toBe(0);
    expect(record.meta.interrupted).toBe(false);
    // Shards' counts add up when merged, as every other count does.
    const merged = mergeRecords([
      { file: 'a.json', record },
      { file: 'b.json', record },
    ]);
    expect(merged.scenarios.s0?.interruptedIterations).toBe(6);
    expect(merged.steps['GET /hang']?.interrupted).toBe(6);
    expect(merged.overall.interrupted).toBe(6);
    expect(merged.generator.lateness?.starts).toBe(2 * (record.generator.lateness?.starts ?? 0));
  }, 25_000);

  it('open model: every started iteration still waiting is cut off and counted', async () => {
    const started = performance.now();
    const record = await runProfile(
      profileWith({
        target: server.url,
        journeys: hang,
        scenarios: [
          {
            executor: { type: 'constant-arrival-rate', rate: 4, timeUnitMs: 1000, durationMs: 1000, preAllocatedVUs: 2, maxVUs: 10 },
            gracefulStopMs: 300,
          },
        ],
      }),
    );
    expect(performance.now() - started).toBeLessThan(10_000);
    const scenario = record.scenarios.s0;
    expect(scenario?.droppedIterations).toBe(0);
    expect(scenario?.interruptedIterations).toBe(scenario?.intendedIterations);
    expect(record.overall.interrupted).toBe(scenario?.intendedIterations);
    expect(record.overall.errors).toBe(0);
  }, 25_000);

  it('a stop (Ctrl-C) cuts off requests in flight after its grace and counts them', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const started = performance.now();
    const record = await runProfile(
      profileWith({ target: server.url, journeys: hang, scenarios: [{ executor: { type: 'constant-vus', vus: 2, durationMs: 60_000 } }] }),
      { signal: controller.signal },
    );
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(record.meta.interrupted).toBe(true);
    expect(record.scenarios.s0?.interruptedIterations).toBe(2);
    expect(record.overall.interrupted).toBe(2);
    expect(record.overall.errors).toBe(0);
  }, 25_000);

  it("cuts only the expired scenario's requests, not those of a scenario still running", async () => {
    const record = await runProfile(
      profileWith({
        target: server.url,
        journeys: [
          { name: 'stuck', weight: 1, steps: [step('GET /hang', { timeoutMs: 20_000 })] },
          { name: 'quick', weight: 1, steps: [step('GET /quick', { think: { minMs: 20, maxMs: 20 } })] },
        ],
        scenarios: [
          { name: 'stuck', journeys: ['stuck'], executor: { type: 'constant-vus', vus: 1, durationMs: 500 }, gracefulStopMs: 200 },
          { name: 'quick', journeys: ['quick'], executor: { type: 'constant-vus', vus: 2, durationMs: 1500 } },
        ],
      }),
    );
    expect(record.scenarios.stuck?.interruptedIterations).toBe(1);
    expect(record.steps['GET /hang']?.interrupted).toBe(1);
    expect(record.scenarios.quick?.interruptedIterations).toBeUndefined();
    expect(record.steps['GET /quick']?.interrupted).toBeUndefined();
    expect(record.steps['GET /quick']?.errors).toBe(0);
    expect(record.steps['GET /quick']?.requests).toBeGreaterThan(10);
  }, 25_000);
});
