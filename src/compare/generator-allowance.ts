/**
 * The generator's allowance on the analysis scale. What a record says its generator could have
 * added is read in `record/generator-allowance.ts`, where the baseline store reads it too.
 */
import type { GeneratorAllowance } from '../record/generator-allowance.js';

/** Past a thousandfold, an allowance says all it can: the interval stays finite for the JSON. */
const MAX_ALLOWANCE = Math.log(1000);

/**
 * The allowance on the analysis scale (log, in the worse direction) for a p95 whose run value is
 * `p95Ms`: how much smaller its log could be without what the generator added (at most a
 * thousandfold, when the addition could be all of it).
 */
export function p95Allowance(addedMs: number, p95Ms: number | null): number {
  if (addedMs <= 0) return 0;
  if (p95Ms === null || !(p95Ms > addedMs)) return MAX_ALLOWANCE;
  return Math.min(MAX_ALLOWANCE, Math.log(p95Ms) - Math.log(p95Ms - addedMs));
}

/** The same for throughput (lower is worse): how much larger its log could be. */
export function throughputAllowance(throughputPct: number): number {
  if (throughputPct <= 0) return 0;
  if (throughputPct >= 100) return MAX_ALLOWANCE;
  return Math.min(MAX_ALLOWANCE, -Math.log1p(-throughputPct / 100));
}

/** Each gated metric's allowance for one run, on the analysis scale (the error rate has none). */
export function metricAllowance(metric: 'p95' | 'throughput' | 'errorRate', allowance: GeneratorAllowance, p95Ms: number | null): number {
  if (metric === 'p95') return p95Allowance(allowance.addedMs, p95Ms);
  if (metric === 'throughput') return throughputAllowance(allowance.throughputPct);
  return 0;
}
