import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { comparisonProblem } from '../../src/compare/comparison-schema.js';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { leaveOutSlowBaselines, runnerSpeedOf, slowerRunnerReason } from '../../src/compare/runner-speed.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { renderHeadline } from '../../src/report/headline.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, syntheticRun } from '../../src/validate/synthetic-runs.js';

const model = { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 8 };
/** A run drawn from the model; `slowdown` multiplies its latencies (a slower runner, or a regression). */
const run = (sequence: number, probe?: number, slowdown = 1): RunRecord => {
  const record = syntheticRun({ model, random: seededRandom(100 + sequence), sequence, ...(slowdown === 1 ? {} : { regression: { factor: slowdown } }) });
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
  it('carries the runner’s speed, which its schema accepts, and leaves a verdict that is no regression as it was', () => {
    const baselines = history(steady);
    const flagged = compareRuns({ baselines, current: run(9, 400) });
    const unprobed = compareRuns({ baselines: baselines.map((r) => ({ ...r, meta: { ...r.meta, runnerFingerprint: undefined } })), current: run(9) });
    expect(flagged.runnerSpeed?.slower).toBe(true);
    expect(unprobed.runnerSpeed).toBeUndefined();
    expect(comparisonProblem(JSON.parse(JSON.stringify(flagged)))).toBeUndefined();
    expect(flagged.verdict).toBe(unprobed.verdict);
    expect(flagged.verdict).not.toBe('regression');
    expect(flagged.steps).toEqual(unprobed.steps);
    expect(flagged.runnerSpeed?.heldRegressions).toBe(0);
  });

  it('schema refuses a runner speed that is not a number', () => {
    const comparison = JSON.parse(JSON.stringify(compareRuns({ baselines: history(steady), current: run(9, 400) }))) as Record<string, any>;
    comparison.runnerSpeed.slowerPct = '25 <img>';
    expect(comparisonProblem(comparison)).toBe('runnerSpeed.slowerPct must be number');
  });
});

/** Eight baseline runs; the third and sixth on a runner a quarter slower (probe 400, latencies ×1.25). */
const withSlowRuns = (): RunRecord[] => [500, 505, 400, 495, 510, 400, 490, 502].map((probe, i) => run(i, probe, probe === 400 ? 1.25 : 1));

