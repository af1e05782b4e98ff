import type { Comparison, MetricComparison, PercentileComparison, StepComparison, ThresholdResult, Verdict } from '../../compare/comparison-types.js';
import { decodeCounts, maxOfCounts, percentileOfCounts } from '../../record/latency-counts.js';
import type { GeneratorRecord, RunRecord } from '../../record/run-record-types.js';
import {
  formatAllowedChange,
  formatChange,
  formatCount,
  formatDuration,
  formatErrorRate,
  formatInterval,
  formatMs,
  formatObserved,
  formatPct,
  formatRps,
  formatValue,
} from '../number-format.js';
import { METRIC_NAME, VERDICT_MARK, VERDICT_WORDS } from '../verdict-marks.js';
import { formatErrors, formatShare, type OutcomeCounts } from '../error-breakdown.js';
import { outcomeRows } from '../outcome-rows.js';
import { runLabel, stepOf } from './chart-data.js';
import { escapeHtml } from './html-escape.js';

/** The page's tables, as HTML: the same rows the markdown comment has, and the records' own facts. */

/**
 * A verdict's mark on the page: a coloured sign from common fonts rather than the comment's emoji,
 * which a machine without an emoji font (a CI runner's browser, a server) shows as empty boxes.
 */
const SIGN: Record<Verdict, string> = { regression: '✗', inconclusive: '⚠', improvement: '★', pass: '✓', 'no-baseline': '○' };

export function verdictMark(verdict: Verdict): string {
  return `<span class="mark mark-${verdict}" title="${VERDICT_WORDS[verdict]}">${SIGN[verdict]}</span>`;
}

/** A line of the markdown headline, its leading emoji mark replaced by the page's. */
export function withPageMark(line: string): string {
  for (const [verdict, mark] of Object.entries(VERDICT_MARK) as Array<[Verdict, string]>) {
    if (line.startsWith(`${mark} `)) return `${verdictMark(verdict)} ${line.slice(mark.length + 1)}`;
  }
  return line;
}

export function stepTitle(name: string, kind: 'overall' | 'step'): string {
  return kind === 'overall' ? 'All steps' : `<code>${escapeHtml(name)}</code>`;
}

/** One step's table, as in the comment: baseline, this run, change, CI, allowed, verdict mark. */
export function comparisonStepTable(step: StepComparison): string {
  const notGated = step.counted ? '' : ' <span class="muted">(not gated)</span>';
  const rows = [percentileRow('p50', step.p50), metricRow(step.p95), percentileRow('p99', step.p99), metricRow(step.throughput), metricRow(step.errorRate)];
  const reasons = [step.p95, step.throughput, step.errorRate]
    .filter((m) => m.reason !== undefined && m.verdict !== 'pass')
    .map((m) => `${verdictMark(m.verdict)} ${METRIC_NAME[m.metric]}: ${escapeHtml(m.reason as string)}.`);
  return [
    '<div class="step-table">',
    `<h3>${verdictMark(step.verdict)} ${stepTitle(step.name, step.kind)}${notGated}</h3>`,
    '<table><thead><tr><th></th><th>Baseline</th><th>This run</th><th>Change</th><th>CI</th><th>Allowed</th><th></th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
    ...(reasons.length > 0 ? [`<p class="reasons">${reasons.join('<br>')}</p>`] : []),
    '</div>',
  ].join('\n');
}

const ROW_LABEL: Record<MetricComparison['metric'], string> = { p95: 'p95', throughput: 'Throughput', errorRate: 'Error rate' };

function percentileRow(label: string, p: PercentileComparison): string {
  const cell = (ms: number | null): string => (ms === null ? '–' : formatMs(ms));
  return `<tr><td>${label}</td><td>${cell(p.baselineMs)}</td><td>${cell(p.currentMs)}</td><td>${p.changePct === null ? '' : formatPct(p.changePct)}</td><td></td><td></td><td></td></tr>`;
}

function metricRow(metric: MetricComparison): string {
  const value = (v: number | null): string => (v === null ? '–' : formatValue(metric, v));
  const change = metric.change === null ? '' : formatChange(metric, metric.change);
  const interval = metric.ci ? formatInterval(metric, metric.ci) : '';
  const mark = metric.gated ? verdictMark(metric.verdict) : '';
  const gated = metric.gated ? ' class="gated"' : '';
  return `<tr${gated}><td>${ROW_LABEL[metric.metric]}</td><td>${value(metric.baseline)}</td><td>${value(metric.current)}</td><td class="change">${change}</td><td>${interval}</td><td>${formatAllowedChange(metric)}</td><td>${mark}</td></tr>`;
}

