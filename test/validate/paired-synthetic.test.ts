import { describe, expect, it } from 'vitest';
import { comparePaired } from '../../src/compare/compare-paired.js';
import { DEFAULT_PAIRING, SHORT_RUN_PAIRING } from '../../src/plan/paired-schedule.js';
import { parsePairedRecord } from '../../src/record/read-paired-record.js';
import { checkPairedTargets, DEFAULT_PAIRED_SYNTHETIC_SETTINGS, formatPairedSyntheticResults, runPairedSyntheticExperiment, type PairedSyntheticSettings } from '../../src/validate/paired-experiment.js';
import { syntheticPairedRun } from '../../src/validate/paired-synthetic.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, type SyntheticModel } from '../../src/validate/synthetic-runs.js';
import { decodeHistogram, percentileMs } from '../../src/record/histogram.js';

const percentileOf = (encoded: string): number => percentileMs(decodeHistogram(encoded), 95);

const model = (patch: Partial<SyntheticModel> = {}): SyntheticModel => ({ ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 60, ...patch });

describe('synthetic paired records', () => {
  it('are paired records the reader accepts, laid out as paired mode lays out a 60 s run (ABBA blocks of 1 s measured, a 0.5 s settle after each switch)', () => {
    const paired = syntheticPairedRun({ model: model(), pairing: DEFAULT_PAIRING, random: seededRandom(1), sequence: 0 });
    const read = parsePairedRecord(JSON.stringify(paired), 'synthetic.json');
    expect(read.order.slice(0, 4)).toEqual(['head', 'base', 'base', 'head']);
    expect(read.meta.pairing.settleAt).toBe('switch');
    // 1.5 + 1.5, then 1 + 1.5 per pair of blocks: 47 blocks end at 59 s (23 pairs and one over).
    expect(read.order).toHaveLength(47);
    for (const arm of ['head', 'base'] as const) {
      const run = read[arm];
      const blocks = read.order.filter((a) => a === arm).length;
      expect(run.meta.measuredMs).toBe(blocks * 1000);
      expect(run.blocks).toHaveLength(blocks);
      expect(run.overall.requests).toBeGreaterThan(0.8 * blocks * 75);
    }
    // 24 settles of 0.5 s (the first block and 23 switches) and the last second: 13 s at 75 requests a second.
    expect(read.meta.pairing.excludedRequests).toBe(13 * 75);
    expect(read.head.meta.target).not.toBe(read.base.meta.target);
  });

  it('record a short run in 0.5 s blocks when the pairing measures 0.5 s per block', () => {
    const paired = syntheticPairedRun({ model: model({ durationSeconds: 10, blockMs: 500 }), pairing: SHORT_RUN_PAIRING, random: seededRandom(2), sequence: 0 });
    const read = parsePairedRecord(JSON.stringify(paired), 'short.json');
    expect(read.order).toHaveLength(15);
    expect(read.head.meta.blockMs).toBe(500);
    expect(comparePaired({ paired: read }).pairing?.pairs).toBe(7);
  });

  it('cancel a run-level offset both arms share: a 50% offset moves both arms alike', () => {
    const quiet = model({ secondSigma: 0, burstChance: 0, runSigma: 0.5 });
    const changes: number[] = [];
    const levels: number[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      const paired = syntheticPairedRun({ model: quiet, pairing: DEFAULT_PAIRING, random: seededRandom(seed), sequence: 0 });
      levels.push(paired.base.summary.overall.p95);
      changes.push(comparePaired({ paired }).steps[0]?.p95.change as number);
    }
    expect(Math.max(...levels) / Math.min(...levels)).toBeGreaterThan(1.5);
    // What is left is sampling noise: a few percent, nothing like the 50% between runs.
    for (const change of changes) expect(Math.abs(change)).toBeLessThan(15);
  });

  it('ramp the head\'s slowdown from none at the start to the factor at the end', () => {
    const quiet = model({ secondSigma: 0, burstChance: 0, runSigma: 0 });
    const paired = syntheticPairedRun({ model: quiet, pairing: DEFAULT_PAIRING, random: seededRandom(5), sequence: 0, regression: { factor: 2, ramp: true } });
    const p95 = (run: typeof paired.head, blocks: number[]): number => {
      const counts = blocks.map((i) => run.overall.blocks[i]?.requests ?? 0);
      expect(Math.min(...counts)).toBeGreaterThan(0);
      return blocks.reduce((sum, i) => sum + percentileOf(run.overall.blocks[i]?.histogram as string), 0) / blocks.length;
    };
    const first = [0, 1, 2, 3];
    const last = [19, 20, 21, 22];
    // Head against base, block by block: about the same at the start, about twice as slow at the end.
    expect(p95(paired.head, first) / p95(paired.base, first)).toBeLessThan(1.3);
    expect(p95(paired.head, last) / p95(paired.base, last)).toBeGreaterThan(1.4);
  });

  it('slow the head arm alone by the regression', () => {
    const quiet = model({ secondSigma: 0, burstChance: 0, runSigma: 0 });
    const paired = syntheticPairedRun({ model: quiet, pairing: DEFAULT_PAIRING, random: seededRandom(3), sequence: 0, regression: { factor: 1.5 } });
    const comparison = comparePaired({ paired });
    expect(comparison.verdict).toBe('regression');
    expect(comparison.steps[0]?.p95.change).toBeGreaterThan(35);
    expect(comparison.steps[0]?.p95.change).toBeLessThan(65);
  });
});

describe('the paired synthetic experiment', () => {
  const settings: PairedSyntheticSettings = { ...DEFAULT_PAIRED_SYNTHETIC_SETTINGS, trials: 30, durations: [60], runNoises: [0.15], sizes: [0, 3], storedHistory: 0 };
  const results = runPairedSyntheticExperiment(settings);

  it('judges unchanged heads and slowed ones on noise that defeats stored baselines: A/A rarely fails, 3x is caught', () => {
    const [aa, thrice] = results;
    expect(aa).toMatchObject({ size: 0, trials: 30, pairs: 23, blockMs: 1500, settleMs: 500 });
    expect(thrice).toMatchObject({ size: 3, trials: 30 });
    // 30 trials: at α = 5% more than 5 false fails would be a 0.3% event.
    expect(aa?.fails).toBeLessThanOrEqual(5);
    expect(thrice?.fails).toBeGreaterThanOrEqual(27);
  });

  it('prints a table per size with exact intervals, and the targets with their figures', () => {
    const text = formatPairedSyntheticResults(results, settings);
    expect(text).toContain('Paired blocks in ABBA order, a settle after each switch of target');
    expect(text).toMatch(/\| 60 s \| 23 × 1\.5 s \(0\.5 s settle\) \| 15% \| \d+\.\d% \(\d+\.\d% – \d+\.\d%\) \|/);
    const targets = checkPairedTargets(results, settings);
    expect(targets.map((t) => t.description)).toEqual(['unchanged heads fail at most α = 0.05 in every cell']);
    expect(targets[0]?.detail).toMatch(/95% CI/);
  });

  it('is the same from the same seed', () => {
    expect(runPairedSyntheticExperiment({ ...settings, trials: 3 })).toEqual(runPairedSyntheticExperiment({ ...settings, trials: 3 }));
  });
});
