import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/engine/clock.js';
import { LoadShapeSampler, plannedLevels, type ShapeCounts } from '../../src/engine/load-shape.js';
import { buildPlan } from '../../src/plan/plan.js';
import { loadShapeSlices } from '../../src/record/load-shape-slices.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { respondAfter, startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';

/** A clock the test moves by hand. */
function manualClock(): Clock & { set(ms: number): void } {
  let now = 0;
  return { now: () => now, set: (ms) => (now = ms) };
}

function counts(partial: Partial<ShapeCounts> = {}): ShapeCounts {
  return { active: 0, vuBusyMs: 0, busySinceMs: 0, intended: 0, dropped: 0, ...partial };
}

describe('the load shape sampler', () => {
  const plan = buildPlan(
    profileWith({
      target: 'http://127.0.0.1:9',
      warmupMs: 1500,
      blockMs: 1000,
      scenarios: [{ name: 'open', executor: { type: 'constant-arrival-rate', rate: 10, timeUnitMs: 1000, durationMs: 4000, preAllocatedVUs: 1, maxVUs: 5 } }],
    }),
  );

  it('cuts the warm-up back from its end and the rest into the record’s blocks', () => {
    expect(loadShapeSlices(1500, 1000, [{ startMs: 0, endMs: 1000 }, { startMs: 1000, endMs: 1500 }])).toEqual([
      { startMs: 0, endMs: 500 },
      { startMs: 500, endMs: 1500 },
      { startMs: 1500, endMs: 2500 },
      { startMs: 2500, endMs: 3000 },
    ]);
  });

  it('a late sample closes every slice it passed: the mean VUs of the interval each, iterations by length', () => {
    const clock = manualClock();
    const state = counts();
    const sampler = new LoadShapeSampler(plan, new Map([['open', state]]), clock, 0);
    // Two VUs busy from 0 on; 30 iterations due by 3 s, 3 of them dropped; nobody sampled until then.
    state.active = 2;
    state.intended = 30;
    state.dropped = 3;
    clock.set(3000);
    sampler.stop();
    const shape = sampler.toRecord(3).scenarios.open;
    // Slices: warm-up 0–500 and 500–1500, then blocks 1500–2500, 2500–3000 (cut short by the stop), 3500–4000 (never reached).
    expect(shape?.vus).toEqual([2, 2, 2, 2, 0]);
    expect(shape?.due).toEqual([5, 10, 10, 5, 0]);
    expect(shape?.dropped?.reduce((a, b) => a + b, 0)).toBe(3);
    expect(sampler.toRecord(3).warmupSlices).toBe(2);
  });

  it('a VU that ran half a slice counts as half a VU', () => {
    const clock = manualClock();
    const state = counts();
    const sampler = new LoadShapeSampler(plan, new Map([['open', state]]), clock, 0);
    // Idle until 250 ms, then one VU until the first slice ends at 500 ms.
    state.active = 1;
    state.busySinceMs = 250;
    clock.set(500);
    sampler.stop();
    expect(sampler.toRecord(0).scenarios.open?.vus).toEqual([0.5, 0]);
  });

  it('the planned levels: start, then each stage’s end; open-model rates per second', () => {
    const ramping = buildPlan(
      profileWith({
        target: 'http://127.0.0.1:9',
        scenarios: [
          { name: 'ramp', startTimeMs: 2000, executor: { type: 'ramping-vus', startVUs: 1, stages: [{ durationMs: 3000, target: 6 }, { durationMs: 1000, target: 0 }], gracefulRampDownMs: 0 } },
          { name: 'rate', executor: { type: 'ramping-arrival-rate', startRate: 30, timeUnitMs: 60_000, stages: [{ durationMs: 2000, target: 120 }], preAllocatedVUs: 1, maxVUs: 2 } },
        ],
      }),
    );
    expect(plannedLevels(ramping.scenarios[0]!)).toEqual([
      { atMs: 2000, target: 1 },
      { atMs: 5000, target: 6 },
      { atMs: 6000, target: 0 },
    ]);
    expect(plannedLevels(ramping.scenarios[1]!)).toEqual([
      { atMs: 0, target: 0.5 },
      { atMs: 2000, target: 2 },
    ]);
  });
});

