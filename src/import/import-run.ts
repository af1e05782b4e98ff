import { createHash } from 'node:crypto';
import { parseRunRecord } from '../record/read-run-record.js';
import { MAX_STEP_BLOCKS } from '../record/record-checks.js';
import { MAX_BLOCKS, MAX_MEASURED_MS, MAX_STEPS } from '../record/record-schema.js';
import { Recorder } from '../record/recorder.js';
import { RUN_SCHEMA, type CheckRecord, type RunRecord, type ScenarioRecord } from '../record/run-record-types.js';
import { summarizeRun } from '../record/summary.js';
import { detectFormat, FORMAT_NAMES } from './detect-format.js';
import { GATLING_LOG } from './gatling-log.js';
import { ImportError } from './import-error.js';
import type { FormatSpec, ImportFormat, ImportedRequest } from './imported-line.js';
import { JMETER_CSV } from './jmeter-jtl.js';
import { K6_CSV } from './k6-csv.js';
import { K6_JSON } from './k6-json.js';
import { aggregateRecord } from './aggregate-import.js';
import { readArtilleryReport } from './artillery-report.js';
import { readLocustHistory } from './locust-history.js';
import { fileLines, headBytes, isGzip, type OpenStream, type StreamEnd } from './line-stream.js';

const SPECS: Record<FormatSpec['format'], FormatSpec> = { k6: K6_JSON, 'k6-csv': K6_CSV, jmeter: JMETER_CSV, gatling: GATLING_LOG };

/** Names JavaScript objects already own: a record never uses them as keys. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_NAME = 200;
const MAX_CHECKS = 1000;
/** Blocks of 1 s, as the issue asks: longer only when a long run or many steps would pass the record's bounds. */
const BLOCK_MS = 1000;
/** Malformed lines named in the report; the rest are counted. */
const SHOWN_MALFORMED = 5;

export interface ImportOptions {
  /** The file's name, for messages. */
  file: string;
  /** Opens the file anew (it is read twice, a stream each time). */
  open: OpenStream;
  /** The format; detected from the first lines when absent. */
  from?: ImportFormat | undefined;
  /** The record's profile id (its hash is made from the tool and the id): runs of one test share it. */
  profileId?: string | undefined;
  /** The first milliseconds of the file, from its first request, kept out of every statistic (as a run's warm-up). */
  warmupMs?: number | undefined;
  /** This tailgate's version, written in `meta.tool`. */
  tailgateVersion: string;
  /** How the fix of a contradicted format names the option that sets it (default: the CLI's `--from`). */
  formatFix?: ((detected: ImportFormat) => string) | undefined;
}

export interface MalformedLine {
  line: number;
  reason: string;
}

export interface ImportResult {
  record: RunRecord;
  format: ImportFormat;
  /** Lines read, malformed ones among them, the first few named. */
  lines: number;
  malformed: { count: number; first: MalformedLine[] };
  /** The file's last line was cut mid-way: it looks truncated. */
  truncated: boolean;
  /** What the import could not keep, in plain words, for the user. */
  notes: string[];
}

/** What the first pass learns: names, the time span, and what needs no second look (checks are counted in the second). */
interface Survey {
  steps: Map<string, number>;
  scenarios: Map<string, { requests: number; iterations: number; dropped: number }>;
  checks: Map<string, CheckRecord>;
  firstStartMs: number;
  lastEndMs: number;
  requests: number;
  maxVus: number;
  target: string | undefined;
  lines: number;
  lastLine: number;
  malformed: { count: number; first: MalformedLine[]; lastLine: number };
  resolutionMs: number;
  renamed: number;
  /** The tool's version, where the file says it. */
  version: string | undefined;
}

/**
 * Reads another load tool's results file into a `tailgate.run/v1` record, streaming: a first pass
 * learns the steps and the time span, a second records every request into the recorder's HDR
 * histograms (per step, per block, from each request's start). Malformed lines are counted and
 * skipped; only a file with no request left is refused. The record is then read back as any
 * record is, so what this returns every command accepts.
 */
