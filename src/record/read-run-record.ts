import { readFile } from 'node:fs/promises';
import { detectFormat } from '../import/detect-format.js';
import { RecordError } from './record-error.js';
import { RUN_SCHEMA, type RunRecord, type StepRecord, type StepTotals } from './run-record-types.js';
import { decodeCounts, HistogramFormatError, type LatencyCounts } from './latency-counts.js';
import { namedSteps, recordProblem } from './record-checks.js';
import { fieldName } from './record-field.js';
import { OPTIONAL_TOTALS_HISTOGRAMS } from './request-phases.js';
import { schemaProblem, type RecordProblem } from './record-schema.js';
import { serverTimingProblem } from './server-timing-checks.js';
import { targetMetricsProblem } from './target-metrics.js';
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
    // Another tool's results (k6 --out json is one JSON object a line): say so, not "truncated".
    const foreign = detectFormat(text.slice(0, 20_000).split('\n', 5));
    if (foreign.format !== undefined) {
      throw new RecordError(file, `this looks like ${foreign.looksLike}, not a tailgate run record`, `convert it with tailgate import ${file} --out run.json, then pass run.json`);
    }
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

const FIX = 'use a record written by `tailgate run --out` (or a baseline the action saved), unedited; re-run to get a new one';

/**
 * Checks a record against the published schema (schema/tailgate.run.schema.json), then what the
 * schema cannot say (record-checks.ts), then every histogram, and refuses it at the first field
 * that is wrong. A record may come from a fork, an artifact or a cache entry: nothing in it is
 * trusted until this passes.
 */
function checkShape(record: Record<string, unknown>, file: string): RunRecord {
  const missing = ['meta', 'scenarios', 'generator', 'blocks', 'overall', 'steps'].filter((key) => !Object.hasOwn(record, key));
  if (missing.length > 0) {
    throw new RecordError(file, `incomplete run record: ${missing.join(', ')} missing`, 're-run `tailgate run --out` to write a complete record');
  }
  const problem = schemaProblem(record) ?? recordProblem(record as unknown as RunRecord) ?? histogramProblem(record as unknown as RunRecord) ?? serverTimingProblem(record as unknown as RunRecord) ?? targetMetricsProblem(record as unknown as RunRecord);
  if (problem) throw new RecordError(file, `${problem.field} ${problem.problem}`, problem.fix ?? FIX);
  const run = withOwnKeysOnly(record as unknown as RunRecord);
  // The summary is derived data: recompute it rather than trust what the file says.
  const summary = summarizeRun(run);
  return { ...run, summary: { ...summary, steps: ownKeysOnly(summary.steps) } };
}

/**
 * The record's maps keyed by names from the file (steps, scenarios, statuses, error kinds, the load
 * shape's scenarios) with no
 * prototype: looking up a step another run has, such as `toString`, finds nothing here rather
 * than a function every object inherits.
 */
function withOwnKeysOnly(run: RunRecord): RunRecord {
  const step = (s: StepRecord): StepRecord => ({
    ...s,
    statuses: ownKeysOnly(s.statuses),
    errorKinds: ownKeysOnly(s.errorKinds),
    ...(s.serverTiming ? { serverTiming: { ...s.serverTiming, components: ownKeysOnly(s.serverTiming.components) } } : {}),
  });
  return {
    ...run,
    scenarios: ownKeysOnly(
      Object.fromEntries(
        Object.entries(run.scenarios).map(([name, s]) => [name, s.results ? { ...s, results: { overall: totals(s.results.overall), steps: ownKeysOnly(Object.fromEntries(Object.entries(s.results.steps).map(([k, t]) => [k, totals(t)]))) } } : s]),
      ),
    ),
    ...(run.checks ? { checks: ownKeysOnly(run.checks) } : {}),
    ...(run.targetMetrics ? { targetMetrics: { ...run.targetMetrics, series: ownKeysOnly(run.targetMetrics.series) } } : {}),
    overall: step(run.overall),
    steps: ownKeysOnly(Object.fromEntries(Object.entries(run.steps).map(([name, s]) => [name, step(s)]))),
    ...(run.loadShape ? { loadShape: { ...run.loadShape, scenarios: ownKeysOnly(run.loadShape.scenarios) } } : {}),
  };
}

