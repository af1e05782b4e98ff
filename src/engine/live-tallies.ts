import { selectChecks, type RequestTally, type ThresholdSource, type Trend } from '../threshold/threshold-data.js';
import { createWriteHistogram, type Histogram } from '../record/histogram.js';
import type { RequestPhase } from '../record/request-phases.js';
import type { CheckCounter } from './check-counter.js';
import type { ScenarioTotals } from './scenario-results.js';

/**
 * What thresholds read while the load goes on (abortOnFail): the scenarios' running totals and
 * the check counts of the measured period so far, as a finished record would hold them. Made
 * for one look; a look adds a few histograms (one per scenario and step selected) and nothing is
 * written on the engine's hot path for it. A trend it gives holds until its next call.
 */
export class LiveTallies implements ThresholdSource {
  private scratch: Histogram | undefined;

  constructor(
    private readonly totals: ScenarioTotals,
    private readonly counter: CheckCounter,
    readonly measuredMs: number,
  ) {}

  requests(step: string | null, scenario: string | null): RequestTally | undefined {
    const parts = this.totals.liveRequests(step, scenario);
    if (parts === undefined) return undefined;
    return { requests: parts.requests, errors: parts.errors, latency: this.trendOf(parts.histograms) };
  }

  expected(step: string | null, scenario: string | null): Trend | undefined {
    const parts = this.totals.liveRequests(step, scenario);
    return parts && this.trendOf(parts.expected);
  }

  phase(phase: RequestPhase, step: string | null, scenario: string | null): Trend | undefined {
    const parts = this.totals.liveRequests(step, scenario, phase);
    return parts && this.trendOf(parts.phase);
  }

  checks(name: string | null): { passes: number; fails: number } | undefined {
    return selectChecks(this.counter.toRecord(0) ?? {}, name);
  }

  groups(group: string | null, scenario: string | null): Trend | undefined {
    const histograms = this.totals.liveGroups(group, scenario);
    return histograms && this.trendOf(histograms);
  }

  iterations(scenario: string | null): Trend | undefined {
    const histograms = this.totals.liveIterations(scenario);
    return histograms && this.trendOf(histograms);
  }

  /** One trend over several histograms: the one itself, or their sum in a scratch histogram. */
  private trendOf(histograms: readonly Histogram[]): Trend {
    let histogram: Histogram | undefined = histograms.length === 1 ? histograms[0] : undefined;
    if (histogram === undefined) {
      histogram = this.scratch ??= createWriteHistogram();
      histogram.reset();
      for (const part of histograms) histogram.add(part);
    }
    return histogramTrend(histogram);
  }
}

function histogramTrend(histogram: Histogram): Trend {
  const empty = histogram.totalCount === 0;
  return {
    count: histogram.totalCount,
    percentile: (p) => (empty ? 0 : histogram.getValueAtPercentile(p) / 1000),
    mean: () => (empty ? 0 : histogram.mean / 1000),
    // A request phase may have taken 0 (a reused connection's connect), which minNonZeroValue skips.
    min: () => (empty ? 0 : (histogram as unknown as { getCountAtIndex(index: number): number }).getCountAtIndex(0) > 0 ? 0 : histogram.minNonZeroValue / 1000),
    max: () => (empty ? 0 : histogram.maxValue / 1000),
  };
}
