import { CPU_SERIES, cpuSpans, MEMORY_SERIES, memoryLogSeries } from '../record/target-metrics.js';
import type { RunRecord } from '../record/run-record-types.js';
import { defaultCosineTerms, hacSlope } from '../stats/hac-slope.js';
import { ratioEstimate } from '../stats/ratio-estimator.js';
import type { ResolvedCompareOptions } from './compare-options.js';
import type { RunEstimate } from './run-estimates.js';
import { estimateShift, type NoisePrior } from './shift-estimate.js';
import type { ShapeTest } from './shape-tests.js';
import { worsePValue } from './metric-decision.js';

/**
 * The target's own metrics (the profile's `metrics:` scrape, `record/target-metrics.ts`) against
 * the baseline runs', tested as the run's shape is (`shape-tests.ts`): one value per run with its
 * within-run variance, the baseline runs' spread as the run-to-run noise, the same two bars.
 *
 * - CPU-seconds per request, on the log scale: the CPU counter's increase between consecutive
 *   scrapes over the requests measured in the same span, a ratio of totals whose within-run
 *   variance comes from the spans (the block machinery of throughput, `stats/ratio-estimator.ts`).
 * - Memory growth: the slope of log resident memory a minute over the blocks, with its
 *   autocorrelation-robust standard error (`stats/hac-slope.ts`), against the baseline runs' own
 *   slopes (a heap that warms up in every run is no regression), as the slow burn of p95 is.
 *
 * Each is gated only when the profile sets `regression.cpu` / `regression.memory`. A run that did
 * not scrape (no `metrics:`, every scrape failed, the series not exposed) leaves the test untested
 * and not gated, with a note: the scrape never touches the latency gate.
 */

const CPU_GATE = 'set regression.cpu to gate the CPU per request';
const MEMORY_GATE = 'set regression.memory to gate the growth of memory';

export interface TargetMetricTests {
  tests: ShapeTest[];
  /** Plain sentences: scrapes that failed, a gated metric that could not be judged. */
  notes: string[];
}

export function targetMetricTests(current: RunRecord, history: readonly RunRecord[], options: ResolvedCompareOptions): TargetMetricTests {
  const scraped = (run: RunRecord): boolean => run.targetMetrics !== undefined;
  if (!scraped(current) && !history.some(scraped)) {
    const gated = [options.cpuGated ? 'regression.cpu' : undefined, options.memoryGated ? 'regression.memory' : undefined].filter((g) => g !== undefined);
    return { tests: [], notes: gated.length > 0 ? [`${gated.join(' and ')} ${gated.length === 1 ? 'is' : 'are'} set, but no run scraped the target's metrics (the profile has no metrics: section); nothing of them was judged.`] : [] };
  }
  const notes = scrapeNotes(current);
  const cpu = cpuTest(current, history, options);
  const memory = memoryTest(current, history, options);
  for (const [test, setting] of [[cpu, 'regression.cpu'], [memory, 'regression.memory']] as const) {
    const wanted = setting === 'regression.cpu' ? options.cpuGated : options.memoryGated;
    if (wanted && !test.gated && test.untested !== undefined) notes.push(`${setting} is set, but the ${test.name} was not judged: ${test.untested.reason}. The latency gate is unaffected.`);
  }
  return { tests: [cpu, memory], notes };
}

function scrapeNotes(run: RunRecord): string[] {
  const metrics = run.targetMetrics;
  if (metrics === undefined || (metrics.failed === 0 && metrics.warnings.length === 0)) return [];
  const failed = metrics.failed > 0 ? `${metrics.failed} of ${metrics.scrapes} scrapes of ${metrics.url} failed` : `scraping ${metrics.url}`;
  const first = metrics.warnings[0];
  return [`The target's metrics: ${failed}${first === undefined ? '' : ` (${first.replace(/\.$/, '')})`}.`];
}

