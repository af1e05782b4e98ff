import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/**
 * One scrape of a Prometheus text-format endpoint, reduced to what a run records: the value of
 * each series of the metric names asked for. A series is a name with one set of labels, keyed as
 * Prometheus writes it (`http_requests_total{code="200",method="get"}`, labels sorted).
 */

/** Counters, gauges and untyped samples carry one value; histograms and summaries are not read. */
export type SeriesType = 'counter' | 'gauge' | 'untyped';

export interface ScrapedValue {
  type: SeriesType;
  value: number;
}

export interface ScrapedText {
  values: Map<string, ScrapedValue>;
  /** Names asked for that the endpoint did not expose, or exposed as a histogram or summary. */
  missing: string[];
  /** Series of the names asked for whose value was not a finite number (NaN, +Inf), left out. */
  notFinite: string[];
  /** Series beyond `maxSeries`, left out. */
  dropped: number;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/**
 * A sample value as the exposition format writes it: a Go float, NaN, or ±Inf, the words in any
 * case as Go's ParseFloat (and so Prometheus) reads them. prom-client writes NaN as `Nan` (its
 * `nodejs_eventloop_lag_mean_seconds` and `_stddev_seconds` before the first delay is sampled):
 * that is NaN, a value that is not finite, not a family the parser misread.
 */
const NUMBER = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;

/** The text broke the exposition format; the scrape is a warning, never a failed run. */
export class ExpositionFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpositionFormatError';
  }
}

/** The values of the series of `names` (in that order) in `text`, at most `maxSeries` of them. */
export function readExposition(text: string, names: readonly string[], maxSeries: number): ScrapedText {
  let families: ReturnType<typeof parsePrometheusTextFormat>;
  try {
    families = parsePrometheusTextFormat(text);
  } catch (error) {
    throw new ExpositionFormatError(`not Prometheus text format: ${error instanceof Error ? error.message.slice(0, 120) : String(error).slice(0, 120)}`);
  }
  // The parser is lenient: an HTML page or a JSON body comes out as odd families, or none.
  // A family of a real exposition the parser reads oddly is left out; text with no family that reads as metrics is refused.
  const isOdd = (family: (typeof families)[number]): boolean => !METRIC_NAME.test(family.name) || family.metrics.some((sample) => sample.value !== undefined && !NUMBER.test(sample.value.trim()));
  const odd = families.find(isOdd);
  if (odd !== undefined && families.every(isOdd)) throw new ExpositionFormatError(`not Prometheus text format: ${JSON.stringify(odd.name.slice(0, 60))} is no metric with a number`);
  families = families.filter((family) => !isOdd(family));
  if (families.length === 0 && text.split('\n').some((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))) {
    throw new ExpositionFormatError('not Prometheus text format: no line of it is a metric');
  }
  const byName = new Map(families.map((family) => [family.name, family]));
  const values = new Map<string, ScrapedValue>();
  const missing: string[] = [];
  const notFinite: string[] = [];
  let dropped = 0;
  for (const name of names) {
    const family = byName.get(name);
    const type = family ? seriesType(family.type) : undefined;
    if (family === undefined || type === undefined) {
      missing.push(name);
      continue;
    }
    for (const sample of family.metrics) {
      const key = seriesKey(name, sample.labels ?? {});
      const value = Number(sample.value);
      if (sample.value === undefined || !Number.isFinite(value)) {
        notFinite.push(key);
        continue;
      }
      if (values.size >= maxSeries) {
        dropped += 1;
        continue;
      }
      values.set(key, { type, value });
    }
  }
  return { values, missing, notFinite, dropped };
}

function seriesType(type: string): SeriesType | undefined {
  const lower = type.toLowerCase();
  return lower === 'counter' || lower === 'gauge' || lower === 'untyped' ? lower : undefined;
}

/** `name{a="1",b="2"}` with labels sorted, or `name` without labels. */
export function seriesKey(name: string, labels: Record<string, string>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return name;
  return `${name}{${entries.map(([label, value]) => `${label}=${JSON.stringify(value)}`).join(',')}}`;
}
