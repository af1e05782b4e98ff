/**
 * Change points in a short series of runs' values (a default branch's history of log p95s or log
 * throughputs, oldest first): binary segmentation on means (Scott and Knott, 1974; Vostrikova,
 * 1981). For a piece x[a..b) each split k gives the two-sample t statistic
 *
 *     T(k) = |mean(x[a..k)) − mean(x[k..b))| / (s(k) · √(1/(k − a) + 1/(b − k))),
 *
 * s(k)² the variance within the two sides pooled (Worsley, 1979: the likelihood ratio for one
 * change of mean with the variance unknown). The scale is measured around the split, so the step
 * it looks for does not inflate it, as a scale from the whole series would; it is never taken
 * below `floorSd`, the noise each run measured inside itself (a run cannot vary less than that).
 * The largest T is a change point when it passes `threshold`; each side is then searched again.
 * Segments hold at least `minSegment` values, except where a break is forced (a maintainer
 * accepted a change at that run): a forced break always starts a segment, however short, and the
 * search runs inside the pieces between forced breaks.
 *
 * The thresholds are strict because a split nobody accepted is chosen for differing: in a
 * stationary history the newest segment it leaves (a few runs, picked because their mean stands
 * out) is a biased level, and the spread measured around each segment's own mean comes out too
 * small. At the first threshold, 3.7 for every search, 2 to 3.5% of stationary series were split,
 * and at 8% run-to-run noise a fifth of the histories split failed an unchanged run (13 of 65
 * in 1,000 trials), which took that cell past α. Each step's own search now needs 5.5, the search
 * on all steps at once (one search, where there are four of a step's own) 4.5: stationary normal
 * series of 6 to 50 runs are split 0.01 to 0.5% of the time alone and 0.1 to 1.3% pooled (20,000
 * each, one run in ten 4.5 σ slower or none). A 20% step three runs ago at 3% run-to-run noise is
 * still found on all steps at once in 88 to 92% of histories (530 of 600 on a fresh seed). A move
 * the team meant is a maintainer's mark (a forced break) and needs no threshold at all.
 */
export interface ChangePointOptions {
  minSegment: number;
  threshold: number;
  /** Indexes (1 ≤ i < n) where a segment must start. */
  forced?: readonly number[];
  /** The smallest σ the series may have: the runs' own sampling noise. */
  floorSd?: number;
}

export const CHANGE_POINT_DEFAULTS: ChangePointOptions = { minSegment: 3, threshold: 5.5 };

/** The search on all steps at once (`findPooledChangePoints`): one search instead of one per step. */
export const POOLED_CHANGE_POINT_DEFAULTS: ChangePointOptions = { minSegment: 3, threshold: 4.5 };

/** Where each segment starts, ascending, the first always 0; `[0]` for a series without change points. */
export function findChangePoints(values: readonly number[], options: ChangePointOptions = CHANGE_POINT_DEFAULTS): number[] {
  const n = values.length;
  if (n === 0) return [];
  const forced = [...new Set((options.forced ?? []).filter((i) => Number.isInteger(i) && i > 0 && i < n))].sort((a, b) => a - b);
  const starts = new Set<number>([0, ...forced]);
  const bounds = [0, ...forced, n];
  for (let i = 0; i + 1 < bounds.length; i++) split(values, bounds[i] as number, bounds[i + 1] as number, options, starts);
  return [...starts].sort((a, b) => a - b);
}

function split(values: readonly number[], from: number, to: number, options: ChangePointOptions, starts: Set<number>): void {
  const m = Math.max(1, options.minSegment);
  if (to - from < 2 * m || to - from < 3) return;
  let best = -1;
  let bestStat = 0;
  const floor = options.floorSd ?? 0;
  for (let k = from + m; k <= to - m; k++) {
    const left = values.slice(from, k);
    const right = values.slice(k, to);
    const before = mean(left);
    const after = mean(right);
    const squares = left.reduce((sum, v) => sum + (v - before) ** 2, 0) + right.reduce((sum, v) => sum + (v - after) ** 2, 0);
    const sd = Math.max(Math.sqrt(squares / (to - from - 2)), floor);
    if (!(sd > 0)) continue;
    const stat = Math.abs(before - after) / (sd * Math.sqrt(1 / left.length + 1 / right.length));
    if (stat > bestStat) {
      bestStat = stat;
      best = k;
    }
  }
  if (best < 0 || !(bestStat > options.threshold)) return;
  starts.add(best);
  split(values, from, best, options, starts);
  split(values, best, to, options, starts);
}

/**
 * Change points found on several series at once: the same runs measured by several steps, whose
 * level moves together (a merge makes every step slower alike). Each series is weighed by the
 * inverse of its noise, as half the mean squared difference of neighbouring values measures it
 * (von Neumann: a single step in the series barely moves it), and the weighted mean of the series
 * is searched as one (`findChangePoints`, its floor the weighted runs' own noise). The steps'
 * sampling noise averages out; what they share (a runner, an hour) does not, and is the noise the
 * search is held to. Returns the segments' starts, `[0]` when there are none or too few values.
 */
export function findPooledChangePoints(series: ReadonlyArray<{ values: readonly number[]; withinVariance: number }>, options: ChangePointOptions = POOLED_CHANGE_POINT_DEFAULTS): number[] {
  const n = series[0]?.values.length ?? 0;
  if (n === 0 || series.some((s) => s.values.length !== n)) return n === 0 ? [] : [0];
  const weights = series.map((s) => {
    const noise = successiveVariance(s.values);
    return noise > 0 ? 1 / noise : 0;
  });
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return [0];
  const pooled = Array.from({ length: n }, (_, i) => series.reduce((sum, s, j) => sum + (weights[j] as number) * (s.values[i] as number), 0) / total);
  const floorSd = Math.sqrt(series.reduce((sum, s, j) => sum + (weights[j] as number) ** 2 * Math.max(0, s.withinVariance), 0)) / total;
  return findChangePoints(pooled, { ...options, floorSd: Math.max(floorSd, options.floorSd ?? 0) });
}

/** Half the mean squared difference of neighbouring values: their variance, barely moved by one step in the level. */
function successiveVariance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  let sum = 0;
  for (let i = 1; i < values.length; i++) sum += ((values[i] as number) - (values[i - 1] as number)) ** 2;
  return sum / (2 * (values.length - 1));
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The segment each value belongs to (0 for the oldest), from the segments' starts. */
export function segmentOf(starts: readonly number[], n: number): number[] {
  const labels: number[] = [];
  let segment = -1;
  for (let i = 0; i < n; i++) {
    if (starts.includes(i)) segment++;
    labels.push(Math.max(0, segment));
  }
  return labels;
}
