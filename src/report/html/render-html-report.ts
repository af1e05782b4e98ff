import { createHash } from 'node:crypto';
import type { Analysis } from '../../analyze/analysis-types.js';
import type { Comparison, RunRef, ThresholdResult } from '../../compare/comparison-types.js';
import type { RunRecord } from '../../record/run-record-types.js';
import { renderHeadline } from '../headline.js';
import { allFailed, errorParts, formatErrors, formatParts } from '../error-breakdown.js';
import { formatAllowedChange, formatCount, formatDuration } from '../number-format.js';
import { VERDICT_WORDS } from '../verdict-marks.js';
import type { PairedRecord } from '../../record/paired-record-types.js';
import { analysisSection } from './analysis-section.js';
import { stepCharts, type ChartSpec, type StepCharts } from './chart-data.js';
import { loadShapeCharts } from './load-shape-chart.js';
import { pairedBlocksChart } from './paired-blocks-chart.js';
import { CHART_SCRIPT } from './chart-script.js';
import { escapeHtml, jsonForScript } from './html-escape.js';
import { latencyHistogram, timelineCharts } from './overview-charts.js';
import { overviewRow, type OverviewVerdict } from './overview-row.js';
import { PAGE_STYLE } from './page-style.js';
import { serverTimingSection } from './server-timing-section.js';
import { targetMetricsSection } from './target-metrics-section.js';
import { blockCorrelations, blockCorrelationsTable } from './block-correlations.js';
import { checksTable, comparisonStepTable, generatorTable, historyTable, loadShapeTable, outcomeTable, runStepTable, stepTitle, thresholdTable, verdictMark, withPageMark } from './report-tables.js';
import { UPLOT_CSS, UPLOT_JS, UPLOT_VERSION } from './uplot-source.js';

export interface HtmlReportInput {
  /** The comparison to show; absent for a run on its own (no baseline). */
  comparison?: Comparison | undefined;
  current: RunRecord;
  /** Baseline runs (any order). With a comparison, only those it used are charted. */
  baselines?: readonly RunRecord[] | undefined;
  /** A run on its own: its thresholds, evaluated. (With a comparison, its own are shown.) */
  thresholds?: readonly ThresholdResult[] | undefined;
  /** Heading text; default `tailgate: <profile id>`. */
  title?: string | undefined;
  /**
   * A paired run (`tailgate.paired/v1`): each step then also charts the head and base blocks in
   * the order they ran. Pass its `head` as `current` and its `base` as the one baseline.
   */
  paired?: PairedRecord | undefined;
  /** What the run's shape answers (`tailgate analyze`): shown right after the timeline, with its charts. Default: the comparison's. */
  analysis?: Analysis | undefined;
}

/**
 * The HTML report: one self-contained page (uPlot, styles, data and script inline) that makes no
 * request when opened, from an artifact or a disk. Pure: the same input renders the same page.
 * The verdict and the comment's tables first (with an analysis, what the run's shape answers
 * after the timeline), then per step (overall first) its percentiles over time, latency
 * distribution, throughput, errors and p95 history, each with the baseline, and the target's own
 * Server-Timing components where it sent them; then the load's shape, the baseline runs and the generator's self-check. Every text that comes from
 * a config, a target or a record is escaped; a Content-Security-Policy with the scripts' hashes
 * allows only those scripts and no network at all, should anything slip through.
 */
