import { seededRandom } from './seeded-random.js';
import { trimmedMean } from './trimmed-mean.js';

/**
 * The sign-flip (randomization) test that paired differences are centred on 0. Under that
 * hypothesis, with the two arms exchangeable within each pair, each difference was as likely to
 * come out with the other sign, so the observed statistic is ranked among its values under every
 * assignment of signs. The test is exact for any distribution of the differences symmetric about
 * 0 (no normal approximation, no degrees of freedom to estimate), which a handful of block pairs
 * needs: on paired synthetic runs of 7 pairs the t test on the same trimmed mean failed 5.5–6.5%
 * of unchanged heads at α = 5%, this test 3.5–4.5% (docs/paired.md).
 *
 * The statistic is the γ-trimmed mean. Up to EXACT_PAIRS differences every assignment is
 * enumerated, p = #{T* ≥ T} / 2^k; beyond, DRAWS seeded ones, p = (1 + #{T* ≥ T}) / (1 + DRAWS),
 * so the same differences always give the same p.
 */
export const EXACT_PAIRS = 12;
export const DRAWS = 4000;

/** One-sided p-value of "no shift" against a shift towards `sign` (+1: the differences are larger). */
export function signFlipPValue(differences: readonly number[], sign: 1 | -1, trim: number, seed = 1): number {
  const k = differences.length;
  if (k === 0) throw new RangeError('a sign-flip test needs at least one difference');
  const d = differences.map((x) => sign * x);
  const observed = trimmedMean(d, trim).mean;
  // Equal statistics computed in another order may differ in the last bits: they count as equal.
  const tolerance = 1e-12 * Math.max(1, ...d.map(Math.abs));
  const flipped = new Array<number>(k);
  const atLeastObserved = (flip: (i: number) => boolean): boolean => {
    for (let i = 0; i < k; i++) flipped[i] = flip(i) ? -(d[i] as number) : (d[i] as number);
    return trimmedMean(flipped, trim).mean >= observed - tolerance;
  };
  if (k <= EXACT_PAIRS) {
    const total = 2 ** k;
    let count = 0;
    for (let mask = 0; mask < total; mask++) if (atLeastObserved((i) => ((mask >> i) & 1) === 1)) count++;
    return count / total;
  }
  const random = seededRandom(seed);
  let count = 0;
  for (let draw = 0; draw < DRAWS; draw++) if (atLeastObserved(() => random.next() < 0.5)) count++;
  return (1 + count) / (1 + DRAWS);
}

/** The least p-value `signFlipPValue` can give for k differences: 1 / 2^k enumerated, 1 / (1 + DRAWS) drawn. */
export function signFlipFloor(k: number): number {
  return k <= EXACT_PAIRS ? 1 / 2 ** k : 1 / (1 + DRAWS);
}
