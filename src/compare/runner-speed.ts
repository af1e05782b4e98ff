import type { RunRecord } from '../record/run-record-types.js';
import type { MetricComparison, RunnerSpeed, SlowBaselineRuns, StepComparison } from './comparison-types.js';
import { runRef } from './run-ref.js';
import { worstVerdict } from './verdict-rules.js';
import { median } from 'simple-statistics';

/**
 * Runners by the CPU-speed probe each run records before its load (`meta.runnerFingerprint.probe`),
 * and what a far slower one does to a stored-baseline comparison. Shared runners of one label
 * differ: one run in ten or so lands on a host a quarter slower, and every latency of that run is
 * slower with it. Two rules follow (docs/gate.md, "Slow runners and the runner fingerprint"):
 * - a baseline run whose probe is flagged against the baseline runs' probes is left out of the
 *   baseline (its level and its spread), as long as 2 baseline runs remain;
 * - a current run whose runner is flagged against the baseline's is not judged a regression on
 *   p95 or throughput: those verdicts are held back as inconclusive, with the reason. A pass stays
 *   a pass (a slower runner only makes a run look slower). Paired mode needs neither: base and
 *   head share the runner.
 * The speeds compared are by CPU time when the current run's probe has it: a busy machine lowers
 * the share of a core the probe gets, not its work per CPU-microsecond, and it is told apart
 * (`busy`): no verdict is held back for it, since what it adds to latencies is what the generator
 * self-check measures and allows for. Records older than the CPU-time probe are compared by the
 * wall clock, as before.
 */

/** Flag a probe more than this far (a fraction of its speed) below the baselines' median. */
export const SLOWER_RUNNER_LIMIT = 0.15;
/** ...and beyond this many of the baselines' own robust standard deviations. */
const SPREADS = 3;
/** A robust standard deviation needs a few runs; with fewer, the limit alone decides. */
const MIN_RUNS_FOR_SPREAD = 3;
/** Slow baseline runs are left out only while at least this many baseline runs remain. */
export const MIN_BASELINE_RUNS_KEPT = 2;
/**
 * A probe that got less than this share of a core, percent, ran on a busy machine. Alone on this
 * 2-core machine the probe got 93-100% (docs/gate.md); beside two busy loops at normal priority,
 * a third to a half.
 */
export const BUSY_SHARE_PCT = 80;

/** A run's probe: its wall-clock speed, and its CPU-time speed and share of a core where recorded. */
interface ProbeReading {
  wall: number;
  cpu?: number;
  sharePct?: number;
}

/**
 * How the current run's probe compares with the baseline runs' (those compared with); undefined
 * when the current run or every baseline run has none (records older than the probe). By CPU time
 * when the current probe has it (a baseline run without it counts by its wall-clock speed, which
 * is never above its CPU-time speed, so it can only make the current runner look faster); by the
 * wall clock otherwise.
 */
export function runnerSpeedOf(current: RunRecord, history: readonly RunRecord[]): RunnerSpeed | undefined {
  const reading = probeOf(current);
  if (reading === undefined) return undefined;
  const byCpu = reading.cpu !== undefined;
  const readings = history.map(probeOf).filter((r): r is ProbeReading => r !== undefined);
  const then = readings.map((r) => (byCpu ? (r.cpu ?? r.wall) : r.wall));
  if (then.length === 0) return undefined;
  const now = byCpu ? (reading.cpu as number) : reading.wall;
  const logs = then.map(Math.log);
  const centre = median(logs);
  // 1.4826 × the median absolute deviation: a standard deviation that one slow runner in the history does not inflate.
  const spread = then.length >= MIN_RUNS_FOR_SPREAD ? 1.4826 * median(logs.map((x) => Math.abs(x - centre))) : 0;
  const below = centre - Math.log(now);
  const shares = readings.map((r) => r.sharePct).filter((share): share is number => share !== undefined);
  return {
    currentOpsPerMicrosecond: now,
    baselineOpsPerMicrosecond: round3(Math.exp(centre)),
    baselineRuns: then.length,
    baselineSpreadPct: round2(100 * spread),
    slowerPct: round2(100 * (Math.exp(below) - 1)),
    slower: now < (1 - SLOWER_RUNNER_LIMIT) * Math.exp(centre) && below > SPREADS * spread,
    basis: byCpu ? 'cpu-time' : 'wall-time',
    ...(reading.sharePct !== undefined ? { cpuSharePct: reading.sharePct, busy: reading.sharePct < BUSY_SHARE_PCT } : {}),
    ...(shares.length > 0 ? { baselineCpuSharePct: round2(median(shares)) } : {}),
  };
}

