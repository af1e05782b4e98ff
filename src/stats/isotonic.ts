/**
 * Isotonic (monotone non-decreasing) least-squares regression by pool-adjacent-violators: the
 * closest non-decreasing sequence to `values` in weighted squared error. Neighbours that break
 * the order are pooled into their weighted mean until none do.
 */
export function isotonicIncreasing(values: readonly number[], weights: readonly number[] = values.map(() => 1)): number[] {
  if (weights.length !== values.length) throw new RangeError(`isotonic regression needs one weight per value (got ${weights.length} for ${values.length})`);
  const pools: Array<{ mean: number; weight: number; count: number }> = [];
  values.forEach((value, i) => {
    const weight = weights[i] as number;
    if (!(weight > 0) || !Number.isFinite(value)) throw new RangeError(`isotonic regression needs finite values and positive weights (got ${value}, ${weight})`);
    pools.push({ mean: value, weight, count: 1 });
    while (pools.length > 1 && (pools[pools.length - 2] as { mean: number }).mean > (pools[pools.length - 1] as { mean: number }).mean) {
      const last = pools.pop() as { mean: number; weight: number; count: number };
      const before = pools[pools.length - 1] as { mean: number; weight: number; count: number };
      const weight = before.weight + last.weight;
      before.mean = (before.mean * before.weight + last.mean * last.weight) / weight;
      before.weight = weight;
      before.count += last.count;
    }
  });
  return pools.flatMap((pool) => new Array<number>(pool.count).fill(pool.mean));
}