describe('a run records its load shape', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer((req, res) => respondAfter(res, req, 20));
  });
  afterAll(() => server.close());

  it('VUs of a ramp, the arrival rate asked and the iterations dropped, slice by slice, and the record reads back', async () => {
    const record = await runProfile(
      profileWith({
        target: server.url,
        warmupMs: 1000,
        blockMs: 1000,
        journeys: [
          { name: 'a', weight: 1, steps: [{ name: 'a', method: 'GET', path: '/a', headers: {}, capture: {}, timeoutMs: 10_000 }] },
          { name: 'b', weight: 1, steps: [{ name: 'b', method: 'GET', path: '/b', headers: {}, capture: {}, timeoutMs: 10_000 }] },
        ],
        scenarios: [
          { name: 'ramp', journeys: ['a'], executor: { type: 'ramping-vus', startVUs: 0, stages: [{ durationMs: 2000, target: 4 }, { durationMs: 2000, target: 4 }], gracefulRampDownMs: 0 } },
          // 200/s on at most 2 VUs of 20 ms iterations: about 100/s can start, the rest are dropped.
          { name: 'rate', journeys: ['b'], executor: { type: 'constant-arrival-rate', rate: 200, timeUnitMs: 1000, durationMs: 4000, preAllocatedVUs: 2, maxVUs: 2 } },
        ],
      }),
    );
    const shape = record.loadShape;
    expect(shape?.warmupSlices).toBe(1);
    expect(record.blocks).toHaveLength(3);
    const ramp = shape?.scenarios.ramp;
    const rate = shape?.scenarios.rate;
    expect(ramp?.vus).toHaveLength(4);
    expect(ramp?.due).toBeUndefined();
    expect(ramp?.planned).toEqual([
      { atMs: 0, target: 0 },
      { atMs: 2000, target: 4 },
      { atMs: 4000, target: 4 },
    ]);
    // The ramp climbs to 4 VUs by 2 s and holds them (whole VUs only: floor of the ramp).
    const vus = ramp?.vus ?? [];
    expect(vus[0]).toBeLessThan(vus[2] as number);
    expect(vus[2]).toBeGreaterThan(3);
    expect(vus[3]).toBeGreaterThan(3);
    expect(vus[3]).toBeLessThanOrEqual(4);
    // Iterations due add up to what the scenario says it was asked for; the dropped ones too.
    const sum = (values: readonly number[] | undefined): number => (values ?? []).reduce((a, b) => a + b, 0);
    expect(sum(rate?.due)).toBe(record.scenarios.rate?.intendedIterations);
    expect(sum(rate?.dropped)).toBe(record.scenarios.rate?.droppedIterations);
    expect(sum(rate?.dropped)).toBeGreaterThan(0);
    for (const due of rate?.due ?? []) expect(due).toBeGreaterThan(150);
    for (const v of rate?.vus ?? []) expect(v).toBeLessThanOrEqual(2);
    const read = parseRunRecord(JSON.stringify(record), 'run.json');
    expect(read.loadShape).toEqual(record.loadShape);
  }, 20_000);

  it('a run stopped early keeps a shape as long as its blocks, which reads back', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1700).unref();
    const record = await runProfile(
      profileWith({ target: server.url, warmupMs: 500, blockMs: 1000, scenarios: [{ name: 'vus', executor: { type: 'constant-vus', vus: 3, durationMs: 10_000 } }] }),
      { signal: controller.signal },
    );
    expect(record.meta.interrupted).toBe(true);
    const vus = record.loadShape?.scenarios.vus?.vus ?? [];
    expect(vus).toHaveLength(1 + record.blocks.length);
    expect(vus[1]).toBeGreaterThan(2);
    expect(parseRunRecord(JSON.stringify(record), 'run.json').loadShape).toEqual(record.loadShape);
  }, 20_000);
});
