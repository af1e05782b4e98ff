import { mean, sampleVariance } from 'simple-statistics';
import { satterthwaiteDf, type VarianceComponent } from '../stats/satterthwaite.js';
import type { RunEstimate } from './run-estimates.js';

/**
 * How far the current run sits from the baseline history, and how uncertain that is.
 *
 * Model, per run i on the analysis scale: xᵢ = μ + rᵢ + eᵢ, where rᵢ is the run's own offset
 * (runner, network, neighbours; variance τ², the run-to-run noise) and eᵢ the sampling error of
 * that one run (variance wᵢ², from its blocks by batch means). The current run is y = μ + δ + r + e.
 * The estimate is d = y − mean(x), with
 *
 *   Var(d) = w² (current, within)  +  (1 + 1/n)·τ² (current's and baseline mean's run offsets)  +  mean wᵢ² / n.
 *
 * τ² is unknown. Two views of it are kept, and the decision uses whichever is wider:
 * - the noise floor, an assumed τ taken as exact (the only option with fewer than 3 runs);
 * - with 3 or more runs, the history's own spread s² (which holds τ² + wᵢ²), with its n − 1
 *   degrees of freedom: Var(d) ≈ (1 + 1/n)·s², plus any excess of w² over mean wᵢ².
 * The history view is the classical prediction interval, calibrated whatever the real noise is, so
 * with 3+ runs A/A runs fail at most about alpha of the time even when the floor is too low
 * (test/compare/calibration.test.ts); the floor only ever widens it, so that a short history that
 * happens to look quiet cannot make the gate trigger-happy. Below 3 runs the floor is an assumption.
 */
export interface NoiseView {
  source: 'noise-floor' | 'history' | 'none';
  variance: number;
  /** Welch–Satterthwaite; Infinity when every component is exact. */
  df: number;
  withinCurrentVariance: number;
  /** Within-run variance of the baseline's mean: mean wᵢ² / n. */
  withinBaselineVariance: number;
  /** τ², the run-to-run variance assumed for one run. */
  betweenRunVariance: number;
}

export interface ShiftEstimate {
  /** d = current − mean(history), on the analysis scale. */
  estimate: number;
  baselineValue: number;
  historyRuns: number;
  /** The floor view first, then the history view when there are enough runs. */
  views: NoiseView[];
}

/** History runs needed before their spread is trusted to measure run-to-run noise. */
export const MIN_HISTORY_FOR_SPREAD = 3;

export function estimateShift(current: RunEstimate, history: readonly RunEstimate[], noiseFloorSd: number): ShiftEstimate {
  const n = history.length;
  if (n === 0) throw new RangeError('estimateShift needs at least one baseline run');
  const baselineValue = mean(history.map((run) => run.value));
  const meanWithin = mean(history.map((run) => run.withinVariance));
  const inflation = 1 + 1 / n;

  const view = (source: NoiseView['source'], betweenRunVariance: number, components: VarianceComponent[]): NoiseView => ({
    source,
    variance: components.reduce((sum, c) => sum + c.variance, 0),
    df: satterthwaiteDf(components),
    withinCurrentVariance: current.withinVariance,
    withinBaselineVariance: meanWithin / n,
    betweenRunVariance,
  });
  // Within-run noise of the current run and of the baseline mean (Σ wᵢ²/n² = mean wᵢ²/n).
  const within: VarianceComponent[] = [
    { variance: current.withinVariance, df: current.withinDf },
    ...history.map((run) => ({ variance: run.withinVariance / (n * n), df: run.withinDf })),
  ];

  // Floor view: the floor is an assumption, exact (infinite df); only within-run parts are estimated.
  const floorVariance = noiseFloorSd * noiseFloorSd;
  const views = [view(floorVariance > 0 ? 'noise-floor' : 'none', floorVariance, [...within, { variance: inflation * floorVariance, df: Number.POSITIVE_INFINITY }])];

  if (n >= MIN_HISTORY_FOR_SPREAD) {
    // The classical prediction interval: the history's spread s² already holds a run's offset
    // and its within-run noise, so (1 + 1/n)·s² with n − 1 df covers the current run too, as long
    // as the current run is no noisier inside than the baseline runs were; any excess is added.
    const spreadVariance = sampleVariance(history.map((run) => run.value));
    const noisierInside = Math.max(0, current.withinVariance - meanWithin);
    views.push(
      view('history', Math.max(0, spreadVariance - meanWithin), [
        { variance: inflation * spreadVariance, df: n - 1 },
        { variance: noisierInside, df: current.withinDf },
      ]),
    );
  }
  return { estimate: current.value - baselineValue, baselineValue, historyRuns: n, views };
}
