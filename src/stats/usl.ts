/**
 * The Universal Scalability Law: throughput against concurrency,
 *   X(N) = λN / (1 + σ(N − 1) + κN(N − 1)),
 * with λ the throughput of one client, σ the contention (the serial share of the work, 0 ≤ σ ≤ 1)
 * and κ the coherency cost (crosstalk between clients, κ ≥ 0). With κ > 0 throughput peaks at
 * N* = sqrt((1 − σ) / κ) and falls beyond it.
 *
 * Fitted by nonlinear least squares on X (Levenberg–Marquardt, the bounds kept by projection),
 * started from the linear fit of N/X on (N − 1) and N(N − 1). A bound that binds at the optimum
 * is found by fitting the models with σ = 0, κ = 0 or both as well and keeping the best (the
 * simpler one when a richer one fits no better than rounding).
 */

export interface UslPoint {
  /** Concurrency (clients, VUs), > 0. */
  n: number;
  /** Throughput at that concurrency, ≥ 0. */
  x: number;
}

export interface UslParameters {
  lambda: number;
  sigma: number;
  kappa: number;
}

export interface UslResult extends UslParameters {
  /** Concurrency at peak throughput (Infinity when κ = 0: throughput only levels off). */
  peakConcurrency: number;
  /** Throughput at the peak (λ/σ, the asymptote, when κ = 0 and σ > 0; Infinity when both are 0). */
  peakThroughput: number;
  rSquared: number;
  sumOfSquares: number;
}

export function uslThroughput({ lambda, sigma, kappa }: UslParameters, n: number): number {
  return (lambda * n) / (1 + sigma * (n - 1) + kappa * n * (n - 1));
}

/** N* = sqrt((1 − σ)/κ), at least 1. */
export function uslPeakConcurrency({ sigma, kappa }: Pick<UslParameters, 'sigma' | 'kappa'>): number {
  if (kappa <= 0) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.sqrt(Math.max(0, 1 - sigma) / kappa));
}

/** Needs at least 4 points at 3 or more distinct concurrencies. */
export function fitUsl(points: readonly UslPoint[]): UslResult {
  for (const p of points) if (!(p.n > 0 && Number.isFinite(p.n) && p.x >= 0 && Number.isFinite(p.x))) throw new RangeError(`USL points need n > 0 and x ≥ 0 (got n=${p.n}, x=${p.x})`);
  if (points.length < 4 || new Set(points.map((p) => p.n)).size < 3) throw new RangeError(`a USL fit needs at least 4 points at 3 concurrencies (got ${points.length})`);

  const starts = startingPoints(points);
  // Simplest model first; a richer one must fit better by more than rounding to replace it.
  const tolerance = 1e-12 * points.reduce((sum, p) => sum + p.x * p.x, 0);
  let best: { params: UslParameters; sse: number } | undefined;
  for (const free of FREE_SETS) {
    for (const start of starts) {
      const fitted = levenbergMarquardt(points, { ...start, ...(free.sigma ? {} : { sigma: 0 }), ...(free.kappa ? {} : { kappa: 0 }) }, free);
      if (best === undefined || fitted.sse < best.sse - tolerance) best = fitted;
    }
  }
  const { params, sse } = best as { params: UslParameters; sse: number };
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / points.length;
  const sst = points.reduce((sum, p) => sum + (p.x - meanX) ** 2, 0);
  const peakConcurrency = uslPeakConcurrency(params);
  const peakThroughput = Number.isFinite(peakConcurrency) ? uslThroughput(params, peakConcurrency) : params.sigma > 0 ? params.lambda / params.sigma : Number.POSITIVE_INFINITY;
  return { ...params, peakConcurrency, peakThroughput, rSquared: sst > 0 ? 1 - sse / sst : 1, sumOfSquares: sse };
}

interface FreeSet {
  sigma: boolean;
  kappa: boolean;
}

const FREE_SETS: readonly FreeSet[] = [
  { sigma: false, kappa: false },
  { sigma: true, kappa: false },
  { sigma: false, kappa: true },
  { sigma: true, kappa: true },
];

/** From N/X = 1/λ + (σ/λ)(N − 1) + (κ/λ)N(N − 1), a linear least-squares problem; and a plain one. */
function startingPoints(points: readonly UslPoint[]): UslParameters[] {
  const lowest = points.reduce((a, b) => (b.n < a.n ? b : a));
  const plain: UslParameters = { lambda: Math.max(lowest.x / lowest.n, 1e-9), sigma: 0.01, kappa: 1e-4 };
  const usable = points.filter((p) => p.x > 0);
  const rows = usable.map((p) => [1, p.n - 1, p.n * (p.n - 1)]);
  const coefficients = solve(normalMatrix(rows), normalVector(rows, usable.map((p) => p.n / p.x)));
  if (coefficients === undefined) return [plain];
  const [a = 0, b = 0, c = 0] = coefficients;
  if (!(a > 0)) return [plain];
  return [{ lambda: 1 / a, sigma: clampSigma(b / a), kappa: Math.max(0, c / a) }, plain];
}

