import type { StepComparison } from '../../compare/comparison-types.js';
import { decodeCounts, percentileOfCounts } from '../../record/latency-counts.js';
import type { RunRecord, ServerTimingRecord } from '../../record/run-record-types.js';
import { formatCount, formatMs } from '../number-format.js';
import { serverTimingCells } from '../server-timing-cells.js';
import type { ChartSpec } from './chart-data.js';
import { escapeHtml } from './html-escape.js';
import { verdictMark } from './report-tables.js';
import { componentsByP95, MAX_CHARTED, serverTimingChart } from './server-timing-chart.js';

/**
 * A step's `Server-Timing` components on the HTML page, under its charts: a table of each
 * component's p95 of `dur` (with a comparison, the baseline's and this run's and the change, as
 * the comment has them; a run on its own, or a comparison without a breakdown, this run's p50 and
 * p95 from its record), and a chart of each component's p95 per block over the run. Names and
 * descriptions are the target's, escaped. Empty for a step without components.
 */
export function serverTimingSection(
  name: string,
  step: StepComparison | undefined,
  current: RunRecord,
  newest: RunRecord | undefined,
  place: (spec: ChartSpec) => string,
  baselineWord: 'baseline' | 'base' = 'baseline',
): string {
  const compared = comparedTable(step, baselineWord);
  const timing = name === 'overall' ? undefined : stepTiming(current, name);
  const table = compared ?? (timing ? recordTable(timing, componentsByP95(current, name)) : '');
  if (table === '') return '';
  const order = compared !== undefined ? (step?.serverTiming?.components ?? []).flatMap((c) => (typeof c?.name === 'string' ? [c.name] : [])) : componentsByP95(current, name);
  const chart = serverTimingChart(name, current, newest, order);
  const total = timing ? Object.keys(timing.components).length : 0;
  const limited = total > MAX_CHARTED ? `, the first ${MAX_CHARTED} of ${total} as the table lists them` : '';
  const dashed = chart?.series.some((s) => s.dash) ? ` <span class="muted">solid: this run, dashed: the newest ${baselineWord} run</span>` : '';
  const figure = chart ? `<div class="grid"><figure><figcaption>Server-Timing: each component’s p95 of dur per block${limited}${dashed}</figcaption>${place(chart)}</figure></div>` : '';
  return ['<div class="server-timing">', '<h3>Server-Timing: where the target says its time went</h3>', table, figure, '</div>'].filter((part) => part !== '').join('\n');
}

function stepTiming(record: RunRecord, name: string): ServerTimingRecord | undefined {
  return Object.hasOwn(record.steps, name) ? record.steps[name]?.serverTiming : undefined;
}

/** The comparison's breakdown, as the comment's table. Undefined when the step has none. */
function comparedTable(step: StepComparison | undefined, baselineWord: 'baseline' | 'base'): string | undefined {
  const cells = serverTimingCells(step?.serverTiming, (name) => `<code>${escapeHtml(name)}</code>`);
  if (cells === undefined) return undefined;
  const word = baselineWord === 'base' ? 'Base' : 'Baseline';
  const head = ['Component, p95 of dur', word, 'This run', 'Change', ...(cells.withIntervals ? ['CI'] : []), ...(cells.withVerdicts ? ['Allowed', ''] : [])];
  const rows = cells.rows.map((r) => {
    const cols = [r.name, r.baseline, r.current, r.change, ...(cells.withIntervals ? [r.interval] : []), ...(cells.withVerdicts ? [r.allowed, r.verdict ? verdictMark(r.verdict) : ''] : [])];
    // The cells are built from typed numbers and the escaped name only.
    return `<tr>${cols.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  const from = baselineWord === 'base' ? 'the base run' : 'the median of the baseline runs’ p95s';
  const judged = cells.withIntervals ? 'the interval is of the change of its blocks’ p95 level, as the step’s p95 is tested' : 'point changes, without an interval';
  const gated = cells.withVerdicts ? '' : '; not gated';
  const notes = [`This run against ${from}; ${judged}${gated}.`, ...(cells.issues !== '' ? [`This run: ${escapeHtml(cells.issues)}.`] : [])];
  return [
    `<table class="server-timing-table"><thead><tr>${head.map((h, i) => `<th${i === 0 ? ' class="text"' : ''}>${h}</th>`).join('')}</tr></thead><tbody>`,
    ...rows,
    '</tbody></table>',
    `<p class="muted">${notes.join(' ')}</p>`,
  ].join('\n');
}

/** A run's own components, from its record: p50 and p95 of dur, the entries, the first description. */
function recordTable(timing: ServerTimingRecord, order: readonly string[]): string {
  const rows = order.flatMap((component) => {
    if (!Object.hasOwn(timing.components, component)) return [];
    const c = timing.components[component] as ServerTimingRecord['components'][string];
    const counts = decodeCounts(c.histogram);
    const ms = (p: number): string => (counts.total === 0 ? '–' : formatMs(percentileOfCounts(counts, p)));
    const description = c.description === undefined ? '' : escapeHtml(c.description);
    return [`<tr><td><code>${escapeHtml(component)}</code></td><td>${ms(50)}</td><td>${ms(95)}</td><td>${formatCount(c.entries)}</td><td class="text">${description}</td></tr>`];
  });
  if (rows.length === 0) return '';
  const issues = [timing.malformed > 0 ? `${formatCount(timing.malformed)} malformed entries skipped` : '', timing.dropped > 0 ? `${formatCount(timing.dropped)} entries dropped (beyond the first 20 names)` : ''].filter((t) => t !== '');
  return [
    '<table class="server-timing-table"><thead><tr><th class="text">Component</th><th>p50 of dur</th><th>p95 of dur</th><th>Entries</th><th class="text">Description</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
    `<p class="muted">This run, as the target reported it in ${formatCount(timing.responses)} responses${issues.length > 0 ? `; ${issues.join(', ')}` : ''}; entries without a dur are counted, in no percentile.</p>`,
  ].join('\n');
}
