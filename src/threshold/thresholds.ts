import type { ProfileThreshold } from '../config/profile-types.js';
import { holds, ThresholdError, type ThresholdExpression, type ThresholdSelector } from './threshold-expression.js';
import type { RunRecord } from '../record/run-record-types.js';
import type { ThresholdResult } from '../compare/comparison-types.js';
import type { ThresholdSource, Trend } from './threshold-data.js';
import { recordSource, serverTimingNames } from './threshold-source.js';
import { isPhaseMetric, phaseOfMetric, type RequestPhase } from '../record/request-phases.js';

/** One expression of a profile's threshold, with its parsed form. */
export interface ParsedThreshold {
  /** The selector as written, e.g. `http_req_duration{step:checkout}`. */
  metric: string;
  expression: string;
  selector: ThresholdSelector;
  parsed: ThresholdExpression;
  location?: ProfileThreshold['location'];
  /** Written with `abortOnFail: true`: checked while the load runs, from this long after the warm-up. */
  abortOnFail?: { delayAbortEvalMs: number };
}

/** The profile's thresholds (parsed when the profile was built), one entry per expression. */
export function thresholdExpressions(thresholds: readonly ProfileThreshold[]): ParsedThreshold[] {
  return thresholds.flatMap(({ metric, expressions, selector, parsed, abortOnFail, location }) =>
    expressions.map((expression, i): ParsedThreshold => {
      const abort = abortOnFail?.find((a) => a.expression === i);
      return {
        metric,
        expression,
        selector,
        parsed: parsed[i] as ThresholdExpression,
        ...(location ? { location } : {}),
        ...(abort ? { abortOnFail: { delayAbortEvalMs: abort.delayAbortEvalMs } } : {}),
      };
    }),
  );
}

/**
 * Evaluates the profile's absolute SLOs (k6 thresholds) on one run. Every selector is checked
 * against the run before anything is evaluated, so a mistake is reported before a result is.
 * Throws ThresholdError for a step, scenario or check the run does not have.
 */
export function evaluateThresholds(run: RunRecord, thresholds: readonly ProfileThreshold[]): ThresholdResult[] {
  const parsed = thresholdExpressions(thresholds);
  for (const threshold of parsed) checkNames(run, threshold);
  const source = recordSource(run);
  const aborted = run.meta.aborted;
  return parsed.map((threshold) => {
    const observed = observeThreshold(threshold, source);
    const result = { ...resultOf(threshold, observed), ...(observed === null && threshold.selector.metric === 'server_timing' ? { noData: missingComponent(run, threshold.selector) } : {}) };
    if (aborted === undefined || aborted.metric !== threshold.metric || aborted.expression !== threshold.expression) return result;
    return { ...result, status: 'broken', abortedRun: { atMs: aborted.atMs, observed: aborted.observed } };
  });
}

/**
 * Why a server_timing threshold has no data: the target sent no component of that name (a name
 * the target may send on some runs only, so it is not a mistake of the profile), with the names
 * it did send.
 */
function missingComponent(run: RunRecord, selector: ThresholdSelector): string {
  const where = selector.step === null ? 'no response' : `no response of ${selector.step}`;
  const seen = serverTimingNames(run, selector.step);
  if (selector.name !== undefined && seen.includes(selector.name)) return `${where} gave the Server-Timing component "${selector.name}" a dur`;
  const saw = seen.length === 0 ? 'none carried a Server-Timing header' : `the run saw ${seen.slice(0, 20).join(', ')}${seen.length > 20 ? `, and ${seen.length - 20} more` : ''}`;
  return `${where} carried a Server-Timing component named "${selector.name ?? ''}" (${saw})`;
}

/** The result of a threshold given what was observed (null: no data). */
export function resultOf(threshold: ParsedThreshold, observed: number | null): ThresholdResult {
  const { metric, expression, selector, parsed, location } = threshold;
  return {
    metric,
    expression,
    step: selector.step,
    status: observed === null ? 'no-data' : holds(observed, parsed.operator, parsed.limit) ? 'ok' : 'broken',
    observed,
    unit: unitOf(threshold),
    ...(location ? { location } : {}),
  };
}