const clampSigma = (sigma: number): number => Math.min(1, Math.max(0, sigma));

function sumOfSquares(points: readonly UslPoint[], params: UslParameters): number {
  return points.reduce((sum, p) => sum + (p.x - uslThroughput(params, p.n)) ** 2, 0);
}

/** Levenberg–Marquardt on the free parameters (λ always), each step projected onto the bounds. */
function levenbergMarquardt(points: readonly UslPoint[], start: UslParameters, free: FreeSet): { params: UslParameters; sse: number } {
  const names: Array<keyof UslParameters> = ['lambda', ...(free.sigma ? (['sigma'] as const) : []), ...(free.kappa ? (['kappa'] as const) : [])];
  let params = { ...start, lambda: Math.max(start.lambda, 1e-12) };
  let sse = sumOfSquares(points, params);
  let damping = 1e-3;
  for (let iteration = 0; iteration < 500; iteration++) {
    const jacobian = points.map((p) => gradient(params, p.n, names));
    const residuals = points.map((p) => p.x - uslThroughput(params, p.n));
    const jtj = normalMatrix(jacobian);
    const jtr = normalVector(jacobian, residuals);
    let improved = false;
    while (damping < 1e12) {
      const damped = jtj.map((row, i) => row.map((value, j) => (i === j ? value * (1 + damping) + 1e-300 : value)));
      const step = solve(damped, jtr);
      if (step === undefined) {
        damping *= 10;
        continue;
      }
      const trial = { ...params };
      names.forEach((name, i) => (trial[name] += step[i] as number));
      trial.lambda = Math.max(trial.lambda, 1e-12);
      trial.sigma = clampSigma(trial.sigma);
      trial.kappa = Math.max(0, trial.kappa);
      const trialSse = sumOfSquares(points, trial);
      if (trialSse < sse) {
        const gain = (sse - trialSse) / Math.max(sse, 1e-300);
        params = trial;
        sse = trialSse;
        damping = Math.max(damping / 3, 1e-12);
        improved = gain > 1e-14;
        break;
      }
      damping *= 4;
    }
    if (!improved) break;
  }
  return { params, sse };
}

function gradient({ lambda, sigma, kappa }: UslParameters, n: number, names: ReadonlyArray<keyof UslParameters>): number[] {
  const denominator = 1 + sigma * (n - 1) + kappa * n * (n - 1);
  const parts: Record<keyof UslParameters, number> = {
    lambda: n / denominator,
    sigma: (-lambda * n * (n - 1)) / denominator ** 2,
    kappa: (-lambda * n * n * (n - 1)) / denominator ** 2,
  };
  return names.map((name) => parts[name]);
}

function normalMatrix(rows: readonly number[][]): number[][] {
  const k = rows[0]?.length ?? 0;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const row of rows) for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) (matrix[i] as number[])[j] = ((matrix[i] as number[])[j] as number) + (row[i] as number) * (row[j] as number);
  return matrix;
}

function normalVector(rows: readonly number[][], y: readonly number[]): number[] {
  const k = rows[0]?.length ?? 0;
  const vector = new Array<number>(k).fill(0);
  rows.forEach((row, r) => {
    for (let i = 0; i < k; i++) vector[i] = (vector[i] as number) + (row[i] as number) * (y[r] as number);
  });
  return vector;
}

/** Gaussian elimination with partial pivoting; undefined when singular. */
function solve(matrix: readonly number[][], vector: readonly number[]): number[] | undefined {
  const k = vector.length;
  const a = matrix.map((row, i) => [...row, vector[i] as number]);
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++) if (Math.abs((a[r] as number[])[col] as number) > Math.abs((a[pivot] as number[])[col] as number)) pivot = r;
    const scale = Math.max(...a.map((row) => Math.abs(row[col] as number)), 1e-300);
    if (Math.abs((a[pivot] as number[])[col] as number) <= scale * 1e-14) return undefined;
    [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
    const top = a[col] as number[];
    for (let r = col + 1; r < k; r++) {
      const row = a[r] as number[];
      const factor = (row[col] as number) / (top[col] as number);
      for (let c = col; c <= k; c++) row[c] = (row[c] as number) - factor * (top[c] as number);
    }
  }
  const x = new Array<number>(k).fill(0);
  for (let r = k - 1; r >= 0; r--) {
    const row = a[r] as number[];
    let sum = row[k] as number;
    for (let c = r + 1; c < k; c++) sum -= (row[c] as number) * (x[c] as number);
    x[r] = sum / (row[r] as number);
  }
  return x.every(Number.isFinite) ? x : undefined;
}
