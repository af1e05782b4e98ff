import { describe, expect, it } from 'vitest';
import type { CapacityAnswer } from '../../src/analyze/analysis-types.js';
import type { BlockPoint, BlockSeries } from '../../src/analyze/block-series.js';
import { analyzeCapacity, levelGroups } from '../../src/analyze/capacity.js';
import { capacityLimitsFrom } from '../../src/analyze/capacity-limits.js';
import { parseProfile } from '../../src/config/load-profile.js';
import { seededRandom } from '../../src/stats/seeded-random.js';
import { uslThroughput } from '../../src/stats/usl.js';

/**
 * The breaking point on synthetic runs of known truth. The open-model target is simulated request
 * by request: arrivals evenly spaced at each level's rate (as the arrival-rate executors start
 * them), `slots` servers of `serviceMs` each and one first-come queue, so its capacity is exactly
 * slots × 1000 / serviceMs a second; an arrival with `maxVUs` iterations in flight is dropped, and
 * a target that rejects when `rejectQueue` requests wait answers at once with an error. Latency
 * is timed from the arrival (the intended start), and counted in the block it was due.
 */

interface OpenTarget {
  slots: number;
  /** Service time, possibly rising with the offered rate (a target slowing under load without a queue). */
  serviceMs: number | ((rate: number) => number);
  maxVUs?: number;
  rejectQueue?: number;
}

interface Staircase {
  /** Iterations a second per level, in order. */
  rates: number[];
  levelMs: number;
  blockMs: number;
  /** Multiplicative noise of each block's p95 (log-normal sd). */
  noise?: number;
  seed?: number;
}

function openRun(target: OpenTarget, shape: Staircase): BlockSeries {
  const { rates, levelMs, blockMs } = shape;
  const blockCount = Math.ceil((rates.length * levelMs) / blockMs);
  const blocks = Array.from({ length: blockCount }, () => ({ latencies: [] as number[], errors: 0, due: 0, dropped: 0 }));
  const free = new Array<number>(target.slots).fill(0);
  let inFlight: number[] = []; // finish times of accepted iterations
  let waiting: number[] = []; // start times still ahead
  let t = 0;
  for (let level = 0; level < rates.length; level++) {
    const rate = rates[level] as number;
    const end = (level + 1) * levelMs;
    const service = typeof target.serviceMs === 'number' ? target.serviceMs : target.serviceMs(rate);
    for (; t < end - 1e-9; t += 1000 / rate) {
      const block = blocks[Math.floor(t / blockMs)] as (typeof blocks)[number];
      block.due++;
      inFlight = inFlight.filter((f) => f > t);
      waiting = waiting.filter((s) => s > t);
      if (target.maxVUs !== undefined && inFlight.length >= target.maxVUs) {
        block.dropped++;
        continue;
      }
      if (target.rejectQueue !== undefined && waiting.length >= target.rejectQueue) {
        block.latencies.push(1);
        block.errors++;
        continue;
      }
      let slot = 0;
      for (let i = 1; i < free.length; i++) if ((free[i] as number) < (free[slot] as number)) slot = i;
      const start = Math.max(t, free[slot] as number);
      const finish = start + service;
      free[slot] = finish;
      inFlight.push(finish);
      if (start > t) waiting.push(start);
      block.latencies.push(finish - t);
    }
  }
  const random = seededRandom(shape.seed ?? 7);
  const points = blocks.map((b, i): BlockPoint => {
    const sorted = [...b.latencies].sort((x, y) => x - y);
    const p95 = sorted.length > 0 ? (sorted[Math.ceil(0.95 * sorted.length) - 1] as number) * Math.exp((shape.noise ?? 0) * random.normal()) : null;
    return {
      startMs: i * blockMs,
      endMs: (i + 1) * blockMs,
      requests: b.latencies.length,
      errors: b.errors,
      p95Ms: p95,
      planned: rates[Math.floor((i * blockMs) / levelMs)] as number,
      due: b.due,
      dropped: b.dropped,
      vus: 0,
    };
  });
  return { unit: 'rps', blockMs, warmupMs: 0, points };
}

