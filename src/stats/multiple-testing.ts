/**
 * Corrections for testing m hypotheses at once, each holding the chance of any false rejection
 * at alpha: Holm's step-down under any dependence; Hochberg's step-up and Hommel's closed test of
 * Simes' tests when the tests are positively dependent, each rejecting everything the one before
 * it rejects, and more. All three give the same result shape.
 */
export interface CorrectionResult {
  /** Adjusted p-values, in input order: reject exactly when adjusted ≤ alpha. */
  adjustedPValues: number[];
  rejected: boolean[];
  /**
   * The per-test level at which each hypothesis was effectively judged: reject exactly when
   * p ≤ level. A one-sided confidence bound at this level agrees with the decision, so a report
   * can show intervals that never contradict the verdict.
   */
  levels: number[];
}

function checkInputs(pValues: readonly number[], alpha: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be between 0 and 1 (got ${alpha})`);
  for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be between 0 and 1 (got ${p})`);
}

/**
 * Holm's step-down procedure: uniformly more powerful than Bonferroni. A test's level is
 * alpha/(m−i+1) for the i-th smallest p-value if it was rejected, else the level of the step
 * where the procedure stopped.
 */
export function holm(pValues: readonly number[], alpha: number): CorrectionResult {
  checkInputs(pValues, alpha);
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  const adjustedPValues = new Array<number>(m).fill(1);
  const rejected = new Array<boolean>(m).fill(false);
  const levels = new Array<number>(m).fill(alpha);
  let runningMax = 0;
  let stopped = false;
  let stopLevel = alpha;
  order.forEach(({ p, index }, rank) => {
    const remaining = m - rank;
    runningMax = Math.max(runningMax, Math.min(1, remaining * p));
    adjustedPValues[index] = runningMax;
    const level = alpha / remaining;
    if (!stopped && p <= level) {
      rejected[index] = true;
      levels[index] = level;
    } else {
      if (!stopped) stopLevel = level;
      stopped = true;
      levels[index] = stopLevel;
    }
  });
  return { adjustedPValues, rejected, levels };
}

/**
 * Hochberg's step-up procedure (Hochberg, Biometrika 75, 1988): reject the k smallest p-values
 * for the largest k with p₍ₖ₎ ≤ alpha/(m−k+1). It controls the chance of any false rejection at
 * alpha when the tests are independent or positively dependent (Sarkar, Annals of Statistics 26,
 * 1998: one-sided tests whose statistics share a positively correlated noise), and rejects
 * everything Holm's procedure rejects, and more: when every test is at least somewhat worse, all
 * are rejected once the largest p-value is below alpha.
 */
export function hochberg(pValues: readonly number[], alpha: number): CorrectionResult {
  checkInputs(pValues, alpha);
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  let cut = 0; // how many of the smallest are rejected
  for (let k = m; k >= 1; k--) {
    if ((order[k - 1] as { p: number }).p <= alpha / (m - k + 1)) {
      cut = k;
      break;
    }
  }
  const adjustedPValues = new Array<number>(m).fill(1);
  const rejected = new Array<boolean>(m).fill(false);
  const levels = new Array<number>(m).fill(alpha);
  let runningMin = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const { p, index } = order[rank] as { p: number; index: number };
    runningMin = Math.min(runningMin, Math.min(1, (m - rank) * p));
    adjustedPValues[index] = runningMin;
    if (rank < cut) {
      rejected[index] = true;
      levels[index] = alpha / (m - cut + 1);
    } else levels[index] = alpha / (m - rank);
  }
  return { adjustedPValues, rejected, levels };
}

/**
 * Hommel's procedure (Hommel, Biometrika 75, 1988): the closed test of Simes' tests, so it holds
 * the chance of any false rejection at alpha under the same positive dependence as Hochberg's
 * (Sarkar 1998), and rejects everything Hochberg's rejects, and more: with j the largest number of
 * the largest p-values that all clear Simes' levels (p₍ₘ₋ⱼ₊ₖ₎ > k·alpha/j for k = 1..j), it rejects
 * every p ≤ alpha/j (all of them when no such j exists). It rejects something exactly when Simes'
 * test of "nothing changed" does: when every test is somewhat worse, the second smallest p-value
 * below 2·alpha/m is enough, where Hochberg's needs it below alpha/(m−1). Every test's level is
 * alpha/j. Adjusted p-values as Wright (Biometrics 48, 1992) computes them.
 */
export function hommel(pValues: readonly number[], alpha: number): CorrectionResult {
  checkInputs(pValues, alpha);
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  const sorted = order.map((o) => o.p);
  let clearing = 0;
  for (let size = m; size >= 1 && clearing === 0; size--) {
    let clears = true;
    for (let k = 1; k <= size && clears; k++) clears = (sorted[m - size + k - 1] as number) > (k * alpha) / size;
    if (clears) clearing = size;
  }
  const level = clearing === 0 ? alpha : alpha / clearing;
  const adjusted = hommelAdjusted(sorted);
  const adjustedPValues = new Array<number>(m);
  order.forEach(({ index }, rank) => (adjustedPValues[index] = adjusted[rank] as number));
  return { adjustedPValues, rejected: pValues.map((p) => p <= level), levels: pValues.map(() => level) };
}

/**
 * Hommel-adjusted p-values of p-values sorted ascending, in that order: the largest Simes p-value
 * over every intersection that holds the hypothesis (the closed test). Of the intersections of size s that hold H, the one with the
 * largest Simes p-value is H with the s − 1 largest other p-values (the s largest, when H is one
 * of them): min(s·p_H, the Simes terms of those others), for every size from m down to 2 (size 1
 * is p_H itself).
 */
function hommelAdjusted(p: readonly number[]): number[] {
  const m = p.length;
  if (m === 0) return [];
  let simes = Number.POSITIVE_INFINITY;
  p.forEach((value, rank) => (simes = Math.min(simes, (m * value) / (rank + 1))));
  const adjusted = new Array<number>(m).fill(simes);
  const raised = adjusted.slice();
  for (let size = m - 1; size >= 2; size--) {
    let others = Number.POSITIVE_INFINITY; // the Simes terms of the size − 1 largest p-values
    for (let k = 2; k <= size; k++) others = Math.min(others, (size * (p[m - size + k - 1] as number)) / k);
    for (let rank = 0; rank <= m - size; rank++) raised[rank] = Math.min(size * (p[rank] as number), others);
    for (let rank = m - size + 1; rank < m; rank++) raised[rank] = raised[m - size] as number;
    for (let rank = 0; rank < m; rank++) adjusted[rank] = Math.max(adjusted[rank] as number, raised[rank] as number);
  }
  return adjusted.map((value, rank) => Math.min(1, Math.max(value, p[rank] as number)));
}
