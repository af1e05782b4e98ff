import { parseRunRecord } from '../record/read-run-record.js';
import { baselineVolumeProblem } from '../record/record-checks.js';
import { RecordError } from '../record/record-error.js';
import type { RunRecord } from '../record/run-record-types.js';
import { BASELINE_SCHEMA } from './baseline-bundle.js';

/**
 * Reads a baseline file: either one run record (`tailgate.run/v1`) or a bundle of the last N
 * default-branch runs (`tailgate.baseline/v1`). Returns the runs, oldest first. Anything else,
 * or a damaged or newer-format file, is a RecordError that says what to do.
 */
export function parseBaselineFile(text: string, file: string): RunRecord[] {
  let schema: unknown;
  try {
    schema = (JSON.parse(text) as { schema?: unknown } | null)?.schema;
  } catch {
    // Not JSON: let the run-record reader say how (truncated or garbled).
    return [parseRunRecord(text, file)];
  }
  if (typeof schema === 'string' && schema.startsWith('tailgate.baseline/')) {
    if (schema !== BASELINE_SCHEMA) {
      throw new RecordError(file, `a baseline bundle in format ${schema}, newer than this tailgate reads (${BASELINE_SCHEMA})`, 'upgrade tailgate, or record a new baseline with this version');
    }
    const runs = (JSON.parse(text) as { runs?: unknown }).runs;
    if (!Array.isArray(runs)) throw new RecordError(file, 'a baseline bundle without its runs', 'record a new baseline');
    const tooMuch = baselineVolumeProblem(runs);
    if (tooMuch) throw new RecordError(file, `${tooMuch.field} ${tooMuch.problem}`, tooMuch.fix ?? 'record a new baseline');
    return runs.map((run, i) => parseRunRecord(JSON.stringify(run), `${file} (run ${i + 1})`));
  }
  return [parseRunRecord(text, file)];
}
