import { decodeHistogram, percentileMs } from '../record/histogram.js';
import type { RunRecord, StepRecord } from '../record/run-record-types.js';

/** One block of one step, decoded once: what the estimators need and nothing more. */
export interface BlockMeasurement {
  seconds: number;
  requests: number;
  errors: number;
  /** Requests with a latency (refused or reset requests have none). */
  latencies: number;
  /** p95 of the block's latencies; null when the block had none. */
  p95Ms: number | null;
}

/** A step (or overall) of one run, decoded from its histograms. */
export interface StepMeasurement {
  requests: number;
  errors: number;
  measuredSeconds: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  blocks: BlockMeasurement[];
}

export function measureStep(run: RunRecord, step: StepRecord): StepMeasurement {
  const whole = decodeHistogram(step.histogram);
  const hasLatencies = whole.totalCount > 0;
  const blockCount = Math.min(step.blocks.length, run.blocks.length);
  const blocks: BlockMeasurement[] = [];
  for (let i = 0; i < blockCount; i++) {
    const block = step.blocks[i];
    const window = run.blocks[i];
    if (block === undefined || window === undefined) continue;
    const histogram = decodeHistogram(block.histogram);
    blocks.push({
      seconds: Math.max(0, (window.endMs - window.startMs) / 1000),
      requests: block.requests,
      errors: block.errors,
      latencies: histogram.totalCount,
      p95Ms: histogram.totalCount > 0 ? percentileMs(histogram, 95) : null,
    });
  }
  return {
    requests: step.requests,
    errors: step.errors,
    measuredSeconds: run.meta.measuredMs / 1000,
    p50Ms: hasLatencies ? percentileMs(whole, 50) : null,
    p95Ms: hasLatencies ? percentileMs(whole, 95) : null,
    p99Ms: hasLatencies ? percentileMs(whole, 99) : null,
    blocks,
  };
}

/** The block p95s trusted for inference and charts: null where the block had too few latencies. */
export function usableBlockP95s(measurement: StepMeasurement, minBlockRequests: number): Array<number | null> {
  return measurement.blocks.map((block) => (block.latencies >= minBlockRequests && block.p95Ms !== null && block.p95Ms > 0 ? block.p95Ms : null));
}
