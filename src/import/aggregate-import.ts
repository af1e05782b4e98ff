import { parseRunRecord } from '../record/read-run-record.js';
import { MAX_MEASURED_MS } from '../record/record-schema.js';
import { Recorder } from '../record/recorder.js';
import { RUN_SCHEMA, type RunRecord } from '../record/run-record-types.js';
import { summarizeRun } from '../record/summary.js';
import { ImportError } from './import-error.js';
import { latenciesFromPoints, type AggregateHistory } from './aggregate-window.js';

/** Locust writes a history row a second, Artillery a report every 10 s by default: blocks of 1 s, the windows' own where longer. */
export interface AggregateImport {
  record: RunRecord;
  notes: string[];
}

/**
 * A record from a file of windows (Locust's history, Artillery's report): per step, one block per
 * window holding the window's requests and failures, with latencies spread over its percentile
 * points (the block's p95 is the window's p95). The whole-run histograms are only the blocks added
 * up, not the run's percentiles: the record is marked `fidelity: 'aggregate'` and the comparison
 * does not judge them.
 */
export function aggregateRecord(
  file: string,
  history: AggregateHistory,
  options: { tool: 'locust' | 'artillery'; produce: string; windowMs: number; profileId: string; profileHash: string; warmupMs: number; tailgateVersion: string },
): AggregateImport {
  const { windows, steps } = history;
  if (windows.length === 0) {
    const why = history.malformedCount > 0 ? `; ${history.malformedCount} of its ${history.lines} lines are malformed (${history.malformed.map((m) => `line ${m.line}: ${m.reason}`).join('; ')})` : '';
    throw new ImportError(file, `holds no window with requests to import${why}`, `import the file ${options.produce} writes, whole`);
  }
  const firstS = Math.min(...windows.map((w) => w.atS));
  const lastS = Math.max(...windows.map((w) => w.atS));
  const blockMs = Math.max(1000, Math.round(options.windowMs / 1000) * 1000);
  const spanMs = (lastS - firstS) * 1000 + blockMs;
  const { warmupMs } = options;
  if (warmupMs >= spanMs) throw new ImportError(file, `its windows span ${spanMs / 1000} s, no more than the ${warmupMs / 1000} s of warm-up asked`, 'give a shorter --warmup, or import a longer run');
  const measuredMs = spanMs - warmupMs;
  if (measuredMs > MAX_MEASURED_MS) throw new ImportError(file, `its windows span ${Math.round(measuredMs / 60_000)} minutes; a run record holds at most ${MAX_MEASURED_MS / 60_000}`, 'import a run of at most 75 minutes');
  const recorder = new Recorder(steps, warmupMs, blockMs, false);
  let unknown = 0;
  for (const window of windows) {
    const id = steps.indexOf(window.step);
    // The row at time T counts the requests of the window before it: placed mid-block.
    const originMs = (window.atS - firstS) * 1000 + blockMs / 2;
    const latencies = window.points === undefined ? undefined : latenciesFromPoints(window.points, window.requests);
    if (latencies === undefined) unknown++;
    for (let k = 0; k < window.requests; k++) {
      // Failures carry no kind or status in the file: counted as 'other'.
      recorder.record(id, originMs, latencies?.[k], undefined, k < window.failures ? 'other' : undefined);
    }
  }
  const { blocks, overall, steps: stepRecords } = recorder.snapshot(measuredMs);
  const startedAt = firstS * 1000 - blockMs;
  const body: Omit<RunRecord, 'summary'> = {
    schema: RUN_SCHEMA,
    meta: {
      profile: { id: options.profileId, hash: options.profileHash },
      target: '(not in the file)',
      tool: { name: 'tailgate', version: options.tailgateVersion },
      startedAt: new Date(startedAt).toISOString(),
      endedAt: new Date(startedAt + spanMs).toISOString(),
      warmupMs,
      measuredMs,
      blockMs: blockMs,
      interrupted: false,
      source: { tool: options.tool, format: options.tool === 'locust' ? 'locust-history' : 'artillery-json', generatorChecked: false, latencyFrom: 'actual-start', fidelity: 'aggregate', timeResolutionMs: 1000, malformedLines: history.malformedCount },
    },
    scenarios: { default: { executor: 'external', model: 'closed', latencyFrom: 'actual-start', iterations: 0, maxVUs: 0 } },
    generator: { valid: true, reasons: [], eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, lateStarts: 0, lateThresholdMs: 0, cpuCores: 0, maxRssBytes: 0 },
    blocks,
    overall,
    steps: stepRecords,
  };
  const record = parseRunRecord(JSON.stringify({ ...body, summary: summarizeRun(body) }), file);
  const notes = [`only percentiles per ${blockMs / 1000} s window were in the file: each block holds a histogram made from its window's percentile points (its p95 is the window's), so whole-run percentiles and error kinds cannot be tested`];
  if (unknown > 0) notes.push(`${unknown} window(s) with requests gave no percentiles${options.tool === 'locust' ? " (N/A, or the zeros of Locust's first seconds)" : ''}: their requests are counted, their latencies unknown`);
  if (history.malformedCount > 0) notes.push(`skipped ${history.malformedCount} malformed line(s) of ${history.lines} (${history.malformed.map((m) => `line ${m.line}: ${m.reason}`).join('; ')})`);
  return { record, notes };
}