export async function importRun(options: ImportOptions): Promise<ImportResult> {
  const { file, open } = options;
  const gzipped = isGzip(await readHead(file, open));
  const detected = detectFormat(await firstLines(file, open, gzipped, 5), file);
  const format = options.from ?? detected.format;
  if (format === undefined) {
    throw new ImportError(file, `this looks like ${detected.looksLike}`, `tailgate import reads ${Object.values(FORMAT_NAMES).join(', ')}; see docs/import.md for the command that writes each`);
  }
  if (detected.format !== undefined && detected.format !== format) {
    throw new ImportError(file, `this looks like ${detected.looksLike}, not ${FORMAT_NAMES[format]}`, options.formatFix?.(detected.format) ?? `pass --from ${detected.format}, or leave --from out to let tailgate tell`);
  }
  if (format === 'locust' || format === 'artillery') return importAggregate(options, format, gzipped);
  const spec = SPECS[format];
  const survey = await surveyFile(options, spec, gzipped);
  const warmupMs = options.warmupMs ?? 0;
  const { stepNames, measuredMs, blockMs } = layout(file, survey, warmupMs);
  const recorder = new Recorder(stepNames, warmupMs, blockMs, false);
  const end: StreamEnd = { endedWithNewline: true, gzipped };
  const recorded = await recordFile(options, spec, end, survey, recorder, warmupMs);
  if (recorded !== survey.requests) throw new ImportError(file, `changed while it was read (${survey.requests} requests, then ${recorded})`, 'import the file once the tool has finished writing it');
  // The recorder's snapshot makes the same records as toRecords from bucket counts, without
  // adding packed histograms: some 15 times faster over the many 1 s blocks of an import. Every
  // request began inside the measured period (see layout), so none is left out.
  const { blocks, overall, steps } = recorder.snapshot(measuredMs);
  const checks = survey.checks.size > 0 ? Object.fromEntries(survey.checks) : undefined;
  const body: Omit<RunRecord, 'summary'> = {
    schema: RUN_SCHEMA,
    meta: {
      profile: { id: options.profileId ?? spec.tool, hash: importHash(spec.tool, options.profileId ?? spec.tool) },
      target: survey.target ?? '(not in the file)',
      tool: { name: 'tailgate', version: options.tailgateVersion },
      startedAt: new Date(survey.firstStartMs).toISOString(),
      endedAt: new Date(survey.firstStartMs + warmupMs + measuredMs).toISOString(),
      warmupMs,
      measuredMs,
      blockMs,
      interrupted: false,
      source: {
        tool: spec.tool,
        ...(survey.version !== undefined ? { version: survey.version } : {}),
        format: spec.recordFormat,
        generatorChecked: false,
        latencyFrom: 'actual-start',
        fidelity: 'per-request',
        timeResolutionMs: survey.resolutionMs,
        malformedLines: survey.malformed.count,
      },
    },
    scenarios: scenarioRecords(survey),
    ...(checks ? { checks } : {}),
    generator: { valid: true, reasons: [], eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, lateStarts: 0, lateThresholdMs: 0, cpuCores: 0, maxRssBytes: 0 },
    blocks,
    overall,
    steps,
  };
  const record = parseRunRecord(JSON.stringify({ ...body, summary: summarizeRun(body) }), file);
  // The tools end every line with a newline: a file without one at its end was cut short (the
  // tool stopped mid-write, or the file was copied before it finished), mid-line or not.
  const truncated = survey.lastLine > 0 && !end.endedWithNewline;
  const cutLine = truncated && survey.malformed.lastLine === survey.lastLine;
  return { record, format, lines: survey.lines, malformed: survey.malformed, truncated, notes: notesOf(survey, blockMs, truncated, cutLine) };
}

