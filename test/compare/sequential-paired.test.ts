import { describe, expect, it } from 'vitest';
import { comparePaired, judgePaired } from '../../src/compare/compare-paired.js';
import { resolveCompareOptions } from '../../src/compare/compare-options.js';
import { DEFAULT_SEQUENTIAL, runSequential, sequentialDesign } from '../../src/compare/sequential-paired.js';
import { DEFAULT_PAIRING } from '../../src/plan/paired-schedule.js';
import type { PairedRecord, SequentialMeta } from '../../src/record/paired-record-types.js';
import { syntheticPairedRun } from '../../src/validate/paired-synthetic.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom } from '../../src/validate/synthetic-runs.js';

const options = resolveCompareOptions({ thresholdPct: 10, alpha: 0.05 });
const draw = (seed: number, factor = 1): PairedRecord =>
  syntheticPairedRun({ model: { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 60, runSigma: 0.08 }, pairing: DEFAULT_PAIRING, random: seededRandom(seed), sequence: 0, ...(factor !== 1 ? { regression: { factor } } : {}) });
const replay = (paired: PairedRecord) => {
  const design = sequentialDesign(23, 0.05);
  if (design === undefined) throw new Error('no design');
  return { design, ...runSequential((pairs, alpha) => judgePaired({ paired, options: { ...options, alpha }, pairs }), design, options) };
};

describe('the sequential design', () => {
  it('looks after every ABBA group from 6 pairs and at the maximum, its levels rising to under α', () => {
    const design = sequentialDesign(23, 0.05);
    expect(design?.looks).toEqual([6, 8, 10, 12, 14, 16, 18, 20, 22, 23]);
    const nominal = design?.nominal as number[];
    nominal.forEach((level, i) => {
      expect(level).toBeLessThan(0.05);
      if (i > 0) expect(level).toBeGreaterThan(nominal[i - 1] as number);
    });
    expect(nominal[0]).toBeLessThan(0.001);
  });

  it('leaves a run too short for two early looks to its fixed length', () => {
    expect(sequentialDesign(7, 0.05)).toBeUndefined();
    expect(sequentialDesign(11, 0.05, DEFAULT_SEQUENTIAL)?.looks).toEqual([6, 8, 10, 11]);
  });
});

describe('the stopping rule on synthetic paired runs', () => {
  it('stops a head 60% slower early, for a regression beyond doubt', () => {
    const run = replay(draw(11, 1.6));
    expect(run.stop.decision).toBe('regression');
    expect(run.stop.verdict).toBe('regression');
    expect(run.stop.pairs).toBeLessThan(23);
    expect(run.looks.slice(0, -1).every((look) => look.decision === 'continue')).toBe(true);
  });

  it('stops most unchanged heads before the maximum with twice the allowance ruled out, never calling them regressions', () => {
    const stops = [21, 22, 23, 24, 25, 26].map((seed) => replay(draw(seed)).stop);
    for (const stop of stops) expect(stop.verdict).not.toBe('regression');
    const early = stops.filter((s) => s.decision === 'ruled-out');
    expect(early.length).toBeGreaterThanOrEqual(3);
    for (const stop of early) {
      expect(stop.pairs).toBeLessThan(23);
      expect(stop.reason).toMatch(/2× the allowance ruled out/);
      for (const m of stop.metrics) expect(m.upper).toBeLessThan(21);
    }
  });

  it('does not rule out twice the allowance for a head twice the allowance slower', () => {
    const stops = [31, 32, 33, 34].map((seed) => replay(draw(seed, 1.2)).stop);
    for (const stop of stops) expect(stop.decision).not.toBe('ruled-out');
  });

  it('judges a stopped run\'s record at its stopping look and says when it was decided', () => {
    const paired = draw(11, 1.6);
    const run = replay(paired);
    const sequential: SequentialMeta = {
      spending: 'obrien-fleming',
      alpha: 0.05,
      plannedLooks: run.design.looks,
      maxPairs: 23,
      futilityMultiple: 2,
      futilityLevel: 0.9,
      looks: run.looks.map((look) => ({ ...look, atMs: look.pairs * 2500 + 500 })),
      stoppedAtPairs: run.stop.pairs,
      maxMeasuredMs: 60_000,
    };
    const comparison = comparePaired({ paired: { ...paired, meta: { ...paired.meta, sequential } }, options });
    expect(comparison.verdict).toBe('regression');
    expect(comparison.incomplete).toBeUndefined();
    expect(comparison.pairing?.pairs).toBe(run.stop.pairs);
    expect(comparison.notes[0]).toMatch(new RegExp(`^Decided after ${Math.round((run.stop.pairs * 2500 + 500) / 1000)} s of at most 60 s: a regression beyond doubt`));
  });
});
