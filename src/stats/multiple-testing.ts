/**
 * Holm's step-down procedure: controls the chance of any false rejection among m tests at
 * alpha under any dependence between them (steps and metrics of one run are far from independent),
 * and is uniformly more powerful than Bonferroni.
 */
export interface HolmResult {
  /** Holm-adjusted p-values, in input order: reject exactly when adjusted ≤ alpha. */
  adjustedPValues: number[];
  rejected: boolean[];
  /**
   * The per-test level at which each hypothesis was effectively judged: alpha/(m−i+1) for the
   * i-th smallest p-value if it was rejected, else the level of the step where the procedure
   * stopped. A one-sided confidence bound at this level agrees with the decision, so a report
   * can show intervals that never contradict the verdict.
   */
  levels: number[];
}

export function holm(pValues: readonly number[], alpha: number): HolmResult {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be between 0 and 1 (got ${alpha})`);
  for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be between 0 and 1 (got ${p})`);
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
 * are rejected once the largest p-value is below alpha. Same result shape as `holm`.
 */
export function hochberg(pValues: readonly number[], alpha: number): HolmResult {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be between 0 and 1 (got ${alpha})`);
  for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be between 0 and 1 (got ${p})`);
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
