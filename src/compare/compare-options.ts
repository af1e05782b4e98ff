import type { RegressionSettings, ServerTimingAllowance } from '../config/regression-config.js';

/**
 * Options of the relative gate, as the CLI flags and the `regression` config block express them,
 * and their defaults. The profile's part, `RegressionSettings`, is config's; this adds what only
 * flags and code set. Resolving validates programmatic input; user input is validated earlier
 * (see `regression-config.ts`) so its errors can name the config field.
 */
export interface CompareOptions extends RegressionSettings {
  /** Allowed p95 increase and throughput decrease, percent, unless set per metric. */
  thresholdPct?: number;
  /** A block's p95 is used only when the block holds at least this many latencies. */
  minBlockRequests?: number;
  /** Fewer usable blocks than this makes a metric inconclusive (its within-run noise is unknown). */
  minBlocks?: number;
  /** Power for the minimum detectable change. */
  power?: number;
}

export interface ResolvedCompareOptions {
  p95Pct: number;
  throughputPct: number;
  errorRateIncrease: number;
  alpha: number;
  noiseFloorPct: number;
  steps: string[] | undefined;
  minBlockRequests: number;
  minBlocks: number;
  power: number;
  /** Allowed decrease of the sustainable rate, increase of a recovery time, percent; extra p95 growth, percent a minute (`shape-tests.ts`). */
  capacityPct: number;
  recoveryPct: number;
  trendPctPerMinute: number;
  /** The slow burn is gated only when the profile sets `regression.trend`; else it is compared and reported. */
  trendGated: boolean;
  /** The Server-Timing components gated and their allowances; undefined: none is (`server-timing-tests.ts`). */
  serverTiming: ServerTimingAllowance | undefined;
  /** The target's CPU per request (allowed increase, percent) and memory growth (extra percent a minute): gated only when the profile sets them (`target-metrics-tests.ts`). */
  cpuPct: number;
  cpuGated: boolean;
  memoryPctPerMinute: number;
  memoryGated: boolean;
}

export const DEFAULT_COMPARE_OPTIONS = {
  thresholdPct: 10,
  errorRateIncrease: 0.01,
  alpha: 0.05,
  noiseFloorPct: 8,
  minBlockRequests: 20,
  minBlocks: 5,
  power: 0.8,
  capacityPct: 10,
  recoveryPct: 50,
  trendPctPerMinute: 5,
  cpuPct: 25,
  memoryPctPerMinute: 2,
} as const;

/**
 * An explicit allowance (a CLI flag, an action input) for p95 and throughput: it wins over the
 * profile's per-metric `regression.p95` and `.throughput`, which would otherwise shadow it.
 */
export function withAllowedChange(options: CompareOptions, pct: number): CompareOptions {
  return { ...options, thresholdPct: pct, p95Pct: pct, throughputPct: pct };
}

export function resolveCompareOptions(options: CompareOptions = {}): ResolvedCompareOptions {
  const thresholdPct = options.thresholdPct ?? DEFAULT_COMPARE_OPTIONS.thresholdPct;
  const resolved: ResolvedCompareOptions = {
    p95Pct: options.p95Pct ?? thresholdPct,
    throughputPct: options.throughputPct ?? thresholdPct,
    errorRateIncrease: options.errorRateIncrease ?? DEFAULT_COMPARE_OPTIONS.errorRateIncrease,
    alpha: options.alpha ?? DEFAULT_COMPARE_OPTIONS.alpha,
    noiseFloorPct: options.noiseFloorPct ?? DEFAULT_COMPARE_OPTIONS.noiseFloorPct,
    steps: options.steps,
    minBlockRequests: options.minBlockRequests ?? DEFAULT_COMPARE_OPTIONS.minBlockRequests,
    minBlocks: options.minBlocks ?? DEFAULT_COMPARE_OPTIONS.minBlocks,
    power: options.power ?? DEFAULT_COMPARE_OPTIONS.power,
    capacityPct: options.capacityPct ?? DEFAULT_COMPARE_OPTIONS.capacityPct,
    recoveryPct: options.recoveryPct ?? DEFAULT_COMPARE_OPTIONS.recoveryPct,
    trendPctPerMinute: options.trendPctPerMinute ?? DEFAULT_COMPARE_OPTIONS.trendPctPerMinute,
    trendGated: options.trendPctPerMinute !== undefined,
    serverTiming: options.serverTiming,
    cpuPct: options.cpuPct ?? DEFAULT_COMPARE_OPTIONS.cpuPct,
    cpuGated: options.cpuPct !== undefined,
    memoryPctPerMinute: options.memoryPctPerMinute ?? DEFAULT_COMPARE_OPTIONS.memoryPctPerMinute,
    memoryGated: options.memoryPctPerMinute !== undefined,
  };
  check(resolved.p95Pct > 0 && Number.isFinite(resolved.p95Pct), 'p95Pct', 'a positive percentage', resolved.p95Pct);
  check(resolved.throughputPct > 0 && resolved.throughputPct < 100, 'throughputPct', 'a percentage between 0 and 100', resolved.throughputPct);
  check(resolved.errorRateIncrease > 0 && resolved.errorRateIncrease < 1, 'errorRateIncrease', 'a fraction between 0 and 1', resolved.errorRateIncrease);
  check(resolved.alpha > 0 && resolved.alpha < 0.5, 'alpha', 'between 0 and 0.5', resolved.alpha);
  check(resolved.noiseFloorPct >= 0 && Number.isFinite(resolved.noiseFloorPct), 'noiseFloorPct', 'a percentage ≥ 0', resolved.noiseFloorPct);
  check(Number.isInteger(resolved.minBlockRequests) && resolved.minBlockRequests >= 1, 'minBlockRequests', 'a whole number ≥ 1', resolved.minBlockRequests);
  check(Number.isInteger(resolved.minBlocks) && resolved.minBlocks >= 2, 'minBlocks', 'a whole number ≥ 2', resolved.minBlocks);
  check(resolved.power > 0 && resolved.power < 1, 'power', 'between 0 and 1', resolved.power);
  check(resolved.capacityPct > 0 && resolved.capacityPct < 100, 'capacityPct', 'a percentage between 0 and 100', resolved.capacityPct);
  check(resolved.recoveryPct > 0 && Number.isFinite(resolved.recoveryPct), 'recoveryPct', 'a positive percentage', resolved.recoveryPct);
  check(resolved.trendPctPerMinute > 0 && Number.isFinite(resolved.trendPctPerMinute), 'trendPctPerMinute', 'a positive percentage a minute', resolved.trendPctPerMinute);
  check(resolved.cpuPct > 0 && Number.isFinite(resolved.cpuPct), 'cpuPct', 'a positive percentage', resolved.cpuPct);
  check(resolved.memoryPctPerMinute > 0 && Number.isFinite(resolved.memoryPctPerMinute), 'memoryPctPerMinute', 'a positive percentage a minute', resolved.memoryPctPerMinute);
  return resolved;
}

function check(ok: boolean, name: string, expected: string, got: unknown): void {
  if (!ok) throw new RangeError(`compare option ${name} must be ${expected} (got ${String(got)})`);
}