export function renderHtmlReport(input: HtmlReportInput): string {
  const { comparison, current } = input;
  const history = historyRuns(comparison, input.baselines ?? []);
  const newest = history[history.length - 1];
  const names = comparison ? comparison.steps.map((s) => s.name) : ['overall', ...Object.keys(current.steps)];
  const title = input.title ?? `tailgate: ${comparison?.profile.id ?? current.meta.profile.id}`;

  const specs: ChartSpec[] = [];
  const place = (spec: ChartSpec): string => {
    specs.push(spec);
    return `<div class="plot" data-chart="${specs.length - 1}"></div>`;
  };
  const sections = names.map((name, index) => {
    const step = comparison?.steps.find((s) => s.name === name);
    const p95 = step?.p95.baseline;
    const charts = stepCharts(name, {
      current,
      history,
      p95Baseline: p95 !== null && p95 !== undefined && comparison ? { ms: p95, allowedPct: comparison.settings.allowed.p95Pct } : undefined,
    });
    const kind = name === 'overall' ? 'overall' : 'step';
    const mark = step ? `${verdictMark(step.verdict)} ` : '';
    const paired = input.paired ? pairedBlocksChart(name, input.paired) : undefined;
    return [`<section class="step" id="${anchor(name, index)}">`, `<h2>${mark}${stepTitle(name, kind)}</h2>`, `<div class="grid">${chartFigures(charts, newest !== undefined, place, paired)}</div>`, serverTimingSection(name, step, current, newest, place, input.paired ? 'base' : 'baseline'), '</section>']
      .filter((part) => part !== '')
      .join('\n');
  });

  const thresholds = comparison?.thresholds ?? input.thresholds ?? [];
  const baselineWord = input.paired ? 'base' : 'baseline';
  const headline: OverviewVerdict = comparison
    ? { verdict: headlineVerdict(comparison), word: comparison.conclusion === 'failure' && comparison.verdict !== 'regression' ? 'failed' : VERDICT_WORDS[comparison.verdict] }
    : runOnlyFailed(current, thresholds)
      ? { verdict: 'regression', word: 'failed' }
      : { verdict: 'no-baseline', word: 'run only' };
  const timeline = timelineCharts(current, newest);
  // A comparison carries its run's analysis; a run on its own is given one.
  const analysis = input.analysis ?? input.comparison?.analysis;
  const against = newest ? ` <span class="muted">solid: this run, dashed: the newest ${baselineWord} run</span>` : '';
  const checks = checksTable(current, newest);
  const shown = [{ label: 'this run', record: current }, ...(newest ? [{ label: 'newest baseline', record: newest }] : [])];
  const body = [
    '<main>',
    '<header>',
    `<h1>${verdictMark(headline.verdict)} ${escapeHtml(title)}</h1>`,
    `<p class="context">${context(comparison, current)}</p>`,
    '</header>',
    overviewRow(headline, comparison, current, newest, baselineWord),
    verdictBlock(comparison, thresholds, current),
    '<section id="timeline"><h2>Over time, all steps</h2>',
    `<p class="muted">One time axis for the four charts, seconds from the start of the run; the warm-up is shaded (excluded from every statistic). Hover one chart to read all four at that time.${newest ? ` Solid: this run; dashed: the newest ${baselineWord} run.` : ''}</p>`,
    '<div class="stack">',
    timeline.load ? figure(`The load: ${timeline.load.rightLabel ? 'iterations asked and started per second, VUs running (right axis)' : 'VUs running'}`, timeline.load, place) : `<p class="muted">${input.paired ? 'A paired record’s targets hold no load shape over time.' : 'This record holds no load shape over time (it was written by an older tailgate).'}</p>`,
    figure(`Throughput per block${against}`, timeline.throughput, place),
    figure(`p95 latency per block${against}`, timeline.p95, place),
    figure(`Errors per block, % of requests${against}`, timeline.errors, place),
    '</div>',
    '</section>',
    ...(analysis ? [analysisSection(analysis, current, place, timeline.p95.xMax, { tests: comparison?.shapeTests, paired: input.paired !== undefined })] : []),
    ...[targetMetricsSection(comparison?.targetMetrics, current, newest, place), blockCorrelationsTable(blockCorrelations(current))].filter((section) => section !== ''),
    '<section id="outcomes"><h2>Status codes and errors</h2>',
    outcomeTable(names, current, history, baselineWord),
    '</section>',
    '<section id="distribution"><h2>Latency distribution, all steps</h2>',
    figure(`Share of requests by latency, from the HDR histogram${newest ? ` <span class="muted">filled: this run, dashed: the newest ${baselineWord} run</span>` : ''}`, latencyHistogram(current, newest), place),
    '</section>',
    '<section id="checks"><h2>Thresholds and checks</h2>',
    thresholds.length > 0 ? thresholdTable(thresholds) : '<p class="muted">The profile sets no thresholds.</p>',
    checks !== '' ? checks : '<p class="muted">The profile has no checks.</p>',
    '</section>',
    '<section id="summary">',
    '<h2>Steps</h2>',
    comparison ? `<div class="tables">${comparison.steps.map(comparisonStepTable).join('\n')}</div>` : runStepTable(current, names),
    '</section>',
    ...sections,
    '<section id="load"><h2>The load</h2>',
    loadShapeTable(shown),
    loadShapeFigures(current, newest, place, input.paired !== undefined),
    '</section>',
    ...(history.length > 0 || (comparison?.history.skipped.length ?? 0) > 0
      ? ['<section id="history"><h2>Baseline runs</h2>', historyTable(comparison, history, current), '</section>']
      : []),
    '<section id="generator"><h2>The load generator’s self-check</h2>',
    generatorTable(shown),
    '</section>',
    ...(comparison && comparison.notes.length > 0 ? ['<section id="notes"><h2>Notes</h2><ul>', ...comparison.notes.map((n) => `<li>${escapeHtml(n)}</li>`), '</ul></section>'] : []),
    `<footer>${escapeHtml(comparison?.schema ?? current.schema)} · tailgate ${escapeHtml(current.meta.tool.version)} · charts by uPlot ${escapeHtml(UPLOT_VERSION)} · this page makes no network request</footer>`,
    '</main>',
  ].join('\n');

  const scripts = [UPLOT_JS, CHART_SCRIPT];
  for (const script of scripts) if (/<\/script/i.test(script)) throw new Error('an inlined script contains </script>');
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`).join(' ')}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}${comparison ? ` · ${VERDICT_WORDS[comparison.verdict]}` : ''}</title>`,
    `<style>${UPLOT_CSS}</style>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    body,
    `<script type="application/json" id="tailgate-data">${jsonForScript(specs)}</script>`,
    ...scripts.map((s) => `<script>${s}</script>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function figure(caption: string, spec: ChartSpec, place: (spec: ChartSpec) => string): string {
  return `<figure><figcaption>${caption}</figcaption>${place(spec)}</figure>`;
}

function chartFigures(charts: StepCharts, withBaseline: boolean, place: (spec: ChartSpec) => string, paired: ChartSpec | undefined): string {
  const against = withBaseline ? ' <span class="muted">solid: this run, dashed: newest baseline</span>' : '';
  return [
    figure(`Latency per block: p50, p95, p99${against}`, charts.percentiles, place),
    figure(`Latency distribution, out to the largest${withBaseline ? ' <span class="muted">this run and the newest baseline</span>' : ''}`, charts.distribution, place),
    figure(`Throughput per block${against}`, charts.throughput, place),
    figure(`Errors per block${against}`, charts.errors, place),
    ...(paired ? [figure('Paired blocks in the order they ran: p95 of each head and base block <span class="muted">shaded: the settle after each switch, loaded but not measured</span>', paired, place)] : []),
    ...(charts.history ? [figure('p95 of each baseline run and of this run', charts.history, place)] : []),
  ].join('\n');
}

/** One chart per scenario of the load over time, when the record holds its shape (older ones do not). */
function loadShapeFigures(current: RunRecord, newest: RunRecord | undefined, place: (spec: ChartSpec) => string, paired: boolean): string {
  const charts = loadShapeCharts(current, newest);
  if (charts.length === 0) {
    return `<p class="muted">${paired ? 'This paired record’s targets hold no load shape over time (it was written by an older tailgate).' : 'This record holds no load shape over time (it was written by an older tailgate).'}</p>`;
  }
  const baseline = newest?.loadShape ? (paired ? ', the base dashed grey; each target’s blocks end to end on its own time line, settles left out' : ', the newest baseline dashed grey') : '';
  const figures = charts.map(({ scenario, model, spec }) => {
    const what = model === 'closed' ? 'VUs running, mean per block' : 'iterations started and dropped per second, and the VUs running (right axis)';
    return figure(`<code>${escapeHtml(scenario)}</code>: ${what} <span class="muted">dashed: the level asked for; lines: ends of stages${baseline}</span>`, spec, place);
  });
  return `<div class="grid">${figures.join('\n')}</div>`;
}

/**
 * The baseline runs to chart, oldest first: with a comparison, the ones it used (matched by start
 * time, run id and commit); without one, all of them.
 */
function historyRuns(comparison: Comparison | undefined, baselines: readonly RunRecord[]): RunRecord[] {
  const sorted = [...baselines].sort((a, b) => Date.parse(a.meta.startedAt) - Date.parse(b.meta.startedAt));
  if (comparison === undefined) return sorted;
  const same = (ref: RunRef, record: RunRecord): boolean => ref.startedAt === record.meta.startedAt && ref.runId === record.meta.runId && ref.commit === record.meta.commit;
  return sorted.filter((record) => comparison.history.used.some((ref) => same(ref, record)));
}

function headlineVerdict(comparison: Comparison): Comparison['verdict'] {
  return comparison.conclusion === 'failure' ? 'regression' : comparison.verdict;
}

/** A run on its own: failed when every request failed or a threshold broke, else a run with no verdict. */
function runOnlyFailed(current: RunRecord, thresholds: readonly ThresholdResult[]): boolean {
  return allFailed(current.overall) || thresholds.some((t) => t.status === 'broken');
}

function verdictBlock(comparison: Comparison | undefined, thresholds: readonly ThresholdResult[], current: RunRecord): string {
  if (comparison === undefined) {
    const broken = thresholds.filter((t) => t.status === 'broken').length;
    const noBaseline = 'No baseline was given, so nothing was compared; the page shows this run alone.';
    const lines: string[] = [];
    if (allFailed(current.overall)) {
      const parts = errorParts(current.overall);
      lines.push(
        `${verdictMark('regression')} Every one of the ${formatCount(current.overall.requests)} measured requests failed${parts.length > 0 ? ` (${formatParts(parts, escapeHtml)})` : ''}: the latencies on this page time the failures, not a working service.`,
      );
    } else if (current.overall.errors > 0) {
      lines.push(`${verdictMark('inconclusive')} ${formatErrors(current.overall, escapeHtml)} of ${formatCount(current.overall.requests)} requests failed.`);
    }
    if (broken > 0) lines.push(`${verdictMark('regression')} ${formatCount(broken)} of ${formatCount(thresholds.length)} thresholds broken: ${thresholds.filter((t) => t.status === 'broken').map((t) => `<code>${escapeHtml(t.metric)}</code> <code>${escapeHtml(t.expression)}</code>`).join(', ')}.`);
    else if (thresholds.length > 0) lines.push(`${verdictMark('pass')} All ${formatCount(thresholds.length)} thresholds met.`);
    if (!runOnlyFailed(current, thresholds)) {
      return [`<section class="verdict verdict-run">`, `<p><span class="word">Run only</span>: ${noBaseline}</p>`, ...lines.map((l) => `<p>${l}</p>`), '</section>'].join('\n');
    }
    const word = allFailed(current.overall) ? (broken > 0 ? 'Failed: every request, and thresholds' : 'Failed: every request') : 'Failed: thresholds broken';
    return [`<section class="verdict verdict-regression">`, `<p><span class="word">${word}</span></p>`, ...lines.map((l) => `<p>${l}</p>`), `<p class="muted">${noBaseline}</p>`, '</section>'].join('\n');
  }
  const verdict = headlineVerdict(comparison);
  // The headline's sentences are the comment's; its escaping (numeric entities) is HTML-safe too.
  const lines = renderHeadline(comparison).map((line) => `<p>${withPageMark(line)}</p>`);
  return [`<section class="verdict verdict-${verdict}">`, `<p><span class="word">${VERDICT_WORDS[comparison.verdict]}</span></p>`, ...lines, '</section>'].join('\n');
}

function context(comparison: Comparison | undefined, current: RunRecord): string {
  const measured = `${formatDuration(current.meta.measuredMs)} measured`;
  const target = `target <code>${escapeHtml(current.meta.target)}</code>`;
  const commit = current.meta.commit ? ` · commit <code>${escapeHtml(current.meta.commit.slice(0, 7))}</code>` : '';
  const started = ` · started ${escapeHtml(current.meta.startedAt.slice(0, 16).replace('T', ' '))} UTC`;
  if (comparison === undefined) return `${measured} · ${target}${commit}${started}`;
  const runs = comparison.history.used.length;
  const { allowed, alpha } = comparison.settings;
  const baseline = runs === 0 ? 'No baseline run' : `Compared with ${runs} baseline run${runs === 1 ? '' : 's'}`;
  const allowances = [
    `p95 ${formatAllowedChange({ changeUnit: '%', allowedChange: allowed.p95Pct })}`,
    `throughput ${formatAllowedChange({ changeUnit: '%', allowedChange: -allowed.throughputPct })}`,
    `error rate ${formatAllowedChange({ changeUnit: 'pp', allowedChange: allowed.errorRatePoints })}`,
  ].join(', ');
  return `${baseline} · ${measured} · allowed: ${allowances} · α = ${alpha} · ${target}${commit}${started}`;
}

/** A fragment id for a step: letters, digits and dashes only, numbered so two names cannot share one. */
function anchor(name: string, index: number): string {
  return `step-${index}-${name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 60)}`;
}
