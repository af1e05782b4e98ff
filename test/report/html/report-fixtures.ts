import { compareRuns } from '../../../src/compare/compare-runs.js';
import type { Comparison } from '../../../src/compare/comparison-types.js';
import type { RunRecord } from '../../../src/record/run-record-types.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, syntheticRun } from '../../../src/validate/synthetic-runs.js';

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
  const comparison = compareRuns({ baselines, current, options: {}, thresholds: [] });
  return { comparison, current, baselines };
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
