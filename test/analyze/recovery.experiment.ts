import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockSeries } from '../../src/analyze/block-series.js';
import { runPlannedCurve } from '../../src/analyze/planned-curve.js';
import { analyzeRecovery } from '../../src/analyze/recovery.js';
import type { HttpClient } from '../../src/engine/http-client.js';
import { runProfile } from '../helpers/run-profile.js';
import { startSlotServer, type SlotServer } from '../helpers/slot-server.js';
import { surgeProfile } from '../helpers/surge.js';

/**
 * A real spike on loopback: a target of 100 requests a second (20 slots × 200 ms, one queue) is
 * offered 50 a second, then 200 a second for 2 s, then 50 again. The surge leaves a queue of
 * (200 − 100) × 2 = 200 requests, which drains at 100 − 50 = 50 a second: the target is back
 * 4 s after the surge ended. On a busy machine the target serves less than its nominal 100 a
 * second and the queue drains later, so the test also watches the queue itself (requests in
 * flight, from the client's side) and takes the truth from what the target really did: the
 * first moment after the surge with no more in flight than it has slots. Latency is back within
 * the allowance a little before the queue is quite empty (a wait of the allowance is a queue of
 * allowance × capacity requests, which drains in that over the shortfall), so the interval's top
 * may fall short of the truth by that much. About 30 s a run; run by hand (`npm run validate --
 * recovery`, RECOVERY_FIGURES=1 to print each run's figures), its figures in docs/analyze.md ("On
 * loopback" under recovery). `npm test` keeps a short surge (recovery-run.test.ts).
 */

/** A service time of 200 ms, as a real endpoint's, keeps a busy machine's few ms of jitter well inside the allowance. */
const SLOTS = 20;
const SERVICE_MS = 200;
const RATE = 50;
const SURGE_RATE = 200;
const SURGE_MS = 2000;
const WARMUP_MS = 2000;
/** From the run's start: the level before until 11 s (9 blocks measured), the surge to 13 s, the level after to 24 s. */
const SURGE_AT_MS = 11_000;
const END_MS = 24_000;

let server: SlotServer;

beforeAll(async () => {
  server = await startSlotServer(SLOTS, SERVICE_MS);
});

afterAll(async () => {
  await server.close();
});

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Watches requests in flight between the engine and its pool: the time of every change and the count after it. */
function watchInFlight(inner: HttpClient, trace: Array<{ atMs: number; inFlight: number }>): HttpClient {
  let inFlight = 0;
  return {
    send(request, done, arm) {
      trace.push({ atMs: nowMs(), inFlight: ++inFlight });
      inner.send(
        request,
        (outcome) => {
          trace.push({ atMs: nowMs(), inFlight: --inFlight });
          done(outcome);
        },
        arm,
      );
    },
    close: () => inner.close(),
    destroy: () => inner.destroy(),
  };
}

describe('recovery from a real surge', () => {
  it('brackets the time the queue the surge left took to drain', async () => {
    const profile = surgeProfile(
      server.url,
      { rate: RATE, surgeRate: SURGE_RATE, atMs: SURGE_AT_MS, surgeMs: SURGE_MS, endMs: END_MS },
      { warmupMs: WARMUP_MS, blockMs: 1000, preAllocatedVUs: 50, maxVUs: 600, gracefulStopMs: 5000 },
    );
    const trace: Array<{ atMs: number; inFlight: number }> = [];
    const record = await runProfile(profile, { wrapHttp: (pool) => watchInFlight(pool, trace) });
    const series = blockSeries(record);
    const [surge, ...others] = analyzeRecovery(series, runPlannedCurve(record));

    // The run's first iteration is due at its start; the surge ends SURGE_AT_MS + SURGE_MS later.
    const surgeEndAt = (trace[0]?.atMs ?? 0) + SURGE_AT_MS + SURGE_MS;
    const drainedAt = trace.find((e) => e.atMs > surgeEndAt && e.inFlight <= SLOTS)?.atMs;
    const truth = drainedAt === undefined ? Number.POSITIVE_INFINITY : (drainedAt - surgeEndAt) / 1000;
    const nominal = ((SURGE_RATE - server.capacityRps) * (SURGE_MS / 1000)) / (server.capacityRps - RATE);
    const queueAtEnd = [...trace].reverse().find((e) => e.atMs <= surgeEndAt)?.inFlight ?? 0;
    const dropped = series.points.reduce((sum, p) => sum + (p.dropped ?? 0), 0);
    const context = JSON.stringify({ truth, nominal, queueAtEnd, dropped, surge, p95s: series.points.map((p) => p.p95Ms && Math.round(p.p95Ms)) });
    if (process.env.RECOVERY_FIGURES) console.log(context);

    expect(others, context).toEqual([]);
    // The surge was offered, not dropped, and left a queue.
    expect(dropped, context).toBe(0);
    expect(queueAtEnd, context).toBeGreaterThan(0.7 * (SURGE_RATE - server.capacityRps) * (SURGE_MS / 1000));
    expect(surge, context).toMatchObject({ beforeOffered: RATE, surgeOffered: SURGE_RATE, surgeStartMs: SURGE_AT_MS - WARMUP_MS, surgeEndMs: SURGE_AT_MS + SURGE_MS - WARMUP_MS, recovered: true });
    const allowedWaitS = ((surge?.p95LimitMs ?? 0) - (surge?.p95BeforeMs ?? 0)) / 1000;
    const early = (allowedWaitS * server.capacityRps) / (server.capacityRps - RATE);
    expect(surge?.seconds?.low, context).toBeLessThanOrEqual(truth);
    expect(surge?.seconds?.high, context).toBeGreaterThanOrEqual(truth - early);
  }, 40_000);
});
