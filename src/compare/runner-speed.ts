import type { RunRecord } from '../record/run-record-types.js';
import type { RunnerSpeed } from './comparison-types.js';
import { median } from 'simple-statistics';

/**
 * The current run's runner against its baselines', by the CPU-speed probe each run records before
 * its load (`meta.runnerFingerprint.probe`). Shared runners of one label differ: one run in ten or
 * so lands on a host a quarter slower, and every latency of that run is slower with it. A runner far
 * slower than the history's is flagged, so a reader knows a regression may be the runner's; the
 * verdict is left as it is.
 */

/** Flag a probe more than this far (a fraction of its speed) below the baselines' median. */
export const SLOWER_RUNNER_LIMIT = 0.15;
/** ...and beyond this many of the baselines' own robust standard deviations. */
const SPREADS = 3;
/** A robust standard deviation needs a few runs; with fewer, the limit alone decides. */
const MIN_RUNS_FOR_SPREAD = 3;

/**
 * How the current run's probe compares with the baseline runs' (those compared with); undefined
 * when the current run or every baseline run has none (records older than the probe).
 */
export function runnerSpeedOf(current: RunRecord, history: readonly RunRecord[]): RunnerSpeed | undefined {
  const now = probeOf(current);
  const then = history.map(probeOf).filter((speed): speed is number => speed !== undefined);
  if (now === undefined || then.length === 0) return undefined;
  const logs = then.map(Math.log);
  const centre = median(logs);
  // 1.4826 × the median absolute deviation: a standard deviation that one slow runner in the history does not inflate.
  const spread = then.length >= MIN_RUNS_FOR_SPREAD ? 1.4826 * median(logs.map((x) => Math.abs(x - centre))) : 0;
  const below = centre - Math.log(now);
  return {
    currentOpsPerMicrosecond: now,
    baselineOpsPerMicrosecond: round3(Math.exp(centre)),
    baselineRuns: then.length,
    baselineSpreadPct: round2(100 * spread),
    slowerPct: round2(100 * (Math.exp(below) - 1)),
    slower: now < (1 - SLOWER_RUNNER_LIMIT) * Math.exp(centre) && below > SPREADS * spread,
  };
}

function probeOf(run: RunRecord): number | undefined {
  const speed = run.meta.runnerFingerprint?.probe?.opsPerMicrosecond;
  return speed !== undefined && Number.isFinite(speed) && speed > 0 ? speed : undefined;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
