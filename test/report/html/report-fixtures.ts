import { comparePaired } from '../../../src/compare/compare-paired.js';
import { compareRuns } from '../../../src/compare/compare-runs.js';
import type { Comparison } from '../../../src/compare/comparison-types.js';
import { loadShapeSlices, warmupSliceCount } from '../../../src/record/load-shape-slices.js';
import type { PairedRecord } from '../../../src/record/paired-record-types.js';
import type { RunRecord } from '../../../src/record/run-record-types.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, syntheticRun } from '../../../src/validate/synthetic-runs.js';
import { syntheticPaired } from '../../helpers/synthetic-paired.js';

/**
 * The report's size case: 3 steps, 60 s of 1 s blocks, 10 baseline runs and a current run whose
 * checkout step is 30% slower, from the seeded synthetic model (so every page is the same).
 */
export interface ReportCase {
  comparison: Comparison;
  current: RunRecord;
  baselines: RunRecord[];
}

export function regressionCase(options: { seed?: number; baselineRuns?: number; warmupMs?: number } = {}): ReportCase {
  const model = { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 60 };
  const random = seededRandom(options.seed ?? 7);
  const runs = options.baselineRuns ?? 10;
  const baselines = Array.from({ length: runs }, (_, i) => syntheticRun({ model, random, sequence: i }));
  const current = syntheticRun({ model, random, sequence: runs, regression: { factor: 1.3, steps: ['checkout'] } });
  // A warm-up before the measured period, as a profile's `warmup` leaves: blocks stay offsets from its end.
  if (options.warmupMs !== undefined) for (const run of [...baselines, current]) run.meta = { ...run.meta, warmupMs: options.warmupMs };
  for (const [i, run] of [...baselines, current].entries()) run.loadShape = syntheticLoadShape(run, i);
  const comparison = compareRuns({ baselines, current, options: {}, thresholds: [] });
  return { comparison, current, baselines };
}

/**
 * The shape an arrival-rate scenario at the record's rate leaves: its iterations due per slice
 * (the warm-up's too), a few dropped now and then, and the VUs they kept busy.
 */
export function syntheticLoadShape(record: RunRecord, seed: number): NonNullable<RunRecord['loadShape']> {
  const { warmupMs, blockMs, measuredMs } = record.meta;
  const rate = record.scenarios.load?.intendedRate ?? 100;
  const slices = loadShapeSlices(warmupMs, blockMs, record.blocks);
  const random = seededRandom(1000 + seed);
  const due = slices.map((w) => Math.round((rate * (w.endMs - w.startMs)) / 1000));
  const dropped = due.map((n) => (random.next() < 0.1 ? Math.round(n * 0.05 * random.next()) : 0));
  const vus = due.map((n, i) => Math.round(((n - (dropped[i] as number)) / Math.max(1, blockMs / 1000)) * 0.05 * (1 + 0.2 * random.next()) * 100) / 100);
  return {
    warmupSlices: warmupSliceCount(warmupMs, blockMs),
    scenarios: { load: { planned: [{ atMs: 0, target: rate }, { atMs: warmupMs + measuredMs, target: rate }], vus, due, dropped } },
  };
}

/** A paired run of 24 blocks of 2 s (1 s settle, 1 s measured) whose head is 30% slower, and its comparison. */
export function pairedCase(): { paired: PairedRecord; comparison: Comparison } {
  const built = syntheticPaired({ seed: 5, headScale: 1.3 });
  const paired: PairedRecord = { ...built, meta: { pairing: { ...built.meta.pairing, blockMs: 2000, settleMs: 1000 } } };
  return { paired, comparison: comparePaired({ paired }) };
}

/** A record whose step and profile names try to break out of HTML, and a comparison of it. */
export function hostileCase(): ReportCase {
  const hostile = '<img src=x onerror=alert(1)>"\'&</script><script>alert(2)</script>';
  const rename = (record: RunRecord): RunRecord => {
    const steps = { ...record.steps };
    steps[hostile] = steps.checkout as RunRecord['steps'][string];
    delete steps.checkout;
    const summarySteps = { ...record.summary.steps };
    summarySteps[hostile] = summarySteps.checkout as RunRecord['summary']['steps'][string];
    delete summarySteps.checkout;
    return {
      ...record,
      meta: { ...record.meta, profile: { ...record.meta.profile, id: `shop${hostile}` }, commit: `abc<b>x</b>${hostile}`, target: `http://x/${hostile}` },
      scenarios: { [hostile]: record.scenarios.load as RunRecord['scenarios'][string] },
      generator: { ...record.generator, reasons: [hostile] },
      steps,
      summary: { ...record.summary, steps: summarySteps },
    };
  };
  const base = regressionCase({ baselineRuns: 3 });
  const baselines = base.baselines.map(rename);
  const current = rename(base.current);
  const comparison = compareRuns({ baselines, current, options: {}, thresholds: [] });
  return { comparison: { ...comparison, notes: [...comparison.notes, `note ${hostile}`] }, current, baselines };
}
