import { describe, expect, it } from 'vitest';
import { largestRise, serverTimingBreakdown } from '../../src/compare/server-timing-breakdown.js';
import { readServerTiming } from '../../src/engine/server-timing.js';
import { Recorder } from '../../src/record/recorder.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { serverTimingLines } from '../../src/report/server-timing-lines.js';
import type { StepComparison } from '../../src/compare/comparison-types.js';

/** A run whose step `a` answered each header once per entry of `headers`. */
function run(headers: readonly string[]): RunRecord {
  const recorder = new Recorder(['a'], 0, 1000, false);
  headers.forEach((header, i) => {
    recorder.record(0, i, 1000, 200, undefined);
    readServerTiming(header, recorder.serverTimingOf(0, i) as NonNullable<ReturnType<Recorder['serverTimingOf']>>);
  });
  return { steps: recorder.toRecords(1000).steps } as unknown as RunRecord;
}

const repeat = (header: string, n = 20): string[] => Array.from({ length: n }, () => header);

describe('the Server-Timing breakdown of a step', () => {
  it('sets this run’s p95 of each component against the median of the baseline runs’, the largest move first', () => {
    const baselines = [run(repeat('db;dur=10, app;dur=5, old;dur=1')), run(repeat('db;dur=12, app;dur=5')), run(repeat('db;dur=30, app;dur=5'))];
    const current = run(repeat('db;dur=42, app;dur=4, fresh;dur=3'));
    const breakdown = serverTimingBreakdown('a', current, baselines);
    // Values are the histogram's (3 significant digits): 12 ms is read back as 12.01.
    const near = (v: number | null, digits: number): number | null => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);
    expect(breakdown?.components.map((c) => [c.name, near(c.baselineP95Ms, 1), near(c.currentP95Ms, 1), near(c.changeMs, 1), near(c.changePct, 0), c.baselineRuns])).toEqual([
      ['db', 12, 42, 30, 250, 3],
      ['app', 5, 4, -1, -20, 3],
      ['fresh', null, 3, null, null, 0],
      ['old', 1, null, null, null, 1],
    ]);
    expect(largestRise(breakdown)?.name).toBe('db');
    const lines = serverTimingLines([{ name: 'a', kind: 'step', serverTiming: breakdown } as unknown as StepComparison], (name) => `[${name}]`);
    expect(lines[1]).toBe('  [a]: [db] 12.0 ms → 42.0 ms (+30.0 ms, +250%), [app] 5.0 ms → 4.0 ms (−1.0 ms, −20%), [fresh] – → 3.0 ms (new), [old] 1.0 ms → – (gone)');
  });

  it('names no component when none rose, and gives no breakdown where no run carried the header', () => {
    const breakdown = serverTimingBreakdown('a', run(repeat('db;dur=10')), [run(repeat('db;dur=10'))]);
    expect(breakdown?.components[0]?.changeMs).toBe(0);
    expect(largestRise(breakdown)).toBeUndefined();
    expect(serverTimingBreakdown('a', run([]), [run([])])).toBeUndefined();
    expect(serverTimingBreakdown('toString', run(repeat('db;dur=1')), [])).toBeUndefined();
  });
});
