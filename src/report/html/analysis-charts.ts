import { median } from 'simple-statistics';
import type { Analysis, CapacityAnswer, LoadLevel, LoadUnit, SurgeRecovery, TrendAnswer } from '../../analyze/analysis-types.js';
import { blockSeries, type BlockPoint } from '../../analyze/block-series.js';
import { MIN_BLOCK_REQUESTS } from '../../analyze/trend.js';
import type { RunRecord } from '../../record/run-record-types.js';
import { formatPct, formatRps } from '../number-format.js';
import { COLOR, round, type ChartSpec, type MarkerSpec, type SeriesSpec, type ZoneSpec } from './chart-data.js';
import { TIMELINE_SYNC } from './overview-charts.js';

/**
 * The analysis's answers as charts, plain data for the page's script: latency and throughput
 * against the offered load with the knee marked (a rising load), and p95 per block over time
 * with each surge and its recovery window shaded and the slow burn's trend line drawn.
 */

/** The shades and lines of the answers; the page's legend shows the same colours. */
export const ANSWER_COLOR = {
  surge: 'rgba(224, 49, 49, 0.14)',
  recovery: 'rgba(47, 158, 68, 0.18)',
  recoveryInterval: 'rgba(47, 158, 68, 0.6)',
  notBack: 'rgba(240, 140, 0, 0.18)',
  sustainable: '#2f9e44',
  sustainableInterval: 'rgba(47, 158, 68, 0.6)',
  sloCrossing: '#e03131',
  sloCrossingInterval: 'rgba(224, 49, 49, 0.5)',
  achieved: '#e8590c',
  trend: '#c2255c',
} as const;

/** What a level's load is measured in, as the x axis names it. */
const LOAD_AXIS: Record<LoadUnit, { label: string; unit: string }> = {
  rps: { label: 'offered load, iterations a second (one point per level)', unit: 'it/s' },
  vus: { label: 'offered load, VUs (one point per level)', unit: 'VUs' },
};

/**
 * The levels' load in requests a second, the axis the analysis measures capacity on: what the
 * offered load asked of the target (expected, open model) or what it did (achieved, closed
 * model), as src/analyze/capacity.ts reads it for the SLO crossing.
 */
function loadRps(level: LoadLevel, unit: LoadUnit): number {
  return unit === 'rps' ? (level.expectedRps ?? level.achievedRps) : level.achievedRps;
}

/**
 * The offered load at which the levels' load first reaches `rps`, linear between levels: where a
 * rate in requests a second (the sustainable rate, the SLO crossing) sits on the offered-load
 * axis. Below the lowest level, in proportion to it (load grows with the offered load there);
 * beyond the highest, the highest. Undefined without a level whose load is positive.
 */
export function offeredAtRate(levels: readonly LoadLevel[], unit: LoadUnit, rps: number): number | undefined {
  const points = [...levels].sort((a, b) => a.offered - b.offered).map((level) => ({ offered: level.offered, load: loadRps(level, unit) }));
  const first = points[0];
  if (first === undefined || !(first.load > 0) || !Number.isFinite(rps)) return undefined;
  if (rps <= first.load) return (first.offered * Math.max(rps, 0)) / first.load;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as (typeof points)[number];
    const b = points[i] as (typeof points)[number];
    if (b.load >= rps && b.load > a.load) return a.offered + ((rps - a.load) / (b.load - a.load)) * (b.offered - a.offered);
  }
  return (points[points.length - 1] as (typeof points)[number]).offered;
}

/**
 * p95 (left axis) and achieved throughput (right axis, with the expected throughput dashed where
 * the analysis knows it) against the offered load, one point per level; the knee marked: a line
 * at the sustainable rate and one at the SLO crossing, each with its interval as a strip.
 */
