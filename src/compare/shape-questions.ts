import type { ResolvedCompareOptions } from './compare-options.js';

/**
 * What each question of a run's shape tests, the same against stored baseline runs
 * (`shape-tests.ts`) and against the base of a paired run (`paired-shape.ts`): its name and
 * units, which direction is worse, and the allowance on the analysis scale (log) and as shown.
 */

/** The sustainable rate: lower is worse, by more than `regression.capacity`. */
export function capacityQuestion(options: ResolvedCompareOptions) {
  return {
    question: 'capacity' as const,
    name: 'capacity',
    worseSign: -1 as const,
    unit: 'req/s' as const,
    changeUnit: '%' as const,
    gated: true,
    allowed: -Math.log1p(-options.capacityPct / 100),
    allowedChange: -options.capacityPct,
  };
}

/** The time to recover from surge `index` (0-based): longer is worse, by more than `regression.recovery`. */
export function recoveryQuestion(options: ResolvedCompareOptions, index: number) {
  return {
    question: 'recovery' as const,
    name: `recovery from surge ${index + 1}`,
    worseSign: 1 as const,
    unit: 's' as const,
    changeUnit: '%' as const,
    gated: true,
    allowed: Math.log1p(options.recoveryPct / 100),
    allowedChange: options.recoveryPct,
  };
}

/** The slow burn, p95's growth a minute: more is worse, by more than `regression.trend` (gated only when the profile sets it). */
export function trendQuestion(options: ResolvedCompareOptions) {
  return {
    question: 'trend' as const,
    name: 'slow burn',
    worseSign: 1 as const,
    unit: '%/min' as const,
    changeUnit: '%/min' as const,
    gated: options.trendGated,
    allowed: Math.log1p(options.trendPctPerMinute / 100),
    allowedChange: options.trendPctPerMinute,
  };
}
