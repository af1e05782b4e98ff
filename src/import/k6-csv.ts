import { csvFields } from './csv-fields.js';
import type { FormatSpec, ImportedLine, LineReader } from './imported-line.js';
import { rfc3339Ms } from './iso-time.js';
import { k6Request } from './k6-request.js';

const REQUIRED = ['metric_name', 'timestamp', 'metric_value'] as const;

/**
 * k6 `--out csv`: a header line, then one sample a line. Columns are found by the header's names
 * (k6 versions add columns such as expected_response, service and metadata). Timestamps are
 * whole seconds by default, finer with `timeFormat` (unix_milli, unix_micro, unix_nano, rfc3339,
 * rfc3339_nano).
 */
export const K6_CSV: FormatSpec = {
  format: 'k6-csv',
  tool: 'k6',
  recordFormat: 'k6-csv',
  produce: 'k6 run --out csv=results.csv script.js',
  newReader: () => new K6CsvReader(),
};

export class K6CsvReader implements LineReader {
  private columns: Map<string, number> | undefined;
  /** The finest timestamp step seen, milliseconds (1000 for whole seconds). */
  resolutionMs = 1000;

  read(line: string): ImportedLine {
    if (line.trim() === '') return { kind: 'skip' };
    const fields = csvFields(line);
    if (!fields) return { kind: 'malformed', reason: 'a quoted field is left open (cut short?)' };
    if (!this.columns) {
      if (!REQUIRED.every((name) => fields.includes(name))) return { kind: 'malformed', reason: `before the header (metric_name,timestamp,metric_value,...)` };
      this.columns = new Map(fields.map((name, i) => [name, i]));
      return { kind: 'skip' };
    }
    if (fields.length < this.columns.size - 2) return { kind: 'malformed', reason: `${fields.length} field${fields.length === 1 ? '' : 's'} where the header has ${this.columns.size} (cut short?)` };
    const field = (name: string): string | undefined => {
      const i = this.columns?.get(name);
      const value = i === undefined ? undefined : fields[i];
      return value === '' ? undefined : value;
    };
    const metric = field('metric_name');
    if (metric !== 'http_req_duration' && metric !== 'checks' && metric !== 'iterations' && metric !== 'vus' && metric !== 'dropped_iterations') {
      return { kind: 'skip' };
    }
    const value = Number(field('metric_value'));
    if (!Number.isFinite(value) || value < 0 || field('metric_value') === undefined) return { kind: 'malformed', reason: `metric_value is ${JSON.stringify(field('metric_value') ?? '')}, not a number of 0 or more` };
    const scenario = field('scenario') ?? 'default';
    switch (metric) {
      case 'vus':
        return { kind: 'vus', value };
      case 'iterations':
        return { kind: 'iteration', scenario };
      case 'dropped_iterations':
        return { kind: 'dropped', scenario };
      case 'checks': {
        const name = field('check');
        const atMs = this.timeMs(field('timestamp') ?? '');
        return name ? { kind: 'check', name, passed: value > 0, atMs: Number.isNaN(atMs) ? undefined : atMs } : { kind: 'malformed', reason: 'a checks sample without a check' };
      }
      default: {
        const endMs = this.timeMs(field('timestamp') ?? '');
        if (Number.isNaN(endMs)) return { kind: 'malformed', reason: `timestamp is ${JSON.stringify(field('timestamp') ?? '')}, not a time k6 writes` };
        const request = k6Request(
          { name: field('name'), url: field('url'), scenario, status: field('status'), expected_response: field('expected_response'), error_code: field('error_code') },
          endMs,
          value,
        );
        return typeof request === 'string' ? { kind: 'malformed', reason: request } : { kind: 'request', request };
      }
    }
  }

  /** A timestamp in any of k6's time formats, milliseconds since the epoch; NaN when none. */
  private timeMs(text: string): number {
    if (!/^\d+$/.test(text)) {
      const ms = rfc3339Ms(text);
      if (!Number.isNaN(ms)) this.resolutionMs = Math.min(this.resolutionMs, text.includes('.') ? 0.001 : 1000);
      return ms;
    }
    // The unit by the number's size: a time after 1973 in seconds has 10 digits, in ms 13, µs 16, ns 19.
    const n = Number(text);
    const [scale, resolution] = text.length <= 11 ? [1000, 1000] : text.length <= 14 ? [1, 1] : text.length <= 17 ? [0.001, 0.001] : [0.000001, 0.001];
    this.resolutionMs = Math.min(this.resolutionMs, resolution);
    return n * scale;
  }
}
