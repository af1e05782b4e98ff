import type { RunRecord } from '../../src/record/run-record-types.js';
import { syntheticRun, type SyntheticStep } from '../compare/record-builder.js';

/**
 * The comment's layout case, as records: three steps (`list`, `detail`, `checkout`), five
 * default-branch runs with their own run-to-run offsets, and a pull-request run with `checkout`
 * 30% slower. test/compare/fixtures.test.ts writes their comparison to
 * test/report/comparisons/three-steps.json; the layout tests render it with these records.
 */
const STEPS: Record<string, SyntheticStep> = {
  list: { medianMs: 35, requestsPerBlock: 300 },
  detail: { medianMs: 20, requestsPerBlock: 260 },
  checkout: { medianMs: 120, requestsPerBlock: 220 },
};

const scaled = (scales: Record<string, number>): Record<string, SyntheticStep> =>
  Object.fromEntries(Object.entries(STEPS).map(([name, step]) => [name, { ...step, scale: scales[name] ?? 1 }]));

export function threeStepRecords(): { baselines: RunRecord[]; current: RunRecord } {
  const baselines = [1, 1.02, 0.98, 1.01, 0.99].map((offset, i) =>
    syntheticRun(1100 + i, scaled({ list: offset, detail: offset, checkout: offset }), { sequence: i, commit: `${i}b1c2d3e4f5a6b7c8d9e0`, runId: `9200${i}` }),
  );
  const current = syntheticRun(2100, scaled({ checkout: 1.3 }), { sequence: 24, commit: 'f00dfacecafebeef0123', runId: '9100' });
  return { baselines, current };
}