/** A run alone (no baseline): its numbers per step, recomputed from its histograms. */
export function runStepTable(record: RunRecord, names: readonly string[]): string {
  const seconds = record.meta.measuredMs / 1000;
  const rows = names.map((name) => {
    const step = stepOf(record, name);
    if (step === undefined) return '';
    const counts = decodeCounts(step.histogram);
    const ms = (p: number): string => (counts.total === 0 ? '–' : formatMs(percentileOfCounts(counts, p)));
    const rate = step.requests === 0 ? '–' : formatErrorRate(step.errors / step.requests);
    return `<tr><td>${stepTitle(name, name === 'overall' ? 'overall' : 'step')}</td><td>${formatCount(step.requests)}</td><td>${seconds > 0 ? formatRps(step.requests / seconds) : '–'}</td><td>${rate}</td><td>${ms(50)}</td><td>${ms(95)}</td><td>${ms(99)}</td><td>${counts.total === 0 ? '–' : formatMs(maxOfCounts(counts))}</td></tr>`;
  });
  return [
    '<table><thead><tr><th>Step</th><th>Requests</th><th>Throughput</th><th>Error rate</th><th>p50</th><th>p95</th><th>p99</th><th>Max</th></tr></thead><tbody>',
    ...rows.filter((r) => r !== ''),
    '</tbody></table>',
  ].join('\n');
}

export function thresholdTable(thresholds: readonly ThresholdResult[]): string {
  if (thresholds.length === 0) return '';
  const rows = thresholds.map((t) => {
    const mark = t.abortedRun
      ? `${verdictMark('regression')} broken: aborted the run at ${formatDuration(t.abortedRun.atMs)}`
      : t.status === 'broken'
        ? `${verdictMark('regression')} broken`
        : t.status === 'ok' ? `${verdictMark('pass')} met` : `${verdictMark('no-baseline')} no data`;
    const observed = t.observed === null ? '–' : formatObserved(t.unit, t.observed);
    return `<tr><td><code>${escapeHtml(t.metric)}</code></td><td class="text"><code>${escapeHtml(t.expression)}</code></td><td>${observed}</td><td class="text">${mark}</td></tr>`;
  });
  return ['<table><thead><tr><th>Metric</th><th class="text">Threshold</th><th>This run</th><th class="text"></th></tr></thead><tbody>', ...rows, '</tbody></table>'].join('\n');
}

/** What the load was: timing, and per scenario its executor, VUs and rates, for each run shown. */
export function loadShapeTable(runs: ReadonlyArray<{ label: string; record: RunRecord }>): string {
  const rows = runs.flatMap(({ label, record }) =>
    Object.entries(record.scenarios).map(([name, s]) => {
      const rate = (r: number | undefined): string => (r === undefined ? '–' : `${formatCount(Math.round(r * 10) / 10)}/s`);
      return [
        `<tr><td>${escapeHtml(label)}</td><td class="text"><code>${escapeHtml(name)}</code></td><td class="text">${escapeHtml(s.executor)}</td><td class="text">${escapeHtml(s.model)}, from ${s.latencyFrom === 'intended-start' ? 'intended start' : 'actual start'}</td>`,
        `<td>${formatCount(s.maxVUs)}</td><td>${formatCount(s.iterations)}</td><td>${rate(s.intendedRate)}</td><td>${rate(s.achievedRate)}</td>`,
        `<td>${s.droppedIterations === undefined ? '–' : formatCount(s.droppedIterations)}</td><td>${s.interruptedIterations === undefined ? '–' : formatCount(s.interruptedIterations)}</td></tr>`,
      ].join('');
    }),
  );
  const timing = runs.map(({ label, record }) => {
    const { warmupMs, measuredMs, blockMs, interrupted } = record.meta;
    const warm = warmupMs > 0 ? `${formatDuration(warmupMs)} warm-up (shaded in the charts, excluded from every statistic), then ` : 'no warm-up; ';
    return `<li>${escapeHtml(label)}: ${warm}${formatDuration(measuredMs)} measured in ${formatDuration(blockMs)} blocks${interrupted ? ', <strong>interrupted</strong>' : ''}.</li>`;
  });
  return [
    `<ul>${timing.join('')}</ul>`,
    '<table><thead><tr><th>Run</th><th class="text">Scenario</th><th class="text">Executor</th><th class="text">Model, latency</th><th>Max VUs</th><th>Iterations</th><th>Rate asked</th><th>Rate achieved</th><th>Dropped</th><th>Cut off</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
  ].join('\n');
}

