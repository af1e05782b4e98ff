import { describe, expect, it } from 'vitest';
import { analyzeRecovery, findSurges } from '../../src/analyze/recovery.js';
import type { BlockPoint, BlockSeries } from '../../src/analyze/block-series.js';
import { mergePlannedCurves, plannedAt } from '../../src/analyze/planned-curve.js';
import type { PlannedLevel } from '../../src/record/run-record-types.js';
import { seededRandom } from '../../src/stats/seeded-random.js';

/**
 * Synthetic runs of known truth: a target of `capacity` requests a second with one first-come
 * queue, offered `rate` with a surge to `surgeRate` for `surgeS` seconds. The queue grows at the
 * excess during the surge and drains at the shortfall after it, so a request arriving at t waits
 * queue(t) / capacity; each block's p95 is taken over its arrivals (evenly spaced at the planned
 * rate), times a seeded log-normal noise. The truth is when that wait is back within 20% of the
 * base latency.
 */
interface Surge {
  atS: number;
  surgeS: number;
  surgeRate: number;
}

interface Synthetic {
  rate: number;
  capacity: number;
  baseMs: number;
  surges: Surge[];
  endS: number;
  warmupS?: number;
  noise?: number;
  seed?: number;
  /** Base latency from this second on (a target the surge left slower). */
  slowerAfter?: { atS: number; baseMs: number };
  /** Errors per block in the blocks starting at these seconds. */
  errors?: Record<number, number>;
}

function curveOf(s: Synthetic): PlannedLevel[] {
  const curve: PlannedLevel[] = [{ atMs: 0, target: s.rate }];
  for (const surge of s.surges) {
    curve.push({ atMs: surge.atS * 1000, target: s.rate }, { atMs: surge.atS * 1000, target: surge.surgeRate });
    curve.push({ atMs: (surge.atS + surge.surgeS) * 1000, target: surge.surgeRate }, { atMs: (surge.atS + surge.surgeS) * 1000, target: s.rate });
  }
  curve.push({ atMs: s.endS * 1000, target: s.rate });
  return curve;
}

/** The queue at time t (seconds from the run's start), by stepping the fluid model in 1 ms steps. */
function queueOf(s: Synthetic, curve: readonly PlannedLevel[]): (t: number) => number {
  const stepS = 0.001;
  const steps = Math.ceil(s.endS / stepS) + 1;
  const queue = new Float64Array(steps);
  for (let i = 1; i < steps; i++) {
    const offered = plannedAt(curve, (i - 0.5) * stepS * 1000) ?? 0;
    queue[i] = Math.max(0, (queue[i - 1] as number) + (offered - s.capacity) * stepS);
  }
  return (t) => queue[Math.min(steps - 1, Math.max(0, Math.round(t / stepS)))] as number;
}

function synthetic(s: Synthetic): { series: BlockSeries; curve: PlannedLevel[]; truths: number[] } {
  const curve = curveOf(s);
  const queue = queueOf(s, curve);
  const random = seededRandom(s.seed ?? 7);
  const warmupMs = (s.warmupS ?? 0) * 1000;
  const baseAt = (t: number): number => (s.slowerAfter && t >= s.slowerAfter.atS ? s.slowerAfter.baseMs : s.baseMs);
  const latencyAt = (t: number): number => baseAt(t) + (1000 * queue(t)) / s.capacity;
  const points: BlockPoint[] = [];
  for (let startMs = 0; startMs + warmupMs < s.endS * 1000; startMs += 1000) {
    const endMs = Math.min(startMs + 1000, s.endS * 1000 - warmupMs);
    const arrivals: number[] = [];
    let t = (startMs + warmupMs) / 1000;
    while (t < (endMs + warmupMs) / 1000) {
      arrivals.push(latencyAt(t));
      t += 1 / (plannedAt(curve, t * 1000) ?? s.rate);
    }
    arrivals.sort((a, b) => a - b);
    const p95 = arrivals[Math.ceil(0.95 * arrivals.length) - 1] as number;
    points.push({
      startMs,
      endMs,
      requests: arrivals.length,
      errors: s.errors?.[startMs / 1000] ?? 0,
      p95Ms: p95 * Math.exp((s.noise ?? 0.03) * random.normal()),
      planned: plannedAt(curve, warmupMs + (startMs + endMs) / 2),
    });
  }
  // The truth: the first moment after each surge from which the wait stays within 20% of the base latency.
  const truths = s.surges.map((surge) => {
    const endS = surge.atS + surge.surgeS;
    let t = endS;
    while (t < s.endS && (1000 * queue(t)) / s.capacity > 0.2 * s.baseMs) t += 0.001;
    return t - endS;
  });
  return { series: { unit: 'rps', blockMs: 1000, warmupMs, points }, curve, truths };
}

