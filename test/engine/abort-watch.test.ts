import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseThreshold } from '../../src/threshold/threshold-expression.js';
import { abortWatchFor } from '../../src/threshold/threshold-abort.js';
import { evaluateThresholds } from '../../src/threshold/thresholds.js';
import type { Profile } from '../../src/config/profile-types.js';
import { monotonicClock } from '../../src/engine/clock.js';
import { LoadRun } from '../../src/engine/engine.js';
import { createHttpClient } from '../../src/engine/http-client.js';
import { fixedReadings, SelfMonitor } from '../../src/engine/self-monitor.js';
import { buildPlan } from '../../src/plan/plan.js';
import { respondAfter, startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';

/** The engine's side of abortOnFail: when the running tallies are judged, against a loopback server. */
describe('the abort watch', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer((req, res) => respondAfter(res, req, req.url?.startsWith('/slow') ? 600 : 20));
  });
  afterAll(() => server.close());

  async function run(profile: Profile) {
    const plan = buildPlan(profile);
    const watch = abortWatchFor(profile.thresholds, 50);
    const load = new LoadRun(plan, {
      clock: monotonicClock(),
      http: createHttpClient(plan.origin, { connections: plan.maxConcurrency }),
      seed: 1,
      monitor: new SelfMonitor({ readings: fixedReadings() }),
      ...(watch ? { abortWatch: watch } : {}),
    });
    return load.run({ target: profile.target });
  }

  const aborting = (metric: string, expression: string, delayAbortEvalMs = 0): Profile['thresholds'] => [{ metric, expressions: [expression], abortOnFail: [{ expression: 0, delayAbortEvalMs }] }].map(parseThreshold);

  it('does not judge the run once its schedule is over: a slow answer in the graceful stop does not abort it', async () => {
    // An iteration of two requests of 600 ms each, still going for a second after its 200 ms schedule
    // ended: its first answer comes in the graceful stop, when the run is only finishing.
    const profile = {
      ...profileWith({ target: server.url, journeys: [{ name: 'j', weight: 1, steps: [step('GET /slow', { name: 'slow' }), step('GET /slow?again', { name: 'again' })] }], scenarios: [{ name: 's', gracefulStopMs: 3000, executor: { type: 'per-vu-iterations', vus: 1, iterations: 1, maxDurationMs: 200 } }] }),
      thresholds: aborting('http_req_duration', 'p(95)<10'),
    };
    const record = await run(profile);
    expect(record.meta.aborted).toBeUndefined();
    expect(record.overall.requests).toBe(2);
    const [result] = evaluateThresholds(record, profile.thresholds);
    expect(result?.status).toBe('broken');
    expect(result?.abortedRun).toBeUndefined();
  }, 20_000);

  it('stops the run at the first look past the delay and keeps what was measured', async () => {
    const profile = {
      ...profileWith({ target: server.url, warmupMs: 100, journeys: [{ name: 'j', weight: 1, steps: [step('GET /fast', { name: 'fast' })] }], scenarios: [{ name: 's', executor: { type: 'constant-vus', vus: 2, durationMs: 30_000 } }] }),
      thresholds: aborting('http_req_duration{step:fast}', 'p(95)<5', 300),
    };
    const record = await run(profile);
    expect(record.meta.aborted).toMatchObject({ metric: 'http_req_duration{step:fast}', expression: 'p(95)<5' });
    expect(record.meta.aborted?.atMs).toBeGreaterThanOrEqual(300);
    expect(record.meta.interrupted).toBe(false);
    expect(record.meta.measuredMs).toBeLessThan(20_000);
    expect(record.steps.fast?.requests).toBeGreaterThan(0);
  }, 30_000);
});
