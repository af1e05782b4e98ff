import { lag1Autocorrelation } from './autocorrelation.js';
import { studentTQuantile, studentTUpperTail } from './student-t.js';

/**
 * A straight-line slope through a time series, tested with a standard error that respects
 * autocorrelation (heteroskedasticity-and-autocorrelation robust, HAR).
 *
 * Neighbouring blocks of a run share the target's state (a cache warming, a queue, a noisy
 * neighbour), so their values wander together; an ordinary least-squares t-test counts every
 * block as new evidence and takes that wandering for a trend far too often. Here the slope is the
 * ordinary least-squares one; its variance comes from the long-run variance of the noise,
 * estimated from the residuals' ν lowest cosine components (equal-weighted cosine, EWC; Lazarus,
 * Lewis, Stock & Watson 2018). The cosines are first made orthogonal to the line (Sun 2011, trend
 * inference with series variance estimators), so that t = (b − β) / se follows Student's t with
 * exactly ν degrees of freedom when the noise is independent and normal, and approximately (the
 * fixed-b reference) when it is autocorrelated.
 *
 * With few blocks and strong autocorrelation the fixed-b reference is not enough (at 24 blocks
 * and a lag-one autocorrelation of 0.8 it rejects a flat series 10–12% of the time at 5%): the ν
 * components sit at frequencies just above the slow swings that pass for a trend, and see less
 * of them than the slope does. So the standard error and degrees of freedom are then corrected
 * for the autocorrelation the residuals show: for first-order autoregressive noise of that
 * strength, the ratio of the slope's true variance to the estimate's mean, and the estimate's
 * effective degrees of freedom (Satterthwaite, 2·mean²/variance of the quadratic form). The
 * strength used is an upper estimate (the residuals' lag-one autocorrelation corrected for its
 * downward bias after a fitted line, (2 + 4φ)/T, plus 1.5 standard errors √((1 − φ²)/T)), which
 * keeps the test's size at or below alpha in experiments (test/stats/hac-slope.test.ts,
 * docs/analyze.md). With no autocorrelation the correction is nothing: se and ν as above.
 */
export interface HacSlope {
  slope: number;
  intercept: number;
  /** Standard error of the slope, corrected for `autocorrelation`. */
  se: number;
  /** Degrees of freedom of the t reference: ν without autocorrelation, fewer (fractional) with it. */
  df: number;
  /** The number of cosine terms. */
  nu: number;
  /** The lag-one autocorrelation the standard error and df allow for (0 to 0.98). */
  autocorrelation: number;
  /** The EWC long-run variance of the noise around the line (per observation, σ² summed over all lags), before the correction. */
  longRunVariance: number;
  /** One-sided p-value of "the slope is above 0" (growth). */
  pValueGreater: number;
  /** Two-sided interval of the slope at `confidence`. */
  low: number;
  high: number;
  confidence: number;
}

export interface HacSlopeOptions {
  /** Cosine terms; default the Lazarus–Lewis–Stock–Watson rule (`defaultCosineTerms`). */
  nu?: number;
  /** Of the two-sided interval; default 0.95. */
  confidence?: number;
  /** The lag-one autocorrelation to allow for, 0 ≤ φ < 1; default the upper estimate from the residuals. 0 gives the plain fixed-b test, Student t with ν df. */
  autocorrelation?: number;
}

/**
 * How far above its bias-corrected estimate the autocorrelation is taken. One standard error
 * left the size at 24 blocks and φ = 0.8 at 5.6% (10,000 trials); 1.5 brings it to 4.3% for a
 * few points of power (a 60% rise over 12 blocks with 8% noise: found 86% of the time, not 89%).
 */
const UPPER_STANDARD_ERRORS = 1.5;

/** The highest autocorrelation allowed for: beyond it a run's blocks are one slow swing and no test helps. */
const MAX_AUTOCORRELATION = 0.98;

/**
 * ν ≈ 0.4·T^(2/3) (Lazarus, Lewis, Stock & Watson 2018, their rule for EWC), at least 2 (with one
 * term the reference is the Cauchy and no interval is useful) and at most T − 2 (the line takes
 * two dimensions of the residuals).
 */
export function defaultCosineTerms(observations: number): number {
  return Math.max(2, Math.min(observations - 2, Math.round(0.4 * observations ** (2 / 3))));
}

/**
 * The slope of `y` on `x` with its HAR test. `x` must be strictly increasing (time); the series
 * is laid out in units of its usual (median) step, so a few missing points (left-out blocks) keep
 * their places. Needs at least ν + 2 points. A series with no spread around its line has se 0: its
 * p-value is 0 for a positive slope and 1 otherwise.
 */