/** Locust's history and Artillery's report hold windows, not requests: small files, read whole, made into aggregate records. */
async function importAggregate(options: ImportOptions, format: 'locust' | 'artillery', gzipped: boolean): Promise<ImportResult> {
  const end: StreamEnd = { endedWithNewline: true, gzipped };
  const lines: string[] = [];
  for await (const line of readLines(options, end)) lines.push(line);
  const history = format === 'locust' ? { ...readLocustHistory(lines), windowMs: 1000 } : artilleryHistory(options.file, lines);
  const id = options.profileId ?? format;
  const produce = format === 'locust' ? 'locust --csv PREFIX --csv-full-history (PREFIX_stats_history.csv)' : 'artillery run --output report.json';
  const { record, notes } = aggregateRecord(options.file, history, { tool: format, produce, windowMs: history.windowMs, profileId: id, profileHash: importHash(format, id), warmupMs: options.warmupMs ?? 0, tailgateVersion: options.tailgateVersion });
  const truncated = format === 'locust' && history.lines > 0 && !end.endedWithNewline;
  if (truncated) notes.push(`the file ends without a newline after line ${history.lines}: it looks truncated, and a comparison judges only whole runs`);
  const malformed = { count: history.malformedCount, first: history.malformed };
  return { record, format, lines: history.lines, malformed, truncated, notes };
}

function artilleryHistory(file: string, lines: readonly string[]): ReturnType<typeof readArtilleryReport> {
  try {
    return readArtilleryReport(lines.join('\n'));
  } catch (error) {
    throw new ImportError(file, `${(error as Error).message}: not an Artillery report as artillery run --output writes it`, 'import the whole report.json that artillery run --output report.json writes, once the run has ended');
  }
}

async function readHead(file: string, open: OpenStream): Promise<Buffer> {
  try {
    return await headBytes(open, 2);
  } catch (error) {
    throw unreadable(file, error);
  }
}

async function firstLines(file: string, open: OpenStream, gzipped: boolean, count: number): Promise<string[]> {
  const lines: string[] = [];
  try {
    for await (const line of fileLines(open, gzipped, { endedWithNewline: true, gzipped })) {
      if (line.trim() !== '') lines.push(line.length > 100_000 ? line.slice(0, 100_000) : line);
      if (lines.length >= count) break;
    }
  } catch (error) {
    throw unreadable(file, error);
  }
  return lines;
}

function unreadable(file: string, error: unknown): ImportError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') return new ImportError(file, 'the gzip file is cut short or damaged', 'import the whole file, as the tool wrote it');
  if (code === 'LINE_TOO_LONG') return new ImportError(file, 'it has a line longer than 1 MiB, which no results file of these tools writes', 'import the file as the tool wrote it (k6 --out json or csv, a JMeter JTL CSV)');
  return new ImportError(file, `cannot read it (${code ?? String(error)})`, 'check the path');
}

async function* readLines(options: ImportOptions, end: StreamEnd): AsyncGenerator<string> {
  try {
    yield* fileLines(options.open, end.gzipped, end);
  } catch (error) {
    throw unreadable(options.file, error);
  }
}

