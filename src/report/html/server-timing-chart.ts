import { decodeCounts, percentileOfCounts } from '../../record/latency-counts.js';
import type { RunRecord, ServerTimingComponent } from '../../record/run-record-types.js';
import { round, seriesOnCommonX, stepOf, type ChartSpec, type SeriesSpec } from './chart-data.js';

/**
 * A step's `Server-Timing` components over time, as chart data: each component's p95 of `dur`
 * per block, on the step's time axis (seconds from the run's start, at each block's middle, the
 * warm-up shaded), solid for this run and dashed in the same colour for the newest baseline run.
 * A block where the component reported no `dur` has no point. At most `MAX_CHARTED` components,
 * in the order given (the comparison's, the largest move first), so the lines stay readable.
 */
export const MAX_CHARTED = 6;

/** Fixed by the page, never from a record; one per charted component. */
const PALETTE = ['#e8590c', '#1971c2', '#2f9e44', '#9c36b5', '#f08c00', '#0c8599'];

export function serverTimingChart(name: string, current: RunRecord, newest: RunRecord | undefined, order: readonly string[]): ChartSpec | null {
  const mine = componentsOf(current, name);
  const theirs = newest ? componentsOf(newest, name) : undefined;
  if (mine === undefined) return null;
  const charted = order.filter((component) => Object.hasOwn(mine, component)).slice(0, MAX_CHARTED);
  if (charted.length === 0) return null;
  const series: SeriesSpec[] = [];
  const points: Array<Array<[number, number | null]>> = [];
  charted.forEach((component, i) => {
    const color = PALETTE[i % PALETTE.length] as string;
    series.push({ label: component, color });
    points.push(blockP95s(current, mine[component] as ServerTimingComponent));
  });
  if (newest !== undefined && theirs !== undefined) {
    charted.forEach((component, i) => {
      if (!Object.hasOwn(theirs, component)) return;
      series.push({ label: `${component} baseline`, color: PALETTE[i % PALETTE.length] as string, dash: true });
      points.push(blockP95s(newest, theirs[component] as ServerTimingComponent));
    });
  }
  const warmup: [number, number] | undefined = current.meta.warmupMs > 0 ? [0, current.meta.warmupMs / 1000] : undefined;
  return { kind: 'time', yLabel: 'p95 of dur, ms', series, data: seriesOnCommonX(points), ...(warmup ? { warmup } : {}) };
}

/**
 * The components of a step in the order to chart and list them when no comparison orders them:
 * the largest whole-run p95 first, then by name.
 */
export function componentsByP95(record: RunRecord, name: string): string[] {
  const components = componentsOf(record, name);
  if (components === undefined) return [];
  const p95 = (component: ServerTimingComponent): number => {
    const counts = decodeCounts(component.histogram);
    return counts.total === 0 ? -1 : percentileOfCounts(counts, 95);
  };
  return Object.entries(components)
    .map(([component, c]) => ({ component, p95: p95(c) }))
    .sort((a, b) => b.p95 - a.p95 || a.component.localeCompare(b.component))
    .map((c) => c.component);
}

export function componentsOf(record: RunRecord, name: string): Record<string, ServerTimingComponent> | undefined {
  if (name === 'overall') return undefined;
  return stepOf(record, name)?.serverTiming?.components;
}

/** One point per block of the record: x at the block's middle (as the step's other time charts), y the p95 of its durations. */
function blockP95s(record: RunRecord, component: ServerTimingComponent): Array<[number, number | null]> {
  const warmupS = record.meta.warmupMs / 1000;
  const points: Array<[number, number | null]> = [];
  record.blocks.forEach((window, i) => {
    const block = component.blocks[i];
    if (block === undefined) return;
    const counts = decodeCounts(block);
    points.push([round(warmupS + (window.startMs + window.endMs) / 2000, 3), counts.total === 0 ? null : round(percentileOfCounts(counts, 95), 3)]);
  });
  return points;
}