const drain = (rate: number, capacity: number, surgeRate: number, surgeS: number): number => ((surgeRate - capacity) * surgeS) / (capacity - rate);

describe('findSurges', () => {
  const at = (points: Array<[number, number]>): PlannedLevel[] => points.map(([s, target]) => ({ atMs: s * 1000, target }));

  it('finds none in a steady run, a ramp to a peak from nothing, or a rise of less than twice', () => {
    expect(findSurges(at([[0, 50], [60, 50]]))).toEqual([]);
    expect(findSurges(at([[0, 0], [60, 200], [70, 0]]))).toEqual([]);
    expect(findSurges(at([[0, 100], [10, 100], [11, 150], [20, 150], [21, 100], [30, 100]]))).toEqual([]);
    // Up to 200 and down to 120: twice the level before, not twice the level after.
    expect(findSurges(at([[0, 50], [10, 50], [11, 200], [15, 200], [16, 120], [30, 120]]))).toEqual([]);
  });

  it("finds k6's spike from the ramp's start to the end of its ramp down, its peak and the levels around it", () => {
    const curve = at([[0, 0], [10, 100], [70, 100], [80, 1000], [260, 1000], [270, 100], [450, 100], [460, 0]]);
    expect(findSurges(curve)).toEqual([
      { before: { startMs: 10_000, endMs: 70_000, level: 100 }, after: { startMs: 270_000, endMs: 450_000, level: 100 }, peak: 1000 },
    ]);
  });

  it('takes a staircase up and down as one surge, and two surges apart as two', () => {
    const stairs = at([[0, 100], [10, 100], [11, 200], [20, 200], [21, 300], [30, 300], [31, 200], [40, 200], [41, 100], [50, 100]]);
    expect(findSurges(stairs).map((s) => [s.before.endMs, s.after.startMs, s.peak])).toEqual([[10_000, 41_000, 300]]);
    const two = at([[0, 50], [10, 50], [10, 200], [12, 200], [12, 50], [30, 50], [30, 250], [32, 250], [32, 50], [50, 50]]);
    expect(findSurges(two).map((s) => [s.before.endMs, s.after.startMs, s.peak])).toEqual([
      [10_000, 12_000, 200],
      [30_000, 32_000, 250],
    ]);
  });

  it("finds a surge made by a second scenario on top of the first, once the run's curves are added up", () => {
    const base = at([[0, 50], [30, 50]]);
    const burst = at([[8, 150], [10, 150]]);
    const merged = mergePlannedCurves([base, burst]);
    expect(merged).toEqual(at([[0, 0], [0, 50], [8, 50], [8, 200], [10, 200], [10, 50], [30, 50], [30, 0]]));
    expect(findSurges(merged)).toEqual([{ before: { startMs: 0, endMs: 8000, level: 50 }, after: { startMs: 10_000, endMs: 30_000, level: 50 }, peak: 200 }]);
  });
});