async function surveyFile(options: ImportOptions, spec: FormatSpec, gzipped: boolean): Promise<Survey> {
  const survey: Survey = {
    steps: new Map(),
    scenarios: new Map(),
    checks: new Map(),
    firstStartMs: Number.POSITIVE_INFINITY,
    lastEndMs: Number.NEGATIVE_INFINITY,
    requests: 0,
    maxVus: 0,
    target: undefined,
    lines: 0,
    lastLine: 0,
    malformed: { count: 0, first: [], lastLine: -1 },
    resolutionMs: 0.001,
    renamed: 0,
    version: undefined,
  };
  const reader = spec.newReader();
  const scenario = (name: string): { requests: number; iterations: number; dropped: number } => {
    const key = safeName(name);
    let entry = survey.scenarios.get(key);
    if (!entry) survey.scenarios.set(key, (entry = { requests: 0, iterations: 0, dropped: 0 }));
    return entry;
  };
  for await (const text of readLines(options, { endedWithNewline: true, gzipped })) {
    const lineNo = ++survey.lines;
    if (text.trim() !== '') survey.lastLine = lineNo;
    const line = reader.read(text);
    switch (line.kind) {
      case 'request': {
        const { request } = line;
        const name = safeName(request.step);
        if (name !== request.step) survey.renamed++;
        if (!survey.steps.has(name)) {
          if (survey.steps.size >= MAX_STEPS) {
            throw new ImportError(
              options.file,
              `line ${lineNo}: more than ${MAX_STEPS} distinct request names (a name per URL?)`,
              spec.tool === 'k6' ? 'name the requests of one endpoint alike (k6: the name tag, http.get(url, { tags: { name: "..." } }))' : 'give the samplers of one endpoint one label',
            );
          }
          survey.steps.set(name, survey.steps.size);
        }
        survey.requests++;
        scenario(request.scenario).requests++;
        survey.firstStartMs = Math.min(survey.firstStartMs, request.startMs);
        survey.lastEndMs = Math.max(survey.lastEndMs, endOf(request));
        if (line.vus !== undefined) survey.maxVus = Math.max(survey.maxVus, line.vus);
        if (survey.target === undefined && request.url !== undefined) survey.target = originOf(request.url);
        break;
      }
      case 'check':
        // Counted in the second pass, once the run's start is known.
        break;
      case 'iteration':
        // Iterations of the warm-up count too, as a run's do (ScenarioRecord.iterations).
        scenario(line.scenario).iterations++;
        break;
      case 'dropped':
        scenario(line.scenario).dropped++;
        break;
      case 'vus':
        survey.maxVus = Math.max(survey.maxVus, line.value);
        break;
      case 'malformed':
        survey.malformed.count++;
        survey.malformed.lastLine = lineNo;
        if (survey.malformed.first.length < SHOWN_MALFORMED) survey.malformed.first.push({ line: lineNo, reason: line.reason });
        break;
      case 'skip':
        break;
    }
  }
  survey.resolutionMs = reader.resolutionMs ?? 0.001;
  survey.version = reader.version;
  if (survey.requests === 0) {
    const why = survey.malformed.count > 0 ? `; ${survey.malformed.count} of its ${survey.lines} lines are malformed (${describeMalformed(survey.malformed.first)})` : '';
    throw new ImportError(options.file, `holds no requests to import${why}`, `import the file ${spec.produce} writes, whole`);
  }
  return survey;
}

function endOf(request: ImportedRequest): number {
  return request.startMs + (request.latencyUs ?? 0) / 1000;
}

/** The steps in the order they first appeared, the measured period, and the block length that keeps the record within its bounds. */
function layout(file: string, survey: Survey, warmupMs: number): { stepNames: string[]; measuredMs: number; blockMs: number } {
  // One past the last millisecond, so that even a request sent at the very end falls inside.
  const spanMs = Math.floor(survey.lastEndMs - survey.firstStartMs) + 1;
  if (warmupMs >= spanMs) {
    throw new ImportError(file, `its requests span ${spanMs / 1000} s, no more than the ${warmupMs / 1000} s of warm-up asked`, 'give a shorter --warmup, or import a longer run');
  }
  const measuredMs = spanMs - warmupMs;
  if (measuredMs > MAX_MEASURED_MS) {
    throw new ImportError(file, `its requests span ${Math.round(measuredMs / 60_000)} minutes; a run record holds at most ${MAX_MEASURED_MS / 60_000}`, 'import a run of at most 75 minutes (or split the file by time)');
  }
  const maxBlocks = Math.min(MAX_BLOCKS, Math.floor(MAX_STEP_BLOCKS / (survey.steps.size + 1)));
  const blockMs = BLOCK_MS * Math.max(1, Math.ceil(measuredMs / BLOCK_MS / maxBlocks));
  return { stepNames: [...survey.steps.keys()], measuredMs, blockMs };
}

