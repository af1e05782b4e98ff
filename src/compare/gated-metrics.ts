import type { GatedMetric, MetricComparison } from './comparison-types.js';
import type { ResolvedCompareOptions } from './compare-options.js';
import { errorRateEstimate, p95Estimate, throughputEstimate, type BlockLimits, type EstimateResult } from './run-estimates.js';
import type { NoisePrior } from './shift-estimate.js';
import type { GroupedBlock, StepMeasurement } from './step-measurement.js';

/**
 * What each gated metric is, in one table: how to estimate it from a run, which way is worse,
 * its analysis scale (log for ratios, absolute for the error rate) and its allowed change.
 */
export interface GatedMetricSpec {
  metric: GatedMetric;
  worseSign: 1 | -1;
  scale: 'log' | 'absolute';
  unit: MetricComparison['unit'];
  changeUnit: MetricComparison['changeUnit'];
  /** `calmGroups`: the analysis blocks without the seconds of the run's bursts (see `bursts.ts`). */
  estimate(measurement: StepMeasurement, groups: readonly GroupedBlock[], limits: BlockLimits, calmGroups?: readonly GroupedBlock[]): EstimateResult;
  /** The run's value in `unit`, or null when undefined (no latencies, no requests). */
  value(measurement: StepMeasurement): number | null;
  /** The allowed worsening T > 0 on the analysis scale. */
  allowed(options: ResolvedCompareOptions): number;
  /** The same, signed, in `changeUnit` (p95 +10, throughput −10, errors +1). */
  allowedChange(options: ResolvedCompareOptions): number;
  /** The run-to-run noise assumed before the history measures it (see `shift-estimate.ts`). */
  prior(options: ResolvedCompareOptions): NoisePrior;
}

const logPrior = (options: ResolvedCompareOptions): NoisePrior => ({ sd: Math.log1p(Math.max(options.noiseFloorPct, 0.1) / 100) });

export const GATED_METRICS: readonly GatedMetricSpec[] = [
  {
    metric: 'p95',
    worseSign: 1,
    scale: 'log',
    unit: 'ms',
    changeUnit: '%',
    estimate: p95Estimate,
    value: (m) => m.p95Ms,
    allowed: (o) => Math.log1p(o.p95Pct / 100),
    allowedChange: (o) => o.p95Pct,
    prior: logPrior,
  },
  {
    metric: 'throughput',
    worseSign: -1,
    scale: 'log',
    unit: 'req/s',
    changeUnit: '%',
    estimate: throughputEstimate,
    value: (m) => (m.measuredSeconds > 0 ? m.requests / m.measuredSeconds : null),
    allowed: (o) => -Math.log1p(-o.throughputPct / 100),
    allowedChange: (o) => -o.throughputPct,
    prior: logPrior,
  },
  {
    metric: 'errorRate',
    worseSign: 1,
    scale: 'absolute',
    unit: 'ratio',
    changeUnit: 'pp',
    estimate: errorRateEstimate,
    value: (m) => (m.requests > 0 ? m.errors / m.requests : null),
    allowed: (o) => o.errorRateIncrease,
    allowedChange: (o) => o.errorRateIncrease * 100,
    // Error rates vary little from run to run when nothing changed: a tenth of a point is assumed.
    prior: () => ({ sd: 0.001 }),
  },
];

/** A difference on the analysis scale as a change in `changeUnit`. */
export function toChange(spec: Pick<GatedMetricSpec, 'scale'>, difference: number): number {
  return spec.scale === 'log' ? 100 * Math.expm1(difference) : 100 * difference;
}

/** Baseline value in `unit` from per-run values: geometric mean on the log scale, else arithmetic. */
export function centre(spec: Pick<GatedMetricSpec, 'scale'>, values: readonly number[]): number | null {
  if (values.length === 0) return null;
  if (spec.scale === 'log') {
    const positive = values.filter((v) => v > 0);
    if (positive.length === 0) return null;
    return Math.exp(positive.reduce((sum, v) => sum + Math.log(v), 0) / positive.length);
  }
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
