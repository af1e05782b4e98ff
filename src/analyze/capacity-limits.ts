import type { ProfileThreshold } from '../config/profile-types.js';
import { thresholdExpressions } from '../threshold/thresholds.js';
import type { CapacityLimits } from './capacity.js';

/**
 * The limits of "kept up" that a profile's thresholds set: the overall p95 limit on
 * http_req_duration (`p(95)<500`) and the overall limit on http_req_failed (`rate<0.01`). Only
 * upper limits with no step, scenario or check selector count; of several, the strictest.
 */
export function capacityLimitsFrom(thresholds: readonly ProfileThreshold[]): Pick<CapacityLimits, 'p95Ms' | 'errorRate'> {
  const limits: Pick<CapacityLimits, 'p95Ms' | 'errorRate'> = {};
  for (const { selector, parsed } of thresholdExpressions(thresholds)) {
    if (selector.step !== null || selector.scenario !== null || selector.check !== null) continue;
    if (parsed.operator !== '<' && parsed.operator !== '<=') continue;
    const { aggregation, limit } = parsed;
    if (selector.metric === 'http_req_duration' && aggregation.kind === 'percentile' && aggregation.percentile === 95) {
      limits.p95Ms = Math.min(limits.p95Ms ?? Number.POSITIVE_INFINITY, limit);
    }
    if (selector.metric === 'http_req_failed' && aggregation.kind === 'rate') {
      limits.errorRate = Math.min(limits.errorRate ?? Number.POSITIVE_INFINITY, limit);
    }
  }
  return limits;
}
