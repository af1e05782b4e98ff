import type { Comparison } from '../compare/comparison-types.js';
import type { RunRecord } from '../record/run-record-types.js';
import { headlineP95 } from '../report/pairing-line.js';

/** The step outputs action.yml promises, as strings ("" when there is nothing to say). */
export interface StepOutputs {
  verdict: string;
  'p95-ms': string;
  'baseline-p95-ms': string;
  'p95-change-pct': string;
  'throughput-rps': string;
  'throughput-change-pct': string;
  /** Paired mode: the base target, and how many block pairs were measured. */
  'paired-with': string;
  'block-pairs': string;
  'detectable-p95-change-pct': string;
  /** How long the run loaded, seconds, warm-up included (a paired run: until it was decided). */
  'measured-seconds': string;
}

/** The headline numbers: overall p95 and throughput, this run against the baseline. */
export function stepOutputs(run: RunRecord, comparison: Comparison | undefined, verdict: string): StepOutputs {
  const overall = comparison?.steps.find((s) => s.kind === 'overall');
  const text = (value: number | null | undefined, digits: number): string => (value === null || value === undefined ? '' : value.toFixed(digits));
  return {
    verdict,
    'p95-ms': text(run.summary.overall.p95, 3),
    'baseline-p95-ms': text(overall?.p95.baseline, 3),
    'p95-change-pct': text(overall?.p95.change, 2),
    'throughput-rps': text(run.summary.overall.rps, 2),
    'throughput-change-pct': text(overall?.throughput.change, 2),
    'paired-with': comparison?.pairing?.baselineTarget ?? '',
    'block-pairs': comparison?.pairing ? String(comparison.pairing.pairs) : '',
    'detectable-p95-change-pct': comparison ? text(headlineP95(comparison)?.minimumDetectableChange, 1) : '',
    'measured-seconds': text((run.meta.warmupMs + run.meta.measuredMs) / 1000, 1),
  };
}
