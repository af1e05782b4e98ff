import type { ServerTimingBreakdown, ServerTimingChange, StepComparison } from '../compare/comparison-types.js';

/**
 * Each step's Server-Timing breakdown as lines of text, one per step: every component's p95 of
 * `dur`, baseline → current, and its change with the interval ("db 10.0 ms → 40.0 ms (+30.0 ms
 * (CI +25.0 … +35.0), +300%)"), the largest move first; a gated component's verdict after it.
 * `show` makes a name from the target safe where the lines go (escaping for markdown, as is for
 * the terminal, whose names are HTTP tokens). Without an interval (an older comparison, a
 * component too sparse to test) the point change is shown.
 */
export function serverTimingLines(steps: readonly StepComparison[], show: (name: string) => string, maxComponents = 5): string[] {
  const lines: string[] = [];
  for (const step of steps) {
    const breakdown = step.serverTiming;
    if (breakdown === undefined || breakdown.components.length === 0) continue;
    const shown = breakdown.components.slice(0, maxComponents).map((c) => componentText(c, show));
    const more = breakdown.components.length > maxComponents ? `, and ${breakdown.components.length - maxComponents} more` : '';
    lines.push(`${show(step.name)}: ${shown.join(', ')}${more}${issues(breakdown)}`);
  }
  if (lines.length === 0) return [];
  const gated = steps.some((step) => step.serverTiming?.components.some((c) => c.interval?.gated === true));
  return [`Server-Timing (p95 of each component, baseline → current; the change with its interval${gated ? '; gated by regression.serverTiming where a verdict is shown' : ', not gated'}):`, ...lines.map((line) => `  ${line}`)];
}

function componentText(c: ServerTimingChange, show: (name: string) => string): string {
  const ms = (v: number | null): string => (v === null ? '–' : `${v.toFixed(v >= 100 ? 0 : 1)} ms`);
  const pct = (v: number): string => `${signed(v, 0)}%`;
  let change: string;
  if (c.interval !== undefined) {
    const { changeMs, ci, changePct, verdict, allowedPct } = c.interval;
    const judged = verdict === null ? '' : `; ${verdict}${allowedPct === null ? '' : `, ${allowedPct}% allowed`}`;
    change = ` (${intervalText(changeMs, ci)}, ${pct(changePct)}${judged})`;
  } else if (c.changeMs === null) change = c.baselineP95Ms === null ? ' (new)' : ' (gone)';
  else change = ` (${signed(c.changeMs, 1)} ms${c.changePct === null ? '' : `, ${pct(c.changePct)}`})`;
  return `${show(c.name)} ${ms(c.baselineP95Ms)} → ${ms(c.currentP95Ms)}${change}`;
}

/** A change in ms with its interval: "+30.0 ms (CI +25.0 … +35.0)". */
export function intervalText(changeMs: number, ci: { lowMs: number; highMs: number }): string {
  return `${signed(changeMs, 1)} ms (CI ${signed(ci.lowMs, 1)} … ${signed(ci.highMs, 1)})`;
}

function signed(value: number, digits: number): string {
  const text = Math.abs(value).toFixed(digits);
  return Number(text) === 0 ? `+${text}` : `${value > 0 ? '+' : '−'}${text}`;
}

function issues(breakdown: ServerTimingBreakdown): string {
  const parts = [breakdown.malformed > 0 ? `${breakdown.malformed} malformed entries` : '', breakdown.dropped > 0 ? `${breakdown.dropped} dropped` : ''].filter((p) => p !== '');
  return parts.length > 0 ? `; this run: ${parts.join(', ')}` : '';
}
