import type { ServerTimingBreakdown, ServerTimingChange, StepComparison } from '../compare/comparison-types.js';

/**
 * Each step's Server-Timing breakdown as lines of text, one per step: every component's p95 of
 * `dur`, baseline → current, and the change in ms and percent, the largest move first. `show`
 * makes a name from the target safe where the lines go (escaping for markdown, as is for the
 * terminal, whose names are HTTP tokens). Point changes, as the comparison gives them.
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
  return ['Server-Timing (p95 of each component, baseline → current; point changes, not gated):', ...lines.map((line) => `  ${line}`)];
}

function componentText(c: ServerTimingChange, show: (name: string) => string): string {
  const ms = (v: number | null): string => (v === null ? '–' : `${v.toFixed(v >= 100 ? 0 : 1)} ms`);
  const change = c.changeMs === null ? (c.baselineP95Ms === null ? ' (new)' : ' (gone)') : ` (${c.changeMs >= 0 ? '+' : '−'}${Math.abs(c.changeMs).toFixed(1)} ms${c.changePct === null ? '' : `, ${c.changePct >= 0 ? '+' : '−'}${Math.abs(c.changePct).toFixed(0)}%`})`;
  return `${show(c.name)} ${ms(c.baselineP95Ms)} → ${ms(c.currentP95Ms)}${change}`;
}

function issues(breakdown: ServerTimingBreakdown): string {
  const parts = [breakdown.malformed > 0 ? `${breakdown.malformed} malformed entries` : '', breakdown.dropped > 0 ? `${breakdown.dropped} dropped` : ''].filter((p) => p !== '');
  return parts.length > 0 ? `; this run: ${parts.join(', ')}` : '';
}
