import { loadShapeSlices } from '../../record/load-shape-slices.js';
import type { RunRecord, ScenarioShape } from '../../record/run-record-types.js';
import { COLOR, round, seriesOnCommonX, type ChartSpec, type SeriesSpec } from './chart-data.js';

/**
 * The load's shape over time, one chart per scenario of the run, from the records' `loadShape`:
 * the VUs running (closed model) or the iterations started and dropped per second with the VUs
 * they kept busy on a second axis (open model),
 * the level the profile asked for, the ends of its stages marked, the warm-up shaded; the newest
 * baseline run's beside it when it has a shape of the same scenario.
 */
export interface LoadShapeChart {
  scenario: string;
  model: 'open' | 'closed';
  spec: ChartSpec;
}

type Points = Array<[number, number | null]>;

export function loadShapeCharts(current: RunRecord, baseline: RunRecord | undefined): LoadShapeChart[] {
  const shape = current.loadShape;
  if (shape === undefined) return [];
  return Object.entries(shape.scenarios).map(([name, scenario]) => {
    const model = scenario.due === undefined ? 'closed' : 'open';
    const base = baseline?.loadShape && Object.hasOwn(baseline.loadShape.scenarios, name) ? (baseline.loadShape.scenarios[name] as ScenarioShape) : undefined;
    const sameModel = base !== undefined && (base.due === undefined) === (model === 'closed');
    const ran = model === 'closed' ? vusPoints(current, scenario) : startedPoints(current, scenario);
    const series: SeriesSpec[] = [{ label: model === 'closed' ? 'VUs running' : 'iterations started/s', color: COLOR.run }];
    const columns: Points[] = [ran];
    if (model === 'open') {
      series.push({ label: 'dropped/s (no free VU)', color: COLOR.limit });
      columns.push(perSecond(current, scenario, (i) => scenario.dropped?.[i] ?? 0));
      // The VUs an arrival rate keeps busy grow as the target slows: on their own axis.
      series.push({ label: 'VUs running', color: COLOR.p99, right: true });
      columns.push(vusPoints(current, scenario));
    }
    if (scenario.planned.length > 0) {
      series.push({ label: model === 'closed' ? 'VUs asked' : 'rate asked', color: COLOR.mean, dash: true });
      columns.push(scenario.planned.map((level): [number, number] => [round(level.atMs / 1000, 3), level.target]));
    }
    if (sameModel && baseline !== undefined) {
      series.push({ label: `${model === 'closed' ? 'VUs running' : 'started/s'}, baseline`, color: COLOR.baseline, dash: true });
      columns.push(model === 'closed' ? vusPoints(baseline, base) : startedPoints(baseline, base));
    }
    const warmupS = current.meta.warmupMs / 1000;
    const marks = [...new Set(scenario.planned.map((level) => round(level.atMs / 1000, 3)))].filter((x) => x > 0);
    const spec: ChartSpec = {
      kind: 'time',
      yLabel: model === 'closed' ? 'VUs' : 'iterations/s',
      ...(model === 'open' ? { rightLabel: 'VUs' } : {}),
      series,
      data: seriesOnCommonX(columns),
      ...(warmupS > 0 ? { warmup: [0, warmupS] as [number, number] } : {}),
      ...(marks.length > 0 ? { marks } : {}),
    };
    return { scenario: name, model, spec };
  });
}

/** The x of each slice (seconds from the run's start, at its middle) and its length in seconds. */
function slices(record: RunRecord): Array<{ x: number; seconds: number }> {
  return loadShapeSlices(record.meta.warmupMs, record.meta.blockMs, record.blocks).map((w) => ({
    x: round((w.startMs + w.endMs) / 2000, 3),
    seconds: Math.max((w.endMs - w.startMs) / 1000, 1e-3),
  }));
}

function vusPoints(record: RunRecord, shape: ScenarioShape): Points {
  return slices(record).map(({ x }, i) => [x, shape.vus[i] ?? null]);
}

function startedPoints(record: RunRecord, shape: ScenarioShape): Points {
  return perSecond(record, shape, (i) => (shape.due?.[i] ?? 0) - (shape.dropped?.[i] ?? 0));
}

function perSecond(record: RunRecord, shape: ScenarioShape, count: (slice: number) => number): Points {
  return slices(record).map(({ x, seconds }, i): [number, number | null] => [x, i < shape.vus.length ? round(count(i) / seconds, 2) : null]);
}
