/**
 * What `tailgate analyze` answers about one run (`tailgate.analysis/v1`): the questions a run's
 * shape asks. A stress run (rising load) asks where the target breaks; a spike asks how fast it
 * recovers; a long run asks whether it slowly gets worse. Plain data, a contract (see
 * docs/analyze.md): fields are added, never renamed.
 */

export const ANALYSIS_SCHEMA = 'tailgate.analysis/v1';

/** An estimate with its confidence interval (95% unless stated). */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** What load is measured in: iterations a second asked (open model) or VUs (closed model). */
export type LoadUnit = 'rps' | 'vus';

/** One level of the load the run held (a stage, or a slice of a ramp) and what the target did there. */
export interface LoadLevel {
  /** Offsets from the start of the measured period, milliseconds. */
  startMs: number;
  endMs: number;
  /** The load asked for: iterations a second (open) or VUs (closed). */
  offered: number;
  /** Requests a second completed. */
  achievedRps: number;
  /** Open model: iterations due and dropped (no free VU) in the level. */
  due?: number;
  dropped?: number;
  /** Requests a second the target would have served had it kept up (open model: due × requests per iteration). */
  expectedRps?: number;
  /** p95 over the level: its blocks' p95 averaged, weighted by their requests, milliseconds (null with no requests). */
  p95Ms: number | null;
  /** Growth of block p95 within the level (a robust slope), percent of the level's p95 a second, when it has 3 blocks or more. */
  p95GrowthPctPerSecond?: number;
  errorRate: number;
  /**
   * Requests a second the target served here as it could (the open model counts a request in the
   * block it was due, so a queue growing k ms a ms means achieved ÷ (1 + k) were served; the
   * closed model: achieved). Present where it was at its limit (a growing queue, dropped
   * iterations, too little throughput).
   */
  servedRps?: number;
  /** The target kept up here: throughput, queue, errors and p95 within bounds (docs/analyze.md, "Breaking point"). */
  keptUp: boolean;
  /** Why not, in plain words (empty when it kept up). */
  reasons: string[];
}

/** Universal Scalability Law fit of throughput against concurrency: X(N) = λN / (1 + σ(N−1) + κN(N−1)). */
export interface UslFit {
  /** Throughput of one VU, requests a second. */
  lambda: number;
  /** Contention (serial fraction) and coherency (crosstalk) coefficients. */
  sigma: number;
  kappa: number;
  /** Concurrency at peak throughput, and the peak, requests a second. */
  peakConcurrency: number;
  peakRps: number;
  /** Coefficient of determination of the fit. */
  rSquared: number;
}

export interface CapacityAnswer {
  unit: LoadUnit;
  /**
   * The highest load the target kept up with, in requests a second served: between the last level
   * it kept up with and the one it broke at, where the rate it served at its limit there says
   * (docs/analyze.md, "Breaking point"). Null when it kept up with no level.
   */
  sustainableRps: Interval | null;
  /** Where p95 crosses the profile's p95 threshold (absent without one, or when it never crossed). */
  sloCrossingRps: Interval | null;
  /** The ramp never saturated the target: its capacity is at least the highest load tried. */
  atLeast: boolean;
  /** What gave out first: latency, errors or throughput (absent while it kept up). */
  limitedBy?: 'latency' | 'errors' | 'throughput';
  /** Index in `levels` of the level where it broke: the first it did not keep up with, above the highest it did (absent while it kept up). */
  breakingLevel?: number;
  /** VU ramps that passed the peak only. */
  usl?: UslFit;
  levels: LoadLevel[];
  /** Capacity planning (the profile's `capacity`): instances needed for the target load, with its interval. */
  plan?: { target: number; unit: 'users' | 'rps'; headroomPct: number; instances: Interval };
  /** What the figures mean here, or why one is absent, in plain words. */
  notes?: string[];
}

/**
 * One surge of the planned load and how the target came back from it (src/analyze/recovery.ts,
 * docs/analyze.md): a stretch of the planned curve at least twice the level held before it and
 * the level held after it.
 */
export interface SurgeRecovery {
  /** The surge's peak level and the level held before it: iterations a second (open model) or VUs. */
  surgeOffered: number;
  beforeOffered: number;
  /** From where the level before ends to where the level after begins, from the start of the measured period, milliseconds. */
  surgeStartMs: number;
  surgeEndMs: number;
  /**
   * Seconds after the surge ended until block p95 and the error rate were back within the
   * allowance of their level before it and stayed there for two blocks: the crossing lies in a
   * block, and the level before is itself uncertain (a seeded bootstrap over its blocks). A
   * `high` of `observedSeconds` means "not sure it recovered within the run". Null: not back
   * within the run, or not judged (see `note`).
   */
  seconds: Interval | null;
  recovered: boolean;
  /** How long after the surge the run kept the level after it, seconds: how long recovery was watched. */
  observedSeconds?: number;
  /** p95 before the surge (median of the block p95s at the level before) and the highest block p95 during and after it, milliseconds. */
  p95BeforeMs: number | null;
  p95PeakMs: number | null;
  /** The allowance applied (the larger of the option, 20% by default, and the spread of the blocks before), and the block p95 it allows, milliseconds; absent when not judged. */
  allowancePct?: number;
  p95LimitMs?: number;
  /** Blocks at the level before the surge that set its p95 (3 at least to judge a recovery). */
  beforeBlocks?: number;
  /** Errors in the blocks the surge overlaps, and their error rate. */
  surgeErrors: number;
  surgeErrorRate: number;
  /** Why a recovery could not be judged, or what it was not back to, in plain words. */
  note?: string;
}

export interface TrendAnswer {
  /** Slope of log block p95 over the measured period (warm-up excluded), percent a minute. */
  p95PctPerMinute: Interval;
  /** One-sided test of growth, with errors that respect autocorrelation. */
  significant: boolean;
  pValue: number;
  /** Slope of the error rate, percentage points a minute. */
  errorRatePointsPerMinute?: Interval;
  blocks: number;
  method: string;
  /**
   * The fitted slope of natural-log block p95, per minute, with its standard error and degrees of
   * freedom: what a comparison sets against the baseline runs' own slopes (docs/analyze.md,
   * "Gated like the rest"). Absent in analyses written before comparisons read it.
   */
  logSlopePerMinute?: { estimate: number; se: number; df: number };
}

export interface Analysis {
  schema: typeof ANALYSIS_SCHEMA;
  /** Which answers the run's shape allows, and why others are absent. */
  shape: 'rising' | 'surge' | 'steady' | 'other';
  capacity?: CapacityAnswer;
  recovery: SurgeRecovery[];
  trend?: TrendAnswer;
  notes: string[];
}
