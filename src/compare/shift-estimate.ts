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
 * too few blocks to measure its own noise is taken to be as noisy inside as the baseline runs.
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

export interface ShiftEstimate {
  /** d = current − mean(history), on the analysis scale. */
  estimate: number;
  baselineValue: number;
  historyRuns: number;
  noise: NoiseView;
}

export function estimateShift(current: RunEstimate, history: readonly RunEstimate[], prior: NoisePrior): ShiftEstimate {
  const n = history.length;
  if (n === 0) throw new RangeError('estimateShift needs at least one baseline run');
  const baselineValue = history.reduce((sum, run) => sum + run.value, 0) / n;
  const known = history.filter((run) => run.withinVariance !== null);
  const historyWithin = known.length > 0 ? known.reduce((sum, run) => sum + (run.withinVariance as number), 0) / known.length : null;
  // A run that could not measure its own noise is taken to be as noisy as the others were.
  const fill = historyWithin ?? current.withinVariance ?? 0;
  const fillDf = historyWithin !== null ? known.reduce((sum, run) => sum + run.withinDf, 0) / known.length : current.withinDf;
  const currentWithin = current.withinVariance ?? fill;
  const dfOf = (run: RunEstimate): number => (run.withinVariance !== null ? run.withinDf : fillDf) || Number.POSITIVE_INFINITY;
  const mixture = predictiveMixture(
    { value: current.value, within: currentWithin, withinDf: dfOf(current) },
    history.map((run) => ({ value: run.value, within: run.withinVariance ?? fill, withinDf: dfOf(run) })),
    prior.sd,
  );
  return {
    estimate: current.value - baselineValue,
    baselineValue,
    historyRuns: n,
    noise: {
      ...mixture,
      variance: mixture.meanVariance,
      withinCurrentVariance: currentWithin,
      withinBaselineVariance: history.reduce((sum, run) => sum + (run.withinVariance ?? fill), 0) / (n * n),
      betweenRunVariance: mixture.meanBetween,
      priorSd: prior.sd,
      currentWithinKnown: current.withinVariance !== null,
    },
  };
}
