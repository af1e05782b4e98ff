import { decodeCounts, maxOfCounts, percentileOfCounts, type LatencyCounts } from '../../record/latency-counts.js';
import type { RunRecord, StepRecord } from '../../record/run-record-types.js';

/**
 * The charts of the HTML report as plain data: what each one shows, its series and its columns,
 * ready for uPlot (the first column is x, one column per series, null where a series has no
 * point). Computed here from the records' histograms, so the page only draws.
 */
export type ChartKind = 'time' | 'percentile' | 'history' | 'histogram' | 'load';

export interface SeriesSpec {
  label: string;
  color: string;
  /** Dashed: the baseline's line. */
  dash?: boolean;
  /** `points`: markers only (one value per run); default a line. */
  style?: 'line' | 'points' | 'line-points';
  /** Drawn against the chart's right-hand axis (`rightLabel`) instead of the left one. */
  right?: boolean;
}

/** A span of x shaded in a colour (a surge, a recovery window), or its interval as a strip along the plot's foot. */
export interface ZoneSpec {
  from: number;
  to: number;
  /** A CSS colour, fixed by the page (never from a record). */
  fill: string;
  /** Drawn at the span's top left (fixed words and numbers). */
  label?: string;
  /** A thin strip at the plot's foot instead of its whole height: an interval. */
  strip?: boolean;
}

/** A labelled vertical line at one x (the knee of a rising load). */
export interface MarkerSpec {
  at: number;
  label: string;
  color: string;
}

export interface ChartSpec {
  /** `load`: x is a level of offered load (`xLabel`, `xUnit`), one point per level. */
  kind: ChartKind;
  /** The y axis's unit, drawn on the axis (fixed text, never from a record). */
  yLabel: string;
  /** A second y axis on the right, for the series marked `right`, and its unit (fixed text). */
  rightLabel?: string;
  series: SeriesSpec[];
  data: Array<Array<number | null>>;
  /** Time charts: the warm-up (seconds from the run's start), shaded as excluded. */
  warmup?: [number, number];
  /** Time charts: other spans shaded as not measured (a paired run's settles), seconds. */
  bands?: Array<[number, number]>;
  /** Time charts: times marked by a thin vertical line (the ends of stages), seconds. */
  marks?: number[];
  /** History charts: a label per run (x = 1, 2, ...), from the records (drawn as canvas text). */
  xLabels?: string[];
  /** Time charts drawn as one timeline: the cursor key they share, the end of their common x axis (seconds). */
  sync?: string;
  xMax?: number;
  /** Keep a right-hand axis's width free even without one, so stacked charts line up. */
  gutter?: boolean;
  /** Load charts: the x axis's label and the unit of its values (fixed text). */
  xLabel?: string;
  xUnit?: string;
  /** Any chart: shaded spans and labelled vertical lines. */
  zones?: ZoneSpec[];
  markers?: MarkerSpec[];
  /** Pixels; default 240. */
  height?: number;
}

/** What one section of the page (overall or one step) draws. */
export interface StepCharts {
  percentiles: ChartSpec;
  distribution: ChartSpec;
  throughput: ChartSpec;
  errors: ChartSpec;
  history: ChartSpec | null;
}

export const COLOR = { p50: '#2f9e44', p95: '#1971c2', p99: '#9c36b5', run: '#1971c2', baseline: '#868e96', limit: '#e03131', mean: '#495057' };

/** The step of a record by name (`overall` for all steps); records read from files have no prototype, built ones do. */
export function stepOf(record: RunRecord, name: string): StepRecord | undefined {
  if (name === 'overall') return record.overall;
  return Object.hasOwn(record.steps, name) ? record.steps[name] : undefined;
}

interface BlockPoint {
  /** Seconds from the start of the run (warm-up included), at the block's middle. */
  x: number;
  counts: LatencyCounts;
  requests: number;
  errors: number;
  seconds: number;
}

