import { addCounts, decodeCounts, maxOfCounts, meanOfCounts, minOfCounts, percentileOfCounts, type LatencyCounts } from '../record/latency-counts.js';
import { selectChecks, type RequestTally, type ThresholdSource, type Trend } from './threshold-data.js';
import type { EncodedHistogram, RunRecord, StepTotals } from '../record/run-record-types.js';
import type { OPTIONAL_TOTALS_HISTOGRAMS } from '../record/request-phases.js';

/** A trend over a stored histogram. */
function countsTrend(counts: LatencyCounts): Trend {
  return {
    count: counts.total,
    percentile: (p) => percentileOfCounts(counts, p),
    mean: () => meanOfCounts(counts),
    min: () => minOfCounts(counts),
    max: () => maxOfCounts(counts),
  };
}

/** A trend of one duration (a setup step's single request), exact. */
function singleTrend(ms: number): Trend {
  return { count: 1, percentile: () => ms, mean: () => ms, min: () => ms, max: () => ms };
}

function histogramTrend(encoded: EncodedHistogram): Trend {
  return countsTrend(decodeCounts(encoded));
}

function tallyOf(totals: StepTotals): RequestTally {
  return { requests: totals.requests, errors: totals.errors, latency: histogramTrend(totals.histogram) };
}

/**
 * A finished run's record as thresholds read it. A step name the load has not, but the setup has,
 * selects that setup step: its one request, measured apart from the load.
 */
export function recordSource(run: RunRecord): ThresholdSource {
  return {
    measuredMs: run.meta.measuredMs,
    requests(step, scenario) {
      if (scenario !== null) {
        const results = Object.hasOwn(run.scenarios, scenario) ? run.scenarios[scenario]?.results : undefined;
        if (results === undefined) return undefined;
        if (step === null) return tallyOf(results.overall);
        const totals = Object.hasOwn(results.steps, step) ? results.steps[step] : undefined;
        return totals && tallyOf(totals);
      }
      if (step === null) return tallyOf(run.overall);
      if (Object.hasOwn(run.steps, step)) return tallyOf(run.steps[step] as StepTotals);
      const setup = run.setup?.steps.find((s) => s.name === step);
      // A setup step that failed stops the run before the load, so one in the record succeeded.
      return setup && { requests: 1, errors: 0, latency: singleTrend(setup.latencyMs) };
    },
    expected(step, scenario) {
      // A setup step in the record succeeded (a failed one stops the run): its one request was expected.
      if (scenario === null && step !== null && !Object.hasOwn(run.steps, step)) return this.requests(step, null)?.latency;
      return scenarioHistograms(run, 'expected', step, scenario);
    },
    phase(phase, step, scenario) {
      return scenarioHistograms(run, phase, step, scenario);
    },
    checks: (name) => selectChecks(run.checks ?? {}, name),
    groups(group, scenario) {
      const names = scenario === null ? Object.keys(run.scenarios) : Object.hasOwn(run.scenarios, scenario) ? [scenario] : [];
      const parts: LatencyCounts[] = [];
      for (const name of names) {
        const groups = run.scenarios[name]?.groupDurations ?? {};
        for (const [groupName, encoded] of Object.entries(groups)) if (group === null || groupName === group) parts.push(decodeCounts(encoded));
      }
      return parts.length === 0 ? undefined : countsTrend(addCounts(parts));
    },
    iterations(scenario) {
      const durations = (name: string): LatencyCounts | undefined => {
        const encoded = run.scenarios[name]?.iterationDurations;
        return encoded === undefined ? undefined : decodeCounts(encoded);
      };
      if (scenario !== null) {
        const counts = Object.hasOwn(run.scenarios, scenario) ? durations(scenario) : undefined;
        return counts && countsTrend(counts);
      }
      // Records older than iteration durations have none: no data rather than a count of zero.
      const all = Object.keys(run.scenarios).map(durations);
      if (all.length === 0 || all.some((c) => c === undefined)) return undefined;
      return countsTrend(addCounts(all as LatencyCounts[]));
    },
    serverTiming(name, step) {
      const steps = step === null ? Object.keys(run.steps) : Object.hasOwn(run.steps, step) ? [step] : [];
      const parts: LatencyCounts[] = [];
      for (const stepName of steps) {
        const components = run.steps[stepName]?.serverTiming?.components;
        if (components !== undefined && Object.hasOwn(components, name)) parts.push(decodeCounts((components[name] as { histogram: EncodedHistogram }).histogram));
      }
      return parts.length === 0 ? undefined : countsTrend(addCounts(parts));
    },
  };
}

/** The Server-Timing names a run's responses carried, of one step or every step (null), sorted. */
export function serverTimingNames(run: RunRecord, step: string | null): string[] {
  const steps = step === null ? Object.keys(run.steps) : Object.hasOwn(run.steps, step) ? [step] : [];
  return [...new Set(steps.flatMap((name) => Object.keys(run.steps[name]?.serverTiming?.components ?? {})))].sort();
}

/**
 * A histogram the record keeps per scenario only (the phases, the expected responses' latencies),
 * of one scenario or all, one step or all: the steps' and the run's are their scenarios' added.
 * Undefined when nothing is selected, or a record older than that histogram (no data).
 */
function scenarioHistograms(run: RunRecord, field: (typeof OPTIONAL_TOTALS_HISTOGRAMS)[number], step: string | null, scenario: string | null): Trend | undefined {
  const names = scenario === null ? Object.keys(run.scenarios) : Object.hasOwn(run.scenarios, scenario) ? [scenario] : [];
  const parts: LatencyCounts[] = [];
  for (const name of names) {
    const results = run.scenarios[name]?.results;
    const totals = results === undefined ? undefined : step === null ? results.overall : Object.hasOwn(results.steps, step) ? results.steps[step] : undefined;
    if (totals === undefined) continue;
    const encoded = totals[field];
    if (encoded === undefined) return undefined;
    parts.push(decodeCounts(encoded));
  }
  return parts.length === 0 ? undefined : countsTrend(addCounts(parts));
}
