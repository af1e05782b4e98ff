import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare-runs.js';
import type { Comparison } from '../../src/compare/comparison-types.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, syntheticRun } from '../../src/validate/synthetic-runs.js';

/**
 * A history whose level never moved, at 8% run-to-run noise: the change-point search must not
 * split it. These draws (from the calibration's own stream) are histories that the search at its
 * earlier threshold split, the newest segment's level chosen because it differed from the rest;
 * the unchanged run was then compared with that level and failed. A real 20% step in the same
 * noise is still found.
 */
const options = { thresholdPct: 10, alpha: 0.05 };
const noisy = { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 30, runSigma: 0.08 };

/** Ten baseline runs and an unchanged current run, drawn one after the other from one stream (as the calibration does). */
function trial(seed: number, model = noisy, step = 1): { history: RunRecord[]; current: RunRecord } {
  const random = seededRandom(seed);
  const history = Array.from({ length: 10 }, (_, i) => syntheticRun({ model, random, sequence: i, ...(step !== 1 && i >= 7 ? { regression: { factor: step } } : {}) }));
  const current = syntheticRun({ model, random, sequence: 10, ...(step !== 1 ? { regression: { factor: step } } : {}) });
  return { history, current };
}

const moves = (comparison: Comparison): string[] =>
  comparison.steps.flatMap((s) => (['p95', 'throughput'] as const).flatMap((metric) => (s[metric].baselineMoved ? [`${s.name} ${metric}`] : [])));

describe('a stationary noisy history', () => {
  // Each split at the earlier thresholds: all steps 17.6% lower over the newest 3 runs; checkout alone 18.9% lower over 3; detail alone 14.0% over 3; list 17.8% over 4.
  it.each([551410368, 3106354172, 716900327, 2083120807])('does not move the baseline, and an unchanged run is not failed (draw %i)', (seed) => {
    const { history, current } = trial(seed);
    const comparison = compareRuns({ baselines: history, current, options });
    expect(moves(comparison)).toEqual([]);
    expect(comparison.verdict).not.toBe('regression');
  });
});

describe('a real step in the same noise', () => {
  it('moves the baseline for every step after a 20% step three runs ago (3% noise), and an unchanged run is not failed', () => {
    const model = { ...noisy, runSigma: 0.03, burstChance: 0 };
    for (const seed of [12, 13, 14, 15]) {
      const { history, current } = trial(seed, model, 1.2);
      const comparison = compareRuns({ baselines: history, current, options });
      expect(comparison.steps.map((s) => [s.name, s.p95.baselineMoved?.runs])).toEqual(['overall', 'list', 'detail', 'checkout'].map((name) => [name, 3]));
      expect(comparison.verdict).not.toBe('regression');
    }
  });
});
