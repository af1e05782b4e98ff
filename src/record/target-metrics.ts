import { fieldName } from './record-field.js';
import type { RecordProblem } from './record-schema.js';
import type { BlockWindow, RunRecord, TargetMetricsRecord, TargetSample, TargetSeries } from './run-record-types.js';

/**
 * The run record's `targetMetrics`: the scrapes of the target's Prometheus endpoint laid onto the
 * record's blocks (each series' last value in each block), what a reader checks of it beyond the
 * schema, and what is derived from it: CPU-seconds per request, memory at the end and its slope.
 */

export const MAX_TARGET_WARNINGS = 10;
const MAX_WARNING_CHARS = 500;

/** One scrape as the scraper took it: when (ms from the start of the measured period) and each series' value. */
export interface TimedScrape {
  atMs: number;
  values: ReadonlyMap<string, { type: TargetSeries['type']; value: number }>;
}

export interface ScrapeLog {
  url: string;
  intervalMs: number;
  scrapes: number;
  failed: number;
  warnings: readonly string[];
  /** The scrapes that succeeded, in time order. */
  taken: readonly TimedScrape[];
}

/** The record's section: each series' last value before the measured period and in each block. */
export function targetMetricsRecord(log: ScrapeLog, blocks: readonly BlockWindow[], maxSeries: number): TargetMetricsRecord {
  const series: Record<string, TargetSeries> = {};
  const names: string[] = [];
  for (const scrape of log.taken) {
    for (const [name, { type }] of scrape.values) {
      if (series[name] === undefined && names.length < maxSeries) {
        names.push(name);
        series[name] = { type, blocks: blocks.map(() => null) };
      }
    }
  }
  for (const scrape of log.taken) {
    const block = blockAt(blocks, scrape.atMs);
    for (const [name, { value }] of scrape.values) {
      const entry = series[name];
      if (entry === undefined || !Number.isFinite(value)) continue;
      const sample: TargetSample = { atMs: Math.round(scrape.atMs), value };
      if (scrape.atMs < 0 || block === -2) entry.start = sample;
      else if (block >= 0) entry.blocks[block] = sample;
    }
  }
  return {
    url: log.url,
    intervalMs: log.intervalMs,
    scrapes: log.scrapes,
    failed: log.failed,
    warnings: log.warnings.slice(0, MAX_TARGET_WARNINGS).map((w) => (w.length > MAX_WARNING_CHARS ? `${w.slice(0, MAX_WARNING_CHARS - 1)}…` : w)),
    series: Object.fromEntries(names.map((name) => [name, series[name] as TargetSeries])),
  };
}

/** The block holding `atMs`: its index, -2 before the first, -1 after the last. The last block holds its end (the scrape at the stop). */
function blockAt(blocks: readonly BlockWindow[], atMs: number): number {
  if (blocks.length === 0 || atMs < (blocks[0] as BlockWindow).startMs) return -2;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i] as BlockWindow;
    if (atMs >= b.startMs && (atMs < b.endMs || (i === blocks.length - 1 && atMs <= b.endMs + 1_000))) return i;
  }
  return -1;
}

/** What the schema cannot say: each series has one entry per block of the record, in time order. */
export function targetMetricsProblem(record: RunRecord): RecordProblem | undefined {
  const metrics = record.targetMetrics;
  if (metrics === undefined) return undefined;
  if (metrics.failed > metrics.scrapes) return { field: 'targetMetrics.failed', problem: `is ${metrics.failed}, more than the ${metrics.scrapes} scrapes made` };
  for (const [name, series] of Object.entries(metrics.series)) {
    const at = (...rest: Array<string | number>): string => fieldName(['targetMetrics', 'series', name, ...rest]);
    if (series.blocks.length !== record.blocks.length) return { field: at('blocks'), problem: `holds ${series.blocks.length} entries, but the record has ${record.blocks.length} blocks` };
    let last = series.start?.atMs ?? -Infinity;
    for (const [i, sample] of series.blocks.entries()) {
      if (sample === null) continue;
      if (sample.atMs < last) return { field: at('blocks', i, 'atMs'), problem: `is ${sample.atMs}, earlier than the sample before it (${last})` };
      last = sample.atMs;
    }
  }
  return undefined;
}

export const CPU_SERIES = 'process_cpu_seconds_total';
export const MEMORY_SERIES = 'process_resident_memory_bytes';

/** CPU-seconds the target spent per measured request, from its CPU counter's rate over the measured period. */
export interface CpuPerRequest {
  cpuSecondsPerRequest: number;
  /** The counter's rate: cores busy on average. */
  cores: number;
}

/**
 * The CPU counter's rate between its first and last sample around the measured period, times the
 * measured period, over the measured requests; undefined without two samples a second apart, with
 * no request, or when the counter went down (the target restarted).
 */
