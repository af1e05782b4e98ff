import type { Profile } from '../config/profile-types.js';
import { decodeCounts, maxOfCounts, meanOfCounts, minOfCounts, percentileOfCounts, type LatencyCounts } from '../record/latency-counts.js';
import type { RunRecord, StepRecord } from '../record/run-record-types.js';
import type { ThresholdResult } from './comparison-types.js';
import { holds, parseExpression, parseSelector, ThresholdError, type Aggregation, type ThresholdSelector } from '../config/threshold-expression.js';

/** Parses every threshold without a run, so a typo is reported before the load starts. */
export function checkThresholds(thresholds: Profile['thresholds']): void {
  for (const { metric, expressions, location } of thresholds) {
    const selector = parseSelector(metric, location);
    for (const expression of expressions) parseExpression(selector, metric, expression, location);
  }
}

/**
 * Evaluates the profile's absolute SLOs (k6 thresholds) on one run. Every expression is parsed
 * before anything is evaluated, so a config mistake is reported before a result is.
 * Throws ThresholdError for an unknown metric, aggregation or step.
 */
export function evaluateThresholds(run: RunRecord, thresholds: Profile['thresholds']): ThresholdResult[] {
  const parsed = thresholds.flatMap(({ metric, expressions, location }) => {
    const selector = parseSelector(metric, location);
    if (selector.step !== null && !(selector.step in run.steps)) {
      const known = Object.keys(run.steps).join(', ') || '(none)';
      throw new ThresholdError({ metric, ...(location ? { location } : {}), message: `no step is named "${selector.step}"`, fix: `use one of the profile's steps: ${known}` });
    }
    return expressions.map((expression) => ({ metric, expression, location, selector, parsed: parseExpression(selector, metric, expression, location) }));
  });

  const histogramOf = (step: StepRecord): LatencyCounts => decodeCounts(step.histogram);

  return parsed.map(({ metric, expression, location, selector, parsed: { aggregation, operator, limit } }) => {
    const step = selector.step === null ? run.overall : (run.steps[selector.step] as StepRecord);
    const observed = observe(run, step, selector, aggregation, histogramOf);
    return {
      metric,
      expression,
      step: selector.step,
      status: observed === null ? 'no-data' : holds(observed, operator, limit) ? 'ok' : 'broken',
      observed,
      unit: unitOf(selector, aggregation),
      ...(location ? { location } : {}),
    };
  });
}

/** The aggregate's value, or null when it is undefined for this run (no latencies, no requests). */
function observe(run: RunRecord, step: StepRecord, selector: ThresholdSelector, aggregation: Aggregation, histogramOf: (s: StepRecord) => LatencyCounts): number | null {
  const seconds = run.meta.measuredMs / 1000;
  switch (selector.metric) {
    case 'http_req_failed':
      return step.requests === 0 ? null : step.errors / step.requests;
    case 'http_reqs':
      if (aggregation.kind === 'count') return step.requests;
      return seconds > 0 ? step.requests / seconds : null;
    case 'http_req_duration': {
      const histogram = histogramOf(step);
      if (histogram.total === 0) return null;
      switch (aggregation.kind) {
        case 'percentile':
          return percentileOfCounts(histogram, aggregation.percentile);
        case 'avg':
          return meanOfCounts(histogram);
        case 'med':
          return percentileOfCounts(histogram, 50);
        case 'min':
          return minOfCounts(histogram);
        case 'max':
          return maxOfCounts(histogram);
        default:
          return null;
      }
    }
  }
}

function unitOf(selector: ThresholdSelector, aggregation: Aggregation): ThresholdResult['unit'] {
  if (selector.metric === 'http_req_duration') return 'ms';
  if (selector.metric === 'http_req_failed') return 'ratio';
  return aggregation.kind === 'count' ? 'count' : 'req/s';
}
