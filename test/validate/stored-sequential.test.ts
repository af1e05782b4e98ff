import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare-runs.js';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import {
  decide,
  DEFAULT_STORED_SEQUENTIAL_SETTINGS,
  formatStoredSequential,
  rulesOut,
  runStoredSequential,
  runStoredSequentialExperiment,
  storedDesign,
  truncateSyntheticRun,
  type StoredSequentialCell,
  type StoredSequentialSettings,
} from '../../src/validate/stored-sequential-experiment.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, syntheticRun } from '../../src/validate/synthetic-runs.js';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../cli/cli-io.js';

const model = { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 30, runSigma: 0.03 };
const history = Array.from({ length: 5 }, (_, i) => syntheticRun({ model, random: seededRandom(100 + i), sequence: i }));
const design = storedDesign({ maxSeconds: 30, firstLookSeconds: 12, everySeconds: 6, alpha: 0.05 });

describe('a synthetic run cut to its first seconds', () => {
  const run = syntheticRun({ model, random: seededRandom(7), sequence: 5 });

  it('is a valid record of those seconds: the reader accepts it, its blocks and counts are the first ones', () => {
    const cut = truncateSyntheticRun(run, 12);
    const read = parseRunRecord(JSON.stringify(cut), 'cut.json');
    expect(read.blocks).toHaveLength(12);
    expect(read.meta.measuredMs).toBe(12_000);
    expect(Date.parse(read.meta.endedAt) - Date.parse(read.meta.startedAt)).toBe(12_000);
    for (const [name, step] of Object.entries(run.steps)) {
      const first = step.blocks.slice(0, 12);
      expect(read.steps[name]!.blocks).toEqual(first);
      expect(read.steps[name]!.requests).toBe(first.reduce((sum, b) => sum + b.requests, 0));
    }
    expect(read.overall.requests).toBe(read.summary.overall.requests);
    expect(read.overall.requests).toBeLessThan(run.overall.requests);
    expect(read.meta.runId).toBe(run.meta.runId);
  });

  it('is the run itself when cut to its whole length', () => {
    expect(truncateSyntheticRun(run, 30)).toEqual(run);
  });

  it('cannot be cut to less than a block', () => {
    expect(() => truncateSyntheticRun(run, 0.5)).toThrow(RangeError);
  });
});

describe('the stored-baseline sequential design', () => {
  it('looks every 6 s from 12 s, spending almost nothing early and most of alpha at the end', () => {
    expect(design.looks).toEqual([12, 18, 24, 30]);
    expect(design.nominal[0]).toBeLessThan(0.005);
    for (let i = 1; i < design.nominal.length; i++) expect(design.nominal[i]).toBeGreaterThan(design.nominal[i - 1] as number);
    expect(design.nominal.at(-1)).toBeLessThan(0.05);
    expect(design.nominal.at(-1)).toBeGreaterThan(0.03);
  });

  it('stops a run three times as slow as allowed at an early look, as a regression', () => {
    const current = syntheticRun({ model, random: seededRandom(8), sequence: 5, regression: { factor: 1.3 } });
    const outcome = runStoredSequential(current, history, design, { thresholdPct: 10 });
    expect(outcome.stop).toBe('regression');
    expect(outcome.failed).toBe(true);
    expect(outcome.seconds).toBeLessThan(30);
    expect(outcome.looks.at(-1)!.verdict).toBe('regression');
  });

  it('stops an unchanged run early as twice the allowance ruled out, without failing it', () => {
    const current = syntheticRun({ model, random: seededRandom(9), sequence: 5 });
    const outcome = runStoredSequential(current, history, design, { thresholdPct: 10 });
    expect(outcome.stop).toBe('ruled-out');
    expect(outcome.failed).toBe(false);
    expect(outcome.seconds).toBeLessThan(30);
  });

  it('rules nothing out while a gated metric is untested, and rules out a change its bound excludes', () => {
    const current = syntheticRun({ model, random: seededRandom(9), sequence: 5 });
    const comparison = compareRuns({ baselines: history, current, options: { thresholdPct: 10, alpha: 0.15 } });
    expect(rulesOut(comparison, 2)).toBe(true);
    expect(rulesOut(comparison, 0.01)).toBe(false);
    const untested: Comparison = { ...comparison, steps: comparison.steps.map((s, i) => (i === 0 ? { ...s, p95: { ...s.p95, ci: null, verdict: 'inconclusive' } } : s)) };
    expect(rulesOut(untested, 2)).toBe(false);
    expect(rulesOut({ ...comparison, steps: [] }, 2)).toBe(false);
  });
});

