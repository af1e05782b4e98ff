import { describe, expect, it } from 'vitest';
import { DEFAULT_SYNTHETIC_SETTINGS, formatSyntheticResults, runSyntheticExperiment, type SyntheticSettings } from '../../src/validate/synthetic-experiment.js';
import { DEFAULT_SYNTHETIC_MODEL, recordingRandom, seededRandom, syntheticRun } from '../../src/validate/synthetic-runs.js';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../cli/cli-io.js';

const model = { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 10 };

describe('a recording random source', () => {
  it('draws the same run again without the runner’s factor: same requests, latencies the factor apart', () => {
    const source = recordingRandom(seededRandom(4));
    const slow = syntheticRun({ model, random: source.random, sequence: 0, regression: { factor: 1.25 } });
    const corrected = syntheticRun({ model, random: source.replay(), sequence: 0 });
    expect(corrected.overall.requests).toBe(slow.overall.requests);
    expect(slow.summary.overall.p95 / corrected.summary.overall.p95).toBeCloseTo(1.25, 1);
    expect(corrected).toEqual(syntheticRun({ model, random: seededRandom(4), sequence: 0 }));
  });

  it('refuses to replay more draws than were made', () => {
    const source = recordingRandom(seededRandom(4));
    source.random.next();
    const again = source.replay();
    again.next();
    expect(() => again.normal()).toThrow(/more draws/);
  });
});

