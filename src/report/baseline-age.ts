import type { BaselineMove, Comparison, RunRef } from '../compare/comparison-types.js';
import { code, escapeText } from './escape.js';
import { formatChange } from './number-format.js';

/** Past this many days the comment warns that the baseline is old. */
export const STALE_BASELINE_DAYS = 14;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The newest baseline run a stored-baseline comparison used (none in paired mode). */
export function newestBaselineRun(comparison: Comparison): RunRef | undefined {
  if (comparison.pairing !== undefined) return undefined;
  let newest: RunRef | undefined;
  for (const run of comparison.history.used) if (newest === undefined || Date.parse(run.startedAt) > Date.parse(newest.startedAt)) newest = run;
  return newest;
}

/** "recorded 3 days ago at abc1234" (or on a date when no clock is given), for the context line. */
export function baselineAgePhrase(run: RunRef, now: Date | undefined): string {
  const ms = now === undefined ? Number.NaN : now.getTime() - Date.parse(run.startedAt);
  const when = Number.isFinite(ms) ? ago(ms) : `on ${runDate(run)}`;
  return `recorded ${when}${at(run)}`;
}

/** A warning line when the newest baseline run is older than 14 days; empty otherwise. */
export function staleBaselineWarning(run: RunRef | undefined, now: Date | undefined): string {
  if (run === undefined || now === undefined) return '';
  const days = Math.floor((now.getTime() - Date.parse(run.startedAt)) / DAY_MS);
  if (!(days > STALE_BASELINE_DAYS)) return '';
  return `⚠️ The baseline is ${days} days old: its newest run was recorded on ${runDate(run)}${at(run)}, so this branch may be compared with code long since changed. A push to the default branch records a new baseline run.`;
}

/**
 * "Baseline moved at `abc1234` (+19%, 2026-03-02 10:00 UTC)": the default branch's level moved
 * within the history, so p95 is compared with the runs since. Said once, for the first metric
 * that moved (overall first), from typed values only; empty when no level moved.
 */
export function baselineMovedLine(comparison: Comparison): string {
  if (comparison.pairing !== undefined) return '';
  const moves = comparison.steps.flatMap((step) =>
    [step.p95, step.throughput].flatMap((metric) => (metric.baselineMoved !== undefined ? [{ step: step.kind === 'overall' ? 'all steps' : step.name, metric, move: metric.baselineMoved }] : [])),
  );
  const first = moves[0];
  if (first === undefined) return '';
  const { move, metric } = first;
  const label = metric.metric === 'p95' ? 'p95' : 'throughput';
  const others = moves.length > 1 ? `; ${moves.length - 1} more step${moves.length === 2 ? '' : 's'} or metric${moves.length === 2 ? '' : 's'} moved too` : '';
  return `↕️ Baseline moved at ${movedAt(move)} (${label} of ${escapeText(first.step)} ${formatChange(metric, move.change)}, ${runDate(move.at)}${move.cause === 'accepted' ? ', accepted' : ''}): compared with the ${move.runs} run${move.runs === 1 ? '' : 's'} since${others}.`;
}

function movedAt(move: BaselineMove): string {
  return move.at.commit !== undefined ? code(move.at.commit.slice(0, 7)) : move.at.runId !== undefined ? `run ${code(move.at.runId)}` : 'a run';
}

function ago(ms: number): string {
  if (ms < 60_000) return 'just now';
  if (ms < HOUR_MS) return plural(Math.floor(ms / 60_000), 'minute');
  if (ms < DAY_MS) return plural(Math.floor(ms / HOUR_MS), 'hour');
  return plural(Math.floor(ms / DAY_MS), 'day');
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
}

function runDate(run: RunRef): string {
  return `${escapeText(run.startedAt.slice(0, 16).replace('T', ' '))} UTC`;
}

function at(run: RunRef): string {
  return run.commit !== undefined ? ` at ${code(run.commit.slice(0, 7))}` : '';
}
