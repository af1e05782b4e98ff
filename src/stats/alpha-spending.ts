import { normalCdf, normalPdf, normalQuantile } from './normal.js';

/**
 * Group-sequential boundaries from an α-spending function (Lan and DeMets): a one-sided test
 * looked at several times as the data grow, at information fractions t₁ < … < t_K = 1, spends
 * α(t_k) − α(t_{k−1}) of its level at look k, so that over all looks a statistic with no drift
 * crosses a boundary with probability α(t_K) = α at most. The statistic is taken to be a Brownian
 * motion on the information scale (a sum of independent increments), whose look-to-look values
 * are computed by numerical integration on a grid (Armitage, McPherson and Rowe's recursion, as
 * Jennison and Turnbull describe it, chapter 19). Each look's boundary is given as a nominal
 * one-sided level: reject at look k when the look's own p-value is below it.
 */

/** How much of α a design has spent by information fraction t ∈ (0, 1]. */
export type SpendingFunction = (alpha: number, t: number) => number;

/**
 * O'Brien–Fleming-type spending, one-sided: α(t) = 2 − 2Φ(z_{1−α/2} / √t). It spends almost
 * nothing early (a tenth of the way in, about 10⁻⁷ of α = 0.05) and keeps the last look's level
 * close to α, so a run that goes to its end loses little against a fixed design.
 */
export const obrienFlemingSpending: SpendingFunction = (alpha, t) => {
  if (!(t > 0)) return 0;
  const z = normalQuantile(1 - alpha / 2);
  return Math.min(alpha, 2 * (1 - normalCdf(z / Math.sqrt(Math.min(1, t)))));
};

export interface SequentialBoundary {
  /** Information fraction of the look. */
  fraction: number;
  /** α spent up to and including this look. */
  spent: number;
  /** The boundary on the z scale, and the nominal one-sided level it is: 1 − Φ(z). */
  z: number;
  nominal: number;
}

/** Points of the integration grid per standard deviation of the statistic's spread. */
const GRID_PER_SD = 24;
/** How far below zero (in standard deviations of the look's statistic) the grid reaches; beyond, the density is negligible. */
const GRID_REACH = 8;

/**
 * The boundaries of a one-sided design at `fractions` (increasing, the last ≤ 1), spending
 * `alpha` by `spending`. A look whose share of α is nil gets an infinite boundary (nominal 0).
 */
export function sequentialBoundaries(alpha: number, fractions: readonly number[], spending: SpendingFunction = obrienFlemingSpending): SequentialBoundary[] {
  if (!(alpha > 0 && alpha < 0.5)) throw new RangeError(`alpha must be in (0, 0.5) (got ${alpha})`);
  fractions.forEach((t, i) => {
    if (!(t > 0 && t <= 1 && (i === 0 || t > (fractions[i - 1] as number)))) throw new RangeError(`information fractions must increase within (0, 1] (got ${fractions.join(', ')})`);
  });
  const bounds: SequentialBoundary[] = [];
  // The density of the score S_k = Z_k·√t_k on the paths that have not crossed yet, on a grid.
  let grid: { s: number[]; density: number[]; step: number } | undefined;
  let spentBefore = 0;
  let previousT = 0;
  for (const t of fractions) {
    const spent = Math.max(spentBefore, spending(alpha, t));
    const share = spent - spentBefore;
    const sd = Math.sqrt(t);
    // The density of S_k before any boundary at k: the previous continuation region's, convolved with the increment.
    const increment = Math.sqrt(t - previousT);
    const density = (s: number): number => {
      if (grid === undefined) return normalPdf(s / sd) / sd;
      let total = 0;
      const g = grid;
      for (let j = 0; j < g.s.length; j++) total += (g.density[j] as number) * normalPdf((s - (g.s[j] as number)) / increment);
      return (total * g.step) / increment;
    };
    // Mass above the boundary b (score scale), by the same convolution with the normal's tail.
    const massAbove = (b: number): number => {
      if (grid === undefined) return 1 - normalCdf(b / sd);
      let total = 0;
      const g = grid;
      for (let j = 0; j < g.s.length; j++) total += (g.density[j] as number) * (1 - normalCdf((b - (g.s[j] as number)) / increment));
      return total * g.step;
    };
    let z = Infinity;
    if (share > 1e-15) {
      // Bisect on the score scale: massAbove falls as b rises.
      let low = -GRID_REACH * sd;
      let high = GRID_REACH * sd;
      for (let i = 0; i < 80; i++) {
        const mid = (low + high) / 2;
        if (massAbove(mid) > share) low = mid;
        else high = mid;
      }
      z = (low + high) / 2 / sd;
    }
    bounds.push({ fraction: t, spent, z, nominal: Number.isFinite(z) ? 1 - normalCdf(z) : 0 });
    // The next grid: S_k below its boundary (paths still running), its density by the convolution above.
    const upper = Number.isFinite(z) ? z * sd : GRID_REACH * sd;
    const lower = -GRID_REACH * sd;
    const points = Math.max(50, Math.ceil(((upper - lower) / sd) * GRID_PER_SD));
    const step = (upper - lower) / points;
    const s: number[] = [];
    const values: number[] = [];
    for (let i = 0; i <= points; i++) {
      const x = lower + i * step;
      s.push(x);
      // Trapezoid weights: half at the ends.
      values.push(density(x) * (i === 0 || i === points ? 0.5 : 1));
    }
    grid = { s, density: values, step };
    spentBefore = spent;
    previousT = t;
  }
  return bounds;
}
