import { bucketMiddleMs, decodeCounts, type LatencyCounts } from '../../record/latency-counts.js';
import { loadShapeSlices } from '../../record/load-shape-slices.js';
import type { RunRecord } from '../../record/run-record-types.js';
import { COLOR, round, seriesOnCommonX, stepCharts, type ChartSpec, type SeriesSpec } from './chart-data.js';

/**
 * The page's overview charts, as plain data: the shared timeline (the load, throughput, p95 and
 * errors of all steps, one x axis in seconds from the run's start, the charts aligned and their
 * cursors moving together) and the latency histogram from the HDR counts on a log axis.
 */

/** The cursor key the timeline's charts share. */
export const TIMELINE_SYNC = 'timeline';

export interface Timeline {
  /** The load over time: absent when the record holds no load shape (older records, paired arms). */
  load: ChartSpec | undefined;
  throughput: ChartSpec;
  p95: ChartSpec;
  errors: ChartSpec;
}

export function timelineCharts(current: RunRecord, newest: RunRecord | undefined): Timeline {
  const overall = stepCharts('overall', { current, history: newest ? [newest] : [] });
  const ends = [current, ...(newest ? [newest] : [])].map((r) => (r.meta.warmupMs + r.meta.measuredMs) / 1000);
  const xMax = round(Math.max(...ends, 1), 3);
  const aligned = (spec: ChartSpec): ChartSpec => ({ ...spec, sync: TIMELINE_SYNC, xMax, gutter: true, height: 170 });
  // The percentile chart's columns are x, p50, p95, p99 (then the baseline's three): keep x and the p95s.
  const p95Columns = [0, 2, ...(overall.percentiles.series.length > 3 ? [5] : [])];
  const p95: ChartSpec = {
    ...overall.percentiles,
    yLabel: 'p95 ms',
    series: p95Columns.slice(1).map((column) => overall.percentiles.series[column - 1] as SeriesSpec),
    data: p95Columns.map((column) => overall.percentiles.data[column] as Array<number | null>),
  };
  const load = loadChart(current, newest);
  return {
    load: load ? aligned(load) : undefined,
    throughput: aligned(overall.throughput),
    p95: aligned(p95),
    errors: aligned(overall.errors),
  };
}

type Points = Array<[number, number | null]>;

/**
 * All scenarios together: the VUs running (closed model); with any arrival-rate scenario, the
 * iterations asked for and started per second, the VUs on the right-hand axis. The newest
 * baseline's started iterations (or VUs) dashed.
 */
function loadChart(current: RunRecord, newest: RunRecord | undefined): ChartSpec | undefined {
  if (current.loadShape === undefined) return undefined;
  const open = Object.values(current.loadShape.scenarios).some((s) => s.due !== undefined);
  const series: SeriesSpec[] = [];
  const columns: Points[] = [];
  if (open) {
    series.push({ label: 'iterations asked/s', color: COLOR.mean, dash: true }, { label: 'iterations started/s', color: COLOR.run });
    columns.push(perSlice(current, 'due'), perSlice(current, 'started'));
    series.push({ label: 'VUs running', color: COLOR.p99, right: true });
    columns.push(perSlice(current, 'vus'));
    if (newest?.loadShape) {
      series.push({ label: 'started/s, baseline', color: COLOR.baseline, dash: true });
      columns.push(perSlice(newest, 'started'));
    }
  } else {
    series.push({ label: 'VUs running', color: COLOR.run });
    columns.push(perSlice(current, 'vus'));
    if (newest?.loadShape) {
      series.push({ label: 'VUs running, baseline', color: COLOR.baseline, dash: true });
      columns.push(perSlice(newest, 'vus'));
    }
  }
  const warmupS = current.meta.warmupMs / 1000;
  return {
    kind: 'time',
    yLabel: open ? 'iterations/s' : 'VUs',
    ...(open ? { rightLabel: 'VUs' } : {}),
    series,
    data: seriesOnCommonX(columns),
    ...(warmupS > 0 ? { warmup: [0, warmupS] as [number, number] } : {}),
  };
}

/** Per slice of the load shape, all scenarios added: VUs running, or iterations due or started per second. */
function perSlice(record: RunRecord, what: 'vus' | 'due' | 'started'): Points {
  const shape = record.loadShape;
  if (shape === undefined) return [];
  const slices = loadShapeSlices(record.meta.warmupMs, record.meta.blockMs, record.blocks);
  const scenarios = Object.values(shape.scenarios);
  return slices.map((w, i): [number, number | null] => {
    const x = round((w.startMs + w.endMs) / 2000, 3);
    const seconds = Math.max((w.endMs - w.startMs) / 1000, 1e-3);
    let sum = 0;
    let any = false;
    for (const s of scenarios) {
      if (i >= s.vus.length) continue;
      if (what === 'vus') {
        sum += s.vus[i] ?? 0;
        any = true;
      } else if (s.due !== undefined) {
        const due = s.due[i] ?? 0;
        sum += (what === 'due' ? due : due - (s.dropped?.[i] ?? 0)) / seconds;
        any = true;
      }
    }
    return [x, any ? round(sum, 2) : null];
  });
}

/** Bins per decade of latency: fine enough to show two modes a factor of 1.5 apart. */
const BINS_PER_DECADE = 20;

/**
 * The latency histogram of all steps: the share of requests in each bin, the bins equal on a log
 * axis of milliseconds, from the HDR counts (each bucket at its middle value); this run and the
 * newest baseline. Columns: the bins' lower edges (one more edge closes the last bin).
 */
export function latencyHistogram(current: RunRecord, newest: RunRecord | undefined): ChartSpec {
  const runs: LatencyCounts[] = [decodeCounts(current.overall.histogram), ...(newest ? [decodeCounts(newest.overall.histogram)] : [])];
  const series: SeriesSpec[] = [{ label: 'this run', color: COLOR.run }, ...(newest ? [{ label: 'newest baseline', color: COLOR.baseline, dash: true }] : [])];
  const values = runs.flatMap((counts) => (counts.total === 0 ? [] : [bucketMiddleMs(counts.indexes[0] as number), bucketMiddleMs(counts.indexes[counts.indexes.length - 1] as number)]));
  if (values.length === 0) return { kind: 'histogram', yLabel: '% of requests', series, data: [[], ...runs.map(() => [])] };
  const low = Math.floor(Math.log10(Math.max(Math.min(...values), 0.001)) * BINS_PER_DECADE);
  const high = Math.floor(Math.log10(Math.max(...values)) * BINS_PER_DECADE) + 1;
  const edges = Array.from({ length: high - low + 1 }, (_, k) => round(10 ** ((low + k) / BINS_PER_DECADE), 4));
  const columns = runs.map((counts) => {
    const bins = new Float64Array(edges.length);
    for (let i = 0; i < counts.indexes.length; i++) {
      const ms = bucketMiddleMs(counts.indexes[i] as number);
      const bin = Math.min(Math.max(Math.floor(Math.log10(Math.max(ms, 0.001)) * BINS_PER_DECADE) - low, 0), edges.length - 2);
      bins[bin] = (bins[bin] as number) + (counts.counts[i] as number);
    }
    return Array.from(bins, (n, i): number | null => (counts.total === 0 ? null : i === edges.length - 1 ? 0 : round((100 * n) / counts.total, 3)));
  });
  return { kind: 'histogram', yLabel: '% of requests', series, data: [edges, ...columns] };
}
