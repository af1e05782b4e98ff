import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fixedReadings } from '../../src/engine/self-monitor.js';
import { captureIo } from './cli-io.js';

/** The demo where no latency is judged: a generator read as blocked, and the profile it prints (the real run is demo.load.test.ts). */
describe('tailgate demo', () => {
  it('writes no baseline.json when the generator was the bottleneck in every baseline run, and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tailgate-demo-'));
    // A generator whose event loop was blocked for half a second: every run is invalid.
    const io = { ...captureIo(), generatorReadings: () => fixedReadings({ eventLoopDelayP99Ms: 500, eventLoopDelayMaxMs: 500 }) };
    expect(await main(['demo', '--duration', '3s', '--out-dir', dir, '--quiet'], io)).toBe(0);
    expect(existsSync(join(dir, 'baseline.json'))).toBe(false);
    expect(existsSync(join(dir, 'current.json'))).toBe(true);
    expect(io.log.join('\n')).toMatch(/baseline\.json was not written: in every baseline run the load generator was the bottleneck/);
    // The sample service's /metrics was scraped beside the load: its CPU counter and memory are in the record.
    const current = JSON.parse(readFileSync(join(dir, 'current.json'), 'utf8')) as { targetMetrics?: { failed: number; series: Record<string, unknown> } };
    expect(current.targetMetrics?.failed).toBe(0);
    expect(Object.keys(current.targetMetrics?.series ?? {})).toEqual(['process_cpu_seconds_total', 'process_resident_memory_bytes']);
  });

  it('prints its profile', async () => {
    const io = captureIo();
    expect(await main(['demo', '--print-profile'], io)).toBe(0);
    expect(io.out()).toContain('executor: constant-arrival-rate');
  });
});
