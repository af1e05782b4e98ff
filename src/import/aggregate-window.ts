/** One window of one step in a file that keeps percentiles per window, not requests (Locust's history, Artillery's report). */
export interface AggregateWindow {
  step: string;
  /** When the window ended, seconds since the Unix epoch. */
  atS: number;
  requests: number;
  failures: number;
  /** The window's latencies at some percentiles (ascending), ms; undefined when the file gave none. */
  points: PercentilePoint[] | undefined;
}

export interface PercentilePoint {
  /** 0 to 100. */
  percentile: number;
  ms: number;
}

/** What a reader of such a file found: windows, the steps in the order they came, and the lines it could not read. */
export interface AggregateHistory {
  windows: AggregateWindow[];
  steps: string[];
  malformed: Array<{ line: number; reason: string }>;
  malformedCount: number;
  lines: number;
}

/**
 * `count` latencies (µs) spread over a window's percentile points: the share of requests between
 * two points takes the upper one's value. An approximation: the points are all the file keeps of
 * the window's latencies, so the histogram made from them reproduces its percentiles (its p95 is
 * the window's p95), not its shape between them. The record says so (`fidelity: 'aggregate'`).
 */
export function latenciesFromPoints(points: readonly PercentilePoint[], count: number): number[] {
  const latencies: number[] = [];
  const last = points[points.length - 1] as PercentilePoint;
  for (let k = 0; k < count; k++) {
    const quantile = ((k + 0.5) / count) * 100;
    const point = points.find((p) => quantile <= p.percentile) ?? last;
    latencies.push(Math.max(1, Math.round(point.ms * 1000)));
  }
  return latencies;
}
