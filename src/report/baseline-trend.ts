import type { Comparison, RunRef } from '../compare/comparison-types.js';
import { decodeCounts, percentileOfCounts } from '../record/latency-counts.js';
import type { RunRecord, StepRecord } from '../record/run-record-types.js';
import { formatMs } from './number-format.js';
import { sharedScale, sparkline } from './sparkline.js';

/** The run records behind a stored-baseline comparison: the run judged and the baseline runs read. */
export interface ComparedRecords {
  current: RunRecord;
  /** Any order; only those the comparison used are shown. */
  baselines: readonly RunRecord[];
}

/** p95 of all steps in each baseline run the comparison used, oldest first, and in this run. */
export interface P95Trend {
  baselineMs: Array<number | null>;
  currentMs: number | null;
}

export function p95Trend(comparison: Comparison, records: ComparedRecords): P95Trend | undefined {
  if (comparison.pairing !== undefined || comparison.history.used.length === 0) return undefined;
  const used = [...records.baselines]
    .filter((record) => comparison.history.used.some((ref) => sameRun(ref, record)))
    .sort((a, b) => Date.parse(a.meta.startedAt) - Date.parse(b.meta.startedAt));
  if (used.length === 0) return undefined;
  return { baselineMs: used.map((record) => wholeRunP95(record.overall)), currentMs: wholeRunP95(records.current.overall) };
}

/**
 * One line: the baseline runs' p95 as a sparkline, then this run's on the same scale, so a slow
 * drift on the default branch shows beside this run's jump. Empty when there is no trend.
 */
export function renderTrendLine(trend: P95Trend | undefined): string {
  if (trend === undefined) return '';
  const scale = sharedScale([trend.baselineMs, [trend.currentMs]]);
  if (scale === null) return '';
  const runs = trend.baselineMs.length;
  const spark = `<code>${sparkline(trend.baselineMs, scale)} ${sparkline([trend.currentMs], scale)}</code>`;
  return `p95 of all steps in the ${runs} baseline run${runs === 1 ? '' : 's'} (oldest first), then this run: ${spark} (▁ ${formatMs(scale.min)} … █ ${formatMs(scale.max)})`;
}

function sameRun(ref: RunRef, record: RunRecord): boolean {
  return ref.startedAt === record.meta.startedAt && ref.runId === record.meta.runId && ref.commit === record.meta.commit;
}

function wholeRunP95(step: StepRecord): number | null {
  const counts = decodeCounts(step.histogram);
  return counts.total === 0 ? null : percentileOfCounts(counts, 95);
}