export function hacSlope(y: readonly number[], x: readonly number[], options: HacSlopeOptions = {}): HacSlope {
  const n = y.length;
  if (x.length !== n) throw new RangeError(`x and y need the same length (got ${x.length} and ${n})`);
  const nu = options.nu ?? defaultCosineTerms(n);
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(nu) || nu < 1) throw new RangeError(`the number of cosine terms must be a whole number ≥ 1 (got ${nu})`);
  if (n < nu + 2) throw new RangeError(`a slope with ${nu} cosine terms needs at least ${nu + 2} points (got ${n})`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1 (got ${confidence})`);
  const given = options.autocorrelation;
  if (given !== undefined && !(given >= 0 && given <= MAX_AUTOCORRELATION)) {
    throw new RangeError(`autocorrelation must be between 0 and ${MAX_AUTOCORRELATION} (got ${given})`);
  }
  for (let t = 0; t < n; t++) {
    if (!Number.isFinite(y[t]) || !Number.isFinite(x[t])) throw new RangeError(`x and y must be finite (point ${t}: x=${x[t]}, y=${y[t]})`);
    if (t > 0 && !((x[t] as number) > (x[t - 1] as number))) throw new RangeError(`x must be strictly increasing (point ${t}: ${x[t - 1]} then ${x[t]})`);
  }

  const xMean = average(x);
  const yMean = average(y);
  const dx = x.map((v) => v - xMean);
  let sxx = 0;
  let sxy = 0;
  for (let t = 0; t < n; t++) {
    sxx += (dx[t] as number) ** 2;
    sxy += (dx[t] as number) * ((y[t] as number) - yMean);
  }
  let slope = sxy / sxx;
  const residuals = y.map((v, t) => v - yMean - slope * (dx[t] as number));
  // Values on a line (or all equal) leave residuals and a slope of rounding size: call them 0, so
  // a constant series has slope 0 and no spread rather than a t of noise over noise.
  const tolerance = 1e-12 * Math.max(...y.map(Math.abs));
  const onLine = residuals.every((r) => Math.abs(r) <= tolerance);
  if (onLine && Math.abs(slope) * ((x[n - 1] as number) - (x[0] as number)) <= tolerance) slope = 0;
  const intercept = yMean - slope * xMean;

  const layout = cosineLayout(x, dx, sxx, nu);
  const longRunVariance = onLine ? 0 : ewcLongRunVariance(layout, residuals);
  const autocorrelation = onLine ? 0 : (given ?? upperAutocorrelation(residuals));
  const { varianceRatio, df } = autocorrelation > 0 ? arCorrection(layout, dx, sxx, autocorrelation) : { varianceRatio: 1, df: nu };
  const se = Math.sqrt((longRunVariance / sxx) * varianceRatio);
  const critical = studentTQuantile(1 - (1 - confidence) / 2, df);
  let pValueGreater: number;
  if (se > 0) pValueGreater = studentTUpperTail(slope / se, df);
  else pValueGreater = slope > 0 ? 0 : 1;
  return { slope, intercept, se, df, nu, autocorrelation, longRunVariance, pValueGreater, low: slope - critical * se, high: slope + critical * se, confidence };
}

/**
 * The lag-one autocorrelation of the residuals, corrected for its downward bias after a fitted
 * line and raised by 1.5 standard errors, within [0, 0.98].
 */
function upperAutocorrelation(residuals: readonly number[]): number {
  const n = residuals.length;
  const raw = lag1Autocorrelation(residuals);
  const corrected = raw + (2 + 4 * Math.max(0, raw)) / n;
  const upper = corrected + UPPER_STANDARD_ERRORS * Math.sqrt(Math.max(0, 1 - Math.min(1, corrected) ** 2) / n);
  return Math.min(MAX_AUTOCORRELATION, Math.max(0, upper));
}

/** The cosine terms made orthogonal to the line, their Gram matrix, and where each point sits in steps. */
interface CosineLayout {
  /** ν columns of length n. */
  cleaned: number[][];
  gram: number[][];
  /** Each x in units of the usual (median) step, from the first. */
  steps: number[];
}

function cosineLayout(x: readonly number[], dx: readonly number[], sxx: number, nu: number): CosineLayout {
  const n = x.length;
  const gaps = x.slice(1).map((v, t) => v - (x[t] as number)).sort((a, b) => a - b);
  const step = gaps[Math.floor((gaps.length - 1) / 2)] as number;
  const first = x[0] as number;
  const steps = x.map((v) => (v - first) / step);
  // Positions in (0, 1): the centres of n equal cells when x is evenly spaced, so the cosines are
  // those of the type-II discrete cosine transform.
  const span = (steps[n - 1] as number) + 1;
  const cleaned: number[][] = [];
  for (let j = 1; j <= nu; j++) {
    const cosine = steps.map((s) => Math.cos((Math.PI * j * (s + 0.5)) / span));
    const cosineMean = average(cosine);
    const lineSlope = dot(dx, cosine) / sxx;
    cleaned.push(cosine.map((c, t) => c - cosineMean - lineSlope * (dx[t] as number)));
  }
  return { cleaned, gram: cleaned.map((a) => cleaned.map((b) => dot(a, b))), steps };
}

/**
 * (1/ν)·‖P_S e‖², S the span of the cleaned cosines. Residuals of a least-squares line are
 * orthogonal to the line, so projecting them on a cleaned cosine is projecting them on the
 * cosine; the result does not depend on how S's basis is scaled or rotated.
 */
function ewcLongRunVariance(layout: CosineLayout, residuals: readonly number[]): number {
  const projections = layout.cleaned.map((c) => dot(c, residuals));
  const solved = solveSymmetricPositive(layout.gram, [projections])[0] as number[];
  return Math.max(0, dot(projections, solved)) / layout.cleaned.length;
}

/**
 * For noise with correlation φ^|lag| (lags in steps): the slope's true variance over the mean of
 * its EWC estimate, and the estimate's effective degrees of freedom. The estimate of Var(b) is a
 * quadratic form eᵀQe with Q = C̃G⁻¹C̃ᵀ/(ν·Sxx); with Σ the noise's correlation matrix, its mean is
 * tr(G⁻¹H)/(ν·Sxx) and its variance 2·tr((G⁻¹H)²)/(ν·Sxx)², H = C̃ᵀΣC̃. Scale cancels, so φ alone matters.
 */
function arCorrection(layout: CosineLayout, dx: readonly number[], sxx: number, phi: number): { varianceRatio: number; df: number } {
  const nu = layout.cleaned.length;
  const trueVariance = dot(dx, applyArCorrelation(dx, layout.steps, phi)) / (sxx * sxx);
  const sigmaC = layout.cleaned.map((c) => applyArCorrelation(c, layout.steps, phi));
  const h = layout.cleaned.map((a) => sigmaC.map((b) => dot(a, b)));
  // K = G⁻¹H, column by column (H is symmetric, so its rows are its columns).
  const kColumns = solveSymmetricPositive(layout.gram, h);
  let trace = 0;
  let traceOfSquare = 0;
  for (let i = 0; i < nu; i++) {
    trace += (kColumns[i] as number[])[i] as number;
    for (let j = 0; j < nu; j++) traceOfSquare += ((kColumns[j] as number[])[i] as number) * ((kColumns[i] as number[])[j] as number);
  }
  const meanEstimate = trace / (nu * sxx);
  return { varianceRatio: trueVariance / meanEstimate, df: (trace * trace) / traceOfSquare };
}

/** Σv for Σ_ts = φ^|steps_t − steps_s|, in O(n) by one pass each way. */
function applyArCorrelation(v: readonly number[], steps: readonly number[], phi: number): number[] {
  const n = v.length;
  const forward = new Array<number>(n).fill(0);
  const backward = new Array<number>(n).fill(0);
  for (let t = 0; t < n; t++) {
    const carried = t > 0 ? (forward[t - 1] as number) * phi ** ((steps[t] as number) - (steps[t - 1] as number)) : 0;
    forward[t] = (v[t] as number) + carried;
  }
  for (let t = n - 1; t >= 0; t--) {
    const carried = t < n - 1 ? (backward[t + 1] as number) * phi ** ((steps[t + 1] as number) - (steps[t] as number)) : 0;
    backward[t] = (v[t] as number) + carried;
  }
  return v.map((value, t) => (forward[t] as number) + (backward[t] as number) - value);
}

/** Solves G·z = r for each right-hand side r, G symmetric positive-definite (ν × ν, small), by Cholesky. */
function solveSymmetricPositive(g: readonly (readonly number[])[], rightHandSides: readonly (readonly number[])[]): number[][] {
  const k = g.length;
  const lower: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = (g[i] as number[])[j] as number;
      for (let m = 0; m < j; m++) sum -= ((lower[i] as number[])[m] as number) * ((lower[j] as number[])[m] as number);
      if (i === j) {
        if (!(sum > 0)) throw new RangeError('the cosine terms are not independent of the line: too few distinct points for this many terms');
        (lower[i] as number[])[i] = Math.sqrt(sum);
      } else {
        (lower[i] as number[])[j] = sum / ((lower[j] as number[])[j] as number);
      }
    }
  }
  return rightHandSides.map((rhs) => {
    const forward = new Array<number>(k).fill(0);
    for (let i = 0; i < k; i++) {
      let sum = rhs[i] as number;
      for (let m = 0; m < i; m++) sum -= ((lower[i] as number[])[m] as number) * (forward[m] as number);
      forward[i] = sum / ((lower[i] as number[])[i] as number);
    }
    const solution = new Array<number>(k).fill(0);
    for (let i = k - 1; i >= 0; i--) {
      let sum = forward[i] as number;
      for (let m = i + 1; m < k; m++) sum -= ((lower[m] as number[])[i] as number) * (solution[m] as number);
      solution[i] = sum / ((lower[i] as number[])[i] as number);
    }
    return solution;
  });
}

function average(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}
