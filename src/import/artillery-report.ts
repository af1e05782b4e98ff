import type { AggregateHistory, AggregateWindow, PercentilePoint } from './aggregate-window.js';

/**
 * Artillery 2's `--output` report: one JSON document whose `intermediate` array holds a summary per
 * window (10 s by default): counters (`http.requests`, `http.codes.200`, `errors.ETIMEDOUT`, ...)
 * and summaries (`http.response_time` with p50 ... p999, max). With the metrics-by-endpoint plugin
 * each endpoint has its own `plugins.metrics-by-endpoint.response_time.NAME` summary and
 * `plugins.metrics-by-endpoint.NAME.codes.CODE` counters: each is then a step; without it the run
 * is one step, `http`.
 */

const POINTS: ReadonlyArray<[string, number]> = [
  ['p50', 50],
  ['p75', 75],
  ['p90', 90],
  ['p95', 95],
  ['p99', 99],
  ['p999', 99.9],
  ['max', 100],
];
const BY_ENDPOINT = 'plugins.metrics-by-endpoint.response_time.';

type Summary = Record<string, unknown>;
interface Window {
  period?: unknown;
  firstMetricAt?: unknown;
  lastMetricAt?: unknown;
  counters?: Record<string, unknown>;
  summaries?: Record<string, Summary>;
}

export interface ArtilleryHistory extends AggregateHistory {
  /** The windows' length as the report gives it, ms (10,000 when it does not). */
  windowMs: number;
}

/** Reads the report's text. Pure: the caller reads the file. Throws a plain Error with what is wrong when the document is unreadable. */
export function readArtilleryReport(text: string): ArtilleryHistory {
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    throw new Error('it is not a whole JSON document (cut short?)');
  }
  const intermediate = (report as { intermediate?: unknown } | null)?.intermediate;
  if (!Array.isArray(intermediate)) throw new Error('it has no "intermediate" array of windows');
  const result: ArtilleryHistory = { windows: [], steps: [], malformed: [], malformedCount: 0, lines: intermediate.length, windowMs: 10_000 };
  const periods: number[] = [];
  for (const [index, raw] of intermediate.entries()) {
    const window = raw as Window | null;
    const atMs = Number(window?.period);
    if (window === null || typeof window !== 'object' || !Number.isFinite(atMs) || atMs <= 0) {
      result.malformedCount++;
      if (result.malformed.length < 5) result.malformed.push({ line: index + 1, reason: `window ${index + 1} has no period` });
      continue;
    }
    periods.push(atMs);
    for (const found of windowsOf(window, atMs)) {
      if (!result.steps.includes(found.step)) result.steps.push(found.step);
      if (found.requests > 0) result.windows.push(found);
    }
  }
  const gaps = periods
    .slice(1)
    .map((p, i) => p - (periods[i] as number))
    .filter((g) => g > 0)
    .sort((a, b) => a - b);
  if (gaps.length > 0) result.windowMs = gaps[Math.floor(gaps.length / 2)] as number;
  return result;
}

/** The steps of one window: each endpoint of the metrics-by-endpoint plugin, else the whole as `http`. */
function windowsOf(window: Window, periodMs: number): AggregateWindow[] {
  const counters = window.counters ?? {};
  const summaries = window.summaries ?? {};
  const count = (name: string): number => {
    const value = Number(counters[name] ?? 0);
    return Number.isFinite(value) && value > 0 ? value : 0;
  };
  const atS = Math.round(periodMs / 1000);
  const endpoints = Object.keys(summaries).filter((name) => name.startsWith(BY_ENDPOINT));
  if (endpoints.length > 0) {
    return endpoints.map((name) => {
      const step = name.slice(BY_ENDPOINT.length);
      const codes = Object.keys(counters).filter((c) => c.startsWith(`plugins.metrics-by-endpoint.${step}.codes.`));
      const responses = codes.reduce((sum, c) => sum + count(c), 0);
      const summary = summaries[name] as Summary;
      const requests = Math.max(responses, Number(summary.count) || 0);
      const failed = codes.filter((c) => !/\.codes\.[23]\d\d$/.test(c)).reduce((sum, c) => sum + count(c), 0) + count(`plugins.metrics-by-endpoint.${step}.errors`);
      return { step, atS, requests, failures: Math.min(requests, failed), points: pointsOf(summary) };
    });
  }
  const codes = Object.keys(counters).filter((c) => c.startsWith('http.codes.'));
  // Requests that got no response (a timeout, a refused connection) are errors.* counters, not codes.
  const transport = Object.keys(counters).filter((c) => c.startsWith('errors.')).reduce((sum, c) => sum + count(c), 0);
  const responses = codes.reduce((sum, c) => sum + count(c), 0);
  const requests = Math.max(count('http.requests'), responses + transport);
  const failed = codes.filter((c) => !/^http\.codes\.[23]\d\d$/.test(c)).reduce((sum, c) => sum + count(c), 0) + transport;
  const summary = summaries['http.response_time'];
  return [{ step: 'http', atS, requests, failures: Math.min(requests, failed), points: summary ? pointsOf(summary) : undefined }];
}

function pointsOf(summary: Summary): PercentilePoint[] | undefined {
  const points: PercentilePoint[] = [];
  for (const [key, percentile] of POINTS) {
    const ms = Number(summary[key]);
    if (Number.isFinite(ms) && ms >= 0) points.push({ percentile, ms });
  }
  // A window whose p95 is missing or 0 while it had requests gives no latencies worth a block.
  if (!points.some((p) => p.percentile === 95 && p.ms > 0)) return undefined;
  return points;
}
