import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/compare/compare-runs.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { bencherFails, checkTargets, DEFAULT_SYNTHETIC_SETTINGS, formatSyntheticResults, runSyntheticExperiment, type SyntheticSettings } from '../../src/validate/synthetic-experiment.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, syntheticRun } from '../../src/validate/synthetic-runs.js';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../cli/cli-io.js';

const model = { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 12 };

describe('synthetic runs', () => {
  it('are valid tailgate.run/v1 records: the reader accepts them', () => {
    const run = syntheticRun({ model, random: seededRandom(1), sequence: 0 });
    const read = parseRunRecord(JSON.stringify(run), 'synthetic.json');
    expect(Object.keys(read.steps)).toEqual(['list', 'detail', 'checkout']);
    expect(read.blocks).toHaveLength(12);
    expect(read.summary.overall.requests).toBe(run.overall.requests);
  });

  it('carry the regression they are told to: p95 of the slowed step about 1.3 times higher', () => {
    const quiet = { ...model, durationSeconds: 60, secondSigma: 0, runSigma: 0, burstChance: 0 };
    const before = syntheticRun({ model: quiet, random: seededRandom(2), sequence: 0 });
    const after = syntheticRun({ model: quiet, random: seededRandom(3), sequence: 1, regression: { factor: 1.3, steps: ['list'] } });
    expect(after.summary.steps.list!.p95 / before.summary.steps.list!.p95).toBeGreaterThan(1.2);
    expect(after.summary.steps.list!.p95 / before.summary.steps.list!.p95).toBeLessThan(1.4);
    expect(after.summary.steps.detail!.p95 / before.summary.steps.detail!.p95).toBeLessThan(1.1);
  });

  it('are reproducible from their seed', () => {
    expect(syntheticRun({ model, random: seededRandom(9), sequence: 0 })).toEqual(syntheticRun({ model, random: seededRandom(9), sequence: 0 }));
  });
});

describe('the synthetic calibration grid', () => {
  const settings: SyntheticSettings = { ...DEFAULT_SYNTHETIC_SETTINGS, trials: 4, durations: [10], histories: [1, 3], runNoises: [0.03], sizes: [0, 3] };
  const results = runSyntheticExperiment(settings);

  it('fills every cell with its trials, the same each time for the same seed', () => {
    expect(results).toHaveLength(4);
    for (const cell of results) expect(cell.trials).toBe(4);
    expect(runSyntheticExperiment(settings)).toEqual(results);
  });

  it('prints a table per size and the targets with their figures', () => {
    const text = formatSyntheticResults(results, settings);
    expect(text).toMatch(/Unchanged runs \(A\/A\)/);
    expect(text).toMatch(/Runs 30% slower \(3× the threshold\)/);
    expect(text.split('\n').filter((line) => line.startsWith('| 10 s |'))).toHaveLength(4);
    const targets = checkTargets(results, settings);
    expect(targets.map((t) => t.description)).toContain('unchanged runs fail at most α = 0.05 in every cell');
    for (const target of targets) expect(target.detail).not.toBe('');
  });

  it('sets the matched Bencher-style cut-off to fail exactly as many unchanged runs as the gate', () => {
    const wide: SyntheticSettings = { ...settings, trials: 12, histories: [3], sizes: [0, 2] };
    const cells = runSyntheticExperiment(wide);
    const aa = cells.find((c) => c.size === 0)!;
    const ab = cells.find((c) => c.size === 2)!;
    expect(aa.fails.bencherMatched).toBe(aa.fails.gate);
    expect(ab.fails.bencherMatched).toBeLessThanOrEqual(ab.trials);
    expect(formatSyntheticResults(cells, wide)).toMatch(/Bencher-style at the gate's false-fail rate/);
  });

  it('judges with the Bencher-style rule only from two baseline runs on', () => {
    const random = seededRandom(4);
    const history = [0, 1, 2].map((i) => syntheticRun({ model, random, sequence: i }));
    const slower = syntheticRun({ model, random, sequence: 3, regression: { factor: 3 } });
    expect(bencherFails(slower, history.slice(0, 1), 0.05)).toBe(false);
    expect(bencherFails(slower, history, 0.05)).toBe(true);
    expect(compareRuns({ baselines: history, current: slower }).verdict).toBe('regression');
  });
});

describe('tailgate validate', () => {
  it('says it is now calibrate, and points to inspect for checking a profile', async () => {
    const io = captureIo();
    expect(await main(['validate'], io)).toBe(2);
    expect(io.log.join('\n')).toMatch(/tailgate validate is now tailgate calibrate .* tailgate inspect --config FILE/);
  });
});
