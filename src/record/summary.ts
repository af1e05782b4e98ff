import type { RunRecord, StepRecord, SummaryMetrics } from './run-record-types.js';
import { decodeHistogram, maxMs, percentileMs } from './histogram.js';

/** Summary numbers for people and scripts, always recomputed from the histograms. */
export function summarizeStep(step: StepRecord, measuredMs: number): SummaryMetrics {
  const histogram = decodeHistogram(step.histogram);
  const round = (ms: number): number => Math.round(ms * 1000) / 1000;
  return {
    requests: step.requests,
    errors: step.errors,
    rps: measuredMs > 0 ? Math.round((step.requests / (measuredMs / 1000)) * 100) / 100 : 0,
    p50: round(percentileMs(histogram, 50)),
    p95: round(percentileMs(histogram, 95)),
    p99: round(percentileMs(histogram, 99)),
    max: round(maxMs(histogram)),
  };
}

export function summarizeRun(record: Omit<RunRecord, 'summary'>): RunRecord['summary'] {
  const measured = record.meta.measuredMs;
  return {
    overall: summarizeStep(record.overall, measured),
    steps: Object.fromEntries(Object.entries(record.steps).map(([name, step]) => [name, summarizeStep(step, measured)])),
  };
}