/** A closed-model VU staircase whose throughput at N VUs is `throughput(N)`, no think time: latency N / X. */
function closedRun(vus: readonly number[], throughput: (n: number) => number, options: { blocksPerLevel?: number; noise?: number; seed?: number } = {}): BlockSeries {
  const per = options.blocksPerLevel ?? 4;
  const random = seededRandom(options.seed ?? 3);
  const points: BlockPoint[] = [];
  vus.forEach((n, level) => {
    for (let k = 0; k < per; k++) {
      const i = level * per + k;
      const x = throughput(n) * Math.exp((options.noise ?? 0) * random.normal());
      points.push({ startMs: i * 1000, endMs: (i + 1) * 1000, requests: Math.round(x), errors: 0, p95Ms: (1.2 * 1000 * n) / x, planned: n, vus: n });
    }
  });
  return { unit: 'vus', blockMs: 1000, warmupMs: 0, points };
}

/** 2 slots × 20 ms: 100 requests a second. */
const SLOTS = { slots: 2, serviceMs: 20 };
const STAIRCASE: Staircase = { rates: [40, 64, 88, 112, 136, 160], levelMs: 3000, blockMs: 500, noise: 0.1 };

function within(value: number | undefined, truth: number, share: number): void {
  expect(value).toBeGreaterThan(truth * (1 - share));
  expect(value).toBeLessThan(truth * (1 + share));
}

function answer(series: BlockSeries, limits: Parameters<typeof analyzeCapacity>[1] = {}): CapacityAnswer {
  const result = analyzeCapacity(series, limits);
  if (result === undefined) throw new Error('expected a capacity answer');
  return result;
}

describe('analyzeCapacity: the levels', () => {
  it('groups a staircase by its flat stages, and a ramp into groups of 3 blocks', () => {
    expect(levelGroups(openRun(SLOTS, STAIRCASE).points).map((g) => g.length)).toEqual([6, 6, 6, 6, 6, 6]);
    const ramp: BlockPoint[] = Array.from({ length: 30 }, (_, i) => ({ startMs: i * 1000, endMs: i * 1000 + 1000, requests: 10, errors: 0, p95Ms: 5, planned: 10 + i }));
    const groups = levelGroups(ramp);
    expect(groups).toHaveLength(10);
    expect(groups.every((g) => g.length === 3)).toBe(true);
  });

  it('keeps only the rising part: blocks after the highest level ends, and unloaded ones, are left out', () => {
    const rates = [40, 80, 120, 60];
    const series = openRun({ slots: 100, serviceMs: 10 }, { rates, levelMs: 2000, blockMs: 500 });
    const levels = answer(series).levels;
    expect(levels.map((l) => l.offered)).toEqual([40, 80, 120]);
    expect(levels[2]?.endMs).toBe(6000);
  });

  it('is undefined when the planned load does not rise through 3 levels', () => {
    expect(analyzeCapacity(openRun(SLOTS, { rates: [50, 50, 50], levelMs: 2000, blockMs: 500 }), {})).toBeUndefined();
    expect(analyzeCapacity(openRun(SLOTS, { rates: [30, 60], levelMs: 3000, blockMs: 500 }), {})).toBeUndefined();
    expect(analyzeCapacity(openRun(SLOTS, { rates: [30, 60, 90], levelMs: 3000, blockMs: 500 }), {})).toBeDefined();
  });

  it('measures each level: offered, achieved, expected, dropped, p95 and its growth', () => {
    const levels = answer(openRun(SLOTS, { ...STAIRCASE, noise: 0 })).levels;
    const first = levels[0];
    expect(first).toMatchObject({ offered: 40, due: 120, dropped: 0, errorRate: 0, keptUp: true, reasons: [] });
    expect(first?.achievedRps).toBeCloseTo(40, 6);
    expect(first?.expectedRps).toBeCloseTo(40, 6);
    expect(first?.p95Ms).toBeCloseTo(20, 6);
    expect(first?.p95GrowthPctPerSecond).toBeCloseTo(0, 6);
    // 112/s on 100/s: the queue grows 12 a second, each waits 10 ms more per queued request ahead.
    const over = levels[3];
    expect(over?.keptUp).toBe(false);
    expect(over?.reasons.join('; ')).toMatch(/growing queue/);
    expect(over?.p95GrowthPctPerSecond).toBeGreaterThan(50);
    within(over?.servedRps, 100, 0.02);
  });
});