function blockPoints(record: RunRecord, step: StepRecord | undefined): BlockPoint[] {
  if (step === undefined) return [];
  const warmupS = record.meta.warmupMs / 1000;
  const points: BlockPoint[] = [];
  step.blocks.forEach((block, i) => {
    const window = record.blocks[i];
    if (window === undefined) return;
    const seconds = Math.max((window.endMs - window.startMs) / 1000, 1e-3);
    points.push({ x: round(warmupS + (window.startMs + window.endMs) / 2000, 3), counts: decodeCounts(block.histogram), requests: block.requests, errors: block.errors, seconds });
  });
  return points;
}

/**
 * Columns on the union of both runs' x values: the baseline's blocks need not fall where the
 * run's do (another block length, another warm-up).
 */
function alignedColumns(runs: Array<{ points: BlockPoint[]; values: Array<(p: BlockPoint) => number | null> }>): Array<Array<number | null>> {
  return seriesOnCommonX(runs.flatMap((run) => run.values.map((value) => run.points.map((p): [number, number | null] => [p.x, value(p)]))));
}

/** Series of (x, y) points as uPlot columns: x the union of every series' x, null where a series has no point. */
export function seriesOnCommonX(series: ReadonlyArray<ReadonlyArray<readonly [number, number | null]>>): Array<Array<number | null>> {
  const xs = [...new Set(series.flatMap((points) => points.map(([x]) => x)))].sort((a, b) => a - b);
  const columns: Array<Array<number | null>> = [xs];
  for (const points of series) {
    const byX = new Map(points);
    columns.push(xs.map((x) => byX.get(x) ?? null));
  }
  return columns;
}

const percentile =
  (p: number) =>
  (point: BlockPoint): number | null =>
    point.counts.total === 0 ? null : round(percentileOfCounts(point.counts, p), 3);
const throughput = (point: BlockPoint): number | null => round(point.requests / point.seconds, 2);
const errorRate = (point: BlockPoint): number | null => (point.requests === 0 ? null : round((100 * point.errors) / point.requests, 3));

/** Percentiles for the distribution chart: x = 1 / (1 − q), 16 points a decade, out to the run's own resolution (one request). */
const POINTS_PER_DECADE = 16;
const MAX_DECADES = 6;

function distributionColumns(runs: Array<LatencyCounts | undefined>): Array<Array<number | null>> {
  const limit = 10 ** MAX_DECADES;
  // Each curve ends at x = its number of requests (its largest value), or at the chart's limit.
  const ends = runs.map((c) => (c === undefined || c.total === 0 ? 0 : Math.min(c.total, limit)));
  const largest = Math.max(1, ...ends);
  const xs = new Set<number>(ends.filter((end) => end > 1));
  for (let k = 0; 10 ** (k / POINTS_PER_DECADE) < largest; k++) xs.add(round(10 ** (k / POINTS_PER_DECADE), 4));
  const sorted = [...xs].sort((a, b) => a - b);
  const columns: Array<Array<number | null>> = [sorted];
  runs.forEach((counts, r) => {
    const end = ends[r] as number;
    columns.push(
      sorted.map((x) => {
        if (counts === undefined || end === 0 || x > end) return null;
        const value = x === end && end === counts.total ? maxOfCounts(counts) : percentileOfCounts(counts, 100 * (1 - 1 / x));
        return round(value, 3);
      }),
    );
  });
  return columns;
}

export interface ChartInput {
  current: RunRecord;
  /** The baseline runs compared with, oldest first; the last is the newest, drawn over the run. */
  history: readonly RunRecord[];
  /** The baseline's p95 (geometric mean over the history) and the allowed increase, when compared. */
  p95Baseline?: { ms: number; allowedPct: number } | undefined;
}

