import { isAllowedUrl } from './allowed-hosts.js';
import { echo } from './echo.js';
import { hasCredentials, withoutCredentials } from './shown-values.js';

/**
 * The target's own metrics as a profile asks for them (its `metrics` block), typed:
 *   metrics: { url: http://127.0.0.1:9464/metrics, interval: 1s, series: [process_cpu_seconds_total] }
 * A Prometheus text-format endpoint scraped beside the load (src/run/metrics-scrape.ts). The url
 * may go only where the load may: the target's host (any port, as an allowed-hosts entry `host`
 * allows) or a host of the Action's `allowed-hosts`.
 */
export interface MetricsConfig {
  url: string;
  intervalMs: number;
  /** Metric names to keep, in the order written; each label set of a name is a series of its own. */
  series: string[];
}

export const DEFAULT_METRICS_INTERVAL_MS = 1_000;
export const MIN_METRICS_INTERVAL_MS = 250;
export const MAX_METRICS_INTERVAL_MS = 60_000;
/** What a process exposes by default with every Prometheus client library: its CPU and its memory. */
export const DEFAULT_METRICS_SERIES = ['process_cpu_seconds_total', 'process_resident_memory_bytes'] as const;
/** At most this many names; the scrape also keeps at most this many series (names times label sets). */
export const MAX_METRICS_SERIES = 20;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]{0,199}$/;

export const METRICS_KEYS = ['url', 'interval', 'series'] as const;

/** Where a mistake of `metrics.<key>` is reported. */
export type MetricsProblem = (key: (typeof METRICS_KEYS)[number], message: string, fix: string) => void;

/** What the url is checked against: the run's target (after --target) and the Action's allowed hosts. */
export interface MetricsOrigins {
  target: string;
  allowedHosts: readonly string[];
}

/**
 * The block as the schema accepted it (`interval` already in milliseconds, or undefined), checked
 * and given its defaults; undefined when a field is wrong (each mistake goes to `problem`).
 */
export function metricsConfig(raw: { url?: unknown; series?: unknown }, intervalMs: number | undefined, origins: MetricsOrigins, problem: MetricsProblem): MetricsConfig | undefined {
  let ok = true;
  const url = metricsUrl(raw.url, origins, problem);
  if (url === undefined) ok = false;
  const interval = intervalMs ?? DEFAULT_METRICS_INTERVAL_MS;
  if (interval < MIN_METRICS_INTERVAL_MS || interval > MAX_METRICS_INTERVAL_MS) {
    problem('interval', `must be from ${MIN_METRICS_INTERVAL_MS}ms to ${MAX_METRICS_INTERVAL_MS / 1000}s (got ${interval}ms)`, 'write interval: 1s, or leave it out');
    ok = false;
  }
  const series = metricsSeries(raw.series, problem);
  if (series === undefined) ok = false;
  return ok ? { url: url as string, intervalMs: interval, series: series as string[] } : undefined;
}

function metricsUrl(value: unknown, origins: MetricsOrigins, problem: MetricsProblem): string | undefined {
  const text = typeof value === 'string' ? value.trim() : '';
  const url = URL.parse(text);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || url.hash !== '') {
    problem('url', `must be an http or https URL of a Prometheus text-format endpoint (got ${echo(withoutCredentials(text))})`, 'write url: http://127.0.0.1:9464/metrics');
    return undefined;
  }
  if (hasCredentials(text)) {
    problem('url', 'must hold no user name or password', 'expose the metrics to the runner without credentials, e.g. on a port only it can reach');
    return undefined;
  }
  const targetHost = URL.parse(origins.target)?.hostname;
  const hosts = [...(targetHost ? [targetHost] : []), ...origins.allowedHosts];
  if (!isAllowedUrl(url.href, { target: origins.target, hosts })) {
    const host = url.port === '' ? url.hostname : `${url.hostname}:${url.port}`;
    problem(
      'url',
      `goes to ${url.hostname}, which is neither the target's host (${targetHost ?? 'none'}) nor a host of the allowed-hosts input; the metrics are scraped only where the load may go`,
      `scrape the target's own host, or allow ${host} in the step: with: { allowed-hosts: ${host} }`,
    );
    return undefined;
  }
  return url.href;
}

function metricsSeries(value: unknown, problem: MetricsProblem): string[] | undefined {
  if (value === undefined) return [...DEFAULT_METRICS_SERIES];
  const names = Array.isArray(value) ? value : [];
  const bad = names.find((name) => typeof name !== 'string' || !METRIC_NAME.test(name));
  if (names.length === 0 || bad !== undefined) {
    problem('series', `must list Prometheus metric names (letters, digits, _ and :, not starting with a digit)${bad !== undefined ? ` (got ${echo(String(bad))})` : ''}`, 'write series: [process_cpu_seconds_total, process_resident_memory_bytes]');
    return undefined;
  }
  const unique = [...new Set(names as string[])];
  if (unique.length > MAX_METRICS_SERIES) {
    problem('series', `names ${unique.length} metrics; at most ${MAX_METRICS_SERIES} are scraped`, `keep the ${MAX_METRICS_SERIES} that matter`);
    return undefined;
  }
  return unique;
}