describe('analyzeCapacity: the breaking point', () => {
  it('kept up throughout: capacity is at least the highest level, nothing gave out', () => {
    const result = answer(openRun(SLOTS, { rates: [20, 35, 50, 65, 80], levelMs: 3000, blockMs: 500, noise: 0.1 }), { p95Ms: 200 });
    expect(result.atLeast).toBe(true);
    expect(result.limitedBy).toBeUndefined();
    expect(result.levels.every((l) => l.keptUp)).toBe(true);
    within(result.sustainableRps?.estimate, 80, 0.01);
    expect(result.sloCrossingRps).toBeNull();
    expect(result.notes).toContain('the target kept up at the highest load tried: its capacity is at least that');
  });

  it('a queue (latency first): the sustainable rate is the capacity, within 3%, inside its interval', () => {
    const result = answer(openRun({ ...SLOTS, maxVUs: 10_000 }, STAIRCASE));
    expect(result.atLeast).toBe(false);
    expect(result.limitedBy).toBe('latency');
    expect(result.levels.map((l) => l.keptUp)).toEqual([true, true, true, false, false, false]);
    const sustainable = result.sustainableRps;
    within(sustainable?.estimate, 100, 0.03);
    expect(sustainable?.low).toBeLessThanOrEqual(100);
    expect(sustainable?.high).toBeGreaterThanOrEqual(100);
    // Bracketed by the last level kept up and the first one not.
    expect(sustainable?.low).toBeGreaterThanOrEqual(88 * 0.98);
    expect(sustainable?.high).toBeLessThanOrEqual(112);
  });

  it('dropped iterations (throughput first): a small VU pool caps the queue, and what started is what it served', () => {
    const result = answer(openRun({ ...SLOTS, maxVUs: 3 }, STAIRCASE));
    const over = result.levels[3];
    expect(over?.dropped).toBeGreaterThan(0.05 * (over?.due ?? 0));
    expect(over?.reasons.join('; ')).toMatch(/dropped \d+ of \d+ iterations/);
    expect(result.limitedBy).toBe('throughput');
    within(result.sustainableRps?.estimate, 100, 0.05);
  });

  it('errors first: a target that turns requests away when a queue forms stays fast and fails instead', () => {
    const series = openRun({ ...SLOTS, rejectQueue: 1 }, STAIRCASE);
    for (const limits of [{}, { errorRate: 0.01, p95Ms: 500 }]) {
      const result = answer(series, limits);
      expect(result.limitedBy).toBe('errors');
      expect(result.levels[3]?.errorRate).toBeGreaterThan(0.05);
      expect(result.levels[3]?.reasons.join('; ')).toMatch(/error rate/);
      expect(result.levels.every((l) => (l.p95Ms ?? 0) < 60)).toBe(true);
      // Not saturated in throughput (errors count as answers): the last level kept up is the answer.
      within(result.sustainableRps?.estimate, 88, 0.01);
    }
  });

  it('latency first: p95 over the limit below saturation; the SLO crossing interpolated between the levels', () => {
    // No queue (100 slots) but a service time that rises with load: 10 + 50 (rate/100)² ms.
    const slowing = { slots: 100, serviceMs: (rate: number) => 10 + 50 * (rate / 100) ** 2 };
    const shape = { rates: [40, 60, 80, 100, 120], levelMs: 3000, blockMs: 500 };
    const exact = answer(openRun(slowing, shape), { p95Ms: 40 });
    expect(exact.limitedBy).toBe('latency');
    expect(exact.levels.map((l) => l.keptUp)).toEqual([true, true, false, false, false]);
    expect(exact.sustainableRps?.estimate).toBeCloseTo(60, 6);
    // p95 28 ms at 60/s and 42 ms at 80/s: 40 ms at 60 + 20 × 12/14.
    expect(exact.sloCrossingRps?.estimate).toBeCloseTo(60 + (20 * 12) / 14, 6);

    // With 10% noise on each block's p95 the interval holds the interpolation and the truth (77.5/s).
    const noisy = answer(openRun(slowing, { ...shape, noise: 0.1, seed: 11 }), { p95Ms: 40 });
    const truth = 100 * Math.sqrt(30 / 50);
    expect(noisy.sloCrossingRps?.low).toBeLessThan(truth);
    expect(noisy.sloCrossingRps?.high).toBeGreaterThan(truth);
    expect((noisy.sloCrossingRps?.high ?? 0) - (noisy.sloCrossingRps?.low ?? 0)).toBeLessThan(20);
  });

  it('the SLO crossing comes from a monotone fit: a level out of order is pooled with its neighbour', () => {
    const p95s = [30, 45, 38, 60];
    const points: BlockPoint[] = p95s.flatMap((p95, level) =>
      [0, 1, 2].map((k) => ({ startMs: (level * 3 + k) * 1000, endMs: (level * 3 + k + 1) * 1000, requests: 50 * (level + 1), errors: 0, p95Ms: p95, planned: 50 * (level + 1), due: 50 * (level + 1), dropped: 0, vus: 1 })),
    );
    const result = answer({ unit: 'rps', blockMs: 1000, warmupMs: 0, points }, { p95Ms: 40 });
    // Levels 2 and 3 (45, 38) pool to 41.5 at their mean load 125/s: 40 ms at 50 + 75 × 10/11.5.
    expect(result.sloCrossingRps?.estimate).toBeCloseTo(50 + (100 - 50) * (10 / 11.5), 6);
  });

  it('no SLO crossing without a p95 limit, or when p95 was over it from the start (and says so)', () => {
    const series = openRun({ ...SLOTS, maxVUs: 10_000 }, STAIRCASE);
    expect(answer(series).sloCrossingRps).toBeNull();
    const over = answer(series, { p95Ms: 5 });
    expect(over.sloCrossingRps).toBeNull();
    expect(over.notes).toContain('p95 was over the 5 ms limit from the lowest load tried');
  });

  it('a throughput plateau (closed model): VUs beyond the slots add only latency', () => {
    // 4 slots × 20 ms: one VU makes 50/s, four make 200/s, more wait.
    const result = answer(closedRun([1, 2, 3, 4, 5, 6, 8, 10], (n) => 50 * Math.min(n, 4)));
    expect(result.unit).toBe('vus');
    expect(result.limitedBy).toBe('throughput');
    expect(result.levels.map((l) => l.keptUp)).toEqual([true, true, true, true, false, false, false, false]);
    expect(result.levels[4]?.reasons.join('; ')).toMatch(/served 200 requests a second of the 250 expected/);
    expect(result.sustainableRps?.estimate).toBeCloseTo(200, 6);
    expect(result.usl).toBeUndefined(); // it levels off; no peak to pass
    expect(answer(closedRun([1, 2, 3, 4, 5, 6, 8, 10], (n) => 50 * Math.min(n, 4), { noise: 0.02 })).usl).toBeUndefined();
  });

  it('a ramp on a continuous slope (each few blocks a level) finds the capacity within 5%', () => {
    const rates = Array.from({ length: 40 }, (_, i) => 40 + 3 * i); // 40 → 157/s, one step a second
    const series = openRun({ ...SLOTS, maxVUs: 10_000 }, { rates, levelMs: 1000, blockMs: 500, noise: 0.1 });
    // Read as a ramp: every block its own planned level.
    const ramp = { ...series, points: series.points.map((p, i) => ({ ...p, planned: 40 + 1.5 * i + 0.75 })) };
    const result = answer(ramp);
    expect(result.levels.length).toBeGreaterThan(20);
    within(result.sustainableRps?.estimate, 100, 0.05);
  });

  it('one level’s verdict against its neighbours’ neither ends the ramp early nor lifts its top', () => {
    // Flat p95 of 20 ms but 60 ms at 50/s (over the 40 ms limit), and a queue from 112/s on.
    const series = openRun({ ...SLOTS, maxVUs: 10_000 }, { rates: [30, 50, 70, 88, 112, 136], levelMs: 3000, blockMs: 500 });
    const spiked = { ...series, points: series.points.map((p) => (p.planned === 50 ? { ...p, p95Ms: 60 } : p)) };
    const early = answer(spiked, { p95Ms: 40 });
    expect(early.levels.map((l) => l.keptUp)).toEqual([true, false, true, true, false, false]);
    expect(early.breakingLevel).toBe(4);
    within(early.sustainableRps?.estimate, 100, 0.03);
    // A top level that looks kept up after two that were not does not make it "at least 136".
    const calm = { ...series, points: series.points.map((p) => (p.planned === 136 ? { ...p, p95Ms: 20, requests: 68, due: 68, dropped: 0 } : p)) };
    const top = answer(calm, { p95Ms: 40 });
    expect(top.levels[5]?.keptUp).toBe(true);
    expect(top.atLeast).toBe(false);
    expect(top.breakingLevel).toBe(4);
  });

  it('a queue left by the level before that does not drain is not kept up, even when it stops growing', () => {
    const series = openRun({ ...SLOTS, maxVUs: 10_000 }, { ...STAIRCASE, noise: 0 });
    // The 136/s level's blocks all at 1.5 s: no growth within it, but no draining either.
    const flat = { ...series, points: series.points.map((p) => (p.planned === 136 ? { ...p, p95Ms: 1500 } : p)) };
    const level = answer(flat).levels[4];
    expect(level?.reasons).toEqual(["the queue from the level before did not drain (block p95 1500 ms at the level's end)"]);
    expect(level?.keptUp).toBe(false);
    // The same flat 1.5 s with no queue before it is a slow level, not a queue.
    const alone = { ...series, points: series.points.filter((p) => (p.planned as number) <= 88 || p.planned === 136).map((p) => (p.planned === 136 ? { ...p, p95Ms: 1500 } : p)) };
    expect(answer(alone).levels[3]?.reasons).toEqual([]);
  });

  it('over 30 noisy runs the interval holds the capacity in 90% or more, the estimate within 5% in all', () => {
    let covered = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const result = answer(openRun({ ...SLOTS, maxVUs: 10_000 }, { ...STAIRCASE, noise: 0.15, seed }), { seed });
      const sustainable = result.sustainableRps as { estimate: number; low: number; high: number };
      within(sustainable.estimate, 100, 0.05);
      if (sustainable.low <= 100 && sustainable.high >= 100) covered++;
    }
    expect(covered / 30).toBeGreaterThanOrEqual(0.9);
  });

  it('is deterministic for a given record and seed', () => {
    const series = openRun({ ...SLOTS, maxVUs: 10_000 }, STAIRCASE);
    expect(answer(series, { p95Ms: 100 })).toEqual(answer(series, { p95Ms: 100 }));
    expect(answer(series, { p95Ms: 100, seed: 2 }).sustainableRps?.estimate).toBe(answer(series, { p95Ms: 100 }).sustainableRps?.estimate);
  });
});

