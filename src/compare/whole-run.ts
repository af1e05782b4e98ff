import type { Profile } from '../config/profile-types.js';
import { buildPlan } from '../plan/plan.js';
import type { PairedRecord } from '../record/paired-record-types.js';
import type { RunRecord } from '../record/run-record-types.js';
import type { Comparison, IncompleteRun, MetricComparison, StepComparison } from './comparison-types.js';
import { conclusionOf, worstVerdict } from './verdict-rules.js';

/**
 * Only whole runs are judged (DESIGN.md "Statistics"). A run stopped early measured a different
 * run from the one planned: its first seconds (often the coldest), too few blocks for the noise it
 * has, and a baseline of whole runs to set them against. Such a comparison is neither a pass nor a
 * regression; it is inconclusive, and says why. A threshold written with abortOnFail that stopped
 * the run stays a broken threshold (its conclusion fails, as k6's exit does).
 */

/** A run that measured less than this share of its planned measured time is not whole. */
export const WHOLE_RUN_SHARE = 0.8;

/**
 * Why `run` is not whole, or undefined when it is: interrupted (Ctrl-C, SIGTERM), stopped by an
 * abortOnFail threshold, or measured for less than WHOLE_RUN_SHARE of `plannedMs` (its planned
 * measured time, when known).
 */
export function incompleteRun(run: RunRecord, plannedMs: number | undefined): IncompleteRun | undefined {
  const measuredMs = run.meta.measuredMs;
  const planned = plannedMs !== undefined && Number.isFinite(plannedMs) && plannedMs > 0 ? Math.round(plannedMs) : null;
  if (run.meta.interrupted) return { cause: 'interrupted', measuredMs, plannedMs: planned };
  if (run.meta.aborted) return { cause: 'aborted', measuredMs: Math.min(measuredMs, run.meta.aborted.atMs), plannedMs: planned };
  if (planned !== null && measuredMs < WHOLE_RUN_SHARE * planned) return { cause: 'short', measuredMs, plannedMs: planned };
  return undefined;
}

/**
 * The measured time a stored-baseline comparison expects of its current run: the profile's when
 * the caller knows it, else the median of the whole baseline runs' (runs of one profile hash share
 * one schedule). Undefined when neither says.
 */
export function plannedMeasuredMs(explicit: number | undefined, history: readonly RunRecord[]): number | undefined {
  if (explicit !== undefined) return explicit;
  const whole = history.filter((run) => !run.meta.interrupted && run.meta.aborted === undefined).map((run) => run.meta.measuredMs).sort((a, b) => a - b);
  if (whole.length === 0) return undefined;
  const middle = Math.floor(whole.length / 2);
  return whole.length % 2 === 1 ? whole[middle] : ((whole[middle - 1] as number) + (whole[middle] as number)) / 2;
}

/**
 * The measured time `profile` plans (its schedule less the warm-up), ms, for a run of that very
 * profile (the same hash); undefined for a run of another version of it, whose schedule may differ.
 */
export function profilePlannedMs(profile: Profile, run: RunRecord): number | undefined {
  const plan = buildPlan(profile);
  if (plan.profile.hash !== run.meta.profile.hash) return undefined;
  return Math.max(0, plan.durationMs - plan.warmupMs);
}

/**
 * A paired run's head arm planned as many measured parts of blocks as its blocks in the record's
 * order (the schedule laid out for the whole run), each `blockMs − settleMs` long.
 */
export function pairedPlannedMs(paired: PairedRecord): number {
  const { blockMs, settleMs } = paired.meta.pairing;
  return paired.order.filter((arm) => arm === 'head').length * (blockMs - settleMs);
}

/**
 * The comparison of a run that is not whole: every verdict it measured is held back
 * (inconclusive, with the reason), the run's verdict is inconclusive (no-baseline stays), and the
 * conclusion follows the thresholds alone, so a broken one (an abortOnFail that stopped the run)
 * still fails.
 */
export function judgedIncomplete(comparison: Comparison, incomplete: IncompleteRun): Comparison {
  const sentence = incompleteSentence(incomplete);
  const held = (m: MetricComparison): MetricComparison =>
    m.verdict === 'pass' || m.verdict === 'regression' || m.verdict === 'improvement' ? { ...m, verdict: 'inconclusive', reason: sentence } : m;
  const steps = comparison.steps.map((step): StepComparison => {
    const [p95, throughput, errorRate] = [held(step.p95), held(step.throughput), held(step.errorRate)];
    return { ...step, p95, throughput, errorRate, verdict: worstVerdict([p95.verdict, throughput.verdict, errorRate.verdict]) };
  });
  const verdict = comparison.verdict === 'no-baseline' ? 'no-baseline' : 'inconclusive';
  const note = `Not judged: ${sentence}.`;
  return { ...comparison, verdict, conclusion: conclusionOf(verdict, comparison.thresholds), steps, notes: [...comparison.notes, note], incomplete };
}

/**
 * What a comparison could not test when a run it compares holds only percentiles per window (an
 * aggregate import, `meta.source.fidelity`): the blocks' p95s are judged, the whole-run
 * percentiles and the error kinds are not. Empty when every run kept each request.
 */
export function aggregateNotes(current: RunRecord, history: readonly RunRecord[]): string[] {
  const aggregate = [current, ...history].filter((run) => run.meta.source?.fidelity === 'aggregate').length;
  if (aggregate === 0) return [];
  return [
    `${aggregate} of the runs compared held only percentiles per window (${current.meta.source?.fidelity === 'aggregate' ? 'this run among them' : 'baselines'}): p95 was judged from the windows' p95s; whole-run percentiles (p50, p99) and the kinds of errors could not be tested.`,
  ];
}

/** The plain sentence a report and the notes give for a run that is not whole. */
export function incompleteSentence(incomplete: IncompleteRun): string {
  const measured = seconds(incomplete.measuredMs);
  const planned = incomplete.plannedMs === null ? '' : ` of the ${seconds(incomplete.plannedMs)} planned`;
  switch (incomplete.cause) {
    case 'interrupted':
      return `the run was interrupted (Ctrl-C or SIGTERM) after ${measured}${planned} of measurement; only whole runs are judged`;
    case 'aborted':
      return `a threshold with abortOnFail stopped the run after ${measured}${planned} of measurement; only whole runs are judged (the threshold itself stays broken)`;
    case 'short':
      return `the run measured ${measured}${planned}, less than ${Math.round(WHOLE_RUN_SHARE * 100)}% of it; only whole runs are judged`;
  }
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
