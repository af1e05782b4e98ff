import type { ServerTimingBreakdown, ServerTimingChange, Verdict } from '../compare/comparison-types.js';
import { formatCount, formatMs, formatPct, isFiniteNumber } from './number-format.js';
import { VERDICT_MARK } from './verdict-marks.js';

/**
 * A step's Server-Timing breakdown as table cells, the same for the PR comment and the HTML page:
 * each component's p95 of `dur`, baseline and this run, and the change in ms and percent. `show`
 * makes the target's name safe where the cells go (markdown or HTML escaping). The breakdown may
 * come from a file written by another version: every number is printed only when it is one, and
 * the test of a component (its interval, and its verdict when gated) is read only where it has
 * the expected form.
 */
export interface ServerTimingRow {
  name: string;
  baseline: string;
  current: string;
  change: string;
  /** The change's interval, when the comparison gives one ('' otherwise). */
  interval: string;
  /** The component's verdict, and the increase allowed, when the comparison gates it. */
  verdict: Verdict | undefined;
  allowed: string;
}

export interface ServerTimingCells {
  rows: ServerTimingRow[];
  /** Some component carries an interval (of its blocks' p95 level, ms): the table gets its column. */
  withIntervals: boolean;
  /** Some component is gated: the table gets a column for its mark. */
  withVerdicts: boolean;
  /** "3 malformed entries, 2 dropped" for this run, or ''. */
  issues: string;
}

/** Components beyond these are left out of a table (a record keeps 20 names a step). */
export const MAX_COMPONENT_ROWS = 20;

export function serverTimingCells(breakdown: ServerTimingBreakdown | undefined, show: (name: string) => string): ServerTimingCells | undefined {
  const components = Array.isArray(breakdown?.components) ? breakdown.components.filter((c) => typeof c?.name === 'string') : [];
  if (breakdown === undefined || components.length === 0) return undefined;
  const rows = components.slice(0, MAX_COMPONENT_ROWS).map((c): ServerTimingRow => ({
    name: show(c.name),
    baseline: msCell(c.baselineP95Ms),
    current: msCell(c.currentP95Ms),
    change: changeCell(c),
    interval: intervalCell(c),
    verdict: gatedVerdict(c),
    allowed: allowedCell(c),
  }));
  const counted = (n: unknown, what: string): string => (isFiniteNumber(n) && n > 0 ? `${formatCount(n)} ${what}` : '');
  const issues = [counted(breakdown.malformed, 'malformed entries'), counted(breakdown.dropped, 'dropped (beyond the first 20 names)')].filter((t) => t !== '').join(', ');
  return { rows, withIntervals: rows.some((r) => r.interval !== ''), withVerdicts: rows.some((r) => r.verdict !== undefined), issues };
}

function msCell(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '–' : formatMs(ms);
}

/** A change in ms with its sign: +30.0 ms, −1.20 ms, ±0 ms. */
export function formatMsChange(ms: number): string {
  if (!isFiniteNumber(ms)) return '?';
  if (ms === 0) return '±0 ms';
  const size = formatMs(Math.abs(ms));
  return `${ms > 0 ? '+' : ms < 0 ? '−' : '±'}${size}`;
}

function changeCell(c: ServerTimingChange): string {
  if (c.changeMs === null || c.changeMs === undefined) {
    const hasBaseline = c.baselineP95Ms !== null && c.baselineP95Ms !== undefined;
    const hasCurrent = c.currentP95Ms !== null && c.currentP95Ms !== undefined;
    return hasCurrent && !hasBaseline ? 'new' : hasBaseline && !hasCurrent ? 'gone' : '–';
  }
  const pct = c.changePct === null || c.changePct === undefined ? '' : ` (${formatPct(c.changePct)})`;
  return `${formatMsChange(c.changeMs)}${pct}`;
}

/**
 * What a comparison that tests the components adds to one (`interval`: the change of the blocks'
 * p95 level with its interval, ms, and the verdict when `regression.serverTiming` gates it), read
 * only where it has that form: a comparison without it renders as before.
 */
interface ComponentTestShape {
  ci?: { lowMs?: unknown; highMs?: unknown };
  gated?: unknown;
  verdict?: unknown;
  allowedPct?: unknown;
}

function testOf(c: ServerTimingChange): ComponentTestShape | undefined {
  const interval = (c as { interval?: unknown }).interval;
  return typeof interval === 'object' && interval !== null ? (interval as ComponentTestShape) : undefined;
}

function intervalCell(c: ServerTimingChange): string {
  const ci = testOf(c)?.ci;
  if (typeof ci !== 'object' || ci === null || !isFiniteNumber(ci.lowMs) || !isFiniteNumber(ci.highMs)) return '';
  return `${formatMsChange(ci.lowMs)} … ${formatMsChange(ci.highMs)}`;
}

function gatedVerdict(c: ServerTimingChange): Verdict | undefined {
  const test = testOf(c);
  if (test?.gated !== true || typeof test.verdict !== 'string' || !Object.hasOwn(VERDICT_MARK, test.verdict)) return undefined;
  return test.verdict as Verdict;
}

function allowedCell(c: ServerTimingChange): string {
  const test = testOf(c);
  return test?.gated === true && isFiniteNumber(test.allowedPct) ? formatPct(test.allowedPct) : '';
}