describe('analyzeCapacity: the Universal Scalability Law (VU ramps)', () => {
  const truth = { lambda: 50, sigma: 0.05, kappa: 0.01 }; // N* = sqrt(0.95 / 0.01) ≈ 9.75

  it('fitted when the ramp went past the peak', () => {
    const vus = Array.from({ length: 20 }, (_, i) => i + 1);
    const result = answer(closedRun(vus, (n) => uslThroughput(truth, n), { noise: 0.02 }));
    expect(result.usl?.peakConcurrency).toBeGreaterThan(9.75 * 0.9);
    expect(result.usl?.peakConcurrency).toBeLessThan(9.75 * 1.1);
    within(result.usl?.peakRps, uslThroughput(truth, Math.sqrt(0.95 / 0.01)), 0.05);
    expect(result.usl?.rSquared).toBeGreaterThan(0.9);
  });

  it('absent when the ramp stopped before it', () => {
    const result = answer(closedRun([1, 2, 3, 4, 5, 6], (n) => uslThroughput(truth, n), { noise: 0.01 }));
    expect(result.usl).toBeUndefined();
  });
});

describe('analyzeCapacity: capacity planning', () => {
  /** Kept up throughout, at exactly 100 requests a second at the top: 4 levels of 6 blocks of 500 ms, p95 20 ms. */
  const series: BlockSeries = {
    unit: 'rps',
    blockMs: 500,
    warmupMs: 0,
    points: [25, 50, 75, 100].flatMap((rate, level) =>
      Array.from({ length: 6 }, (_, k) => {
        const i = level * 6 + k;
        return { startMs: i * 500, endMs: (i + 1) * 500, requests: rate / 2, errors: 0, p95Ms: 20, planned: rate, due: rate / 2, dropped: 0, vus: 1 };
      }),
    ),
  };

  it('target ÷ (capacity × (1 − headroom)), rounded up, never over by rounding error', () => {
    const plan = (target: number, headroomPct: number) => answer(series, { plan: { target, unit: 'rps', headroomPct } }).plan;
    expect(plan(700, 30)?.instances.estimate).toBe(10); // 700 / 70 exactly
    expect(plan(701, 30)?.instances.estimate).toBe(11);
    expect(plan(1000, 30)?.instances.estimate).toBe(15); // 14.3
    expect(plan(50, 0)?.instances.estimate).toBe(1);
    expect(plan(1000, 30)).toMatchObject({ target: 1000, unit: 'rps', headroomPct: 30 });
    expect(answer(series, { plan: { target: 700, unit: 'rps', headroomPct: 30 } }).notes).toContain('the capacity is a lower bound, so the instances are an upper bound');
  });

  it('the interval of the instances comes from the capacity’s', () => {
    const result = answer(openRun({ ...SLOTS, maxVUs: 10_000 }, STAIRCASE), { plan: { target: 5000, unit: 'rps', headroomPct: 30 } });
    const capacity = result.sustainableRps as { estimate: number; low: number; high: number };
    const instances = result.plan?.instances;
    expect(instances?.estimate).toBe(Math.ceil(5000 / (capacity.estimate * 0.7)));
    expect(instances?.low).toBe(Math.ceil(5000 / (capacity.high * 0.7)));
    expect(instances?.high).toBe(Math.ceil(5000 / (capacity.low * 0.7)));
  });

  it('in users from a VU ramp: the users one instance serves at the latency of a quiet target', () => {
    // 4 slots: 200/s at 50/s a user: 4 users an instance; 100 users with 20% headroom: 100 / 3.2 → 32.
    const result = answer(closedRun([1, 2, 3, 4, 5, 6, 8, 10], (n) => 50 * Math.min(n, 4)), { plan: { target: 100, unit: 'users', headroomPct: 20 } });
    expect(result.plan?.instances.estimate).toBe(32);
  });

  it('in users from an arrival-rate run: none, and why', () => {
    const result = answer(series, { plan: { target: 100, unit: 'users', headroomPct: 20 } });
    expect(result.plan).toBeUndefined();
    expect(result.notes?.join('; ')).toMatch(/no capacity plan in users: it needs a VU ramp/);
  });
});

describe('capacityLimitsFrom', () => {
  it('reads the overall p95 limit and error-rate limit, the strictest of several, and nothing per step', () => {
    const profile = parseProfile(
      `target: http://127.0.0.1:1
scenarios: { s: { executor: constant-vus, vus: 1, duration: 1s } }
journeys: { j: { steps: [{ name: list, request: GET / }] } }
thresholds:
  http_req_duration: ["p(95)<500", "p(99)<900", "p(95)<=450"]
  "http_req_duration{step:list}": ["p(95)<100"]
  http_req_failed: ["rate<0.02"]
`,
      { file: 'tailgate.yml', env: {} },
    );
    expect(capacityLimitsFrom(profile.thresholds)).toEqual({ p95Ms: 450, errorRate: 0.02 });
    expect(capacityLimitsFrom([])).toEqual({});
  });
});
