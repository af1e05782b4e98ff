import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fixedReadings } from '../../src/engine/self-monitor.js';
import type { ResultRow, Trial } from '../../src/validate/gate-experiment.js';
import { captureIo } from '../cli/cli-io.js';

interface Written {
  settings: { thresholdPct: number; alpha: number };
  runs: number;
  duration: string;
  sizes: number[];
  drift: { seed: number; swing: number; periodMs: number; secondSigma: number; runSigma: number; runSegmentMs: number };
  rows: ResultRow[];
  trials: Trial[];
}

/**
 * `tailgate calibrate --paired` where no latency is judged: a generator read as blocked, the
 * stored-baseline table's structure beside the paired one, and bad settings (the paired run whose
 * estimate is judged is paired-loopback-calibration.load.test.ts).
 */
describe('tailgate calibrate --paired (structure, on loopback)', () => {
  it("reports the runs the generator's self-check refused as such, not as comparisons", async () => {
    // A generator whose event loop was blocked for half a second: every run is refused.
    const io = { ...captureIo(), generatorReadings: () => fixedReadings({ eventLoopDelayP99Ms: 500, eventLoopDelayMaxMs: 500 }) };
    const json = join(mkdtempSync(join(tmpdir(), 'tailgate-calibrate-paired-load-')), 'paired.json');
    expect(await main(['calibrate', '--paired', '--runs', '1', '--duration', '4s', '--sizes', '0', '--json', json], io)).toBe(1);
    expect(io.out()).toMatch(/^\| none \(A\/A\) \| 0 \| none judged \| 0 \| – \| [^|]+ \| 1 \|$/m);
    expect(io.log.join('\n')).toMatch(/1\/1 runs \(round 1 of 1\); so far A\/A 0\/0 \(1 refused\)/);
    expect(io.log.join('\n')).toContain("every run of A/A was refused by the generator's self-check: nothing was judged");
    const written = JSON.parse(readFileSync(json, 'utf8')) as Written;
    expect(written.trials).toEqual([expect.objectContaining({ size: 0, refused: true, gateVerdict: 'inconclusive' })]);
  }, 60_000);

  it('with --stored, measures stored-baseline mode on the same services beside it: history first, then its own table and JSON', async () => {
    const io = captureIo();
    const json = join(mkdtempSync(join(tmpdir(), 'tailgate-calibrate-paired-load-')), 'paired.json');
    const code = await main(['calibrate', '--paired', '--runs', '1', '--duration', '4s', '--sizes', '0', '--stored', '1', '--stored-sizes', '0,3', '--run-level', '8%', '--json', json], io);
    expect([0, 1]).toContain(code);
    const log = io.log.join('\n');
    expect(log).toMatch(/calibrate --paired: 1 paired runs and 3 stored-baseline runs of about 4 s each/);
    expect(log).toContain('a level each second of σ 5%, a level held for each 90 s of σ 8%, seed 1)');
    expect(log).toContain('calibrate --paired: 1/4 runs (stored baseline history)');
    expect(log).toMatch(/calibrate --paired: 4\/4 runs \(round 1 of 1\); so far A\/A [01]\/[01][^;]*; stored A\/A [01]\/[01][^,]*, 3x [01]\/[01]/);
    const out = io.out();
    expect(out).toContain('Stored-baseline mode on the same services and noise: runs of the head alone, each judged against the 1 unchanged runs before it.');
    // Two tables: paired first, stored after, each with the A/A row.
    expect(out.match(/^\| none \(A\/A\) \|/gm)).toHaveLength(2);
    expect(out.indexOf('Stored-baseline mode')).toBeGreaterThan(out.indexOf('paired runs of 4s'));
    const written = JSON.parse(readFileSync(json, 'utf8')) as Written & { stored: { history: number; sizes: number[] }; storedRows: ResultRow[]; storedTrials: Trial[]; partial?: string };
    expect(written.stored).toEqual({ history: 1, sizes: [0, 3] });
    expect(written.drift).toMatchObject({ runSigma: 0.08, runSegmentMs: 90_000 });
    expect(written.partial).toBeUndefined();
    expect(written.storedTrials.map((t) => t.size).sort()).toEqual([0, 3]);
    expect(written.storedRows.map((r) => r.size)).toEqual([0, 3]);
    for (const trial of written.storedTrials) expect(typeof trial.refused).toBe('boolean');
    expect(written.trials.map((t) => t.size)).toEqual([0]);
  }, 120_000);

  it('refuses --stored-sizes without --stored, before any load', async () => {
    const io = captureIo();
    expect(await main(['calibrate', '--paired', '--stored-sizes', '0,2'], io)).toBe(2);
    expect(io.err() + io.log.join('\n')).toContain('--stored-sizes needs --stored N');
  });

  it('refuses bad settings with exit 2 and the fix', async () => {
    const io = captureIo();
    expect(await main(['calibrate', '--paired', '--sizes', '0,x'], io)).toBe(2);
    expect(io.err() + io.log.join('\n')).toMatch(/--sizes must be a comma-separated list of values from 0 to 10/);
    for (const bad of ['8', '60%', '-1%']) {
      const next = captureIo();
      expect(await main(['calibrate', '--paired', `--run-level=${bad}`], next)).toBe(2);
      expect(next.err() + next.log.join('\n')).toContain(`--run-level must be a percentage from 0% to 50%: the σ of a level both services hold for each 90 s (got "${bad}")`);
    }
  });
});
