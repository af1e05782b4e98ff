import type { RunRecord, StepRecord, SummaryMetrics } from './run-record-types.js';
import { decodeCounts, maxOfCounts, percentileOfCounts } from './latency-counts.js';

/** Summary numbers for people and scripts, always recomputed from the histograms. */
export function summarizeStep(step: StepRecord, measuredMs: number): SummaryMetrics {
  const histogram = decodeCounts(step.histogram);
  const round = (ms: number): number => Math.round(ms * 1000) / 1000;
  return {
    requests: step.requests,
    errors: step.errors,
    rps: measuredMs > 0 ? Math.round((step.requests / (measuredMs / 1000)) * 100) / 100 : 0,
    p50: round(percentileOfCounts(histogram, 50)),
    p95: round(percentileOfCounts(histogram, 95)),
    p99: round(percentileOfCounts(histogram, 99)),
    max: round(maxOfCounts(histogram)),
  };
}

export function summarizeRun(record: Omit<RunRecord, 'summary'>): RunRecord['summary'] {
  const measured = record.meta.measuredMs;
  return {
    overall: summarizeStep(record.overall, measured),
    steps: Object.fromEntries(Object.entries(record.steps).map(([name, step]) => [name, summarizeStep(step, measured)])),
  };
}
