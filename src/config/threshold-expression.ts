import { ConfigError, formatField } from './config-error.js';
import type { SourceLocation } from './profile-types.js';

/**
 * k6 threshold syntax, the subset tailgate can evaluate from a run record:
 *   http_req_duration           p(N), avg, med, min, max   (milliseconds)
 *   http_req_failed             rate                       (fraction of requests that failed)
 *   http_reqs                   count, rate                (requests, requests per second)
 * with an optional `{step:NAME}` selector, and expressions `AGGREGATION OPERATOR NUMBER`.
 */
export const THRESHOLD_METRICS = {
  http_req_duration: ['p(N)', 'avg', 'med', 'min', 'max'],
  http_req_failed: ['rate'],
  http_reqs: ['count', 'rate'],
} as const;

export type ThresholdMetric = keyof typeof THRESHOLD_METRICS;
export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type Aggregation = { kind: 'percentile'; percentile: number } | { kind: 'avg' | 'med' | 'min' | 'max' | 'rate' | 'count' };

export interface ThresholdSelector {
  metric: ThresholdMetric;
  step: string | null;
}

export interface ThresholdExpression {
  aggregation: Aggregation;
  operator: Operator;
  limit: number;
}

/** A threshold that cannot be evaluated: a config mistake, reported with where it was written. */
export class ThresholdError extends ConfigError {
  readonly metric: string;
  readonly expression: string | undefined;
  readonly location: SourceLocation | undefined;

  constructor(options: { metric: string; expression?: string; location?: SourceLocation; message: string; fix: string }) {
    const subject = options.expression === undefined ? '' : `"${options.expression}": `;
    super({
      file: options.location?.file ?? 'config',
      ...(options.location ? { line: options.location.line, column: options.location.column } : {}),
      field: formatField(['thresholds', options.metric]),
      message: subject + options.message,
      fix: options.fix,
    });
    this.name = 'ThresholdError';
    this.metric = options.metric;
    this.expression = options.expression;
    this.location = options.location;
  }
}

const SELECTOR = /^\s*([a-z_]+)\s*(?:\{\s*([a-z_]+)\s*:\s*([^}]*?)\s*\})?\s*$/;

export function parseSelector(metric: string, location?: SourceLocation): ThresholdSelector {
  const match = SELECTOR.exec(metric);
  const allowedMetrics = Object.keys(THRESHOLD_METRICS).join(', ');
  if (!match) {
    throw new ThresholdError({
      metric,
      ...(location ? { location } : {}),
      message: 'is not a metric selector',
      fix: `write a metric (${allowedMetrics}), optionally with {step:NAME}, e.g. http_req_duration{step:checkout}`,
    });
  }
  const [, name = '', tag, value] = match;
  if (!(name in THRESHOLD_METRICS)) {
    throw new ThresholdError({ metric, ...(location ? { location } : {}), message: `unknown metric "${name}"`, fix: `use one of ${allowedMetrics}` });
  }
  if (tag !== undefined && tag !== 'step') {
    throw new ThresholdError({ metric, ...(location ? { location } : {}), message: `unknown selector tag "${tag}"`, fix: 'select a step with {step:NAME}; other tags are not recorded' });
  }
  if (tag !== undefined && (value === undefined || value === '')) {
    throw new ThresholdError({ metric, ...(location ? { location } : {}), message: 'the step selector names no step', fix: 'write {step:NAME}' });
  }
  return { metric: name as ThresholdMetric, step: tag === undefined ? null : (value as string) };
}

const EXPRESSION = /^\s*([a-z][a-z0-9.]*(?:\(\s*[^)]*\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*$/i;

export function parseExpression(selector: ThresholdSelector, metric: string, expression: string, location?: SourceLocation): ThresholdExpression {
  const at = { metric, expression, ...(location ? { location } : {}) };
  const allowed = THRESHOLD_METRICS[selector.metric].join(', ');
  const match = EXPRESSION.exec(expression);
  if (!match) {
    throw new ThresholdError({ ...at, message: 'is not a threshold expression', fix: `write AGGREGATION OPERATOR NUMBER, e.g. "${example(selector.metric)}" (aggregations for ${selector.metric}: ${allowed}; operators < <= > >= == !=)` });
  }
  const [, aggregationText = '', operatorText = '', limitText = ''] = match;
  const aggregation = parseAggregation(aggregationText);
  if (aggregation === null || !allowsAggregation(selector.metric, aggregation)) {
    // k6 writes percentiles with parentheses; p95 is the most common slip.
    const percentile = /^p(\d+(?:\.\d+)?)$/.exec(aggregationText);
    const fix = percentile && selector.metric === 'http_req_duration' ? `write p(${percentile[1]})` : `use one of ${allowed}`;
    throw new ThresholdError({ ...at, message: `"${aggregationText}" is not an aggregation of ${selector.metric}`, fix });
  }
  if (aggregation.kind === 'percentile' && !(aggregation.percentile >= 0 && aggregation.percentile <= 100)) {
    throw new ThresholdError({ ...at, message: `percentile ${aggregation.percentile} is outside 0–100`, fix: 'write p(N) with 0 ≤ N ≤ 100, e.g. p(95) or p(99.9)' });
  }
  // k6 accepts === as a synonym of ==.
  const operator = (operatorText === '===' ? '==' : operatorText) as Operator;
  return { aggregation, operator, limit: Number(limitText) };
}

function parseAggregation(text: string): Aggregation | null {
  const percentile = /^p\(\s*(\d+(?:\.\d+)?)\s*\)$/.exec(text);
  if (percentile) return { kind: 'percentile', percentile: Number(percentile[1]) };
  if (['avg', 'med', 'min', 'max', 'rate', 'count'].includes(text)) return { kind: text as 'avg' };
  return null;
}

function allowsAggregation(metric: ThresholdMetric, aggregation: Aggregation): boolean {
  const allowed: readonly string[] = THRESHOLD_METRICS[metric];
  return allowed.includes(aggregation.kind === 'percentile' ? 'p(N)' : aggregation.kind);
}

function example(metric: ThresholdMetric): string {
  return metric === 'http_req_duration' ? 'p(95)<500' : metric === 'http_req_failed' ? 'rate<0.01' : 'count>100';
}

export function holds(observed: number, operator: Operator, limit: number): boolean {
  switch (operator) {
    case '<':
      return observed < limit;
    case '<=':
      return observed <= limit;
    case '>':
      return observed > limit;
    case '>=':
      return observed >= limit;
    case '==':
      return observed === limit;
    case '!=':
      return observed !== limit;
  }
}
