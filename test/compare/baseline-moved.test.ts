import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { comparisonProblem } from '../../src/compare/comparison-schema.js';
import { renderReport } from '../../src/report/render-report.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, syntheticRun } from '../../src/validate/synthetic-runs.js';

const model = { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 30, runSigma: 0.03, burstChance: 0 };
const options = { thresholdPct: 10, alpha: 0.05 };
const withCommit = (run: RunRecord, i: number): RunRecord => ({ ...run, meta: { ...run.meta, commit: `${i}`.repeat(40).slice(0, 40) } });

/** Ten default-branch runs, the newest three made slower by `step` on purpose. */
function history(seed: number, step: number): RunRecord[] {
  const random = seededRandom(seed);
  return Array.from({ length: 10 }, (_, i) => withCommit(syntheticRun({ model, random, sequence: i, ...(i >= 7 ? { regression: { factor: step } } : {}) }), i));
}

describe('a baseline whose level moved', () => {
  it('is compared from the change point on: an unchanged run after a 20% step passes or is inconclusive, and the comment says where it moved', () => {
    const runs = history(7, 1.2);
    const current = syntheticRun({ model, random: seededRandom(99), sequence: 10, regression: { factor: 1.2 } });
    const comparison = compareRuns({ baselines: runs, current, options });
    const overall = comparison.steps[0]!;
    expect(overall.p95.baselineMoved).toMatchObject({ cause: 'detected', runs: 3, at: { commit: '7777777777777777777777777777777777777777' } });
    expect(overall.p95.baselineMoved!.change).toBeGreaterThan(12);
    expect(overall.p95.baselineMoved!.change).toBeLessThan(28);
    expect(Math.abs(overall.p95.change!)).toBeLessThan(10);
    expect(comparison.verdict).not.toBe('regression');
    expect(comparisonProblem(JSON.parse(JSON.stringify(comparison)))).toBeUndefined();
    expect(renderReport(comparison)).toMatch(/Baseline moved at <code>7777777<\/code> \(p95 of all steps \+\d+(\.\d)?%, 2026-01-01 07:00 UTC\): compared with the 3 runs since/);
  });

  it('is found for every step at once: the 10 request-a-second step is compared from the move on as the busier ones are', () => {
    // Seed 3's move stands under the pooled search's threshold (4.5, raised so that stationary noisy histories are not split; docs/gate.md).
    for (const seed of [1, 2, 4, 5, 6, 7, 8]) {
      const current = syntheticRun({ model, random: seededRandom(1000 + seed), sequence: 10, regression: { factor: 1.2 } });
      const comparison = compareRuns({ baselines: history(seed, 1.2), current, options });
      expect(comparison.steps.map((s) => [s.name, s.p95.baselineMoved?.runs, s.p95.baselineMoved?.cause])).toEqual(
        ['overall', 'list', 'detail', 'checkout'].map((name) => [name, 3, 'detected']),
      );
    }
  });

  it('still catches twice the threshold on top of the new level', () => {
    const current = syntheticRun({ model, random: seededRandom(98), sequence: 10, regression: { factor: 1.2 * 1.2 } });
    expect(compareRuns({ baselines: history(4, 1.2), current, options }).verdict).toBe('regression');
  });

  it('says nothing of a move when the level held', () => {
    const current = syntheticRun({ model, random: seededRandom(97), sequence: 10 });
    const comparison = compareRuns({ baselines: history(5, 1), current, options });
    expect(comparison.steps.every((s) => s.p95.baselineMoved === undefined && s.throughput.baselineMoved === undefined)).toBe(true);
    expect(renderReport(comparison)).not.toContain('Baseline moved');
  });

  it('starts a segment at a run that accepted a change, however short, and names it accepted', () => {
    const runs = history(6, 1).map((run, i) => (i === 9 ? { ...run, meta: { ...run.meta, baseline: { newSegment: 'accepted' as const } } } : run));
    const current = syntheticRun({ model, random: seededRandom(96), sequence: 10 });
    const comparison = compareRuns({ baselines: runs, current, options });
    expect(comparison.steps[0]!.p95.baselineMoved).toMatchObject({ cause: 'accepted', runs: 1 });
    expect(renderReport(comparison)).toContain(', accepted): compared with the 1 run since');
  });
});