describe('baseline runs on far slower runners', () => {
  it('are left out of the baseline, its level and its spread, and the comparison says which and why', () => {
    const baselines = withSlowRuns();
    const kept = baselines.filter((_, i) => i !== 2 && i !== 5);
    const comparison = compareRuns({ baselines, current: run(9, 500) });
    const alone = compareRuns({ baselines: kept, current: run(9, 500) });
    expect(comparison.history.used).toEqual(alone.history.used);
    expect(comparison.steps).toEqual(alone.steps);
    expect(comparison.history.skipped.map((s) => s.run.runId)).toEqual(['synthetic-2', 'synthetic-5']);
    expect(comparison.history.skipped[0]?.reason).toMatch(/^its runner was 24% slower than the other baseline runs' on the CPU probe/);
    expect(comparison.slowBaselineRuns).toMatchObject({ leftOut: true, runs: [{ run: { runId: 'synthetic-2' } }, { run: { runId: 'synthetic-5' } }] });
    expect(comparison.slowBaselineRuns?.runs[0]?.slowerPct).toBeCloseTo(24.4, 0);
    expect(comparison.notes).toContain(
      "2 baseline runs' runners were 24% and 24% slower than the other baseline runs' on the CPU probe taken before the load, and a slower runner slows every latency of its run: they were left out of the baseline (its level and its spread).",
    );
    expect(comparisonProblem(JSON.parse(JSON.stringify(comparison)))).toBeUndefined();
  });

  it('are kept when leaving them out would leave fewer than 2 baseline runs, and the comparison says so', () => {
    const baselines = [run(0, 500), run(1, 300, 1.6)];
    const comparison = compareRuns({ baselines, current: run(9, 500) });
    expect(comparison.history.used).toHaveLength(2);
    expect(comparison.history.skipped).toEqual([]);
    expect(comparison.slowBaselineRuns).toMatchObject({ leftOut: false, runs: [{ run: { runId: 'synthetic-1' } }] });
    expect(comparison.notes.some((note) => note.includes('kept all the same, since leaving it out would leave fewer than 2 baseline runs'))).toBe(true);
  });

  it('are judged by their probes alone: runs without one stay, and a history with no slow runner is untouched', () => {
    const history = [run(0, 500), run(1), run(2, 505), run(3, 400), run(4, 498)];
    expect(leaveOutSlowBaselines(history).used.map((r) => r.meta.runId)).toEqual(['synthetic-0', 'synthetic-1', 'synthetic-2', 'synthetic-4']);
    const steadyRuns = history.filter((r) => r.meta.runId !== 'synthetic-3');
    expect(leaveOutSlowBaselines(steadyRuns)).toEqual({ used: steadyRuns });
  });
});

describe('a current run on a far slower runner', () => {
  const baselines = history(steady);
  const slowed = (probe: number): Comparison => compareRuns({ baselines, current: run(9, probe, 1.5) });

  it('is not judged a regression: its p95 regressions are held back as inconclusive, with the reason', () => {
    const ordinary = slowed(500);
    const onSlowRunner = slowed(400);
    expect(ordinary.verdict).toBe('regression');
    expect(onSlowRunner.verdict).toBe('inconclusive');
    expect(onSlowRunner.conclusion).toBe('neutral');
    const overall = onSlowRunner.steps[0]!;
    expect(overall.p95.verdict).toBe('inconclusive');
    expect(overall.p95.reason).toBe(slowerRunnerReason(onSlowRunner.runnerSpeed!));
    expect(overall.p95.reason).toMatch(/^this run's runner was 25% slower than the baseline's on the CPU probe/);
    const regressions = ordinary.steps.flatMap((s) => [s.p95, s.throughput]).filter((m) => m.verdict === 'regression').length;
    expect(onSlowRunner.runnerSpeed?.heldRegressions).toBe(regressions);
    // Nothing else moved: the change and its interval are those of the ordinary runner's comparison.
    expect(overall.p95.ci).toEqual(ordinary.steps[0]!.p95.ci);
    expect(onSlowRunner.notes.at(-1)).toMatch(/^This run's runner was 25% slower .* so a regression on it that the runner could explain is not judged \(\d+ regressions? of p95 or throughput (was|were) held back as inconclusive\)/);
    expect(comparisonProblem(JSON.parse(JSON.stringify(onSlowRunner)))).toBeUndefined();
  });

  it('still judges a regression far beyond what the runner could explain: three times as slow on a runner 25% slower', () => {
    const threefold = compareRuns({ baselines, current: run(9, 400, 3) });
    expect(threefold.runnerSpeed?.slower).toBe(true);
    expect(threefold.verdict).toBe('regression');
    expect(threefold.steps[0]!.p95.verdict).toBe('regression');
    expect(threefold.runnerSpeed?.heldRegressions).toBe(0);
    expect(threefold.notes.at(-1)).toMatch(/a regression on it that the runner could explain is not judged \(none was held back\)/);
  });

  it('the headline says what looked like a regression, and why it is not judged', () => {
    const lines = renderHeadline(slowed(400));
    expect(lines[0]).toMatch(/^⚠️ Inconclusive: p95 of <code>\w+<\/code> is [\d.]+% slower \(CI \+[\d.]+% … \+[\d.]+%\), beyond the 10% allowed, but on a runner 25% slower than the baseline's, so it is not judged( \(and \d+ more below\))?\.$/u);
    expect(lines.find((l) => l.startsWith('🐢'))).toMatch(/and a slower runner slows every latency, so a regression on it is not judged\. Paired mode/);
  });
});

describe('the comparison schema', () => {
  const comparison = (): Record<string, any> => JSON.parse(JSON.stringify(compareRuns({ baselines: withSlowRuns(), current: run(9, 400, 1.5) }))) as Record<string, any>;

  it('accepts the slow baseline runs and the held regressions, and refuses them malformed', () => {
    const good = comparison();
    expect(good.slowBaselineRuns.runs).toHaveLength(2);
    expect(good.runnerSpeed.heldRegressions).toBeGreaterThan(0);
    expect(comparisonProblem(good)).toBeUndefined();
    const bad = comparison();
    bad.slowBaselineRuns.leftOut = 'yes';
    expect(comparisonProblem(bad)).toBe('slowBaselineRuns.leftOut must be boolean');
    const empty = comparison();
    empty.slowBaselineRuns.runs = [];
    expect(comparisonProblem(empty)).toBe('slowBaselineRuns.runs must NOT have fewer than 1 items');
    const held = comparison();
    held.runnerSpeed.heldRegressions = -1;
    expect(comparisonProblem(held)).toBe('runnerSpeed.heldRegressions must be >= 0');
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

  it('says that a regression on a flagged runner is not judged, in comparisons that hold it back', () => {
    const line = renderHeadline({ ...regression, runnerSpeed: { ...speed, slower: true, heldRegressions: 0 } }).find((l) => l.startsWith('🐢'));
    expect(line).toContain('over 6 baseline runs), and a slower runner slows every latency, so a regression on it is not judged. Paired mode (baseline-url)');
  });

  it('says in one line which baseline runs were left out for their runners', () => {
    const slowBaselineRuns = { leftOut: true, runs: [{ run: { startedAt: '2026-01-01T00:00:00Z' }, slowerPct: 26.2 }] };
    const lines = renderHeadline({ ...regression, slowBaselineRuns });
    expect(lines.filter((l) => l.startsWith('🐢'))).toEqual([
      "🐢 1 baseline run's runner was 26% slower than the other baseline runs' on the CPU probe taken before the load, and a slower runner slows every latency of its run: it was left out of the baseline (its level and its spread).",
    ]);
  });

  it('says nothing of a runner that was not flagged', () => {
    expect(renderHeadline({ ...regression, runnerSpeed: { ...speed, slowerPct: 10, slower: false } })).toEqual(renderHeadline(regression));
  });
});
