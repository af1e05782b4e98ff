import { CHANGE_POINT_DEFAULTS, findChangePoints, segmentOf } from '../stats/change-points.js';
import { predictiveMixture, type Mixture } from '../stats/random-effects.js';
import type { RunEstimate } from './run-estimates.js';

/**
 * How far the current run sits from the baseline history, and how uncertain that is: one
 * random-effects model for every source of noise (see `stats/random-effects.ts`).
 *
 * Per run i on the analysis scale, xᵢ = μ + rᵢ + eᵢ: rᵢ is the run's own offset (runner, network,
 * neighbours; variance τ², run-to-run noise) and eᵢ its sampling error, whose variance wᵢ² each run
 * measures from its own blocks. The current run is y = μ + δ + r + e, so d = y − mean(x) has
 *   Var(d) = w² + w̄²/n + (1 + 1/n)·τ².
 * The within-run parts are measured; τ² has a posterior from the history (its spread beyond what
 * the runs' own noise explains) and an assumption, the noise floor τ₀, as the scale of a
 * heavy-tailed prior. With one baseline run the assumption alone speaks, and its tail keeps the
 * verdict honest when the real noise is well above τ₀; with ten, the history decides. A run with
 * too few blocks to measure its own noise is as noisy inside as its few blocks are, on the
 * baseline runs' blocks pooled (`withinFill`).
 *
 * The default branch's level moves (a merge made it slower on purpose, a dependency made it
 * faster): with `segments`, change points in the history's values (`stats/change-points.ts`,
 * and the runs where a maintainer accepted a change) cut it into segments. The current run is
 * compared with the newest segment's mean; τ² is still measured on every run of the window, each
 * segment around its own mean.
 */
export interface NoisePrior {
  /** τ₀, the run-to-run noise assumed before the history measures it, as an sd on the analysis scale. */
  sd: number;
}

export interface NoiseView extends Mixture {
  /** Posterior mean of Var(d). */
  variance: number;
  withinCurrentVariance: number;
  /** Within-run variance of the baseline's mean: w̄² / n. */
  withinBaselineVariance: number;
  /** Posterior mean of τ², the run-to-run variance of one run. */
  betweenRunVariance: number;
  /** The assumed τ₀. */
  priorSd: number;
  /** The current run's within-run noise was measured from its blocks. */
  currentWithinKnown: boolean;
}

/** The history's level moved: the newest segment starts at history[`start`]. */
export interface LevelMove {
  start: number;
  /** A change point found in the values, or a run a maintainer marked as accepting a change. */
  cause: 'detected' | 'accepted';
  /** The newest segment's mean minus the one before it, on the analysis scale. */
  change: number;
  /** Runs in the newest segment: the level's. */
  runs: number;
}

export interface ShiftEstimate {
  /** d = current − mean(newest segment of the history), on the analysis scale. */
  estimate: number;
  baselineValue: number;
  historyRuns: number;
  noise: NoiseView;
  /** Present when the level comes from a newest segment shorter than the history. */
  levelMove?: LevelMove;
}

export interface Segmenting {
  /** Look for change points in the history's values. */
  detect: boolean;
  /** Indexes of history runs that start a segment whatever the values say (an accepted change). */
  accepted?: readonly number[];
  /**
   * Indexes of history runs where the level moved for every step together (the change points of
   * all steps pooled, `pooledLevelStarts` in `step-analysis.ts`): they start a segment as a detected
   * change, and the search runs again between them.
   */
  pooled?: readonly number[];
}

export function estimateShift(current: RunEstimate, history: readonly RunEstimate[], prior: NoisePrior, segmenting: Segmenting = { detect: false }): ShiftEstimate {
  const n = history.length;
  if (n === 0) throw new RangeError('estimateShift needs at least one baseline run');
  const fill = withinFill(current, history);
  const withinOf = (run: RunEstimate): number => run.withinVariance ?? fill.variance(run);
  const dfOf = (run: RunEstimate): number => (run.withinVariance !== null ? run.withinDf : fill.df) || Number.POSITIVE_INFINITY;
  const values = history.map((run) => run.value);
  const accepted = (segmenting.accepted ?? []).filter((i) => i > 0 && i < n);
  const floorSd = Math.sqrt(history.reduce((sum, run) => sum + withinOf(run), 0) / n);
  const pooled = segmenting.detect ? (segmenting.pooled ?? []).filter((i) => i > 0 && i < n) : [];
  const starts = segmenting.detect ? findChangePoints(values, { ...CHANGE_POINT_DEFAULTS, forced: [...accepted, ...pooled], floorSd }) : [0, ...accepted].sort((a, b) => a - b);
  const labels = segmentOf(starts, n);
  const newest = starts.at(-1) as number;
  const mean = (from: number, to: number): number => values.slice(from, to).reduce((a, b) => a + b, 0) / (to - from);
  const baselineValue = mean(newest, n);
  const currentWithin = withinOf(current);
  const mixture = predictiveMixture(
    { value: current.value, within: currentWithin, withinDf: dfOf(current) },
    history.map((run) => ({ value: run.value, within: withinOf(run), withinDf: dfOf(run) })),
    prior.sd,
    starts.length > 1 ? labels : undefined,
  );
  const previous = starts.at(-2);
  const levelMove: LevelMove | undefined =
    previous === undefined ? undefined : { start: newest, cause: accepted.includes(newest) ? 'accepted' : 'detected', change: baselineValue - mean(previous, newest), runs: n - newest };
  return {
    estimate: current.value - baselineValue,
    baselineValue,
    historyRuns: n,
    ...(levelMove ? { levelMove } : {}),
    noise: {
      ...mixture,
      variance: mixture.meanVariance,
      withinCurrentVariance: currentWithin,
      withinBaselineVariance: history.slice(newest).reduce((sum, run) => sum + withinOf(run), 0) / ((n - newest) * (n - newest)),
      betweenRunVariance: mixture.meanBetween,
      priorSd: prior.sd,
      currentWithinKnown: current.withinVariance !== null,
    },
  };
}

/**
 * The within-run variance of a run that had too few blocks to measure its own. The baseline runs'
 * blocks are pooled (each block's variance weighted by its degrees of freedom, short runs' blocks
 * too) and divided by the run's own block count: a run with three blocks is as noisy as three
 * blocks are, not as a longer baseline run's mean. With no baseline blocks to pool, the baseline
 * runs' own within-run variances stand in; with none at all, 0 (τ² then holds that noise too).
 */
function withinFill(current: RunEstimate, history: readonly RunEstimate[]): { variance(run: RunEstimate): number; df: number } {
  const pooled = history.flatMap((run) => (run.blockVariance ? [run.blockVariance] : []));
  const pooledDf = pooled.reduce((sum, b) => sum + b.df, 0);
  if (pooledDf > 0) {
    const perBlock = pooled.reduce((sum, b) => sum + b.df * b.variance, 0) / pooledDf;
    return { variance: (run) => perBlock / Math.max(1, run.blocks), df: pooledDf };
  }
  const known = history.filter((run) => run.withinVariance !== null);
  if (known.length > 0) {
    const mean = known.reduce((sum, run) => sum + (run.withinVariance as number), 0) / known.length;
    return { variance: () => mean, df: known.reduce((sum, run) => sum + run.withinDf, 0) / known.length };
  }
  return { variance: () => current.withinVariance ?? 0, df: current.withinDf };
}
