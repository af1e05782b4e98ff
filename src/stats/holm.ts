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
