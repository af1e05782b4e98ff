import type { Comparison } from '../compare/comparison-types.js';
import type { RunRecord } from '../record/run-record-types.js';
import { escapeText as escapeCell } from '../report/escape.js';
import { renderReport, type ReportOptions } from '../report/render-report.js';

/** The job summary for a run that recorded the baseline: what was saved, and the run's numbers. */
export function baselineSummary(run: RunRecord, saved: string, notes: readonly string[]): string {
  const rows = Object.entries(run.summary.steps).map(
    ([name, m]) => `| ${escapeCell(name)} | ${m.requests} | ${m.errors} | ${m.rps.toFixed(1)} | ${m.p50.toFixed(1)} | ${m.p95.toFixed(1)} | ${m.p99.toFixed(1)} |`,
  );
  const o = run.summary.overall;
  return [
    `### 📌 tailgate: ${escapeCell(run.meta.profile.id)} baseline recorded`,
    '',
    `${saved}. Pull requests are compared with it from now on.`,
    ...notes.map((n) => `\n> ${escapeCell(n)}`),
    '',
    '| step | requests | errors | req/s | p50 ms | p95 ms | p99 ms |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    `| **all steps** | ${o.requests} | ${o.errors} | ${o.rps.toFixed(1)} | ${o.p50.toFixed(1)} | ${o.p95.toFixed(1)} | ${o.p99.toFixed(1)} |`,
  ].join('\n');
}

/**
 * The comment, check-run summary and job summary (one markdown for all three). `now` dates the
 * baseline's age; `records` (the run and the baseline runs read) give the p95 trend.
 */
export function comparisonReport(comparison: Comparison, runUrl: string | undefined, htmlReportUrl?: string, context: Pick<ReportOptions, 'now' | 'records'> = {}): string {
  return renderReport(comparison, { ...(runUrl ? { runUrl } : {}), ...(htmlReportUrl ? { htmlReportUrl } : {}), ...context });
}
