import { studentTPdf, studentTUpperTail } from './student-t.js';
import { normalCdf, normalPdf, normalQuantile } from './normal.js';

/** Beyond this many degrees of freedom a t component is taken as normal (quantiles agree to 0.3%). */
const NORMAL_DF = 300;

/**
 * A random-effects model of runs, xᵢ = μ + rᵢ + eᵢ with run offsets rᵢ ~ N(0, τ²) and sampling
 * errors eᵢ ~ N(0, wᵢ²) whose variances each run measured from its own blocks. The run-to-run
 * variance τ² is not estimated by one number: its posterior is computed on a grid, from the
 * restricted (REML) likelihood of the history, with μ integrated out, times a half-t prior with
 * 2 degrees of freedom and scale τ₀: heavy-tailed, so the data soon outweigh it and a real noise
 * well above τ₀ stays plausible, but not so heavy (a half-Cauchy) that one baseline run could
 * never tell a twofold slowdown from noise.
 *
 * A new run's difference from the history mean, d = y − x̄, then has the predictive
 * distribution of a mixture, Σⱼ πⱼ·√Vⱼ·T(νⱼ), with
 *   Vⱼ = w² + w̄²/n + (1 + 1/n)·τⱼ²,
 * over the grid points τⱼ with posterior weights πⱼ; the within-run variances are estimates from
 * a few blocks, so each component is a t whose degrees of freedom νⱼ are Welch–Satterthwaite's
 * (infinite where τⱼ² dominates). With one run the prior alone speaks (and
 * its heavy tail keeps the test honest when the real noise is well above τ₀); with ten, the
 * history does. Tail probabilities and quantiles of the mixture give the test and the bounds.
 *
 * A history cut into segments (the default branch's level moved: `stats/change-points.ts`) has a
 * mean μₛ per segment, each integrated out of the restricted likelihood, so τ² is the spread
 * within segments pooled over the whole window, while the level the new run is compared with is
 * the newest segment's: d = y − x̄ₛ over its nₛ runs, Vⱼ = w² + w̄ₛ²/nₛ + (1 + 1/nₛ)·τⱼ².
 */
export interface RunValue {
  value: number;
  /** Within-run variance of `value`; 0 when the run could not measure it (then τ² holds it). */
  within: number;
  /** Degrees of freedom of `within`; Infinity when exact. */
  withinDf: number;
}

export interface Mixture {
  /** Posterior weights, summing to 1. */
  weights: number[];
  /** Variance of d at each grid point, and its degrees of freedom. */
  variances: number[];
  dfs: number[];
  /** Posterior mean of τ². */
  meanBetween: number;
  /** Posterior mean of Var(d). */
  meanVariance: number;
}

const GRID_POINTS = 90;
/** Degrees of freedom of the half-t prior on τ (1 would be a half-Cauchy). */
const PRIOR_DF = 2;
/** Grid points with less posterior weight than this are dropped. */
const NEGLIGIBLE = 1e-7;
/** τ from 0 to e^3 − 1 ≈ 2000% on the log scale: far beyond any real run-to-run noise. */
const GRID_TOP = 3;

function grid(scale: number): number[] {
  // Dense near 0 and around the prior's scale: log-spaced from scale/300 to GRID_TOP, plus 0.
  const low = Math.log(Math.max(scale, 1e-6) / 300);
  const high = Math.log(GRID_TOP);
  const points = [0];
  for (let i = 0; i < GRID_POINTS; i++) points.push(Math.exp(low + ((high - low) * i) / (GRID_POINTS - 1)));
  return points;
}

