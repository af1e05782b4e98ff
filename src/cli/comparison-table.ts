import type { Comparison, MetricComparison, StepComparison, ThresholdResult } from '../compare/comparison-types.js';
import { pairingSentence } from '../report/pairing-line.js';

const MARK: Record<string, string> = {
  pass: 'pass',
  regression: 'REGRESSION',
  improvement: 'improved',
  inconclusive: 'inconclusive',
  'no-baseline': 'no baseline',
};

/** The verdict and a row per step and gated metric, as plain text for the terminal. */
export function formatComparisonTable(comparison: Comparison): string {
  const paired = pairingSentence(comparison);
  const lines = [`verdict: ${MARK[comparison.verdict]} (check: ${comparison.conclusion}), ${paired ?? `${comparison.history.used.length} baseline run(s)`}`];
  for (const note of comparison.notes) lines.push(`  note: ${note}`);
  const header = ['step', 'metric', 'baseline', 'current', 'change', 'interval', 'allowed', 'verdict'];
  const rows = comparison.steps.flatMap((step) => [step.p95, step.throughput, step.errorRate].map((m) => row(step, m)));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const format = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  lines.push('', format(header), ...rows.map(format));
  if (comparison.thresholds.length > 0) lines.push('', formatThresholds(comparison.thresholds));
  return lines.join('\n');
}

/** Each absolute SLO with what this run measured, broken ones with the config line. */
export function formatThresholds(thresholds: readonly ThresholdResult[]): string {
  const broken = thresholds.filter((t) => t.status === 'broken').length;
  const lines = [`thresholds: ${thresholds.length - broken} met, ${broken} broken`];
  for (const t of thresholds) {
    const where = t.status === 'broken' && t.location ? ` (${t.location.file}:${t.location.line})` : '';
    const aborted = t.abortedRun ? `; aborted the run ${(t.abortedRun.atMs / 1000).toFixed(1)} s into the measurement, observed ${observed({ ...t, observed: t.abortedRun.observed })} then` : '';
    lines.push(`  ${t.status === 'ok' ? 'ok    ' : t.status === 'broken' ? 'BROKEN' : 'no data'} ${t.metric}: ${t.expression}, observed ${observed(t)}${aborted}${where}`);
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

function row(step: StepComparison, m: MetricComparison): string[] {
  const unit = m.unit === 'ratio' ? '' : ` ${m.unit}`;
  const value = (v: number | null): string => (v === null ? '-' : m.unit === 'ratio' ? `${(v * 100).toFixed(2)}%` : `${v.toFixed(2)}${unit}`);
  const change = (v: number | null): string => (v === null ? '-' : `${v >= 0 ? '+' : ''}${v.toFixed(1)}${m.changeUnit === '%' ? '%' : ' pt'}`);
  return [
    step.kind === 'overall' ? 'all steps' : step.name,
    m.metric + (m.gated ? '' : ' (not gated)'),
    value(m.baseline),
    value(m.current),
    change(m.change),
    m.ci ? `${change(m.ci.low)} .. ${change(m.ci.high)}` : '-',
    change(m.allowedChange),
    MARK[m.verdict] ?? m.verdict,
  ];
}
