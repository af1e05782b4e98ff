import type { AggregateHistory, PercentilePoint } from './aggregate-window.js';
import { csvFields } from './csv-fields.js';

/**
 * Locust's `--csv-full-history` file (`*_stats_history.csv`): one row a second per request name,
 * with running totals and the percentiles of Locust's recent response times. It holds no
 * requests, only windows, so an import of it gives blocks, not a whole-run histogram.
 */

/** The percentile columns of the file, in its order. */
export const LOCUST_PERCENTILES = [50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100] as const;

const REQUIRED = ['Timestamp', 'Name', 'Total Request Count', 'Total Failure Count'];

/** Reads the file's lines (the header first). Pure: the caller reads the file. */
export function readLocustHistory(lines: readonly string[]): AggregateHistory {
  const result: AggregateHistory = { windows: [], steps: [], malformed: [], malformedCount: 0, lines: 0 };
  const bad = (line: number, reason: string): void => {
    result.malformedCount++;
    if (result.malformed.length < 5) result.malformed.push({ line, reason });
  };
  let header: string[] | undefined;
  const totals = new Map<string, { requests: number; failures: number }>();
  for (const [index, raw] of lines.entries()) {
    const lineNo = index + 1;
    result.lines = lineNo;
    const text = raw.replace(/^\uFEFF/, '');
    if (text.trim() === '') continue;
    const fields = csvFields(text);
    if (fields === undefined) {
      bad(lineNo, 'an unclosed quote');
      continue;
    }
    if (header === undefined) {
      if (!REQUIRED.every((name) => fields.includes(name))) {
        bad(lineNo, 'not the header of a Locust --csv-full-history file');
        return result;
      }
      header = fields;
      continue;
    }
    if (fields.length !== header.length) {
      bad(lineNo, `${fields.length} fields where the header has ${header.length}`);
      continue;
    }
    const field = (name: string): string => fields[(header as string[]).indexOf(name)] ?? '';
    const name = field('Name');
    // The Aggregated row sums the others: it is not a step.
    if (name === 'Aggregated' && field('Type') === '') continue;
    const atS = Number(field('Timestamp'));
    const total = Number(field('Total Request Count'));
    const failed = Number(field('Total Failure Count'));
    if (!Number.isFinite(atS) || !Number.isInteger(total) || total < 0 || !Number.isInteger(failed) || failed < 0 || name === '') {
      bad(lineNo, 'a timestamp, name or total count is missing or not a number');
      continue;
    }
    const previous = totals.get(name) ?? { requests: 0, failures: 0 };
    if (total < previous.requests || failed < previous.failures) {
      bad(lineNo, `the running totals of "${name}" went down (Locust's stats were reset?)`);
      continue;
    }
    totals.set(name, { requests: total, failures: failed });
    if (!result.steps.includes(name)) result.steps.push(name);
    const requests = total - previous.requests;
    // A window with no requests is not a block: its percentiles, if any, are older requests'.
    if (requests === 0) continue;
    result.windows.push({ step: name, atS, requests, failures: failed - previous.failures, points: percentilesOf(LOCUST_PERCENTILES.map((p) => field(`${p}%`))) });
  }
  return result;
}

/**
 * The percentile points, or undefined when the row does not give them: N/A, or all zero (Locust
 * writes 0 for every percentile in its first seconds, before it has a window of response times).
 */
function percentilesOf(texts: readonly string[]): PercentilePoint[] | undefined {
  const values = texts.map(Number);
  if (values.some((v) => !Number.isFinite(v) || v < 0)) return undefined;
  if (values.every((v) => v === 0)) return undefined;
  return values.map((ms, i) => ({ percentile: LOCUST_PERCENTILES[i] as number, ms }));
}
