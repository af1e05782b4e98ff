import { describe, expect, it } from 'vitest';
import { comparePaired } from '../../src/compare/compare-paired.js';
import { DEFAULT_PAIRING } from '../../src/engine/paired-schedule.js';
import { parsePairedRecord } from '../../src/record/read-paired-record.js';
import { checkPairedTargets, DEFAULT_PAIRED_SYNTHETIC_SETTINGS, formatPairedSyntheticResults, runPairedSyntheticExperiment, type PairedSyntheticSettings } from '../../src/validate/paired-experiment.js';
import { syntheticPairedRun } from '../../src/validate/paired-synthetic.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, type SyntheticModel } from '../../src/validate/synthetic-runs.js';

const model = (patch: Partial<SyntheticModel> = {}): SyntheticModel => ({ ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 60, ...patch });

describe('synthetic paired records', () => {
  it('are paired records the reader accepts, laid out as paired mode lays out a 60 s run (10 ABBA pairs of 3 s blocks, 1 s settle)', () => {
    const paired = syntheticPairedRun({ model: model(), pairing: DEFAULT_PAIRING, random: seededRandom(1), sequence: 0 });
    const read = parsePairedRecord(JSON.stringify(paired), 'synthetic.json');
    expect(read.order.slice(0, 4)).toEqual(['head', 'base', 'base', 'head']);
    expect(read.order).toHaveLength(20);
    for (const arm of [read.head, read.base]) {
      // Each arm's 10 blocks, 2 s measured each, as 1 s recorded blocks.
      expect(arm.meta.measuredMs).toBe(20_000);
      expect(arm.blocks).toHaveLength(20);
      expect(arm.overall.requests).toBeGreaterThan(0.8 * 20 * 75);
    }
    expect(read.meta.pairing.excludedRequests).toBe(20 * 75);
    expect(read.head.meta.target).not.toBe(read.base.meta.target);
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
    for (const change of changes) expect(Math.abs(change)).toBeLessThan(10);
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
    expect(aa).toMatchObject({ size: 0, trials: 30, pairs: 10 });
    expect(thrice).toMatchObject({ size: 3, trials: 30 });
    // 30 trials: at α = 5% more than 5 false fails would be a 0.3% event.
    expect(aa?.fails).toBeLessThanOrEqual(5);
    expect(thrice?.fails).toBeGreaterThanOrEqual(27);
  });

  it('prints a table per size with exact intervals, and the targets with their figures', () => {
    const text = formatPairedSyntheticResults(results, settings);
    expect(text).toContain('Paired blocks: 3 s blocks, 1 s settle, ABBA.');
    expect(text).toMatch(/\| 60 s \| 10 \| 15% \| \d+\.\d% \(\d+\.\d% – \d+\.\d%\) \|/);
    const targets = checkPairedTargets(results, settings);
    expect(targets.map((t) => t.description)).toEqual(['unchanged heads fail at most α = 0.05 in every cell']);
    expect(targets[0]?.detail).toMatch(/95% CI/);
  });

  it('is the same from the same seed', () => {
    expect(runPairedSyntheticExperiment({ ...settings, trials: 3 })).toEqual(runPairedSyntheticExperiment({ ...settings, trials: 3 }));
  });
});