describe('analyzeRecovery', () => {
  it('answers nothing for a run without a surge', () => {
    const { series, curve } = synthetic({ rate: 50, capacity: 100, baseMs: 20, surges: [], endS: 30 });
    expect(analyzeRecovery(series, curve)).toEqual([]);
  });

  it('says 0 s when the surge left no trace (capacity to spare)', () => {
    const { series, curve } = synthetic({ rate: 50, capacity: 1000, baseMs: 20, surges: [{ atS: 10, surgeS: 3, surgeRate: 200 }], endS: 30 });
    const [surge] = analyzeRecovery(series, curve);
    expect(surge).toMatchObject({ surgeOffered: 200, beforeOffered: 50, surgeStartMs: 10_000, surgeEndMs: 13_000, recovered: true, beforeBlocks: 10, surgeErrors: 0 });
    expect(surge?.seconds?.estimate).toBe(0);
    expect(surge?.seconds?.low).toBe(0);
    expect(surge?.seconds?.high).toBeLessThanOrEqual(0.05);
  });

  it('brackets a queue that drains linearly: the interval holds the truth and is about a block wide', () => {
    for (const [surgeRate, surgeS, offsetS] of [
      [200, 2.5, 0],
      [300, 2, 0.3],
      [150, 4, 0.7],
    ] as const) {
      const { series, curve, truths } = synthetic({ rate: 50, capacity: 100, baseMs: 20, surges: [{ atS: 10 + offsetS, surgeS, surgeRate }], endS: 40 });
      const truth = truths[0] as number;
      expect(truth).toBeCloseTo(drain(50, 100, surgeRate, surgeS), 1);
      const [surge] = analyzeRecovery(series, curve);
      const seconds = surge?.seconds;
      expect(surge?.recovered).toBe(true);
      expect(seconds?.low).toBeLessThanOrEqual(truth);
      expect(seconds?.high).toBeGreaterThanOrEqual(truth);
      expect(Math.abs((seconds?.estimate ?? 0) - truth)).toBeLessThanOrEqual(1);
      expect((seconds?.high ?? 0) - (seconds?.low ?? 0)).toBeLessThanOrEqual(1.5);
      // The p95 before is the base latency; the worst block waited the whole queue.
      expect(surge?.p95BeforeMs).toBeCloseTo(20, 0);
      expect(surge?.p95PeakMs).toBeGreaterThan(0.8 * (20 + (1000 * (surgeRate - 100) * surgeS) / 100));
    }
  });

  it('covers the truth in at least 95% of 200 random drains, with intervals about a block wide', () => {
    const random = seededRandom(20261207);
    let covered = 0;
    let width = 0;
    const trials = 200;
    for (let i = 0; i < trials; i++) {
      const surgeRate = 150 + 150 * random.next();
      const rate = 30 + 40 * random.next();
      const surgeS = 1 + 3 * random.next();
      const { series, curve, truths } = synthetic({
        rate,
        capacity: 100,
        baseMs: 20,
        surges: [{ atS: 10 + random.next(), surgeS, surgeRate }],
        endS: 10 + surgeS + drain(rate, 100, surgeRate, surgeS) + 10,
        noise: 0.02 + 0.06 * random.next(),
        seed: i + 1,
      });
      const seconds = analyzeRecovery(series, curve)[0]?.seconds;
      if (seconds && seconds.low <= (truths[0] as number) && (truths[0] as number) <= seconds.high) covered++;
      width += seconds ? seconds.high - seconds.low : Number.POSITIVE_INFINITY;
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.95);
    expect(width / trials).toBeLessThan(1.5);
  });

  it('calls a surge that left no trace back at once in at least 95% of 200 noisy runs', () => {
    let atOnce = 0;
    for (let i = 0; i < 200; i++) {
      const { series, curve } = synthetic({ rate: 50, capacity: 1000, baseMs: 20, surges: [{ atS: 10.5, surgeS: 3, surgeRate: 200 }], endS: 30, noise: 0.08, seed: 1000 + i });
      if (analyzeRecovery(series, curve)[0]?.seconds?.estimate === 0) atOnce++;
    }
    expect(atOnce / 200).toBeGreaterThanOrEqual(0.95);
  });

  it('says when the target never came back, and how long it was watched', () => {
    const { series, curve } = synthetic({ rate: 50, capacity: 100, baseMs: 20, surges: [{ atS: 10, surgeS: 2, surgeRate: 200 }], endS: 30, slowerAfter: { atS: 12, baseMs: 35 } });
    const [surge] = analyzeRecovery(series, curve);
    expect(surge).toMatchObject({ recovered: false, seconds: null, observedSeconds: 18 });
    expect(surge?.note).toMatch(/^not back within the 18 s watched after the surge/);
    expect(surge?.p95LimitMs).toBeCloseTo(24, 0);
  });

  it('judges two surges each against the level before it', () => {
    const { series, curve, truths } = synthetic({
      rate: 50,
      capacity: 100,
      baseMs: 20,
      surges: [
        { atS: 10, surgeS: 2, surgeRate: 200 },
        { atS: 30, surgeS: 1.5, surgeRate: 300 },
      ],
      endS: 50,
    });
    const surges = analyzeRecovery(series, curve);
    expect(surges.map((s) => [s.surgeStartMs, s.surgeEndMs, s.surgeOffered])).toEqual([
      [10_000, 12_000, 200],
      [30_000, 31_500, 300],
    ]);
    surges.forEach((surge, i) => {
      expect(surge.seconds?.low).toBeLessThanOrEqual(truths[i] as number);
      expect(surge.seconds?.high).toBeGreaterThanOrEqual(truths[i] as number);
    });
    // The second surge's level before starts once the first was over: 12 s + 4 s drained, so blocks 17 s to 30 s.
    expect(surges[1]?.beforeBlocks).toBe(13);
  });

  it('waits for the error rate too: p95 back at 17.5 s, errors in the blocks at 17 s and 18 s', () => {
    const { series, curve } = synthetic({ rate: 50, capacity: 100, baseMs: 20, surges: [{ atS: 10, surgeS: 2.5, surgeRate: 200 }], endS: 35, errors: { 17: 5, 18: 4, 3: 1 } });
    const [surge] = analyzeRecovery(series, curve);
    expect(surge?.seconds).toEqual({ estimate: 6, low: 5.5, high: 6.55 });
  });

  it('takes the larger allowance when the blocks before vary more than 20%', () => {
    const { series, curve } = synthetic({ rate: 50, capacity: 100, baseMs: 20, surges: [{ atS: 20, surgeS: 2, surgeRate: 200 }], endS: 40, noise: 0.25 });
    const [surge] = analyzeRecovery(series, curve);
    expect(surge?.allowancePct).toBeGreaterThan(20);
    expect(surge?.p95LimitMs).toBeCloseTo((surge?.p95BeforeMs ?? 0) * (1 + (surge?.allowancePct ?? 0) / 100), 1);
    expect(analyzeRecovery(series, curve, { allowancePct: 80 })[0]?.allowancePct).toBe(80);
  });

  it('gives the same interval for the same seed', () => {
    const { series, curve } = synthetic({ rate: 50, capacity: 100, baseMs: 20, surges: [{ atS: 10, surgeS: 2.5, surgeRate: 200 }], endS: 30, noise: 0.15 });
    expect(analyzeRecovery(series, curve, { seed: 3 })).toEqual(analyzeRecovery(series, curve, { seed: 3 }));
  });

  it('does not judge a surge with fewer than 3 blocks before it, and says why', () => {
    const { series, curve } = synthetic({ rate: 50, capacity: 100, baseMs: 20, surges: [{ atS: 4, surgeS: 2, surgeRate: 200 }], endS: 20, warmupS: 2 });
    const [surge] = analyzeRecovery(series, curve);
    expect(surge).toMatchObject({ surgeStartMs: 2000, surgeEndMs: 4000, beforeBlocks: 2, recovered: false, seconds: null });
    expect(surge?.note).toContain('2 block(s) with requests at the level before the surge, 3 needed');
  });

  it('refuses options that mean nothing', () => {
    expect(() => analyzeRecovery({ unit: 'rps', blockMs: 1000, warmupMs: 0, points: [] }, [], { surgeRatio: 1 })).toThrow(RangeError);
  });
});
