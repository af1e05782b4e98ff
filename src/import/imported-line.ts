import type { ErrorKind } from '../record/run-record-types.js';

/** The formats `tailgate import` reads, by the name `--from` takes. */
export const IMPORT_FORMATS = ['k6', 'k6-csv', 'jmeter', 'gatling', 'locust', 'artillery'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** One request another tool made, as its results file told it. */
export interface ImportedRequest {
  /** The tool's name for the request (k6's `name` tag, else its URL; JMeter's label): the step. */
  step: string;
  /** The scenario (k6's `scenario` tag, JMeter's thread group), or `default`. */
  scenario: string;
  /** When the request was sent, milliseconds since the Unix epoch (fractions kept). */
  startMs: number;
  /** How long it took, microseconds; absent for a failure with no meaningful duration. */
  latencyUs: number | undefined;
  /** The HTTP status, when a response came. */
  status: number | undefined;
  /** Why it counts as an error; absent when it does not. */
  error: ErrorKind | undefined;
  /** The target's URL, when the file has it (only its origin is kept). */
  url?: string;
}

/** What one line of a results file holds, once read. */
export type ImportedLine =
  /** A request; `vus`, when the line also says how many VUs or threads were running (JMeter's allThreads). */
  | { kind: 'request'; request: ImportedRequest; vus?: number }
  /** One evaluation of a check (k6's `checks` metric), when the file says (ms since the epoch). */
  | { kind: 'check'; name: string; passed: boolean; atMs: number | undefined }
  /** One iteration finished (k6's `iterations` metric). */
  | { kind: 'iteration'; scenario: string }
  /** Running VUs or threads at a moment. */
  | { kind: 'vus'; value: number }
  /** An iteration an arrival-rate executor could not start: the scenario is of the open model. */
  | { kind: 'dropped'; scenario: string }
  /** A line that says nothing to import: a header, a metric's declaration, a metric not read, a blank. */
  | { kind: 'skip' }
  /** A line that breaks the format: counted, reported, skipped. */
  | { kind: 'malformed'; reason: string };

/**
 * Reads a format line by line. A reader keeps what earlier lines told it (a CSV header), so each
 * pass over a file takes a new one.
 */
export interface LineReader {
  read(line: string): ImportedLine;
  /** How finely the lines read so far timed requests, milliseconds; k6 JSON's nanoseconds when absent. */
  readonly resolutionMs?: number;
  /** The tool's version, when the lines read so far said it (Gatling's RUN line). */
  readonly version?: string | undefined;
}

/** What an importer knows of a format: how to read it and what its file says of the run. */
export interface FormatSpec {
  format: Exclude<ImportFormat, 'locust' | 'artillery'>;
  tool: 'k6' | 'jmeter' | 'gatling';
  recordFormat: 'k6-json' | 'k6-csv' | 'jmeter-csv' | 'gatling-log';
  /** The command that writes such a file, for messages. */
  produce: string;
  newReader(): LineReader;
}
