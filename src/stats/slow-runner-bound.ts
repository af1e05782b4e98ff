import { normalCdf } from './normal.js';

/**
 * How much of a regression any gate can catch when some runs land on slower runners that nothing
 * in the run reveals: the information bound the runner fingerprint is there to lift.
 *
 * The model, on the log scale of a p95: an unchanged current run reads its level plus, with
 * probability `share`, the slow runner's `log(factor)`, plus normal noise of standard deviation
 * `sigma`; a regression adds `log(1 + change)`. The gate is given the baseline's level exactly
 * (infinitely many baseline runs), which only helps it. A gate fails a run when its reading is
 * above a cut (the larger the change, the likelier a fail: every sane rule is of this kind), and
 * may fail at most `alpha` of unchanged runs, slow runners included. The best such gate puts its
 * cut where unchanged runs cross `alpha`; its power at `change` bounds every rule of that kind.
 * With `share` 0 this is the plain one-sided normal test.
 */
export interface SlowRunnerBoundInput {
  /** Share of runs on a slower runner, 0..1. */
  share: number;
  /** How much slower: 1.25 = every latency 25% longer. */
  factor: number;
  /** The regression to catch, relative: 0.2 = 20% slower. */
  change: number;
  /** The run's noise on the log scale, beside the runner. */
  sigma: number;
  alpha: number;
}

export interface SlowRunnerBound {
  /** The cut on the relative change above which the best gate fails a run. */
  cut: number;
  /** The share of runs `change` slower that it catches. */
  power: number;
}

export function slowRunnerBound(input: SlowRunnerBoundInput): SlowRunnerBound {
  const { share, sigma, alpha } = input;
  if (!(sigma > 0) || !(share >= 0 && share <= 1) || !(alpha > 0 && alpha < 1) || !(input.factor >= 1)) {
    throw new RangeError('slowRunnerBound needs sigma > 0, share in [0, 1], alpha in (0, 1) and factor >= 1');
  }
  const slow = Math.log(input.factor);
  const shift = Math.log1p(input.change);
  // The share of runs above a cut c (log scale) whose truth is moved by `by`.
  const above = (c: number, by: number): number => (1 - share) * (1 - normalCdf((c - by) / sigma)) + share * (1 - normalCdf((c - by - slow) / sigma));
  // Unchanged runs above the cut fall as it rises: bisect for alpha.
  let low = -10 * sigma;
  let high = slow + 10 * sigma;
  for (let i = 0; i < 200; i++) {
    const mid = (low + high) / 2;
    if (above(mid, 0) > alpha) low = mid;
    else high = mid;
  }
  return { cut: Math.expm1(high), power: above(high, shift) };
}
