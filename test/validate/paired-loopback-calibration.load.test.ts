import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
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
 * `tailgate calibrate --paired` for real, as small as it can be judged: one round of 12 s paired
 * runs (10 s measured, 6 block pairs) of an unchanged head and one 3× the threshold slower, on
 * two loopback copies of the sample service drifting together. What a busy machine cannot move
 * is checked (the structure, and that the slowed head is estimated slower), not a verdict.
 */
describe('tailgate calibrate --paired (real load on loopback)', () => {
  it('runs A/A and a slowed head paired, prints the table with refusals apart, writes the JSON; the slowed head is estimated slower than its base', async () => {
    const io = captureIo();
    const json = join(mkdtempSync(join(tmpdir(), 'tailgate-calibrate-paired-load-')), 'paired.json');
    const code = await main(['calibrate', '--paired', '--runs', '1', '--duration', '12s', '--sizes', '0,3', '--seed', '7', '--json', json], io);
    expect([0, 1]).toContain(code);
    const log = io.log.join('\n');
    expect(log).toMatch(/calibrate --paired: 2 paired runs of about 12 s each, about 1 min in all; two copies of the sample service drifting together \(a swing of ±10% over 40 s and a level each second of σ 5%, seed 7\)/);
    expect(log).toMatch(/calibrate --paired: 1\/2 runs \(round 1 of 1\); so far /);
    expect(log).toMatch(/calibrate --paired: 2\/2 runs \(round 1 of 1\); so far A\/A [01]\/1, 3x [01]\/1/);
    const out = io.out();
    expect(out).toContain('| injected p95 change | comparisons | gate fails (95% CI) | of which inconclusive | bare ratio rule fails | median estimated p95 change | refused by the self-check | median wall time |');
    // Each paired run timed on the clock: a sequential one may stop before its 12 s.
    expect(out).toMatch(/^\| none \(A\/A\) \| 1 \| [01] = \d+% \(\d+(\.\d)?% – \d+(\.\d)?%\) \| [01] \| [01] = \d+% \| [+-]\d+\.\d% \| 0 \| \d+\.\d s \|$/m);
    expect(out).toMatch(/^\| \+30% \(3× threshold\) \| 1 \| /m);
    expect(out).toContain('paired runs of 12s (2s warm-up)');

    const written = JSON.parse(readFileSync(json, 'utf8')) as Written;
    expect(written).toMatchObject({ settings: { thresholdPct: 10, alpha: 0.05 }, runs: 1, duration: '12s', sizes: [0, 3], drift: { seed: 7, swing: 0.1, periodMs: 40_000, secondSigma: 0.05 } });
    expect(written.rows.map((r) => [r.size, r.trials, r.refused])).toEqual([
      [0, 1, 0],
      [3, 1, 0],
    ]);
    expect(written.trials.map((t) => t.size)).toEqual([0, 3]);
    const [aa, slowed] = written.trials;
    expect(typeof aa?.p95Change).toBe('number');
    expect(typeof slowed?.p95Change).toBe('number');
    // 30% slower service times: the estimate's sign against the base beside it, not a verdict,
    // nor a comparison with the A/A run's estimate (two runs apart, which a busy machine moves).
    expect(slowed?.p95Change as number).toBeGreaterThan(0);
  }, 120_000);
});