/** The load generator's check on itself, this run beside the newest baseline run. */
export function generatorTable(runs: ReadonlyArray<{ label: string; record: RunRecord }>): string {
  const cells = (f: (g: GeneratorRecord) => string): string => runs.map(({ record }) => `<td>${f(record.generator)}</td>`).join('');
  const rows: Array<[string, (g: GeneratorRecord) => string]> = [
    ['Valid', (g) => (g.valid ? `${verdictMark('pass')} yes` : `${verdictMark('regression')} no: the generator was the bottleneck`)],
    ['Event-loop delay p99 / max', (g) => `${formatMs(g.eventLoopDelayP99Ms)} / ${formatMs(g.eventLoopDelayMaxMs)}`],
    ['Late starts', (g) => `${formatCount(g.lateStarts)} (over ${formatMs(g.lateThresholdMs)})`],
    ['CPU', (g) => `${formatCount(Math.round(g.cpuCores * 100))}% of a core`],
    ['Peak memory', (g) => `${formatCount(Math.round(g.maxRssBytes / 2 ** 20))} MiB`],
    ['Late starts could move p95 / throughput', (g) => (g.lateness ? `${g.lateness.p95Pct.toFixed(2)}% / ${g.lateness.throughputPct.toFixed(2)}% (limits ${g.lateness.limitP95Pct.toFixed(2)}% / ${g.lateness.limitThroughputPct.toFixed(2)}%)` : '–')],
  ];
  const reasons = runs.flatMap(({ label, record }) => record.generator.reasons.map((r) => `<li>${escapeHtml(label)}: ${escapeHtml(r)}</li>`));
  return [
    `<table><thead><tr><th></th>${runs.map(({ label }) => `<th>${escapeHtml(label)}</th>`).join('')}</tr></thead><tbody>`,
    ...rows.map(([label, f]) => `<tr><td>${label}</td>${cells(f)}</tr>`),
    '</tbody></table>',
    ...(reasons.length > 0 ? [`<ul>${reasons.join('')}</ul>`] : []),
  ].join('\n');
}

/** The baseline runs, oldest first, each with its overall p95, then this run; and those left out. */
export function historyTable(comparison: Comparison | undefined, history: readonly RunRecord[], current: RunRecord): string {
  const p95 = (record: RunRecord): string => {
    const counts = decodeCounts(record.overall.histogram);
    return counts.total === 0 ? '–' : formatMs(percentileOfCounts(counts, 95));
  };
  const row = (n: string, record: RunRecord): string =>
    `<tr><td>${n}</td><td class="text"><code>${escapeHtml(runLabel(record))}</code></td><td class="text">${escapeHtml(record.meta.ref ?? '')}</td><td class="text">${escapeHtml(record.meta.startedAt.slice(0, 16).replace('T', ' '))}</td><td>${formatDuration(record.meta.measuredMs)}</td><td>${p95(record)}</td></tr>`;
  const skipped = (comparison?.history.skipped ?? []).map(
    ({ run, reason }) => `<li>Left out: <code>${escapeHtml(run.commit?.slice(0, 7) ?? run.runId ?? run.startedAt)}</code> (${escapeHtml(run.startedAt.slice(0, 16).replace('T', ' '))}): ${escapeHtml(reason)}.</li>`,
  );
  return [
    '<table><thead><tr><th>#</th><th class="text">Run</th><th class="text">Ref</th><th class="text">Started (UTC)</th><th>Measured</th><th>p95, all steps</th></tr></thead><tbody>',
    ...history.map((record, i) => row(String(i + 1), record)),
    row('this run', current),
    '</tbody></table>',
    ...(skipped.length > 0 ? [`<ul>${skipped.join('')}</ul>`] : []),
  ].join('\n');
}

