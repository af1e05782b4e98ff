import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseBaselineFile } from '../../src/baseline/read-baseline-file.js';
import { fixedReadings } from '../../src/engine/self-monitor.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { captureIo } from './cli-io.js';

describe('tailgate demo', () => {
  it('runs the sample service three times as the baseline, then with product detail slower, and prints both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tailgate-demo-'));
    const io = captureIo();
    expect(await main(['demo', '--duration', '4s', '--slowdown', '1', '--out-dir', dir, '--quiet'], io)).toBe(0);
    expect(io.out()).toContain('== baseline (the newest of 3 runs) ==');
    expect(io.out()).toContain('== current (detail 100% slower) ==');
    const read = (name: string) => parseRunRecord(readFileSync(join(dir, name), 'utf8'), name);
    const bundle = parseBaselineFile(readFileSync(join(dir, 'baseline.json'), 'utf8'), 'baseline.json');
    expect(bundle).toHaveLength(3);
    const baseline = bundle[2] as (typeof bundle)[number];
    const current = read('current.json');
    expect(baseline.overall.errors).toBe(0);
    expect(current.overall.errors).toBe(0);
    expect(Object.keys(current.steps)).toEqual(['list', 'detail', 'checkout']);
    expect(current.summary.steps.detail?.p50).toBeGreaterThan(1.5 * (baseline.summary.steps.detail?.p50 ?? Infinity));
    expect(current.summary.steps.list?.p50).toBeLessThan(1.5 * (baseline.summary.steps.list?.p50 ?? 0));
  });

  it('writes no baseline.json when the generator was the bottleneck in every baseline run, and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tailgate-demo-'));
    // A generator whose event loop was blocked for half a second: every run is invalid.
    const io = { ...captureIo(), generatorReadings: () => fixedReadings({ eventLoopDelayP99Ms: 500, eventLoopDelayMaxMs: 500 }) };
    expect(await main(['demo', '--duration', '3s', '--out-dir', dir, '--quiet'], io)).toBe(0);
    expect(existsSync(join(dir, 'baseline.json'))).toBe(false);
    expect(existsSync(join(dir, 'current.json'))).toBe(true);
    expect(io.log.join('\n')).toMatch(/baseline\.json was not written: in every baseline run the load generator was the bottleneck/);
  });

  it('prints its profile', async () => {
    const io = captureIo();
    expect(await main(['demo', '--print-profile'], io)).toBe(0);
    expect(io.out()).toContain('executor: constant-arrival-rate');
  });
});
