import { median } from 'simple-statistics';

/**
 * A trend that one wild point cannot steer. The slope: Theil–Sen (the median of the slopes of all pairs of
 * points) for up to `PAIRWISE_LIMIT` points; beyond, Tukey's resistant line (the slope between
 * the medians of the first and last thirds), which costs n log n instead of n². Undefined with
 * fewer than 2 distinct x.
 */
export const PAIRWISE_LIMIT = 40;

export function robustSlope(x: readonly number[], y: readonly number[]): number | undefined {
  if (x.length !== y.length) throw new RangeError(`a slope needs as many x as y (got ${x.length} and ${y.length})`);
  const n = x.length;
  if (n <= PAIRWISE_LIMIT) {
    const slopes: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = (x[j] as number) - (x[i] as number);
        if (dx !== 0) slopes.push(((y[j] as number) - (y[i] as number)) / dx);
      }
    }
    return slopes.length > 0 ? median(slopes) : undefined;
  }
  const order = x.map((_, i) => i).sort((a, b) => (x[a] as number) - (x[b] as number));
  const third = Math.floor(n / 3);
  const first = order.slice(0, third);
  const last = order.slice(n - third);
  const dx = median(last.map((i) => x[i] as number)) - median(first.map((i) => x[i] as number));
  if (dx === 0) return undefined;
  return (median(last.map((i) => y[i] as number)) - median(first.map((i) => y[i] as number))) / dx;
}

/**
 * Kendall's tau-a of y against x: (concordant − discordant pairs) / all pairs, from −1 (y falls
 * whenever x rises) to 1 (y always rises with x). Pairs tied in x or y count as neither.
 * Undefined with fewer than 2 points.
 */
export function kendallTau(x: readonly number[], y: readonly number[]): number | undefined {
  if (x.length !== y.length) throw new RangeError(`a trend needs as many x as y (got ${x.length} and ${y.length})`);
  const n = x.length;
  if (n < 2) return undefined;
  let score = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) score += Math.sign(((x[j] as number) - (x[i] as number)) * ((y[j] as number) - (y[i] as number)));
  }
  return score / ((n * (n - 1)) / 2);
}
