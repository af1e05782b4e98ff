import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from './cli-io.js';

describe('tailgate calibrate --synthetic --paired', () => {
  it('prints the paired grid with intervals beside the stored-baseline gate, the targets, and writes the JSON', async () => {
    const io = captureIo();
    const json = join(mkdtempSync(join(tmpdir(), 'tailgate-calibrate-paired-')), 'grid.json');
    const code = await main(['calibrate', '--synthetic', '--paired', '--trials', '3', '--durations', '30s', '--noises', '8%', '--history', '2', '--pair-block', '2s', '--pair-settle', '1s', '--json', json], io);
    expect([0, 1]).toContain(code);
    const out = io.out();
    expect(out).toContain('Paired blocks in ABBA order, a settle after each switch of target');
    expect(out).toContain('| run | block pairs | run-level offset | paired (95% CI) | paired inconclusive | tail of blocks found (95% CI) | stored, 2 baseline runs (95% CI) | stored inconclusive | stored tail of blocks found (95% CI) |');
    // 30 s in 2 s blocks, the 1 s settle after each switch only: 2 + 2, then 1 + 2 per pair: 19 blocks, 9 whole pairs.
    expect(out).toMatch(/\| 30 s \| 9 × 2 s \(1 s settle\) \| 8% \|/);
    expect(out).toMatch(/^(met|NOT met): unchanged heads fail at most α = 0\.05 in every cell\. worst .*95% CI/m);
    const written = JSON.parse(readFileSync(json, 'utf8')) as { settings: { pairing: { blockMs: number } }; results: { trials: number; blockMs: number }[] };
    expect(written.settings.pairing.blockMs).toBe(2000);
    expect(written.results.every((r) => r.blockMs === 2000)).toBe(true);
    expect(written.results).toHaveLength(4);
    expect(written.results.every((r) => r.trials === 3)).toBe(true);
  });

  it('refuses a bad pairing flag with exit 2 and the fix', async () => {
    const io = captureIo();
    expect(await main(['calibrate', '--synthetic', '--paired', '--pair-order', 'zigzag'], io)).toBe(2);
    expect(io.err() + io.log.join('\n')).toMatch(/--pair-order must be abba or random/);
  });
});
