import { describe, expect, test } from 'vitest';
import { armOnRunClock, heldLevels, runOffset } from '../../src/analyze/paired-arms.js';
import { comparePaired } from '../../src/compare/compare-paired.js';
import { comparisonProblem } from '../../src/compare/comparison-schema.js';
import type { Comparison, ShapeComparison } from '../../src/compare/comparison-types.js';
import { renderReport } from '../../src/report/render-report.js';
import { changingLoadPaired, pairedSpike, pairedStress } from '../helpers/synthetic-paired.js';

/**
 * The run's shape in paired mode, on synthetic paired runs of known truth
 * (`test/helpers/synthetic-paired.ts`): two targets of 100 requests a second, or the head's a
 * quarter lower (75); a surge after which the base is back in 8 s and the head in 8 s or 16 s.
 */

function shapeTest(comparison: Comparison, question: ShapeComparison['question']): ShapeComparison {
  const found = comparison.shapeTests?.find((t) => t.question === question);
  expect(found, `a ${question} test`).toBeDefined();
  return found as ShapeComparison;
}

describe('an arm of a paired run on the run’s clock', () => {
  const paired = pairedSpike(3, 8);

  test('its blocks sit where they were measured: after each settle, in its own blocks only', () => {
    const { pairing } = paired.meta;
    // ABBA with 1.5 s blocks, 0.5 s settled after a switch: head 0.5–1.5, base 2.0–3.0 and 3.0–4.0 (no settle between), head 4.5–5.5 and 5.5–6.5.
    expect(paired.order.slice(0, 6)).toEqual(['head', 'base', 'base', 'head', 'head', 'base']);
    expect(pairing).toMatchObject({ blockMs: 1500, settleMs: 500 });
    expect([0, 1000, 2000].map((ms) => runOffset(paired, 'head', ms))).toEqual([500, 4500, 5500]);
    expect([0, 1000, 2000].map((ms) => runOffset(paired, 'base', ms))).toEqual([2000, 3000, 7000]);
    const head = armOnRunClock(paired, 'head').series.points;
    expect(head.slice(0, 3).map((p) => [p.startMs, p.endMs])).toEqual([
      [500, 1500],
      [4500, 5500],
      [5500, 6500],
    ]);
  });

  test('the planned load is the run’s: both arms’ points, each level held, the change halfway between', () => {
    expect(heldLevels([{ atMs: 0, target: 40 }, { atMs: 2000, target: 40 }, { atMs: 3000, target: 120 }], 1000)).toEqual([
      { atMs: 0, target: 40 },
      { atMs: 2500, target: 40 },
      { atMs: 2500, target: 120 },
      { atMs: 4000, target: 120 },
    ]);
    const { curve } = armOnRunClock(paired, 'base');
    const levels = curve.filter((p, i) => p.target > 0 && p.target !== curve[i - 1]?.target).map((p) => p.target);
    expect(levels).toEqual([40, 120, 40]);
    // The surge ran from 20 s to 26 s; the points say so to within a block.
    const surge = curve.filter((p) => p.target === 120).map((p) => p.atMs);
    expect(Math.min(...surge)).toBeGreaterThanOrEqual(19_000);
    expect(Math.max(...surge)).toBeLessThanOrEqual(27_000);
  });

  test('a block in which a stage ended (its iterations due off its level) is in no level', () => {
    const stress = pairedStress(5);
    const points = armOnRunClock(stress, 'head').series.points;
    const straddling = points.filter((p) => p.planned === null);
    expect(straddling.length).toBeGreaterThan(0);
    for (const p of straddling) expect(p.due).not.toBe(0);
    // Every other block's iterations due match its level.
    for (const p of points.filter((q) => q.planned !== null)) expect(Math.abs((p.due ?? 0) - (p.planned as number))).toBeLessThanOrEqual(2);
  });
});