export function cpuPerRequest(record: Pick<RunRecord, 'targetMetrics' | 'overall' | 'meta'>): CpuPerRequest | undefined {
  const series = record.targetMetrics?.series[CPU_SERIES];
  if (series === undefined || record.overall.requests === 0) return undefined;
  const points = samples(series);
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined || last.atMs - first.atMs < 1_000 || last.value < first.value) return undefined;
  const cores = (last.value - first.value) / ((last.atMs - first.atMs) / 1000);
  return { cores, cpuSecondsPerRequest: (cores * record.meta.measuredMs) / 1000 / record.overall.requests };
}

/** Memory at the end of the measured period and its least-squares slope over the blocks, bytes a minute. */
export interface MemoryTrend {
  endBytes: number;
  slopeBytesPerMinute?: number;
}

export function memoryTrend(record: Pick<RunRecord, 'targetMetrics'>): MemoryTrend | undefined {
  const series = record.targetMetrics?.series[MEMORY_SERIES];
  if (series === undefined) return undefined;
  const points = series.blocks.filter((s): s is TargetSample => s !== null);
  const last = points.at(-1);
  if (last === undefined) return undefined;
  const slope = leastSquaresSlope(points);
  return { endBytes: last.value, ...(slope !== undefined ? { slopeBytesPerMinute: slope * 60_000 } : {}) };
}

function samples(series: TargetSeries): TargetSample[] {
  return [...(series.start ? [series.start] : []), ...series.blocks.filter((s): s is TargetSample => s !== null)];
}

/** Value per millisecond; undefined with fewer than two distinct times. */
export function leastSquaresSlope(points: readonly TargetSample[]): number | undefined {
  if (points.length < 2) return undefined;
  const meanX = points.reduce((sum, p) => sum + p.atMs, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.value, 0) / points.length;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.atMs - meanX) ** 2;
    sxy += (p.atMs - meanX) * (p.value - meanY);
  }
  return sxx > 0 ? sxy / sxx : undefined;
}

/**
 * The CPU counter's increase between consecutive samples inside the measured period, each beside
 * the requests measured over the same span (the blocks' requests, spread evenly over each block):
 * the series a ratio estimator turns into CPU-seconds per request with its within-run variance.
 * Spans that begin before the measured period are left out (the warm-up's CPU has no requests
 * here), and so is everything after the counter went down (the target restarted).
 */
export interface CpuSpans {
  cpuSeconds: number[];
  requests: number[];
  /** Each span's middle, ms from the start of the measured period. */
  midMs: number[];
}

export function cpuSpans(record: Pick<RunRecord, 'targetMetrics' | 'overall' | 'blocks'>): CpuSpans {
  const series = record.targetMetrics?.series[CPU_SERIES];
  const spans: CpuSpans = { cpuSeconds: [], requests: [], midMs: [] };
  if (series === undefined) return spans;
  const points = series.blocks.filter((s): s is TargetSample => s !== null && s.atMs >= 0);
  for (let i = 1; i < points.length; i++) {
    const from = points[i - 1] as TargetSample;
    const to = points[i] as TargetSample;
    if (to.value < from.value) break;
    spans.cpuSeconds.push(to.value - from.value);
    spans.requests.push(requestsBetween(record, from.atMs, to.atMs));
    spans.midMs.push((from.atMs + to.atMs) / 2);
  }
  return spans;
}

/** Requests measured from `fromMs` to `toMs`, each block's spread evenly over its window. */
function requestsBetween(record: Pick<RunRecord, 'overall' | 'blocks'>, fromMs: number, toMs: number): number {
  let total = 0;
  for (const [i, window] of record.blocks.entries()) {
    const overlap = Math.min(toMs, window.endMs) - Math.max(fromMs, window.startMs);
    const length = window.endMs - window.startMs;
    if (overlap > 0 && length > 0) total += ((record.overall.blocks[i]?.requests ?? 0) * overlap) / length;
  }
  return total;
}

/** The memory series' samples in the blocks, as log bytes against minutes from the start: the slow burn of memory. */
export function memoryLogSeries(record: Pick<RunRecord, 'targetMetrics'>): { minutes: number[]; logBytes: number[] } {
  const series = record.targetMetrics?.series[MEMORY_SERIES];
  const points = (series?.blocks ?? []).filter((s): s is TargetSample => s !== null && s.value > 0);
  const minutes: number[] = [];
  const logBytes: number[] = [];
  for (const p of points) {
    const at = p.atMs / 60_000;
    if (minutes.length > 0 && !(at > (minutes.at(-1) as number))) continue;
    minutes.push(at);
    logBytes.push(Math.log(p.value));
  }
  return { minutes, logBytes };
}