/** A ratio's log with its relative variance, or why there is none. */
function cpuEstimate(run: RunRecord, minBlocks: number): RunEstimate | string {
  if (run.targetMetrics === undefined) return 'the target\'s metrics were not scraped';
  if (run.targetMetrics.series[CPU_SERIES] === undefined) return `${CPU_SERIES} was not scraped`;
  const spans = cpuSpans(run);
  const requests = spans.requests.reduce((sum, r) => sum + r, 0);
  if (spans.cpuSeconds.length < 2) return `fewer than three scrapes of ${CPU_SERIES} fell in the measured period`;
  if (!(requests > 0)) return 'no request was measured between its scrapes';
  const ratio = ratioEstimate(spans.cpuSeconds, spans.requests);
  if (!(ratio.ratio > 0)) return `${CPU_SERIES} did not move`;
  const known = spans.cpuSeconds.length >= minBlocks;
  return { value: Math.log(ratio.ratio), withinVariance: known ? ratio.variance / (ratio.ratio * ratio.ratio) : null, withinDf: ratio.df, blocks: ratio.blocks };
}

function cpuTest(current: RunRecord, history: readonly RunRecord[], options: ResolvedCompareOptions): ShapeTest {
  const base = {
    question: 'cpu' as const,
    name: 'CPU per request',
    worseSign: 1 as const,
    unit: 's/req' as const,
    changeUnit: '%' as const,
    gatedBy: CPU_GATE,
    allowed: Math.log1p(options.cpuPct / 100),
    allowedChange: options.cpuPct,
  };
  const prior: NoisePrior = { sd: Math.log1p(Math.max(options.noiseFloorPct, 0.1) / 100) };
  return tested(base, options.cpuGated, cpuEstimate(current, options.minBlocks), history.map((run) => cpuEstimate(run, options.minBlocks)), prior, (v) => Math.exp(v));
}

/** The slope of log memory a minute with its HAR standard error, or why there is none. */
function memoryEstimate(run: RunRecord): RunEstimate | string {
  if (run.targetMetrics === undefined) return 'the target\'s metrics were not scraped';
  if (run.targetMetrics.series[MEMORY_SERIES] === undefined) return `${MEMORY_SERIES} was not scraped`;
  const { minutes, logBytes } = memoryLogSeries(run);
  const nu = defaultCosineTerms(minutes.length);
  if (minutes.length < nu + 2 || minutes.length < 4) return `fewer than four blocks held a sample of ${MEMORY_SERIES}`;
  const fit = hacSlope(logBytes, minutes, { nu });
  return { value: fit.slope, withinVariance: fit.se * fit.se, withinDf: fit.df, blocks: minutes.length };
}

function memoryTest(current: RunRecord, history: readonly RunRecord[], options: ResolvedCompareOptions): ShapeTest {
  const base = {
    question: 'memory' as const,
    name: 'memory growth',
    worseSign: 1 as const,
    unit: '%/min' as const,
    changeUnit: '%/min' as const,
    gatedBy: MEMORY_GATE,
    allowed: Math.log1p(options.memoryPctPerMinute / 100),
    allowedChange: options.memoryPctPerMinute,
  };
  // As the slow burn of p95: the noise floor spread over the run's length.
  const prior: NoisePrior = { sd: Math.log1p(Math.max(options.noiseFloorPct, 0.1) / 100) / Math.max(current.meta.measuredMs / 60_000, 1 / 60) };
  return tested(base, options.memoryGated, memoryEstimate(current), history.map(memoryEstimate), prior, (v) => 100 * Math.expm1(v));
}

type Question = Omit<ShapeTest, 'gated' | 'baselineRuns' | 'current' | 'tested' | 'untested'>;

function tested(base: Question, gated: boolean, current: RunEstimate | string, history: ReadonlyArray<RunEstimate | string>, prior: NoisePrior, shown: (value: number) => number): ShapeTest {
  const usable = history.filter((h): h is RunEstimate => typeof h !== 'string');
  if (typeof current === 'string') return { ...base, gated: false, baselineRuns: usable.length, current: null, untested: { verdict: 'inconclusive', reason: `this run: ${current}` } };
  const withCurrent = { ...base, current: shown(current.value), baselineRuns: usable.length };
  if (usable.length === 0) {
    const why = history.find((h): h is string => typeof h === 'string');
    return { ...withCurrent, gated: false, untested: { verdict: 'no-baseline', reason: history.length === 0 ? 'no baseline run to compare with' : `no baseline run measured it (${why})` } };
  }
  const shift = estimateShift(current, usable, prior);
  return { ...withCurrent, gated, tested: { shift, pValue: worsePValue(shift, 1) } };
}
