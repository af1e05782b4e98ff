import type { FormatSpec, ImportedLine, LineReader } from './imported-line.js';
import { rfc3339Ms } from './iso-time.js';
import { k6Request, type K6RequestTags } from './k6-request.js';

/** The k6 metrics an import reads; every other metric (k6's own or a script's) is passed over. */
const READ_METRICS = new Set(['http_req_duration', 'checks', 'iterations', 'vus', 'dropped_iterations']);
const METRIC_NAME = /"metric":"([^"\\]*)"/;

/**
 * k6 `--out json`: one JSON object a line, `{"type":"Metric",...}` declaring a metric and
 * `{"type":"Point","metric":NAME,"data":{"time","value","tags"}}` one sample of it.
 */
export const K6_JSON: FormatSpec = {
  format: 'k6',
  tool: 'k6',
  recordFormat: 'k6-json',
  produce: 'k6 run --out json=results.json script.js',
  newReader: (): LineReader => ({ read: readK6JsonLine }),
};

export function readK6JsonLine(line: string): ImportedLine {
  if (line.trim() === '') return { kind: 'skip' };
  // Most lines are samples of metrics not read (k6 writes about ten per request): skip those
  // whole lines by their name, without parsing them.
  const whole = line.startsWith('{') && line.endsWith('}');
  const named = METRIC_NAME.exec(line)?.[1];
  if (whole && named !== undefined && !READ_METRICS.has(named) && line.includes('"type":"Point"')) return { kind: 'skip' };
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return { kind: 'malformed', reason: line.startsWith('{') && !line.endsWith('}') ? 'not a whole JSON object (cut short?)' : 'not JSON' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { kind: 'malformed', reason: 'not a JSON object' };
  const { type, metric, data: body } = data as { type?: unknown; metric?: unknown; data?: unknown };
  if (type === 'Metric') return { kind: 'skip' };
  if (type !== 'Point') return { kind: 'malformed', reason: `its type is ${JSON.stringify(type)}, neither "Metric" nor "Point"` };
  if (typeof metric !== 'string' || typeof body !== 'object' || body === null) return { kind: 'malformed', reason: 'a Point without a metric name or data' };
  if (!READ_METRICS.has(metric)) return { kind: 'skip' };
  const { time, value, tags } = body as { time?: unknown; value?: unknown; tags?: unknown };
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return { kind: 'malformed', reason: `its value is ${JSON.stringify(value)}, not a number of 0 or more` };
  const tagMap = (typeof tags === 'object' && tags !== null ? tags : {}) as Record<string, unknown>;
  const tag = (name: string): string | undefined => (typeof tagMap[name] === 'string' ? (tagMap[name] as string) : undefined);
  switch (metric) {
    case 'vus':
      return { kind: 'vus', value };
    case 'iterations':
      return { kind: 'iteration', scenario: tag('scenario') || 'default' };
    case 'dropped_iterations':
      return { kind: 'dropped', scenario: tag('scenario') || 'default' };
    case 'checks': {
      const name = tag('check');
      const atMs = typeof time === 'string' ? rfc3339Ms(time) : Number.NaN;
      return name ? { kind: 'check', name, passed: value > 0, atMs: Number.isNaN(atMs) ? undefined : atMs } : { kind: 'malformed', reason: 'a checks sample without a check tag' };
    }
    default: {
      const endMs = typeof time === 'string' ? rfc3339Ms(time) : Number.NaN;
      if (Number.isNaN(endMs)) return { kind: 'malformed', reason: `its time is ${JSON.stringify(time)}, not an RFC 3339 time` };
      const tags: K6RequestTags = { name: tag('name'), url: tag('url'), scenario: tag('scenario'), status: tag('status'), expected_response: tag('expected_response'), error_code: tag('error_code') };
      const request = k6Request(tags, endMs, value);
      return typeof request === 'string' ? { kind: 'malformed', reason: request } : { kind: 'request', request };
    }
  }
}