/** A step's counts of how its requests ended, added up over runs (the baseline runs used). */
function outcomesOf(records: readonly RunRecord[], name: string): OutcomeCounts | null {
  const steps = records.map((record) => stepOf(record, name)).filter((step): step is NonNullable<typeof step> => step !== undefined);
  if (steps.length === 0) return null;
  const add = (maps: ReadonlyArray<Readonly<Partial<Record<string, number>>>>): Record<string, number> => {
    const sums: Record<string, number> = Object.create(null) as Record<string, number>;
    for (const map of maps) for (const [key, n] of Object.entries(map)) if (typeof n === 'number') sums[key] = (sums[key] ?? 0) + n;
    return sums;
  };
  return {
    requests: steps.reduce((sum, s) => sum + s.requests, 0),
    errors: steps.reduce((sum, s) => sum + s.errors, 0),
    statuses: add(steps.map((s) => s.statuses)),
    errorKinds: add(steps.map((s) => s.errorKinds)),
  };
}

/**
 * Status codes and error kinds per step (overall first): each code and kind with its count and
 * share of the requests, the baseline runs' added up beside this run's.
 */
export function outcomeTable(names: readonly string[], current: RunRecord, history: readonly RunRecord[], baselineLabel: string | undefined): string {
  const withBaseline = baselineLabel !== undefined && history.length > 0;
  const groups = names.flatMap((name) => {
    const now = outcomesOf([current], name);
    if (now === null) return [];
    const rows = outcomeRows(now, withBaseline ? outcomesOf(history, name) : null, escapeHtml);
    if (rows.length === 0) return [];
    const errors = `${formatErrors(now, escapeHtml)}`;
    return rows.map((row, i) => {
      const first = i === 0 ? `<td class="text" rowspan="${rows.length}">${stepTitle(name, name === 'overall' ? 'overall' : 'step')}<br><span class="muted">errors ${errors}</span></td>` : '';
      const cls = row.type === 'kind' || isErrorCode(row.label) ? ' class="error-row"' : '';
      return `<tr${cls}>${first}<td class="text">${row.label}</td>${withBaseline ? `<td>${row.baseline}</td>` : ''}<td>${row.current}</td></tr>`;
    });
  });
  if (groups.length === 0) return '<p class="muted">No request was counted.</p>';
  const runs = withBaseline && history.length > 1 ? ` <span class="muted">(${formatCount(history.length)} runs)</span>` : '';
  return [
    `<table class="outcomes"><thead><tr><th class="text">Step</th><th class="text">Status or error</th>${withBaseline ? `<th>${escapeHtml(baselineLabel.charAt(0).toUpperCase() + baselineLabel.slice(1))}${runs}</th>` : ''}<th>This run</th></tr></thead><tbody>`,
    ...groups,
    '</tbody></table>',
  ].join('\n');
}

/** A status code outside 200-399 (labels of codes are digits only). */
function isErrorCode(label: string): boolean {
  return /^[0-9]{3}$/.test(label) && (Number(label) < 200 || Number(label) >= 400);
}

/** The `checks` metric: each check's passes and fails in this run, and the newest baseline run's rate beside it. */
export function checksTable(current: RunRecord, newest: RunRecord | undefined): string {
  const checks = current.checks;
  if (checks === undefined || Object.keys(checks).length === 0) return '';
  const rate = (c: { passes: number; fails: number } | undefined): string => (c === undefined || c.passes + c.fails === 0 ? '–' : formatShare(c.passes / (c.passes + c.fails)));
  const base = newest?.checks;
  const rows = Object.entries(checks).map(([name, c]) => {
    const mark = c.fails === 0 ? verdictMark('pass') : verdictMark('regression');
    const before = base ? `<td>${rate(Object.hasOwn(base, name) ? base[name] : undefined)}</td>` : '';
    return `<tr><td class="text">${mark} <code>${escapeHtml(name)}</code></td><td>${formatCount(c.passes)}</td><td>${formatCount(c.fails)}</td>${before}<td>${rate(c)}</td></tr>`;
  });
  return [
    `<table><thead><tr><th class="text">Check</th><th>Passed</th><th>Failed</th>${base ? '<th>Pass rate, newest baseline</th>' : ''}<th>Pass rate</th></tr></thead><tbody>`,
    ...rows,
    '</tbody></table>',
  ].join('\n');
}