export function predictiveMixture(current: RunValue, history: readonly RunValue[], priorScale: number, segments?: readonly number[]): Mixture {
  if (history.length === 0) throw new RangeError('the model needs at least one baseline run');
  if (!(priorScale > 0)) throw new RangeError(`the prior scale must be positive (got ${priorScale})`);
  if (segments !== undefined && segments.length !== history.length) throw new RangeError('one segment label per baseline run');
  const labels = segments ?? history.map(() => 0);
  const groups = new Map<number, RunValue[]>();
  history.forEach((run, i) => groups.set(labels[i] as number, [...(groups.get(labels[i] as number) ?? []), run]));
  const level = groups.get(labels.at(-1) as number) as RunValue[];
  const n = level.length;
  const taus = grid(priorScale);
  const logPosterior: number[] = [];
  for (const tau of taus) {
    const tau2 = tau * tau;
    let restricted = 0;
    for (const group of groups.values()) {
      const part = restrictedPart(group, tau2);
      restricted += part;
      if (!Number.isFinite(part)) break;
    }
    if (!Number.isFinite(restricted)) {
      logPosterior.push(Number.NEGATIVE_INFINITY);
      continue;
    }
    const prior = (-(PRIOR_DF + 1) / 2) * Math.log(1 + (tau / priorScale) ** 2 / PRIOR_DF); // half-t density in τ
    logPosterior.push(restricted + prior);
  }
  // Trapezoid weights on τ turn densities into probabilities.
  const width = taus.map((_, i) => ((taus[Math.min(i + 1, taus.length - 1)] as number) - (taus[Math.max(i - 1, 0)] as number)) / 2);
  const top = Math.max(...logPosterior);
  let weights = logPosterior.map((lp, i) => (Number.isFinite(lp) ? Math.exp(lp - top) * (width[i] as number) : 0));
  const total = weights.reduce((a, b) => a + b, 0);
  weights = weights.map((w) => w / total);

  const meanWithin = level.reduce((sum, run) => sum + run.within, 0) / n;
  const baselineWithin = meanWithin / n;
  const baselineDf = level.reduce((sum, run) => sum + run.withinDf, 0);
  const withinSquares = (current.within > 0 ? current.within ** 2 / current.withinDf : 0) + (baselineWithin > 0 ? baselineWithin ** 2 / baselineDf : 0);
  const kept = taus.flatMap((tau, j) => ((weights[j] as number) > NEGLIGIBLE ? [{ tau, weight: weights[j] as number }] : []));
  const keptTotal = kept.reduce((sum, k) => sum + k.weight, 0);
  const variances = kept.map(({ tau }) => current.within + baselineWithin + (1 + 1 / n) * tau * tau);
  return {
    weights: kept.map((k) => k.weight / keptTotal),
    variances,
    dfs: variances.map((v) => (withinSquares > 0 ? Math.max(1, (v * v) / withinSquares) : Number.POSITIVE_INFINITY)),
    meanBetween: kept.reduce((sum, { tau, weight }) => sum + (weight / keptTotal) * tau * tau, 0),
    meanVariance: variances.reduce((sum, v, i) => sum + ((kept[i] as { weight: number }).weight / keptTotal) * v, 0),
  };
}

/** One segment's share of the restricted log-likelihood at τ², its mean integrated out; −∞ where a variance is 0. */
function restrictedPart(group: readonly RunValue[], tau2: number): number {
  let sumPrecision = 0;
  let sumWeighted = 0;
  let logDet = 0;
  for (const run of group) {
    const v = tau2 + run.within;
    if (v <= 0) return Number.NEGATIVE_INFINITY;
    sumPrecision += 1 / v;
    sumWeighted += run.value / v;
    logDet += Math.log(v);
  }
  const mu = sumWeighted / sumPrecision;
  let quadratic = 0;
  for (const run of group) quadratic += (run.value - mu) ** 2 / (tau2 + run.within);
  return -0.5 * (logDet + Math.log(sumPrecision) + quadratic);
}

type MixtureParts = Pick<Mixture, 'weights' | 'variances' | 'dfs'>;

/** P(D > x) for D from the mixture. */
export function mixtureUpperTail(mixture: MixtureParts, x: number): number {
  let tail = 0;
  for (let j = 0; j < mixture.weights.length; j++) {
    const v = mixture.variances[j] as number;
    const df = mixture.dfs[j] as number;
    const z = x / Math.sqrt(v);
    tail += (mixture.weights[j] as number) * (v > 0 ? (df > NORMAL_DF ? 1 - normalCdf(z) : studentTUpperTail(z, df)) : x <= 0 ? 1 : 0);
  }
  return Math.min(1, Math.max(0, tail));
}

function mixtureDensity(mixture: MixtureParts, x: number): number {
  let density = 0;
  for (let j = 0; j < mixture.weights.length; j++) {
    const v = mixture.variances[j] as number;
    const df = mixture.dfs[j] as number;
    const z = x / Math.sqrt(v);
    if (v > 0) density += ((mixture.weights[j] as number) * (df > NORMAL_DF ? normalPdf(z) : studentTPdf(z, df))) / Math.sqrt(v);
  }
  return density;
}

/** The p-quantile of the (symmetric) mixture, 0 < p < 1: safeguarded Newton inside a bracket. */
export function mixtureQuantile(mixture: MixtureParts, p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1) (got ${p})`);
  if (p === 0.5) return 0;
  const tail = p > 0.5 ? 1 - p : p;
  if (mixture.variances.every((v) => v === 0)) return 0;
  const mean = mixture.variances.reduce((sum, v, j) => sum + (mixture.weights[j] as number) * v, 0);
  let low = 0;
  let high = Math.max(1e-12, -normalQuantile(tail) * Math.sqrt(mean));
  while (mixtureUpperTail(mixture, high) > tail) {
    low = high;
    high *= 2;
  }
  let x = (low + high) / 2;
  for (let i = 0; i < 60; i++) {
    const f = mixtureUpperTail(mixture, x) - tail;
    if (f > 0) low = x;
    else high = x;
    const density = mixtureDensity(mixture, x);
    let next = density > 0 ? x + f / density : (low + high) / 2;
    if (!(next > low && next < high)) next = (low + high) / 2;
    if (Math.abs(next - x) <= 1e-10 * Math.max(1e-6, x)) {
      x = next;
      break;
    }
    x = next;
  }
  return p > 0.5 ? x : -x;
}