describe('the synthetic grid with slow runners', () => {
  // Half the runs on a runner 25% slower, so that a few trials show every count.
  const settings: SyntheticSettings = { ...DEFAULT_SYNTHETIC_SETTINGS, trials: 10, durations: [10], histories: [5], runNoises: [0.03], sizes: [0, 2], slowRunners: { share: 0.5, factor: 1.25, probeNoise: 0.03 } };
  const results = runSyntheticExperiment(settings);

  it('counts the slow current runs, the flag, what the gate held back and left out, the gate without probes and the oracle in every cell', () => {
    for (const cell of results) {
      const counts = cell.slowRunners!;
      expect(counts.slowCurrent).toBeGreaterThan(0);
      expect(counts.slowCurrent).toBeLessThan(cell.trials);
      // The probe shows a runner 25% slower at 3% noise: the flag marks slow current runs, and only those.
      expect(counts.flagged).toBeGreaterThan(0);
      expect(counts.flagged).toBeLessThanOrEqual(counts.slowCurrent);
      expect(counts.failsFlagged).toBeLessThanOrEqual(Math.min(counts.flagged, cell.fails.gate));
      expect(counts.failsSlowCurrent).toBeLessThanOrEqual(Math.min(counts.slowCurrent, cell.fails.gate));
      expect(counts.flaggedOrdinary).toBe(0);
      expect(counts.oracle).toBeLessThanOrEqual(cell.trials);
      expect(counts.held).toBeLessThanOrEqual(counts.flagged);
      // The gate uses the flag: a flagged current run is never failed on its p95 (the synthetic runs raise no errors).
      expect(counts.failsFlagged).toBe(0);
      expect(counts.withoutProbes).toBeLessThanOrEqual(cell.trials);
      // Half the baseline runs slow: the median sits between the two kinds and few are flagged, none of them ordinary.
      expect(counts.leftOutOrdinary).toBe(0);
      expect(counts.leftOut).toBeLessThanOrEqual(cell.trials * cell.historyRuns);
    }
    expect(results.find((c) => c.size === 2)!.slowRunners!.held).toBeGreaterThan(0);
    expect(runSyntheticExperiment(settings)).toEqual(results);
  });

  it('draws the same runs whatever the probes’ noise: the probes draw from a stream of their own, and only the gate that reads them moves', () => {
    const noisyProbes = runSyntheticExperiment({ ...settings, slowRunners: { share: 0.5, factor: 1.25, probeNoise: 0.2 } });
    expect(noisyProbes.map((c) => [c.slowRunners!.withoutProbes, c.slowRunners!.oracle, c.slowRunners!.slowCurrent])).toEqual(
      results.map((c) => [c.slowRunners!.withoutProbes, c.slowRunners!.oracle, c.slowRunners!.slowCurrent]),
    );
  });

  it('measures the gate itself: with exact probes it flags every slow current run and fails none, where the records without probes fail some', () => {
    const exact = runSyntheticExperiment({ ...settings, trials: 30, sizes: [0], slowRunners: { share: 0.3, factor: 1.25, probeNoise: 0 } });
    const counts = exact[0]!.slowRunners!;
    expect(counts.slowCurrent).toBeGreaterThanOrEqual(3);
    expect(counts.flagged).toBe(counts.slowCurrent);
    expect(counts.held).toBeGreaterThan(0);
    expect(counts.failsSlowCurrent).toBe(0);
    expect(counts.leftOut).toBeGreaterThan(0);
    expect(counts.leftOutOrdinary).toBe(0);
    expect(counts.withoutProbes).toBeGreaterThan(exact[0]!.fails.gate);
  });

  it('prints a table of them', () => {
    const text = formatSyntheticResults(results, settings);
    expect(text).toMatch(/^Slow runners: 50% of runs 25% slower, each run's probe with 3% noise/m);
    expect(text.split('\n').filter((line) => line.startsWith('| 10 s | 5 | 3% |'))).toHaveLength(2 + 2);
  });

  it('prints the bound no gate without a fingerprint passes, from the noise of the trials without a slow run', () => {
    const few = { ...settings, trials: 6, sizes: [2], slowRunners: { share: 0.1, factor: 1.25, probeNoise: 0.03 } };
    const cells = runSyntheticExperiment(few);
    const sigmas = cells[0]!.slowRunners!.runSigmas;
    expect(sigmas.length).toBeGreaterThan(0);
    const line = formatSyntheticResults(cells, few).split('\n').find((l) => l.startsWith('The bound without a fingerprint'));
    const match = /10 s, 5 baseline runs \(a run's noise ([\d.]+)%\): at most ([\d.]+)% \(without slow runners ([\d.]+)%\)/.exec(line ?? '');
    expect(match).not.toBeNull();
    // One unchanged run in ten sits 25% up: the cut cannot go below it, so 20% is caught far less often.
    expect(Number(match![2])).toBeLessThan(Number(match![3]));
  });

  it('has no slow-runner counts without slow runners', () => {
    const plain = runSyntheticExperiment({ ...settings, trials: 2, slowRunners: undefined });
    expect(plain.every((c) => c.slowRunners === undefined)).toBe(true);
    expect(formatSyntheticResults(plain, { ...settings, slowRunners: undefined })).not.toMatch(/Slow runners/);
  });
});

describe('tailgate calibrate --synthetic --slow-runners --probe-noise', () => {
  it('prints the slow-runner table', async () => {
    const io = captureIo();
    await main(['calibrate', '--synthetic', '--durations', '10', '--histories', '3', '--noises', '3%', '--slow-runners', '40%:25%', '--probe-noise', '2%', '--trials', '3', '--seed', '5'], io);
    expect(io.out()).toMatch(/Slow runners: 40% of runs 25% slower, each run's probe with 2% noise of its own/);
  }, 60_000);

  it.each([
    [['--slow-runners', '10%:25%', '--probe-noise', '3'], /--probe-noise must be a percentage from 0% to 50%/],
    [['--probe-noise', '3%'], /--probe-noise goes with --slow-runners/],
  ])('refuses %j', async (flags, message) => {
    const io = captureIo();
    const code = await main(['calibrate', '--synthetic', '--trials', '1', ...flags], io);
    expect(code).not.toBe(0);
    expect(io.err() + io.log.join('\n')).toMatch(message);
  });
});
