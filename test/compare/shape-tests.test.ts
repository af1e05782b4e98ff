import { describe, expect, it } from 'vitest';
import { compareWithAnalysis } from '../../src/analyze/comparison-analysis.js';
import { formatComparisonTable } from '../../src/cli/comparison-table.js';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { comparisonProblem } from '../../src/compare/comparison-schema.js';
import type { Comparison, ShapeComparison } from '../../src/compare/comparison-types.js';
import { withShapeVerdicts } from '../../src/compare/shape-tests.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { renderReport } from '../../src/report/render-report.js';
import { seededRandom } from '../../src/stats/seeded-random.js';
import { DEFAULT_STRESS_SETTINGS, formatStressResults, runStressExperiment } from '../../src/validate/stress-experiment.js';
import { DEFAULT_STRESS_MODEL, stressCapacity, stressRun } from '../../src/validate/stress-runs.js';
import { DEFAULT_SYNTHETIC_MODEL, syntheticRun } from '../../src/validate/synthetic-runs.js';
import { soak, spike, staircase } from '../analyze/shaped-records.js';

/**
 * The run's shape gated against the baseline runs' answers (docs/analyze.md, "Gated like the
 * rest"), on records of known shape: a staircase whose target serves 150 or 112 a second, a spike
 * whose queue drains in 4 s or 8 s, a soak whose p95 is flat or grows.
 */

function compare(baselines: readonly RunRecord[], current: RunRecord, options = {}): Comparison {
  return compareWithAnalysis({ baselines, current, options }, {});
}

function shape(comparison: Comparison, question: ShapeComparison['question']): ShapeComparison {
  const found = comparison.shapeTests?.find((t) => t.question === question);
  if (found === undefined) throw new Error(`no ${question} test`);
  return found;
}

const valid = (comparison: Comparison): string | undefined => comparisonProblem(JSON.parse(JSON.stringify(comparison)));

