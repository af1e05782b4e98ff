import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { comparisonProblem } from '../../src/compare/comparison-schema.js';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { runnerSpeedOf } from '../../src/compare/runner-speed.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { renderHeadline } from '../../src/report/headline.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, syntheticRun } from '../../src/validate/synthetic-runs.js';

const model = { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 8 };
const run = (sequence: number, probe?: number): RunRecord => {
  const record = syntheticRun({ model, random: seededRandom(100 + sequence), sequence });
  if (probe === undefined) return record;
  return { ...record, meta: { ...record.meta, runnerFingerprint: { cpuModel: 'Test CPU', logicalCores: 4, totalMemoryBytes: 16e9, probe: { opsPerMicrosecond: probe, repeats: 7 } } } };
};
const history = (probes: readonly number[]): RunRecord[] => probes.map((probe, i) => run(i, probe));
const steady = [500, 505, 495, 510, 490, 502];

describe('runnerSpeedOf', () => {
  it('flags a current runner whose probe is more than 15% below the baselines’ median and beyond their spread', () => {
    const speed = runnerSpeedOf(run(9, 400), history(steady));
    expect(speed).toMatchObject({ currentOpsPerMicrosecond: 400, baselineRuns: 6, slower: true });
    expect(speed!.baselineOpsPerMicrosecond).toBeCloseTo(501, 0);
    // The same work takes 25% longer at 4/5 of the speed.
    expect(speed!.slowerPct).toBeCloseTo(25.3, 0);
    expect(speed!.baselineSpreadPct).toBeGreaterThan(0.5);
    expect(speed!.baselineSpreadPct).toBeLessThan(3);
  });

  it.each([
    ['a runner 12% slower: within the limit', 440, steady],
    ['a runner 20% slower whose baselines spread as widely', 400, [300, 650, 480, 700, 350, 560]],
    ['a faster runner', 600, steady],
  ])('does not flag %s', (_, probe, probes) => {
    expect(runnerSpeedOf(run(9, probe), history(probes))?.slower).toBe(false);
  });

  it('is not thrown off by one slow runner in the history: the median and spread are robust', () => {
    const speed = runnerSpeedOf(run(9, 400), history([500, 505, 400, 495, 510, 490, 502, 498, 507, 493]));
    expect(speed!.slower).toBe(true);
    expect(speed!.baselineOpsPerMicrosecond).toBeCloseTo(499, 0);
  });

  it('uses the limit alone with fewer than 3 probed baselines, and the runs that have a probe', () => {
    const speed = runnerSpeedOf(run(9, 400), [run(0, 500), run(1)]);
    expect(speed).toMatchObject({ baselineRuns: 1, baselineSpreadPct: 0, slowerPct: 25, slower: true });
  });

  it('says nothing when the current run or every baseline run has no probe (older records)', () => {
    expect(runnerSpeedOf(run(9), history(steady))).toBeUndefined();
    expect(runnerSpeedOf(run(9, 400), [run(0), run(1)])).toBeUndefined();
  });
});

describe('the comparison', () => {
  it('carries the runner’s speed, which its schema accepts, and leaves the verdict as it was', () => {
    const baselines = history(steady);
    const flagged = compareRuns({ baselines, current: run(9, 400) });
    const unprobed = compareRuns({ baselines: baselines.map((r) => ({ ...r, meta: { ...r.meta, runnerFingerprint: undefined } })), current: run(9) });
    expect(flagged.runnerSpeed?.slower).toBe(true);
    expect(unprobed.runnerSpeed).toBeUndefined();
    expect(comparisonProblem(JSON.parse(JSON.stringify(flagged)))).toBeUndefined();
    expect(flagged.verdict).toBe(unprobed.verdict);
    expect(flagged.steps).toEqual(unprobed.steps);
  });

  it('schema refuses a runner speed that is not a number', () => {
    const comparison = JSON.parse(JSON.stringify(compareRuns({ baselines: history(steady), current: run(9, 400) }))) as Record<string, any>;
    comparison.runnerSpeed.slowerPct = '25 <img>';
    expect(comparisonProblem(comparison)).toBe('runnerSpeed.slowerPct must be number');
  });
});

describe('the headline', () => {
  const regression = JSON.parse(readFileSync(new URL('../report/comparisons/regression.json', import.meta.url), 'utf8')) as Comparison;
  const speed = { currentOpsPerMicrosecond: 400, baselineOpsPerMicrosecond: 501.2, baselineRuns: 6, baselineSpreadPct: 1.2, slowerPct: 25.3 };

  it('says when the runner was far slower than the baseline’s, and that paired mode cancels it', () => {
    const lines = renderHeadline({ ...regression, runnerSpeed: { ...speed, slower: true } });
    const line = lines.find((l) => l.startsWith('🐢'));
    expect(line).toBe(
      "🐢 This run's runner was 25% slower than the baseline's on a CPU probe taken before the load (400.0 against a median of 501.2 operations per microsecond over 6 baseline runs), so a regression here may be the runner's. Paired mode (baseline-url) measures base and head on the same runner and cancels it.",
    );
    expect(lines.slice(0, -1)).toEqual(renderHeadline(regression).slice(0, lines.length - 1));
  });

  it('says nothing of a runner that was not flagged', () => {
    expect(renderHeadline({ ...regression, runnerSpeed: { ...speed, slowerPct: 10, slower: false } })).toEqual(renderHeadline(regression));
  });
});
