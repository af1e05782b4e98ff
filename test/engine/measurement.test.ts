import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram, percentileMs } from '../../src/record/histogram.js';
import { startServer, respondAfter, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';
import { startTimedServer, type TimedServer } from '../helpers/timed-server.js';

/** Nearest-rank percentile, as HDR histograms report it. */
function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Log-normal delays (median 40 ms, sigma 0.5, capped at 400 ms), from a seeded generator. */
function logNormalDelays(count: number): number[] {
  let seed = 42;
  const uniform = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) + 0.5) / 2 ** 31;
  const delays: number[] = [];
  for (let i = 0; i < count; i++) {
    const z = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    delays.push(Math.min(400, 40 * Math.exp(0.5 * z)));
  }
  return delays;
}

describe('recorded latencies match the server', () => {
  let server: TimedServer;
  beforeAll(async () => {
    server = await startTimedServer(logNormalDelays(5000));
  });
  afterAll(() => server.close());

  it('p50, p95 and p99 within max(1 ms, 3%) of the delays the server served', async () => {
    const record = await runProfile(
      profileWith({ target: server.url, scenarios: [{ executor: { type: 'constant-vus', vus: 10, durationMs: 5000 } }] }),
    );
    const served = await server.served();
    const histogram = decodeHistogram(record.overall.histogram);
    expect(histogram.totalCount).toBe(served.length);
    for (const p of [50, 95, 99]) {
      const expected = nearestRank(served, p);
      const observed = percentileMs(histogram, p);
      expect(Math.abs(observed - expected), `p${p}: observed ${observed} ms, served ${expected} ms`).toBeLessThanOrEqual(
        Math.max(1, 0.03 * expected),
      );
    }
  }, 15_000);
});

describe('coordinated omission is not hidden', () => {
  let server: LoopbackServer;
  let firstAt = 0;
  beforeAll(async () => {
    // Answers in 2 ms, except that everything arriving between 1 s and 2 s is held until 2 s.
    server = await startServer((req, res) => {
      const now = performance.now();
      if (firstAt === 0) firstAt = now;
      const t = now - firstAt;
      respondAfter(res, req, t >= 1000 && t < 2000 ? 2000 - t : 2);
    });
  });
  afterAll(() => server.close());

  it('a 1 s stall under an arrival-rate executor shows in p99, and iterations without a VU are dropped', async () => {
    const record = await runProfile(
      profileWith({
        target: server.url,
        journeys: [
          { name: 'roomy', weight: 1, steps: [step('GET /roomy')] },
          { name: 'tight', weight: 1, steps: [step('GET /tight')] },
        ],
        scenarios: [
          { name: 'roomy', journeys: ['roomy'], executor: { type: 'constant-arrival-rate', rate: 100, timeUnitMs: 1000, durationMs: 4000, preAllocatedVUs: 10, maxVUs: 200 } },
          { name: 'tight', journeys: ['tight'], executor: { type: 'constant-arrival-rate', rate: 100, timeUnitMs: 1000, durationMs: 4000, preAllocatedVUs: 10, maxVUs: 10 } },
        ],
      }),
    );
    const roomy = record.summary.steps['GET /roomy'];
    // About 100 of 400 requests waited up to 1 s: p95 and p99 sit deep in the stall.
    expect(roomy?.p99).toBeGreaterThan(900);
    expect(roomy?.p95).toBeGreaterThan(700);
    expect(roomy?.p50).toBeLessThan(20);
    expect(record.scenarios.roomy?.droppedIterations).toBe(0);
    // With only 10 VUs, the stall leaves no VU free: about 90 iterations cannot start, and say so.
    expect(record.scenarios.tight?.droppedIterations).toBeGreaterThan(70);
    expect(record.scenarios.tight?.achievedRate).toBeLessThan(80);
  }, 10_000);
});
