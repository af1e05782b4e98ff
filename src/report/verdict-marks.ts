import type { GatedMetric, Verdict } from '../compare/comparison-types.js';

/** One mark per verdict, used in headlines and tables alike so a reader learns them once. */
export const VERDICT_MARK: Record<Verdict, string> = {
  regression: '❌',
  inconclusive: '⚠️',
  improvement: '🚀',
  pass: '✅',
  'no-baseline': '⚪',
};

export const VERDICT_WORDS: Record<Verdict, string> = {
  regression: 'regression',
  inconclusive: 'inconclusive',
  improvement: 'improvement',
  pass: 'pass',
  'no-baseline': 'no baseline',
};

export const METRIC_NAME: Record<GatedMetric, string> = {
  p95: 'p95',
  throughput: 'throughput',
  errorRate: 'error rate',
};
