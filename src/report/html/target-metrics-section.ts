import type { ShapeComparison } from '../../compare/comparison-types.js';
import type { RunRecord, TargetSample } from '../../record/run-record-types.js';
import { cpuPerRequest, cpuSpans, MEMORY_SERIES, memoryTrend } from '../../record/target-metrics.js';
import { formatBytes, formatCount, formatCpuPerRequest } from '../number-format.js';
import { round, seriesOnCommonX, type ChartSpec, type SeriesSpec } from './chart-data.js';
import { escapeHtml } from './html-escape.js';
import { shapeTestsTable } from './shape-tests-table.js';

/**
 * The target's own metrics on the HTML page (its `metrics:` scrape): with a comparison, the table
 * of CPU per request and memory growth against the baseline runs' (as the comment's); a run on
 * its own, what its record derives (CPU per request, cores busy, memory at the end and its
 * slope). Under it a chart per block: CPU per request (ms of CPU, left axis) and resident memory
 * (MiB, right axis), solid for this run and dashed for the newest baseline run. A scrape that
 * failed is said, with the scraper's first warning (escaped). Empty when no run scraped.
 */
export function targetMetricsSection(tests: readonly ShapeComparison[] | undefined, current: RunRecord, newest: RunRecord | undefined, place: (spec: ChartSpec) => string): string {
  if (current.targetMetrics === undefined && (tests === undefined || tests.length === 0)) return '';
  const table = tests !== undefined && tests.length > 0 ? shapeTestsTable(tests, false, 'Against the baseline runs’') : runTable(current);
  const chart = targetMetricsChart(current, newest);
  const dashed = newest?.targetMetrics !== undefined ? ' <span class="muted">solid: this run, dashed: the newest baseline run</span>' : '';
  const figure = chart === null ? '' : `<div class="grid"><figure><figcaption>CPU per request (ms of CPU, left) and resident memory (MiB, right) per block${dashed}</figcaption>${place(chart)}</figure></div>`;
  return ['<section id="target-metrics"><h2>The target’s own metrics</h2>', scrapeLine(current), table, figure, '</section>'].filter((part) => part !== '').join('\n');
}

function scrapeLine(run: RunRecord): string {
  const metrics = run.targetMetrics;
  if (metrics === undefined) return '<p class="muted">This run did not scrape the target’s metrics.</p>';
  const failed = metrics.failed > 0 ? `; ${formatCount(metrics.failed)} failed` : '';
  const warning = metrics.warnings[0] === undefined ? '' : ` <span class="warning">⚠️ ${escapeHtml(metrics.warnings[0])}</span>`;
  return `<p class="muted">Scraped from <code>${escapeHtml(metrics.url)}</code> every ${formatCount(metrics.intervalMs)} ms: ${formatCount(metrics.scrapes)} scrapes${failed}.${warning}</p>`;
}

function runTable(run: RunRecord): string {
  const cpu = cpuPerRequest(run);
  const memory = memoryTrend(run);
  const rows = [
    cpu ? `<tr><td>CPU per request</td><td>${formatCpuPerRequest(cpu.cpuSecondsPerRequest)}</td><td class="text muted">${round(cpu.cores, 2)} cores busy on average</td></tr>` : '',
    memory ? `<tr><td>Resident memory at the end</td><td>${formatBytes(memory.endBytes)}</td><td class="text muted">${memory.slopeBytesPerMinute === undefined ? '' : `${formatBytes(memory.slopeBytesPerMinute)} a minute`}</td></tr>` : '',
  ].filter((r) => r !== '');
  if (rows.length === 0) return '';
  return ['<table class="target-metrics"><thead><tr><th class="text"></th><th>This run</th><th class="text"></th></tr></thead><tbody>', ...rows, '</tbody></table>'].join('\n');
}

/** Per block, CPU per request and memory, on the step charts' time axis (seconds from the run's start, warm-up shaded). Null when neither was scraped. */
export function targetMetricsChart(current: RunRecord, newest: RunRecord | undefined): ChartSpec | null {
  const runs = [{ run: current, dash: false }, ...(newest?.targetMetrics !== undefined ? [{ run: newest, dash: true }] : [])];
  const series: SeriesSpec[] = [];
  const points: Array<Array<[number, number | null]>> = [];
  for (const { run, dash } of runs) {
    const warmupS = run.meta.warmupMs / 1000;
    const spans = cpuSpans(run);
    if (spans.cpuSeconds.length > 0) {
      series.push({ label: dash ? 'CPU/req baseline' : 'CPU per request', color: '#e8590c', ...(dash ? { dash: true } : {}) });
      points.push(spans.cpuSeconds.map((cpu, i) => [round(warmupS + (spans.midMs[i] as number) / 1000, 3), (spans.requests[i] as number) > 0 ? round((1000 * cpu) / (spans.requests[i] as number), 4) : null]));
    }
    const memory = (run.targetMetrics?.series[MEMORY_SERIES]?.blocks ?? []).filter((s): s is TargetSample => s !== null);
    if (memory.length > 0) {
      series.push({ label: dash ? 'memory baseline' : 'memory', color: '#1971c2', right: true, ...(dash ? { dash: true } : {}) });
      points.push(memory.map((s) => [round(warmupS + s.atMs / 1000, 3), round(s.value / 1024 / 1024, 2)]));
    }
  }
  if (series.length === 0) return null;
  const warmup: [number, number] | undefined = current.meta.warmupMs > 0 ? [0, current.meta.warmupMs / 1000] : undefined;
  return { kind: 'time', yLabel: 'ms CPU/req', rightLabel: 'MiB', series, data: seriesOnCommonX(points), ...(warmup ? { warmup } : {}) };
}

