import { analysisLines } from '../report/analysis-report.js';
import { shapeTestLines } from '../report/shape-report.js';
import type { Comparison, MetricComparison, StepComparison, ThresholdResult } from '../compare/comparison-types.js';
import { pairingSentence } from '../report/pairing-line.js';
import { serverTimingLines } from '../report/server-timing-lines.js';
import { p95Disagreement } from '../report/step-table.js';
import { DEFAULT_COLUMNS, wrapLine } from './terminal-width.js';

const MARK: Record<string, string> = {
  pass: 'pass',
  regression: 'REGRESSION',
  improvement: 'improved',
  inconclusive: 'inconclusive',
  'no-baseline': 'no baseline',
};

const HEADER = ['step', 'metric', 'baseline → current', 'change', 'interval', 'verdict'];

/** The step column is never narrower than this; a longer name gets a line of its own. */
const MIN_STEP_COLUMN = 12;

/**
 * The verdict and, per step, a row per gated metric, as plain text for the terminal: the values
 * the change is computed from, the change, its interval and the metric's verdict. Fitted to
 * `columns`: prose wraps, a step name too long for its column gets a line of its own.
 */
export function formatComparisonTable(comparison: Comparison, columns = DEFAULT_COLUMNS): string {
  const paired = pairingSentence(comparison);
  const prose = (text: string): string[] => wrapLine(text, columns, '  ');
  const lines = prose(`verdict: ${MARK[comparison.verdict]} (check: ${comparison.conclusion}), ${paired ?? `${comparison.history.used.length} baseline run(s)`}`);
  for (const note of comparison.notes) lines.push(...wrapLine(`  note: ${note}`, columns, '      '));
  const { allowed } = comparison.settings;
  lines.push(...prose(`allowed: p95 +${allowed.p95Pct}%, throughput -${allowed.throughputPct}%, error rate +${allowed.errorRatePoints} pt`));
  lines.push('', ...table(comparison.steps, columns));
  const apart = comparison.steps.flatMap((step) => {
    const parts = p95Disagreement(step);
    if (parts === undefined) return [];
    const name = step.kind === 'overall' ? 'all steps' : step.name;
    return prose(`note: ${name}: the whole-run p95 ${moved(parts.wholeRun)} (${percent(parts.wholeRun)}) while the blocks' p95 ${moved(parts.blocks)} (${percent(parts.blocks)})`);
  });
  if (apart.length > 0) {
    lines.push('', ...apart, ...wrapLine("  The gate tests p95 (blocks): a trimmed mean of each run's block p95s, bursts set aside; a whole-run p95 moves with a few slow requests or seconds.", columns, ''));
  }
  const timing = serverTimingLines(comparison.steps, (name) => name);
  if (timing.length > 0) lines.push('', ...timing.flatMap((line) => wrapLine(line, columns, '    ')));
  if (comparison.thresholds.length > 0) lines.push('', formatThresholds(comparison.thresholds, columns));
  if (comparison.analysis) lines.push('', ...analysisLines(comparison.analysis).flatMap((line) => prose(line)));
  if (comparison.shapeTests && comparison.shapeTests.length > 0) lines.push('', ...shapeTestLines(comparison.shapeTests).flatMap((line) => prose(line)));
  // The target's own CPU per request and memory growth, when its metrics were compared.
  if (comparison.targetMetrics && comparison.targetMetrics.length > 0) lines.push('', ...shapeTestLines(comparison.targetMetrics).flatMap((line) => prose(line)));
  return lines.join('\n');
}

/**
 * The header and a row per step and metric. Text columns (metric, verdict) read from the left,
 * numbers line up on the right. The step column takes what the others leave of `columns`; a name
 * too long for it, or every name when the terminal leaves no room for the column, gets a line of
 * its own above its rows.
 */
function table(steps: readonly StepComparison[], columns: number): string[] {
  const rows = steps.map((step) => ({ name: step.kind === 'overall' ? 'all steps' : step.name, rows: stepRows(step) }));
  const cells = [HEADER.slice(1), ...rows.flatMap((step) => step.rows)];
  const widths = HEADER.slice(1).map((_, i) => Math.max(...cells.map((row) => (row[i] as string).length)));
  const others = widths.reduce((sum, w) => sum + w + 2, 0);
  const inline = others + MIN_STEP_COLUMN <= columns;
  // Without the step column, the rows are indented under their step's line.
  const indent = inline ? '' : '  ';
  const fitting = rows.map((step) => step.name.length).filter((length) => length <= columns - others);
  const stepWidth = inline ? Math.max(HEADER[0]!.length, ...fitting) : 0;
  const format = (step: string, row: string[]): string => {
    const cells = row.map((c, i) => (i === 0 || i === row.length - 1 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)));
    return indent + (inline ? [step.padEnd(stepWidth), ...cells] : cells).join('  ').trimEnd();
  };
  const lines = [format(HEADER[0]!, HEADER.slice(1))];
  for (const step of rows) {
    const own = !inline || step.name.length > stepWidth;
    if (own) lines.push(step.name);
    step.rows.forEach((row, i) => lines.push(format(i === 0 && !own ? step.name : '', row)));
  }
  return lines;
}