/** The baseline runs compared with, once the runs on far slower runners are left out. */
export interface SlowBaselineSelection {
  used: RunRecord[];
  /** Absent when no baseline run's probe was flagged. */
  slow?: SlowBaselineRuns;
}

/**
 * Leaves out the baseline runs whose own probe is flagged against all the baseline runs' probes
 * (itself among them: the median and spread are robust to it). When that would leave fewer than
 * MIN_BASELINE_RUNS_KEPT runs, every run is kept and `slow.leftOut` says so.
 */
export function leaveOutSlowBaselines(history: readonly RunRecord[]): SlowBaselineSelection {
  const flagged = history
    .map((run) => ({ run, speed: runnerSpeedOf(run, history) }))
    .filter((entry): entry is { run: RunRecord; speed: RunnerSpeed } => entry.speed?.slower === true);
  if (flagged.length === 0) return { used: [...history] };
  const runs = flagged.map(({ run, speed }) => ({ run: runRef(run), slowerPct: speed.slowerPct }));
  const kept = history.filter((run) => !flagged.some((entry) => entry.run === run));
  if (kept.length < MIN_BASELINE_RUNS_KEPT) return { used: [...history], slow: { runs, leftOut: false } };
  return { used: kept, slow: { runs, leftOut: true } };
}

/** The reason `history.skipped` gives for a baseline run left out by its runner. */
export function slowBaselineReason(slowerPct: number): string {
  return `its runner was ${slowerPct.toFixed(0)}% slower than the other baseline runs' on the CPU probe taken before the load`;
}

/** The note (plain words, also the terminal's) for baseline runs on far slower runners. */
export function slowBaselineNote(slow: SlowBaselineRuns): string {
  const n = slow.runs.length;
  const pcts = joinAnd(slow.runs.map((r) => `${r.slowerPct.toFixed(0)}%`));
  const subject = n === 1 ? "1 baseline run's runner was" : `${n} baseline runs' runners were`;
  const what = `${subject} ${pcts} slower than the other baseline runs' on the CPU probe taken before the load, and a slower runner slows every latency of its run`;
  if (slow.leftOut) return `${capitalize(what)}: ${n === 1 ? 'it was' : 'they were'} left out of the baseline (its level and its spread).`;
  return `${capitalize(what)}; ${n === 1 ? 'it was' : 'they were'} kept all the same, since leaving ${n === 1 ? 'it' : 'them'} out would leave fewer than ${MIN_BASELINE_RUNS_KEPT} baseline runs, and ${n === 1 ? 'it widens' : 'they widen'} the run-to-run spread.`;
}

/** The reason a metric's regression was held back on a slower runner. */
export function slowerRunnerReason(speed: RunnerSpeed): string {
  if (speed.basis === 'cpu-time') {
    return `${runnerSlowerLabel(speed)}: the same arithmetic took ${speed.slowerPct.toFixed(0)}% more CPU time on this run's runner than on the baseline's, on the probe taken before the load, and a slower CPU slows every latency, so a regression on it is not judged; paired mode (baseline-url) measures base and head on the same runner and cancels it`;
  }
  return `this run's runner was ${speed.slowerPct.toFixed(0)}% slower than the baseline's on the CPU probe taken before the load, and a slower runner slows every latency, so a regression on it is not judged; paired mode (baseline-url) measures base and head on the same runner and cancels it`;
}

/**
 * Holds back the p95 and throughput regressions of a current run on a runner flagged as slower,
 * those the runner could explain: each becomes inconclusive with the reason, and the steps'
 * verdicts follow. A regression beyond what the runner's slowness could explain stands: its
 * interval's better end, with the runner's factor taken out (a p95 divided by it, a throughput
 * multiplied), still lies beyond the allowance (the probe's reading is noisy on a shared machine,
 * and a fortyfold slowdown is not a runner's doing). The error rate keeps its verdict (a slower
 * runner does not make a service answer 500). Returns the steps and how many verdicts were held.
 */