async function recordFile(options: ImportOptions, spec: FormatSpec, end: StreamEnd, survey: Survey, recorder: Recorder, warmupMs: number): Promise<number> {
  const reader = spec.newReader();
  let recorded = 0;
  const measuredFrom = survey.firstStartMs + warmupMs;
  for await (const text of readLines(options, end)) {
    const line = reader.read(text);
    // Checks are counted here, once the run's start is known: those of the warm-up are left out.
    if (line.kind === 'check' && (line.atMs === undefined || line.atMs >= measuredFrom)) countCheck(survey.checks, line.name, line.passed);
    if (line.kind !== 'request') continue;
    const { request } = line;
    const id = survey.steps.get(safeName(request.step));
    if (id === undefined) return -1;
    recorder.record(id, request.startMs - survey.firstStartMs, request.latencyUs, request.status, request.error);
    recorded++;
  }
  return recorded;
}

function countCheck(checks: Map<string, CheckRecord>, rawName: string, passed: boolean): void {
  const name = safeName(rawName);
  let check = checks.get(name);
  if (!check) {
    if (checks.size >= MAX_CHECKS) return;
    checks.set(name, (check = { passes: 0, fails: 0 }));
  }
  if (passed) check.passes++;
  else check.fails++;
}

function scenarioRecords(survey: Survey): Record<string, ScenarioRecord> {
  const single = survey.scenarios.size === 1;
  return Object.fromEntries(
    [...survey.scenarios].map(([name, s]): [string, ScenarioRecord] => [
      name,
      {
        executor: 'external',
        // Only arrival-rate executors drop iterations: a scenario that did is of the open model.
        model: s.dropped > 0 ? 'open' : 'closed',
        latencyFrom: 'actual-start',
        iterations: s.iterations,
        ...(s.dropped > 0 ? { droppedIterations: s.dropped } : {}),
        // The file counts VUs for the whole run, not per scenario.
        maxVUs: single ? Math.round(survey.maxVus) : 0,
      },
    ]),
  );
}

/** A name as a record can hold it: at most 200 characters, never one JavaScript objects own. */
export function safeName(name: string): string {
  const short = name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name;
  return RESERVED.has(short) ? `${short} (request)` : short;
}

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.origin === 'null' ? undefined : parsed.origin;
  } catch {
    return undefined;
  }
}

/** Imports of one tool and profile id compare with each other, as runs of one profile do. */
function importHash(tool: string, id: string): string {
  return createHash('sha256').update(`tailgate import\n${tool}\n${id}`).digest('hex').slice(0, 16);
}

function describeMalformed(first: readonly MalformedLine[]): string {
  return first.map((m) => `line ${m.line}: ${m.reason}`).join('; ');
}

function notesOf(survey: Survey, blockMs: number, truncated: boolean, cutLine: boolean): string[] {
  const notes: string[] = [];
  if (survey.malformed.count > 0) {
    notes.push(`skipped ${survey.malformed.count} malformed line${survey.malformed.count === 1 ? '' : 's'} of ${survey.lines} (${describeMalformed(survey.malformed.first)}${survey.malformed.count > survey.malformed.first.length ? '; …' : ''})`);
  }
  if (cutLine) notes.push(`the last line (${survey.lastLine}) is cut short: the file looks truncated, and a comparison judges only whole runs`);
  else if (truncated) notes.push(`the file ends without a newline after line ${survey.lastLine}: it looks truncated, and a comparison judges only whole runs`);
  if (blockMs !== BLOCK_MS) notes.push(`blocks of ${blockMs / 1000} s, not 1 s, to keep ${survey.steps.size} steps over this run within a record's bounds`);
  if (survey.renamed > 0) notes.push(`${survey.renamed} request(s) had names over ${MAX_NAME} characters or reserved, shortened or renamed`);
  return notes;
}