export function capacityChart(capacity: CapacityAnswer): ChartSpec | undefined {
  const levels = [...capacity.levels].sort((a, b) => a.offered - b.offered);
  if (levels.length === 0) return undefined;
  const { unit } = capacity;
  const withExpected = levels.some((level) => level.expectedRps !== undefined);
  const series: SeriesSpec[] = [
    { label: 'p95', color: COLOR.p95, style: 'line-points' },
    { label: 'achieved req/s', color: ANSWER_COLOR.achieved, style: 'line-points', right: true },
    ...(withExpected ? [{ label: 'expected req/s', color: COLOR.mean, dash: true, right: true }] : []),
  ];
  const data: Array<Array<number | null>> = [
    levels.map((level) => round(level.offered, 3)),
    levels.map((level) => (level.p95Ms === null ? null : round(level.p95Ms, 3))),
    levels.map((level) => round(level.achievedRps, 2)),
    ...(withExpected ? [levels.map((level) => (level.expectedRps === undefined ? null : round(level.expectedRps, 2)))] : []),
  ];
  const zones: ZoneSpec[] = [];
  const markers: MarkerSpec[] = [];
  const at = (rps: number): number | undefined => {
    const x = offeredAtRate(levels, unit, rps);
    return x === undefined ? undefined : round(x, 3);
  };
  const mark = (interval: CapacityAnswer['sustainableRps'], label: string, color: string, fill: string): void => {
    if (interval === null) return;
    const x = at(interval.estimate);
    if (x === undefined) return;
    markers.push({ at: x, label, color });
    const low = at(interval.low);
    const high = at(interval.high);
    if (low !== undefined && high !== undefined && high > low) zones.push({ from: low, to: high, fill, strip: true });
  };
  if (capacity.sustainableRps !== null) {
    const words = capacity.atLeast ? 'kept up with the highest load' : 'sustainable';
    mark(capacity.sustainableRps, `${words}: ${formatRps(capacity.sustainableRps.estimate)}`, ANSWER_COLOR.sustainable, ANSWER_COLOR.sustainableInterval);
  }
  if (capacity.sloCrossingRps !== null) {
    mark(capacity.sloCrossingRps, `p95 crosses its threshold: ${formatRps(capacity.sloCrossingRps.estimate)}`, ANSWER_COLOR.sloCrossing, ANSWER_COLOR.sloCrossingInterval);
  }
  return {
    kind: 'load',
    yLabel: 'p95 ms',
    rightLabel: 'req/s',
    xLabel: LOAD_AXIS[unit].label,
    xUnit: LOAD_AXIS[unit].unit,
    series,
    data,
    ...(zones.length > 0 ? { zones } : {}),
    ...(markers.length > 0 ? { markers } : {}),
    height: 300,
  };
}

/**
 * Each surge shaded on a time axis of seconds from the run's start (the analysis gives offsets
 * from the measured period's start, so the warm-up is added): the surge, then its recovery window
 * (from the surge's end to the estimate) and the estimate's interval as a strip; a surge not
 * recovered from, the rest of the run shaded as not back.
 */
export function surgeZones(recovery: readonly SurgeRecovery[], warmupMs: number, measuredMs: number): ZoneSpec[] {
  const seconds = (ms: number): number => round((warmupMs + ms) / 1000, 3);
  const zones: ZoneSpec[] = [];
  for (const surge of recovery) {
    const end = seconds(surge.surgeEndMs);
    zones.push({ from: seconds(surge.surgeStartMs), to: end, fill: ANSWER_COLOR.surge, label: 'surge' });
    if (surge.recovered && surge.seconds !== null) {
      const { estimate, low, high } = surge.seconds;
      zones.push({ from: end, to: round(end + estimate, 3), fill: ANSWER_COLOR.recovery, label: `recovery ${round(estimate, 1)} s` });
      if (high > low) zones.push({ from: round(end + low, 3), to: round(end + high, 3), fill: ANSWER_COLOR.recoveryInterval, strip: true });
    } else {
      const runEnd = seconds(measuredMs);
      if (runEnd > end) zones.push({ from: end, to: runEnd, fill: ANSWER_COLOR.notBack, label: 'not back by the end' });
    }
  }
  return zones;
}