describe('the experiment', () => {
  const settings: StoredSequentialSettings = { ...DEFAULT_STORED_SEQUENTIAL_SETTINGS, seed: 3, unchangedTrials: 2, changeTrials: 1, sizes: [0, 3], histories: [3], maxSeconds: 30, model };
  const cells = runStoredSequentialExperiment(settings);

  it('fills each cell with its trials, both designs judged on the same draws, the same each time for the same seed', () => {
    expect(cells.map((c) => [c.historyRuns, c.size, c.trials])).toEqual([
      [3, 0, 2],
      [3, 3, 1],
    ]);
    for (const cell of cells) {
      expect(cell.seconds).toHaveLength(cell.trials);
      expect(cell.stops.regression + cell.stops['ruled-out'] + cell.stops.maximum).toBe(cell.trials);
    }
    expect(runStoredSequentialExperiment(settings)).toEqual(cells);
    expect(runStoredSequentialExperiment({ ...settings, seed: 4 })).not.toEqual(cells);
  });

  it('prints both designs with exact intervals and the looks with their levels', () => {
    const table = formatStoredSequential(cells, settings);
    expect(table).toMatch(/12 s: [\d.e-]+, 18 s: .*30 s: 0\.0\d+/);
    expect(table).toMatch(/\| 3 \| none \| 2 \| \d+\.\d% \(\d+\.\d% – \d+\.\d%\) \|/);
  });
});

describe('the decision', () => {
  const cell = (size: number, fixedFails: number, sequentialFails: number, seconds: number[], trials = 100): StoredSequentialCell => ({
    historyRuns: 5,
    size,
    trials,
    fixedFails,
    sequentialFails,
    stops: { regression: sequentialFails, 'ruled-out': 0, maximum: trials - sequentialFails },
    seconds,
    disagreements: Math.abs(fixedFails - sequentialFails),
  });
  const settings = { alpha: 0.05, maxSeconds: 60 };

  it.each([
    { name: 'shorter at equal calibration', cells: [cell(0, 4, 3, [12, 12, 60]), cell(2, 97, 96, [30])], keep: true },
    { name: 'unchanged runs failed above alpha', cells: [cell(0, 4, 7, [12, 12, 60]), cell(2, 97, 97, [30])], keep: false },
    { name: 'twice the threshold caught less often', cells: [cell(0, 4, 3, [12, 12, 60]), cell(2, 97, 90, [30])], keep: false },
    { name: 'the median unchanged run as long as the fixed one', cells: [cell(0, 4, 3, [60, 60, 12]), cell(2, 97, 97, [30])], keep: false },
    { name: 'one allowance caught less often (reported, not held)', cells: [cell(0, 4, 3, [12]), cell(1, 50, 30, [30]), cell(2, 97, 97, [30])], keep: true },
  ])('$name: keep $keep', ({ cells, keep }) => {
    const decision = decide(cells, settings);
    expect(decision.keep).toBe(keep);
    expect(decision.reasons.length === 0).toBe(keep);
  });
});

describe('tailgate calibrate --synthetic --stored-sequential', () => {
  it('prints the table and the answer, and refuses a bad flag', async () => {
    const io = captureIo();
    expect(await main(['calibrate', '--synthetic', '--stored-sequential', '--aa-trials', '1', '--trials', '1', '--histories', '2', '--seed', '5'], io)).toBe(0);
    expect(io.out()).toMatch(/fixed 60 s run on the same draws/);
    expect(io.out()).toMatch(/\| 2 \| 2× \(\+20%\) \| 1 \|/);
    expect(io.out()).toMatch(/saves time at equal calibration|Not at equal calibration/);
    const bad = captureIo();
    expect(await main(['calibrate', '--synthetic', '--stored-sequential', '--trials', 'many'], bad)).toBe(2);
  });
});