export function stepCharts(name: string, input: ChartInput): StepCharts {
  const { current, history } = input;
  const newest = history[history.length - 1];
  const runStep = stepOf(current, name);
  const baseStep = newest ? stepOf(newest, name) : undefined;
  const runPoints = blockPoints(current, runStep);
  const basePoints = newest ? blockPoints(newest, baseStep) : [];
  const withBaseline = newest !== undefined && baseStep !== undefined;
  const warmup: [number, number] | undefined = current.meta.warmupMs > 0 ? [0, current.meta.warmupMs / 1000] : undefined;
  const time = (yLabel: string, series: SeriesSpec[], data: Array<Array<number | null>>): ChartSpec => ({ kind: 'time', yLabel, series, data, ...(warmup ? { warmup } : {}) });

  const percentileSeries: SeriesSpec[] = [
    { label: 'p50', color: COLOR.p50 },
    { label: 'p95', color: COLOR.p95 },
    { label: 'p99', color: COLOR.p99 },
    ...(withBaseline
      ? [
          { label: 'p50 baseline', color: COLOR.p50, dash: true },
          { label: 'p95 baseline', color: COLOR.p95, dash: true },
          { label: 'p99 baseline', color: COLOR.p99, dash: true },
        ]
      : []),
  ];
  const percentileValues = [percentile(50), percentile(95), percentile(99)];
  const runs = [{ points: runPoints, values: percentileValues }, ...(withBaseline ? [{ points: basePoints, values: percentileValues }] : [])];

  const twoRuns = (value: (p: BlockPoint) => number | null): Array<Array<number | null>> =>
    alignedColumns([{ points: runPoints, values: [value] }, ...(withBaseline ? [{ points: basePoints, values: [value] }] : [])]);
  const twoSeries: SeriesSpec[] = [{ label: 'this run', color: COLOR.run }, ...(withBaseline ? [{ label: 'baseline', color: COLOR.baseline, dash: true }] : [])];

  const runCounts = runStep ? decodeCounts(runStep.histogram) : undefined;
  const baseCounts = baseStep ? decodeCounts(baseStep.histogram) : undefined;
  return {
    percentiles: time('ms', percentileSeries, alignedColumns(runs)),
    distribution: {
      kind: 'percentile',
      yLabel: 'ms',
      series: twoSeries,
      data: distributionColumns(withBaseline ? [runCounts, baseCounts] : [runCounts]),
    },
    throughput: time('req/s', twoSeries, twoRuns(throughput)),
    errors: time('% errors', twoSeries, twoRuns(errorRate)),
    history: historyChart(name, input),
  };
}

/** Each baseline run's p95 and this run's, oldest first, with the baseline's mean and the allowed limit. */
function historyChart(name: string, { current, history, p95Baseline }: ChartInput): ChartSpec | null {
  if (history.length === 0) return null;
  const p95 = (record: RunRecord): number | null => {
    const step = stepOf(record, name);
    if (step === undefined) return null;
    const counts = decodeCounts(step.histogram);
    return counts.total === 0 ? null : round(percentileOfCounts(counts, 95), 3);
  };
  const n = history.length + 1;
  const xs = Array.from({ length: n }, (_, i) => i + 1);
  const data: Array<Array<number | null>> = [xs, [...history.map(p95), null], [...Array<null>(n - 1).fill(null), p95(current)]];
  const series: SeriesSpec[] = [
    { label: 'baseline runs', color: COLOR.baseline, style: 'line-points' },
    { label: 'this run', color: COLOR.run, style: 'points' },
  ];
  if (p95Baseline !== undefined) {
    data.push(xs.map(() => round(p95Baseline.ms, 3)));
    data.push(xs.map(() => round(p95Baseline.ms * (1 + p95Baseline.allowedPct / 100), 3)));
    series.push({ label: 'baseline (mean)', color: COLOR.mean, dash: true }, { label: 'allowed', color: COLOR.limit, dash: true });
  }
  return { kind: 'history', yLabel: 'p95 ms', series, data, xLabels: [...history.map(runLabel), 'this run'] };
}

/** A run's short name: its commit, else its run id, else its start time. */
export function runLabel(record: RunRecord): string {
  const { commit, runId, startedAt } = record.meta;
  if (commit !== undefined) return commit.slice(0, 7);
  if (runId !== undefined) return runId.slice(0, 24);
  return startedAt.slice(5, 16).replace('T', ' ');
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