/**
 * The trend line's level: p95 at the middle of the measured period. The analysis gives the
 * slope only, so the level is read from the blocks: each block's p95 is carried along the slope
 * to the middle (p95ᵢ ÷ (1 + slope)^((tᵢ − middle) / 60 s)) and the median of these is taken. On
 * a flat trend that is the blocks' median p95; on a rising one it is the level the blocks show at
 * the middle, without the pull of the early (low) and late (high) blocks, and robust to a burst.
 * Blocks the trend test leaves out (too few requests) are left out here too.
 */
export function trendLevelMs(points: readonly BlockPoint[], measuredMs: number, pctPerMinute: number): number | undefined {
  const logGrowthPerMs = Math.log1p(pctPerMinute / 100) / 60_000;
  if (!Number.isFinite(logGrowthPerMs)) return undefined;
  const middle = measuredMs / 2;
  const carried = points
    .filter((p) => p.requests >= MIN_BLOCK_REQUESTS && p.p95Ms !== null && p.p95Ms > 0)
    .map((p) => Math.log(p.p95Ms as number) - logGrowthPerMs * ((p.startMs + p.endMs) / 2 - middle));
  return carried.length === 0 ? undefined : Math.exp(median(carried));
}

/** The trend line p95(t) = level × (1 + slope)^((t − middle) / 60 s), t in seconds from the run's start. */
export function trendAt(levelMs: number, pctPerMinute: number, middleS: number, atS: number): number {
  return levelMs * (1 + pctPerMinute / 100) ** ((atS - middleS) / 60);
}

export function trendLabel(trend: TrendAnswer): string {
  return `trend ${formatPct(trend.p95PctPerMinute.estimate)}/min${trend.significant ? '' : ' (not significant)'}`;
}

/**
 * p95 per block of this run over time, on the timeline's axis (its cursor shared; `xMaxS`, the
 * timeline's end, keeps the two aligned when a baseline ran longer), with each surge and its
 * recovery shaded and the slow burn's trend line drawn over the measured blocks. Undefined when
 * the analysis has neither a surge nor a trend.
 */
export function answersOverTime(run: RunRecord, analysis: Analysis, xMaxS?: number): ChartSpec | undefined {
  if (analysis.recovery.length === 0 && analysis.trend === undefined) return undefined;
  const { warmupMs, measuredMs } = run.meta;
  const points = blockSeries(run).points;
  const xs = points.map((p) => round((warmupMs + (p.startMs + p.endMs) / 2) / 1000, 3));
  const series: SeriesSpec[] = [{ label: 'p95', color: COLOR.p95 }];
  const data: Array<Array<number | null>> = [xs, points.map((p) => (p.p95Ms === null ? null : round(p.p95Ms, 3)))];
  const trend = analysis.trend;
  const level = trend ? trendLevelMs(points, measuredMs, trend.p95PctPerMinute.estimate) : undefined;
  if (trend && level !== undefined) {
    const middleS = (warmupMs + measuredMs / 2) / 1000;
    series.push({ label: trendLabel(trend), color: ANSWER_COLOR.trend, dash: true });
    data.push(xs.map((x) => round(trendAt(level, trend.p95PctPerMinute.estimate, middleS, x), 3)));
  }
  const zones = surgeZones(analysis.recovery, warmupMs, measuredMs);
  return {
    kind: 'time',
    yLabel: 'p95 ms',
    series,
    data,
    ...(warmupMs > 0 ? { warmup: [0, warmupMs / 1000] as [number, number] } : {}),
    ...(zones.length > 0 ? { zones } : {}),
    sync: TIMELINE_SYNC,
    xMax: xMaxS ?? round(Math.max((warmupMs + measuredMs) / 1000, 1), 3),
    gutter: true,
    height: 240,
  };
}
