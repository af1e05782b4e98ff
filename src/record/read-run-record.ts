import { readFile } from 'node:fs/promises';
import { RecordError } from './record-error.js';
import { RUN_SCHEMA, type RunRecord } from './run-record-types.js';
import { decodeHistogram } from './histogram.js';
import { summarizeRun } from './summary.js';

/**
 * Older formats this version can still read, each with the step that lifts it one version up.
 * `tailgate.run/v1` is the first; a v2 would add `'tailgate.run/v1': (r) => ...` here.
 */
const MIGRATIONS: Record<string, (record: Record<string, unknown>) => Record<string, unknown>> = {};

/**
 * Parses a run record from JSON text: checks its format, migrates an older one, and refuses
 * a newer or damaged one with a message that says what to do. Never returns a half-valid record.
 */
export function parseRunRecord(text: string, file: string): RunRecord {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const truncated = /^\s*[{[]/.test(text) && !/[}\]]\s*$/.test(text);
    throw new RecordError(
      file,
      truncated ? 'the file is truncated (it ends before the JSON does)' : `not valid JSON (${(error as Error).message})`,
      'use a record written by `tailgate run --out` (or a baseline the action saved); re-run to get a whole one',
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new RecordError(file, 'not a run record (expected a JSON object)', 'pass a file written by `tailgate run --out`');
  }
  let record = data as Record<string, unknown>;
  const schema = record.schema;
  if (typeof schema !== 'string' || !schema.startsWith('tailgate.run/v')) {
    throw new RecordError(file, `not a tailgate run record (schema is ${JSON.stringify(schema)})`, 'pass a file written by `tailgate run --out`');
  }
  while (record.schema !== RUN_SCHEMA) {
    const migrate = MIGRATIONS[record.schema as string];
    if (!migrate) {
      const written = String(record.schema);
      const shown = written.length > 60 ? `${written.slice(0, 60)}… (${written.length} characters)` : written;
      const version = /^tailgate\.run\/v(\d{1,6})$/.exec(written)?.[1];
      const newer = version !== undefined && Number(version) > Number(RUN_SCHEMA.slice('tailgate.run/v'.length));
      throw new RecordError(
        file,
        newer
          ? `written in format ${shown}, newer than this tailgate reads (${RUN_SCHEMA})`
          : `written in format ${shown}, an older or unknown version that this tailgate does not read (it reads ${RUN_SCHEMA})`,
        newer ? 'upgrade tailgate to the version that wrote it, or re-record the baseline with this one' : 're-record it with this tailgate (tailgate run --out)',
      );
    }
    record = migrate(record);
  }
  return checkShape(record, file);
}

function checkShape(record: Record<string, unknown>, file: string): RunRecord {
  const missing = ['meta', 'scenarios', 'generator', 'blocks', 'overall', 'steps'].filter(
    (key) => typeof record[key] !== 'object' || record[key] === null,
  );
  if (missing.length > 0) {
    throw new RecordError(file, `incomplete run record: ${missing.join(', ')} missing`, 're-run `tailgate run --out` to write a complete record');
  }
  const meta = record.meta as Record<string, unknown>;
  const profile = meta.profile as Record<string, unknown> | undefined;
  if (typeof profile?.id !== 'string' || typeof profile.hash !== 'string' || typeof meta.measuredMs !== 'number' || typeof meta.blockMs !== 'number') {
    throw new RecordError(file, 'incomplete run record: meta.profile, meta.measuredMs or meta.blockMs missing', 're-run `tailgate run --out`');
  }
  const run = record as unknown as RunRecord;
  for (const [name, step] of [['overall', run.overall] as const, ...Object.entries(run.steps)]) {
    if (typeof step?.histogram !== 'string' || !Array.isArray(step.blocks) || typeof step.requests !== 'number') {
      throw new RecordError(file, `step "${name}" is incomplete (histogram, blocks or requests missing)`, 're-run `tailgate run --out`');
    }
    try {
      decodeHistogram(step.histogram);
      for (const block of step.blocks) decodeHistogram(block.histogram);
    } catch {
      throw new RecordError(file, `step "${name}" holds a damaged histogram`, 're-run `tailgate run --out`; do not edit records by hand');
    }
  }
  // The summary is derived data: recompute it rather than trust what the file says.
  return { ...run, summary: summarizeRun(run) };
}

/** Reads and parses a run record file; an unreadable file is a RecordError with the fix. */
export async function readRunRecordFile(file: string): Promise<RunRecord> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RecordError(file, `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'check the path');
  }
  return parseRunRecord(text, file);
}