describe('capacity, head against base in one paired run', () => {
  const lost = comparePaired({ paired: pairedStress(11, 1 / 0.75) });
  const same = comparePaired({ paired: pairedStress(11) });

  test('each target’s breaking point is found within 10% of its truth, and both are in the comparison', () => {
    const head = lost.analysis?.capacity?.sustainableRps?.estimate as number;
    const base = lost.baseAnalysis?.capacity?.sustainableRps?.estimate as number;
    // Two slots of 20 ms, three iterations in flight at most: about 98 a second are served; the head's service time a third longer.
    expect(Math.abs(base / 100 - 1)).toBeLessThan(0.1);
    expect(Math.abs(head / 75 - 1)).toBeLessThan(0.1);
    expect(lost.analysis?.shape).toBe('rising');
    expect(lost.baseAnalysis?.shape).toBe('rising');
  });

  test('a quarter of the capacity lost fails: the change, its interval beyond the 10% allowed', () => {
    const capacity = shapeTest(lost, 'capacity');
    expect(capacity).toMatchObject({ verdict: 'regression', gated: true, baselineRuns: 1, allowedChange: -10 });
    expect(capacity.change as number).toBeLessThan(-18);
    expect(capacity.change as number).toBeGreaterThan(-32);
    expect(capacity.ci?.high as number).toBeLessThan(0);
    expect(capacity.noise?.betweenRunsSource).toBe('none');
    expect(lost.verdict).toBe('regression');
    expect(lost.settings.correctedTestNames).toContain('capacity');
  });

  test('an unchanged capacity does not fail', () => {
    const capacity = shapeTest(same, 'capacity');
    expect(capacity.verdict).toBe('pass');
    expect(same.verdict).not.toBe('regression');
  });

  test('the comparison is valid against the schema, and the comment and the report say it', () => {
    expect(comparisonProblem(lost)).toBeUndefined();
    expect(comparisonProblem(same)).toBeUndefined();
    const markdown = renderReport(lost);
    expect(markdown).toMatch(/Capacity against the base: \d+(\.\d)? req\/s against \d+(\.\d)? req\/s for the base in the same run, −2\d% \(CI/);
    expect(markdown).toContain("#### The head's shape against the base's");
    expect(markdown).not.toMatch(/baseline run/);
    expect(markdown).toContain('Breaking point');
  });
});

describe('recovery from a surge, head against base in one paired run', () => {
  const slower = comparePaired({ paired: pairedSpike(21, 16) });
  const same = comparePaired({ paired: pairedSpike(21, 8) });

  test('each target’s recovery is read on the run’s clock: its interval holds the truth (8 s, 16 s), widened by the surge’s end known to a block', () => {
    const base = slower.baseAnalysis?.recovery[0]?.seconds;
    const head = slower.analysis?.recovery[0]?.seconds;
    expect(base).toBeDefined();
    expect(head).toBeDefined();
    // The surge's end is read from the planned points, up to a second late: the truth moves by as much.
    expect(base?.low as number).toBeLessThanOrEqual(8);
    expect(base?.high as number).toBeGreaterThanOrEqual(7);
    expect(head?.low as number).toBeLessThanOrEqual(16);
    expect(head?.high as number).toBeGreaterThanOrEqual(15);
  });

  test('twice as long fails; as long passes', () => {
    const twice = shapeTest(slower, 'recovery');
    expect(twice).toMatchObject({ name: 'recovery from surge 1', verdict: 'regression', gated: true, allowedChange: 50 });
    expect(twice.ci?.low as number).toBeGreaterThan(0);
    expect(slower.verdict).toBe('regression');
    const equal = shapeTest(same, 'recovery');
    expect(equal.verdict).not.toBe('regression');
    expect(same.verdict).not.toBe('regression');
  });
});

describe('the slow burn, head against base in one paired run', () => {
  // A steady 40 a second for 4 minutes; the head's latency grows 20% a minute, or not at all.
  const soak = (growth: number, seed: number) =>
    changingLoadPaired({
      seed,
      seconds: 240,
      rateAt: () => 40,
      targets: {
        head: (at, random) => 20 * Math.exp(Math.log1p(growth) * (at / 60_000)) * Math.exp(0.15 * random.normal()),
        base: (_at, random) => 20 * Math.exp(0.15 * random.normal()),
      },
    });

  test('the head’s growth beyond the base’s fails when regression.trend gates it; a flat head does not', () => {
    const growing = comparePaired({ paired: soak(0.2, 31), options: { trendPctPerMinute: 5 } });
    const trend = shapeTest(growing, 'trend');
    expect(trend).toMatchObject({ verdict: 'regression', gated: true });
    expect(trend.change as number).toBeGreaterThan(10);
    const flat = comparePaired({ paired: soak(0, 31), options: { trendPctPerMinute: 5 } });
    expect(shapeTest(flat, 'trend').verdict).not.toBe('regression');
  });

  test('without regression.trend it is reported, not gated', () => {
    const growing = comparePaired({ paired: soak(0.2, 31) });
    expect(shapeTest(growing, 'trend')).toMatchObject({ gated: false });
  });
});

describe('what paired mode does not test', () => {
  test('a sequential run that stopped once decided reports the answers and tests none', () => {
    const paired = pairedStress(13, 1 / 0.75);
    const stopped = { ...paired, meta: { ...paired.meta, sequential: { spending: 'obrien-fleming' as const, alpha: 0.05, plannedLooks: [6, 12, 18], maxPairs: 18, futilityMultiple: 2, futilityLevel: 0.05, looks: [], stoppedAtPairs: 18, maxMeasuredMs: 72_000 } } };
    const comparison = comparePaired({ paired: stopped });
    const capacity = shapeTest(comparison, 'capacity');
    expect(capacity).toMatchObject({ verdict: 'inconclusive', gated: false });
    expect(capacity.reason).toContain('--fixed');
    expect(comparison.analysis?.capacity).toBeDefined();
  });

  test('a look of a sequential run (pairs given) asks nothing of the shape', () => {
    const comparison = comparePaired({ paired: pairedStress(13), pairs: 8 });
    expect(comparison.shapeTests).toBeUndefined();
    expect(comparison.analysis).toBeUndefined();
  });
});