describe('capacity against the baseline runs', () => {
  const baselines = [staircase(0), staircase(1), staircase(2)];

  it('an unchanged breaking point passes, and the test joins the corrected family', () => {
    const comparison = compare(baselines, staircase(3));
    const capacity = shape(comparison, 'capacity');
    expect(capacity).toMatchObject({ verdict: 'pass', gated: true, unit: 'req/s', baselineRuns: 3, allowedChange: -10 });
    expect(capacity.current).toBeCloseTo(150, 0);
    expect(Math.abs(capacity.change as number)).toBeLessThan(2);
    expect(comparison.settings.correctedTestNames).toContain('capacity');
    expect(capacity.failLevel).toBeLessThan(0.05);
    expect(valid(comparison)).toBeUndefined();
  });

  it('a target that serves less fails the gate, says so in the headline, the comment and the terminal', () => {
    const comparison = compare(baselines, staircase(3, 112));
    const capacity = shape(comparison, 'capacity');
    expect(capacity.verdict).toBe('regression');
    expect(capacity.change).toBeLessThan(-20);
    expect((capacity.ci as { high: number }).high).toBeLessThan(0);
    expect(comparison.verdict).toBe('regression');
    expect(comparison.conclusion).toBe('failure');
    const comment = renderReport(comparison);
    expect(comment).toMatch(/❌ Capacity against the baseline: 1\d\d req\/s against 150 req\/s over 3 baseline runs, −3\d(\.\d)?% \(CI/);
    expect(comment).toContain("#### The run's shape against the baseline runs'");
    expect(formatComparisonTable(comparison, 200)).toMatch(/^Capacity against the baseline: .* allowed −10%: regression\.$/m);
    expect(valid(comparison)).toBeUndefined();
  });

  it('regression.capacity sets the allowance: a loss within it passes', () => {
    const comparison = compare(baselines, staircase(3, 112), { capacityPct: 50 });
    expect(shape(comparison, 'capacity')).toMatchObject({ verdict: 'pass', allowedChange: -50 });
  });

  it('with run-to-run noise (3%) and 5 baseline runs: a quarter of the capacity lost fails, none lost does not', () => {
    const random = seededRandom(20261208);
    const history = Array.from({ length: 5 }, (_, i) => stressRun(DEFAULT_STRESS_MODEL, random, i));
    expect(shape(compare(history, stressRun(DEFAULT_STRESS_MODEL, random, 5, 4 / 3)), 'capacity').verdict).toBe('regression');
    expect(shape(compare(history, stressRun(DEFAULT_STRESS_MODEL, random, 6)), 'capacity').verdict).not.toBe('regression');
  });

  it('a current ramp that never broke cannot show a loss; a baseline that never broke cannot show none', () => {
    const unbroken = staircase(3, 1000);
    const gained = shape(compare(baselines, unbroken), 'capacity');
    expect(gained.verdict).not.toBe('regression');
    const lost = shape(compare([staircase(0, 1000), staircase(1, 1000)], staircase(3)), 'capacity');
    expect(lost.verdict).not.toBe('pass');
    expect(lost.verdict).not.toBe('improvement');
    const both = shape(compare([staircase(0, 1000), staircase(1, 1000)], unbroken), 'capacity');
    expect(both).toMatchObject({ verdict: 'pass', gated: false, pValue: null });
  });
});

describe('recovery from a surge against the baseline runs', () => {
  const baselines = [spike(0), spike(1), spike(2)];

  it('the same drain passes; a drain twice as long (a fifth of the capacity lost) fails', () => {
    const same = compare(baselines, spike(3));
    expect(shape(same, 'recovery')).toMatchObject({ verdict: 'pass', gated: true, name: 'recovery from surge 1', allowedChange: 50 });
    const slower = compare(baselines, spike(3, 80));
    const recovery = shape(slower, 'recovery');
    expect(recovery.verdict).toBe('regression');
    expect(recovery.change).toBeGreaterThan(50);
    expect(slower.verdict).toBe('regression');
    expect(slower.settings.correctedTestNames).toContain('recovery from surge 1');
    expect(renderReport(slower)).toMatch(/❌ Recovery against the baseline \(surge 1\): 7\.5 s against 3\.5 s/);
    expect(valid(slower)).toBeUndefined();
  });

  it('regression.recovery sets the allowance', () => {
    expect(shape(compare(baselines, spike(3, 80), { recoveryPct: 200 }), 'recovery').verdict).toBe('pass');
  });
});

describe('the slow burn against the baseline runs', () => {
  const flat = (sequence: number): RunRecord => soak(24, () => 20, sequence);
  /** p95 growing `pct` percent a minute over 24 blocks of 5 s. */
  const growing = (sequence: number, pct: number): RunRecord => soak(24, (i) => 20 * (1 + pct / 100) ** ((i * 5) / 60), sequence);

  it('is reported, not gated, unless the profile sets regression.trend: a plain steady run keeps its verdict', () => {
    const baselines = [flat(0), flat(1), flat(2)];
    const current = growing(3, 20);
    const comparison = compare(baselines, current);
    const trend = shape(comparison, 'trend');
    expect(trend).toMatchObject({ gated: false, verdict: 'regression', unit: '%/min', changeUnit: '%/min', allowedChange: 5 });
    expect(trend.reason).toContain('set regression.trend');
    expect(comparison.settings.correctedTestNames).not.toContain('slow burn');
    const plain = compareRuns({ baselines, current });
    expect(comparison.verdict).toBe(plain.verdict);
    expect(comparison.steps).toEqual(plain.steps);
    expect(formatComparisonTable(comparison, 200)).toMatch(/^Slow burn against the baseline: .*: reported: regression/m);
  });

  it('gated with regression.trend: growth beyond the baseline runs\' own fails; the same growth in every run does not', () => {
    const gated = compare([flat(0), flat(1), flat(2)], growing(3, 20), { trendPctPerMinute: 5 });
    const trend = shape(gated, 'trend');
    expect(trend).toMatchObject({ gated: true, verdict: 'regression' });
    expect(trend.change).toBeGreaterThan(15);
    expect(gated.verdict).toBe('regression');
    expect(gated.settings.correctedTestNames).toContain('slow burn');
    // A cache that fills in every run: the baseline runs grow as much.
    const usual = compare([growing(0, 20), growing(1, 20), growing(2, 20)], growing(3, 20), { trendPctPerMinute: 5 });
    expect(shape(usual, 'trend').verdict).toBe('pass');
    expect(usual.verdict).not.toBe('regression');
    expect(valid(gated)).toBeUndefined();
  });
});

describe('a run whose shape asks nothing', () => {
  it('a plain load test (no planned curve) gets no shape test and the same comparison as before', () => {
    const random = seededRandom(7);
    const model = { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 30 };
    const history = Array.from({ length: 5 }, (_, i) => syntheticRun({ model, random, sequence: i }));
    const current = syntheticRun({ model, random, sequence: 5, regression: { factor: 1.3 } });
    const shaped = compare(history, current);
    expect(shaped.shapeTests).toBeUndefined();
    expect(shaped).toEqual(compareRuns({ baselines: history, current }));
  });

  it('the run verdict: a gated regression fails, an inconclusive one holds it in doubt, ungated ones and no baseline change nothing', () => {
    const test = (verdict: ShapeComparison['verdict'], gated = true): ShapeComparison => ({ verdict, gated }) as ShapeComparison;
    expect(withShapeVerdicts('pass', [test('regression')], true)).toBe('regression');
    expect(withShapeVerdicts('pass', [test('inconclusive')], true)).toBe('inconclusive');
    expect(withShapeVerdicts('pass', [test('regression', false)], true)).toBe('pass');
    expect(withShapeVerdicts('no-baseline', [test('regression')], true)).toBe('no-baseline');
    expect(withShapeVerdicts('inconclusive', [test('pass')], false)).toBe('inconclusive');
  });
});

describe('the stress experiment (tailgate calibrate --synthetic --capacity)', () => {
  it('draws runs of the capacity it says, and tallies each kind of current run per cell', () => {
    const settings = { ...DEFAULT_STRESS_SETTINGS, trials: 3, histories: [3], runNoises: [0.03] };
    const cells = runStressExperiment(settings);
    expect(cells).toHaveLength(1);
    const [cell] = cells;
    expect(cell?.unchanged.trials).toBe(3);
    expect(cell?.lost.capacityFails).toBe(3);
    expect(cell?.unchanged.capacityFails).toBe(0);
    // Found within 10% of the truth: 100 a second, 75 with a quarter lost.
    for (const rate of cell?.unchanged.estimates ?? []) expect(Math.abs(rate / stressCapacity(DEFAULT_STRESS_MODEL) - 1)).toBeLessThan(0.1);
    for (const rate of cell?.lost.estimates ?? []) expect(Math.abs(rate / stressCapacity(DEFAULT_STRESS_MODEL, 4 / 3) - 1)).toBeLessThan(0.1);
    expect(formatStressResults(cells, settings)).toMatch(/^\| 3% \| 3 \| \*\*0\.0%\*\* \(0\.0%–70\.8%\) \|/m);
  });
});

