import { mixtureQuantile, mixtureUpperTail } from '../stats/random-effects.js';
import type { NoiseView, ShiftEstimate } from './shift-estimate.js';

/**
 * The decision rule for one metric. Work in "badness" b = ±d (positive = worse) on the analysis
 * scale, with T the allowed worsening (log 1.10 for "10% slower", 0.01 for one error point).
 *
 * - regression:   the better-side bound  b − t(1−failLevel)·SE > 0  (significantly worse than the
 *                 baseline, at the corrected level (Hommel)) and the estimate b > T (worse than allowed);
 * - improvement:  the worse-side bound  b + t(1−alpha)·SE < 0  and  b < −T;
 * - inconclusive: neither "no change" nor "worse than allowed" is excluded
 *                 (better-side bound ≤ 0 and worse-side bound ≥ T);
 * - pass:         otherwise.
 * The standard error and its degrees of freedom come from one noise model (see `shift-estimate.ts`).
 *
 * Why: when nothing changed, failing needs the test of b ≤ 0 to reject, which happens at most
 * alpha of the time across all tests (Hommel's correction); requiring b > T as well keeps small but significant
 * changes from failing. A true change of 2T fails whenever the estimate clears both bars, so it
 * is caught ≥ 90% of the time once SE is below about T/2, and the report states the detectable
 * change when it is not. Testing "b ≤ T" instead (failing only when even the better bound is past
 * T) would catch that 2T change 64% of the time rather than 98% (SE = T/2, one test, alpha 0.05),
 * and a change just past T almost never. Passing claims every metric is below T, an intersection
 * of per-metric claims that needs no multiplicity correction, so its bound stays at alpha.
 */
export interface DecisionInput {
  shift: ShiftEstimate;
  /** +1 when higher is worse (latency, errors), −1 when lower is worse (throughput). */
  worseSign: 1 | -1;
  /** T > 0 on the analysis scale. */
  allowed: number;
  /** Corrected (Hommel) one-sided level for declaring a regression. */
  failLevel: number;
  /** One-sided level for declaring a pass or an improvement. */
  alpha: number;
  /** Level a single regression would face (alpha over the number of gated tests), for the detectable change. */
  detectionLevel: number;
  power: number;
  /**
   * What the load generator could have made each side look worse by, in badness (≥ 0, finite):
   * `current` is taken off before a regression is tested (the interval's better end moves by it),
   * `baseline` (paired mode's base arm) is added before a pass or an improvement is. Default 0.
   * See `generator-allowance.ts`.
   */
  generatorAllowance?: { current: number; baseline: number };
}

export interface Decision {
  verdict: 'pass' | 'regression' | 'improvement' | 'inconclusive';
  /** Interval of the change d (natural sign) on the analysis scale. */
  interval: { low: number; high: number };
  /** Smallest worsening (natural sign) flagged with the given power. */
  minimumDetectable: number;
  /** The noise behind the bounds. */
  binding: NoiseView;
}

/** One-sided p-value of "worse than the baseline", after taking off what the generator could have added to the current run (`allowance`, badness ≥ 0). */
export function worsePValue(shift: ShiftEstimate, worseSign: 1 | -1, allowance = 0): number {
  const badness = worseSign * shift.estimate - allowance;
  return mixtureUpperTail(shift.noise, badness);
}

/** How far a one-sided bound at `level` sits from the estimate: the noise's (1 − level) quantile. */
function margin(view: NoiseView, level: number): number {
  return mixtureQuantile(view, 1 - level);
}

export function decide(input: DecisionInput): Decision {
  const { shift, worseSign, allowed } = input;
  const noise = shift.noise;
  const badness = worseSign * shift.estimate;
  // The generator can only have made a run look worse: its share comes off that run's side.
  const fromCurrent = input.generatorAllowance?.current ?? 0;
  const fromBaseline = input.generatorAllowance?.baseline ?? 0;
  const betterBound = badness - fromCurrent - margin(noise, input.failLevel);
  const worseBound = badness + fromBaseline + margin(noise, input.alpha);

  let verdict: Decision['verdict'] = 'pass';
  if (betterBound > 0 && badness - fromCurrent > allowed) verdict = 'regression';
  else if (worseBound < 0 && badness + fromBaseline < -allowed) verdict = 'improvement';
  else if (betterBound <= 0 && worseBound >= allowed) verdict = 'inconclusive';

  // A change is flagged when its estimate clears max(T, its bound's margin); with power π the
  // change must sit the noise's π quantile above that bar (and above what the generator could add).
  const detectableBadness = Math.max(allowed, margin(noise, input.detectionLevel)) + margin(noise, 1 - input.power) + fromCurrent;

  const ends = [worseSign * betterBound, worseSign * worseBound];
  return {
    verdict,
    interval: { low: Math.min(...ends), high: Math.max(...ends) },
    minimumDetectable: worseSign * detectableBadness,
    binding: noise,
  };
}