function totals(t: StepTotals): StepTotals {
  return { ...t, statuses: ownKeysOnly(t.statuses), errorKinds: ownKeysOnly(t.errorKinds) };
}

function ownKeysOnly<T>(map: Record<string, T>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const [key, value] of Object.entries(map)) out[key] = value;
  return out;
}

/** Each histogram must be one tailgate writes, and hold no more latencies than its requests. */
function histogramProblem(record: RunRecord): RecordProblem | undefined {
  for (const [name, scenario] of Object.entries(record.scenarios)) {
    for (const [group, encoded] of Object.entries(scenario.groupDurations ?? {})) {
      const counts = readCounts(encoded);
      if (typeof counts === 'string') return { field: fieldName(['scenarios', name, 'groupDurations', group]), problem: `is damaged: ${counts}` };
    }
    if (scenario.iterationDurations !== undefined) {
      const counts = readCounts(scenario.iterationDurations);
      if (typeof counts === 'string') return { field: fieldName(['scenarios', name, 'iterationDurations']), problem: `is damaged: ${counts}` };
    }
    if (!scenario.results) continue;
    const totals: Array<[Array<string | number>, StepTotals]> = [
      [['scenarios', name, 'results', 'overall'], scenario.results.overall],
      ...Object.entries(scenario.results.steps).map(([step, t]): [Array<string | number>, StepTotals] => [['scenarios', name, 'results', 'steps', step], t]),
    ];
    for (const [path, t] of totals) {
      const counts = readCounts(t.histogram);
      if (typeof counts === 'string') return { field: fieldName([...path, 'histogram']), problem: `is damaged: ${counts}` };
      if (counts.total > t.requests || t.errors > t.requests) return { field: fieldName(path), problem: `holds ${counts.total} latencies and ${t.errors} errors of ${t.requests} requests` };
      for (const phase of OPTIONAL_TOTALS_HISTOGRAMS) {
        const encoded = t[phase];
        if (encoded === undefined) continue;
        const timed = readCounts(encoded);
        if (typeof timed === 'string') return { field: fieldName([...path, phase]), problem: `is damaged: ${timed}` };
        if (timed.total > t.requests) return { field: fieldName([...path, phase]), problem: `holds ${timed.total} times, more than the ${t.requests} requests` };
      }
    }
  }
  for (const [path, step] of namedSteps(record)) {
    let inBlocks = 0;
    for (const [i, block] of step.blocks.entries()) {
      const counts = readCounts(block.histogram);
      if (typeof counts === 'string') return { field: fieldName([...path, 'blocks', i, 'histogram']), problem: `is damaged: ${counts}` };
      if (counts.total > block.requests) {
        return { field: fieldName([...path, 'blocks', i, 'histogram']), problem: `holds ${counts.total} latencies, more than the block's requests (${block.requests})` };
      }
      inBlocks += counts.total;
    }
    const counts = readCounts(step.histogram);
    if (typeof counts === 'string') return { field: fieldName([...path, 'histogram']), problem: `is damaged: ${counts}` };
    if (counts.total !== inBlocks) return { field: fieldName([...path, 'histogram']), problem: `holds ${counts.total} latencies, but its blocks hold ${inBlocks}` };
  }
  return undefined;
}

/** The counts, or why they cannot be read. */
function readCounts(encoded: string): LatencyCounts | string {
  try {
    return decodeCounts(encoded);
  } catch (error) {
    if (error instanceof HistogramFormatError) return error.reason;
    throw error;
  }
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
