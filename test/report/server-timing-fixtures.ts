import { compareRuns } from '../../src/compare/compare-runs.js';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { createHistogram, encodeHistogram, mergeHistograms, recordMicros, type Histogram } from '../../src/record/histogram.js';
import type { RunRecord, ServerTimingComponent } from '../../src/record/run-record-types.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, syntheticRun } from '../../src/validate/synthetic-runs.js';

/**
 * Records whose steps carry `Server-Timing` components of known durations, for the reports'
 * tests. `durations(block)` gives a component's `dur` values (ms) in one block; every value is
 * recorded as the engine records it (µs, one histogram per block, adding up to the whole).
 */
export type BlockDurations = (block: number) => readonly number[];

export function withServerTiming(record: RunRecord, step: string, components: Record<string, BlockDurations>, issues: { malformed?: number; dropped?: number } = {}): RunRecord {
  const target = record.steps[step];
  if (target === undefined) throw new Error(`no step ${step} in the record`);
  const built = Object.entries(components).map(([name, durations]): [string, ServerTimingComponent] => {
    const blocks: Histogram[] = record.blocks.map((_, i) => {
      const h = createHistogram();
      for (const ms of durations(i)) recordMicros(h, ms * 1000);
      return h;
    });
    const whole = mergeHistograms(blocks);
    return [name, { histogram: encodeHistogram(whole), entries: whole.totalCount, blocks: blocks.map(encodeHistogram) }];
  });
  const serverTiming = { responses: target.requests, malformed: issues.malformed ?? 0, dropped: issues.dropped ?? 0, components: Object.fromEntries(built) };
  return { ...record, steps: { ...record.steps, [step]: { ...target, serverTiming } } };
}

/** `n` copies of `ms`, a block's worth of one duration. */
export const constant =
  (ms: number, n = 20): BlockDurations =>
  () =>
    Array.from({ length: n }, () => ms);

/**
 * Three baseline runs and a current run of 20 one-second blocks, `checkout` twice as slow in the
 * current one (`factor`), a regression; its `db` component at 10 ms in the baseline runs and `dbMs` in the current one
 * (40 ms by default), its `app` component at 5 ms throughout.
 */
export function serverTimingCase(options: { dbMs?: number; factor?: number; names?: { db?: string; app?: string } } = {}): { comparison: Comparison; current: RunRecord; baselines: RunRecord[] } {
  const model = { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 20 };
  const random = seededRandom(11);
  const db = options.names?.db ?? 'db';
  const app = options.names?.app ?? 'app';
  const baselines = Array.from({ length: 3 }, (_, i) => withServerTiming(syntheticRun({ model, random, sequence: i }), 'checkout', { [db]: constant(10), [app]: constant(5) }));
  const current = withServerTiming(syntheticRun({ model, random, sequence: 3, regression: { factor: options.factor ?? 2, steps: ['checkout'] } }), 'checkout', { [db]: constant(options.dbMs ?? 40), [app]: constant(5) }, { malformed: 3 });
  const comparison = compareRuns({ baselines, current, options: {}, thresholds: [] });
  return { comparison, current, baselines };
}