/** A selector naming a step, scenario or check the run does not have is a config mistake. */
function checkNames(run: RunRecord, { metric, selector, location }: ParsedThreshold): void {
  const refuse = (message: string, fix: string): never => {
    throw new ThresholdError({ metric, ...(location ? { location } : {}), message, fix });
  };
  const list = (names: string[]): string => names.join(', ') || '(none)';
  const setupNames = run.setup?.steps.map((s) => s.name) ?? [];
  if (selector.scenario !== null && !Object.hasOwn(run.scenarios, selector.scenario)) {
    refuse(`no scenario is named "${selector.scenario}"`, `use one of the profile's scenarios: ${list(Object.keys(run.scenarios))}`);
  }
  if (selector.step !== null && !Object.hasOwn(run.steps, selector.step)) {
    if (selector.scenario !== null && setupNames.includes(selector.step)) refuse(`"${selector.step}" is a setup step, which belongs to no scenario`, `write {step:${selector.step}} alone`);
    if (!setupNames.includes(selector.step)) refuse(`no step is named "${selector.step}"`, `use one of the profile's steps: ${list([...Object.keys(run.steps), ...setupNames])}`);
  }
  if (selector.check !== null && !Object.hasOwn(run.checks ?? {}, selector.check)) {
    refuse(`no check is named "${selector.check}"`, `use one of the profile's checks: ${list(Object.keys(run.checks ?? {}))}`);
  }
}

/** The aggregate's value, or null when it is undefined for this run (no latencies, no requests). */
export function observeThreshold({ selector, parsed: { aggregation } }: ParsedThreshold, source: ThresholdSource): number | null {
  const seconds = source.measuredMs / 1000;
  const metric = selector.metric;
  if (isPhaseMetric(metric)) return aggregate(source.phase(phaseOfMetric(metric) as RequestPhase, selector.step, selector.scenario), aggregation);
  switch (metric) {
    case 'http_req_failed': {
      const tally = source.requests(selector.step, selector.scenario);
      return tally === undefined || tally.requests === 0 ? null : tally.errors / tally.requests;
    }
    case 'http_reqs': {
      const tally = source.requests(selector.step, selector.scenario);
      if (tally === undefined) return null;
      if (aggregation.kind === 'count') return tally.requests;
      return seconds > 0 ? tally.requests / seconds : null;
    }
    case 'http_req_duration':
      return aggregate(selector.expectedResponse ? source.expected(selector.step, selector.scenario) : source.requests(selector.step, selector.scenario)?.latency, aggregation);
    case 'checks': {
      const counts = source.checks(selector.check);
      const total = counts === undefined ? 0 : counts.passes + counts.fails;
      return counts === undefined || total === 0 ? null : counts.passes / total;
    }
    case 'iterations': {
      const durations = source.iterations(selector.scenario);
      if (durations === undefined) return null;
      if (aggregation.kind === 'count') return durations.count;
      return seconds > 0 ? durations.count / seconds : null;
    }
    case 'iteration_duration':
      return aggregate(source.iterations(selector.scenario), aggregation);
    case 'group_duration':
      return aggregate(source.groups(selector.group ?? null, selector.scenario), aggregation);
    case 'server_timing':
      return aggregate(selector.name === undefined ? undefined : source.serverTiming?.(selector.name, selector.step), aggregation);
  }
}

function aggregate(trend: Trend | undefined, aggregation: ParsedThreshold['parsed']['aggregation']): number | null {
  if (trend === undefined || trend.count === 0) return null;
  switch (aggregation.kind) {
    case 'percentile':
      return trend.percentile(aggregation.percentile);
    case 'avg':
      return trend.mean();
    case 'med':
      return trend.percentile(50);
    case 'min':
      return trend.min();
    case 'max':
      return trend.max();
    default:
      return null;
  }
}

function unitOf({ selector, parsed: { aggregation } }: ParsedThreshold): ThresholdResult['unit'] {
  const metric = selector.metric;
  if (isPhaseMetric(metric)) return 'ms';
  switch (metric) {
    case 'http_req_duration':
    case 'iteration_duration':
    case 'group_duration':
    case 'server_timing':
      return 'ms';
    case 'http_req_failed':
    case 'checks':
      return 'ratio';
    case 'http_reqs':
      return aggregation.kind === 'count' ? 'count' : 'req/s';
    case 'iterations':
      return aggregation.kind === 'count' ? 'count' : 'iter/s';
  }
}
