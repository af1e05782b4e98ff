import type { Comparison, Verdict } from '../../compare/comparison-types.js';
import { decodeCounts, percentileOfCounts } from '../../record/latency-counts.js';
import type { RunRecord } from '../../record/run-record-types.js';
import { formatShare } from '../error-breakdown.js';
import { formatCount, formatDuration, formatMs, formatPct, formatPoints, formatRps, isFiniteNumber } from '../number-format.js';
import { verdictMark } from './report-tables.js';

/**
 * The row of headline numbers at the top of the page, as the dashboards of k6 and Gatling open:
 * the verdict, requests, throughput, p50/p95/p99, error rate and the measured time, each with the
 * baseline's value and the change beneath it when there is a baseline. Numbers only, formatted.
 */
interface Headline {
  requests: number | null;
  rps: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  errorRate: number | null;
  measuredMs: number | null;
}

function recordHeadline(record: RunRecord): Headline {
  const counts = decodeCounts(record.overall.histogram);
  const ms = (p: number): number | null => (counts.total === 0 ? null : percentileOfCounts(counts, p));
  const seconds = record.meta.measuredMs / 1000;
  return {
    requests: record.overall.requests,
    rps: seconds > 0 ? record.overall.requests / seconds : null,
    p50: ms(50),
    p95: ms(95),
    p99: ms(99),
    errorRate: record.overall.requests > 0 ? record.overall.errors / record.overall.requests : null,
    measuredMs: record.meta.measuredMs,
  };
}

/** The comparison's own numbers for all steps (the baseline's are its centre over the runs used). */
function comparisonHeadlines(comparison: Comparison, current: RunRecord, newest: RunRecord | undefined): { now: Headline; base: Headline | null } {
  const overall = comparison.steps.find((s) => s.kind === 'overall');
  const now = recordHeadline(current);
  if (overall === undefined) return { now, base: newest ? recordHeadline(newest) : null };
  return {
    now: { ...now, requests: overall.requests.current, rps: overall.throughput.current, p50: overall.p50.currentMs, p95: overall.p95.current, p99: overall.p99.currentMs, errorRate: overall.errorRate.current },
    base:
      comparison.history.used.length === 0
        ? null
        : {
            requests: overall.requests.baseline,
            rps: overall.throughput.baseline,
            p50: overall.p50.baselineMs,
            p95: overall.p95.baseline,
            p99: overall.p99.baselineMs,
            errorRate: overall.errorRate.baseline,
            measuredMs: newest?.meta.measuredMs ?? null,
          },
  };
}

export interface OverviewVerdict {
  verdict: Verdict;
  /** Fixed words: a verdict's, or the page's for a run on its own. */
  word: string;
}

export function overviewRow(verdict: OverviewVerdict, comparison: Comparison | undefined, current: RunRecord, newest: RunRecord | undefined, baselineWord: string): string {
  const { now, base } = comparison ? comparisonHeadlines(comparison, current, newest) : { now: recordHeadline(current), base: newest ? recordHeadline(newest) : null };
  const relative = (a: number | null, b: number | null): string => (isFiniteNumber(a) && isFiniteNumber(b) && b > 0 ? ` · ${formatPct(100 * (a / b - 1))}` : '');
  const card = (label: string, value: (h: Headline) => number | null, format: (v: number) => string, change: (a: number | null, b: number | null) => string = relative, cls = ''): string => {
    const v = value(now);
    const b = base ? value(base) : null;
    const beneath = base ? `<div class="base">${baselineWord} ${b === null ? '–' : format(b)}${change(v, b)}</div>` : '';
    return `<div class="card${cls}"><div class="label">${label}</div><div class="value">${v === null ? '–' : format(v)}</div>${beneath}</div>`;
  };
  const points = (a: number | null, b: number | null): string => (isFiniteNumber(a) && isFiniteNumber(b) ? ` · ${formatPoints(100 * (a - b))}` : '');
  const failing = now.errorRate !== null && now.errorRate > 0 ? ' card-bad' : '';
  return [
    '<section id="overview" class="overview">',
    `<div class="card card-verdict verdict-${verdict.verdict}"><div class="label">Verdict</div><div class="value">${verdictMark(verdict.verdict)} ${verdict.word}</div><div class="base">${against(comparison, baselineWord)}</div></div>`,
    card('Requests', (h) => h.requests, formatCount),
    card('Throughput', (h) => h.rps, formatRps),
    card('p50', (h) => h.p50, formatMs),
    card('p95', (h) => h.p95, formatMs),
    card('p99', (h) => h.p99, formatMs),
    card('Error rate', (h) => h.errorRate, formatShare, points, failing),
    card('Measured', (h) => h.measuredMs, formatDuration, () => ''),
    '</section>',
  ].join('\n');
}

function against(comparison: Comparison | undefined, baselineWord: string): string {
  if (comparison === undefined) return 'no baseline given';
  const runs = comparison.history.used.length;
  if (runs === 0) return `no ${baselineWord} run`;
  return comparison.pairing ? `against the base, ${formatCount(comparison.pairing.pairs)} block pairs` : `against ${formatCount(runs)} ${baselineWord} run${runs === 1 ? '' : 's'}`;
}