export function holdOnSlowerRunner(steps: readonly StepComparison[], speed: RunnerSpeed): { steps: StepComparison[]; held: number } {
  if (!speed.slower) return { steps: [...steps], held: 0 };
  const reason = slowerRunnerReason(speed);
  let held = 0;
  const factor = 1 + speed.slowerPct / 100;
  const hold = (m: MetricComparison): MetricComparison => {
    if (m.verdict !== 'regression' || beyondRunner(m, factor)) return m;
    held++;
    return { ...m, verdict: 'inconclusive', reason };
  };
  const judged = steps.map((step): StepComparison => {
    const [p95, throughput] = [hold(step.p95), hold(step.throughput)];
    return { ...step, p95, throughput, verdict: worstVerdict([p95.verdict, throughput.verdict, step.errorRate.verdict]) };
  });
  return { steps: judged, held };
}

/**
 * Whether a regression lies beyond what a runner `factor` times slower could explain: its
 * interval's better end (percent), the runner taken out, still beyond the allowance.
 */
function beyondRunner(m: MetricComparison, factor: number): boolean {
  if (m.ci === null || m.changeUnit !== '%') return false;
  if (m.worseWhen === 'higher') return ((1 + m.ci.low / 100) / factor - 1) * 100 > m.allowedChange;
  return ((1 + m.ci.high / 100) * factor - 1) * 100 < m.allowedChange;
}

/** "runner slower by 25% (CPU)": how the report names a runner whose CPU was flagged as slower. */
export function runnerSlowerLabel(speed: RunnerSpeed): string {
  return `runner slower by ${speed.slowerPct.toFixed(0)}% (CPU)`;
}

/** "machine busy: the generator got 35% of a core": how the report names a busy machine. */
export function machineBusyLabel(speed: RunnerSpeed): string {
  return `machine busy: the generator got ${(speed.cpuSharePct ?? 0).toFixed(0)}% of a core`;
}

/** The note (plain words, also the terminal's) for a current run on a far slower runner. */
export function slowerRunnerNote(speed: RunnerSpeed): string {
  const held = speed.heldRegressions ?? 0;
  const what = held === 0 ? 'none was held back' : `${held === 1 ? '1 regression' : `${held} regressions`} of p95 or throughput ${held === 1 ? 'was' : 'were'} held back as inconclusive`;
  if (speed.basis === 'cpu-time') {
    return `${capitalize(runnerSlowerLabel(speed))}: on the probe taken before the load this run's runner did ${speed.currentOpsPerMicrosecond.toFixed(1)} operations per CPU-microsecond against a median of ${speed.baselineOpsPerMicrosecond.toFixed(1)} on the baseline runs' runners; a slower CPU slows every latency, so a regression on it that the runner could explain is not judged (${what}). Paired mode (baseline-url) measures base and head on the same runner and cancels it.`;
  }
  return `This run's runner was ${speed.slowerPct.toFixed(0)}% slower than the baseline's on the CPU probe taken before the load (${speed.currentOpsPerMicrosecond.toFixed(1)} against ${speed.baselineOpsPerMicrosecond.toFixed(1)} operations per microsecond): a slower runner slows every latency, so a regression on it that the runner could explain is not judged (${what}). Paired mode (baseline-url) measures base and head on the same runner and cancels it.`;
}

/**
 * The note (plain words, also the terminal's) for a current run whose probe got less than
 * BUSY_SHARE_PCT of a core: the machine was busy, which is not a slower runner.
 */
export function busyMachineNote(speed: RunnerSpeed): string {
  const baseline = speed.baselineCpuSharePct === undefined ? '' : ` (the baseline runs' probes: a median of ${speed.baselineCpuSharePct.toFixed(0)}%)`;
  const cpu = speed.slower ? '' : `, while its CPU did as much work per CPU-microsecond as the baseline runs' (${signed(-speed.slowerPct)}%)`;
  return `${capitalize(machineBusyLabel(speed))} on the probe taken before the load${baseline}${cpu}. A busy machine is not a slower runner: nothing is held back for it, and what it adds to latencies is what the generator self-check measures and allows for.`;
}

function probeOf(run: RunRecord): ProbeReading | undefined {
  const probe = run.meta.runnerFingerprint?.probe;
  if (probe === undefined || !positive(probe.opsPerMicrosecond)) return undefined;
  if (!positive(probe.opsPerCpuMicrosecond)) return { wall: probe.opsPerMicrosecond };
  const share = probe.cpuSharePct;
  return { wall: probe.opsPerMicrosecond, cpu: probe.opsPerCpuMicrosecond, ...(share !== undefined && Number.isFinite(share) ? { sharePct: share } : {}) };
}

function positive(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value > 0;
}

function signed(value: number): string {
  const rounded = Math.round(value);
  return rounded > 0 ? `+${rounded}` : rounded === 0 ? '0' : `−${-rounded}`;
}

function joinAnd(parts: readonly string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