/** Each absolute SLO with what this run measured, broken ones with the config line. */
export function formatThresholds(thresholds: readonly ThresholdResult[], columns = DEFAULT_COLUMNS): string {
  const broken = thresholds.filter((t) => t.status === 'broken').length;
  const lines = [`thresholds: ${thresholds.length - broken} met, ${broken} broken`];
  for (const t of thresholds) {
    const where = t.status === 'broken' && t.location ? ` (${t.location.file}:${t.location.line})` : '';
    const aborted = t.abortedRun ? `; aborted the run ${(t.abortedRun.atMs / 1000).toFixed(1)} s into the measurement, observed ${observed({ ...t, observed: t.abortedRun.observed })} then` : '';
    lines.push(...wrapLine(`  ${t.status === 'ok' ? 'ok    ' : t.status === 'broken' ? 'BROKEN' : 'no data'} ${t.metric}: ${t.expression}, observed ${observed(t)}${t.noData === undefined ? '' : ` (${t.noData})`}${aborted}${where}`, columns, '       '));
  }
  return lines.join('\n');
}

function observed(t: ThresholdResult): string {
  if (t.observed === null) return '-';
  if (t.unit === 'ms') return `${t.observed.toFixed(2)} ms`;
  if (t.unit === 'ratio') return `${(t.observed * 100).toFixed(2)}%`;
  if (t.unit === 'req/s') return `${t.observed.toFixed(1)} req/s`;
  if (t.unit === 'iter/s') return `${t.observed.toFixed(1)} iter/s`;
  return String(t.observed);
}

/** A step's rows, without its name. */
function stepRows(step: StepComparison): string[][] {
  return [...p95Rows(step.p95), metricRow('throughput', step.throughput), metricRow('error rate', step.errorRate)];
}

/**
 * What the gate tests, the p95 of the runs' blocks, with the levels its change is computed from;
 * beneath it the whole runs' p95s and their ratio, never gated. A p95 that was not tested has only
 * the whole runs' row, with its verdict.
 */
function p95Rows(m: MetricComparison): string[][] {
  const wholeRun = (): string => (m.current !== null && m.baseline !== null && m.baseline > 0 ? percent(100 * (m.current / m.baseline - 1)) : '');
  if (m.blockLevels === undefined) return [metricRow('whole-run p95', m)];
  return [
    ['p95 (blocks)', levels(m, m.blockLevels.baseline, m.blockLevels.current), change(m, m.change), m.ci ? interval(m, m.ci) : '', verdict(m)],
    ['whole-run p95', levels(m, m.baseline, m.current), wholeRun(), '', ''],
  ];
}

function metricRow(label: string, m: MetricComparison): string[] {
  // An error rate no run raised is not a question: nothing to change, nothing to bound.
  const errorFree = m.metric === 'errorRate' && m.current === 0 && m.baseline === 0;
  return [label, levels(m, m.baseline, m.current), errorFree ? '' : change(m, m.change), errorFree || !m.ci ? '' : interval(m, m.ci), verdict(m)];
}

function verdict(m: MetricComparison): string {
  const mark = MARK[m.verdict] ?? m.verdict;
  return m.gated ? mark : `${mark}, not gated`;
}

/** `170.5 → 229.9 ms`, the unit once; `0% → 0%` for an error rate. */
function levels(m: MetricComparison, baseline: number | null, current: number | null): string {
  const value = (v: number | null): string => {
    if (v === null) return '-';
    if (m.unit === 'ratio') return v === 0 ? '0%' : `${(v * 100).toFixed(2)}%`;
    return v.toFixed(m.unit === 'ms' ? (v < 10 ? 2 : v < 1000 ? 1 : 0) : 1);
  };
  return `${value(baseline)} → ${value(current)}${m.unit === 'ratio' ? '' : ` ${m.unit}`}`;
}

function signed(m: MetricComparison, v: number): string {
  return `${v >= 0 ? '+' : ''}${v.toFixed(m.changeUnit === '%' ? 1 : 2)}`;
}

function change(m: MetricComparison, v: number | null): string {
  if (v === null) return '-';
  return `${signed(m, v)}${m.changeUnit === '%' ? '%' : ' pt'}`;
}

/** `+22.7 .. +43.6%`, the unit once. */
function interval(m: MetricComparison, ci: { low: number; high: number }): string {
  return `${signed(m, ci.low)} .. ${signed(m, ci.high)}${m.changeUnit === '%' ? '%' : ' pt'}`;
}

function moved(pct: number): string {
  return Math.round(pct * 10) === 0 ? 'held' : pct > 0 ? 'rose' : 'fell';
}

function percent(pct: number): string {
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}
