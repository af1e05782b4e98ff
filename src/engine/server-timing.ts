/**
 * The `Server-Timing` response header (W3C Server Timing): a comma-separated list of metrics,
 * each a name (an HTTP token) with parameters, of which `dur` (milliseconds) and `desc` (a token
 * or a quoted string) mean something: `db;dur=53, cache;desc="Cache Read";dur=2.3, miss`.
 *
 * A metric is read as browsers read it: parameter names in any case, the first `dur` and the
 * first `desc` win, other parameters are ignored, and a metric without `dur` is kept without one.
 * An entry that breaks the grammar (a name that is not a token, an unterminated quoted string, a
 * `dur` that is not a non-negative number) is counted as malformed and skipped; the entries
 * around it are still read. Nothing here throws: the header comes from the target.
 */

/** Where the metrics of a header go, one call each; no list is built (this runs per response). */
export interface ServerTimingSink {
  metric(name: string, durMs: number | undefined, desc: string | undefined): void;
  malformed(): void;
}

export interface ServerTimingMetric {
  name: string;
  durMs?: number;
  desc?: string;
}

/** A header's metrics as a list, and how many entries were malformed. */
export function parseServerTiming(value: string | readonly string[]): { metrics: ServerTimingMetric[]; malformed: number } {
  const metrics: ServerTimingMetric[] = [];
  let malformed = 0;
  const sink: ServerTimingSink = {
    metric: (name, durMs, desc) => metrics.push({ name, ...(durMs !== undefined ? { durMs } : {}), ...(desc !== undefined ? { desc } : {}) }),
    malformed: () => malformed++,
  };
  readServerTiming(value, sink);
  return { metrics, malformed };
}

/** Reads one header value, or the values of several headers of one response, into `sink`. */
export function readServerTiming(value: string | readonly string[], sink: ServerTimingSink): void {
  if (typeof value === 'string') readList(value, sink);
  else for (const part of value) readList(part, sink);
}

const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** RFC 9110 tchar: ALPHA / DIGIT / "!#$%&'*+-.^_`|~". */
const TOKEN = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TOKEN[c.charCodeAt(0)] = 1;

/** A `dur` value: a decimal number, optionally with a fraction and an exponent (no sign, no hex). */
const DURATION = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function isToken(code: number): boolean {
  return code < 128 && TOKEN[code] === 1;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c !== 0x20 && c !== 0x09) break;
    at++;
  }
  return at;
}

function tokenEnd(text: string, at: number): number {
  while (at < text.length && isToken(text.charCodeAt(at))) at++;
  return at;
}

/** Past the next comma outside a quoted string (or the end): where the next entry starts. */
function nextEntry(text: string, at: number): number {
  let quoted = false;
  while (at < text.length) {
    const c = text.charCodeAt(at++);
    if (quoted) {
      if (c === BACKSLASH) at++;
      else if (c === QUOTE) quoted = false;
    } else if (c === QUOTE) quoted = true;
    else if (c === COMMA) return at;
  }
  return at;
}

/** A quoted string from its opening quote: its unescaped text and where it ends, or undefined if unterminated. */
function quotedString(text: string, at: number): { value: string; end: number } | undefined {
  let value = '';
  let from = at + 1;
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return { value: value + text.slice(from, i), end: i + 1 };
    if (c === BACKSLASH) {
      if (i + 1 >= text.length) return undefined;
      value += text.slice(from, i);
      from = i + 1;
      i++;
    }
  }
  return undefined;
}

function readList(text: string, sink: ServerTimingSink): void {
  let at = 0;
  while (at < text.length) {
    at = skipSpace(text, at);
    if (at >= text.length) break;
    if (text.charCodeAt(at) === COMMA) {
      at++; // an empty list element, allowed by the list syntax
      continue;
    }
    const end = readEntry(text, at, sink);
    if (end < 0) {
      sink.malformed();
      at = nextEntry(text, at);
    } else at = end;
  }
}

const OTHER = 0;
const DUR = 1;
const DESC = 2;

/** Which parameter a name is, in any case, without making a string of it. */
function paramKind(text: string, start: number, end: number): number {
  const length = end - start;
  if (length !== 3 && length !== 4) return OTHER;
  // ASCII letters: setting bit 0x20 lower-cases them; the parameter name is a token, so nothing else maps onto them.
  const d = text.charCodeAt(start) | 0x20;
  const u = text.charCodeAt(start + 1) | 0x20;
  if (length === 3) return d === 0x64 && u === 0x75 && (text.charCodeAt(start + 2) | 0x20) === 0x72 ? DUR : OTHER;
  return d === 0x64 && u === 0x65 && (text.charCodeAt(start + 2) | 0x20) === 0x73 && (text.charCodeAt(start + 3) | 0x20) === 0x63 ? DESC : OTHER;
}

/** One metric from `at`: emits it and returns where the list goes on (past its comma), or -1 when malformed. */
function readEntry(text: string, at: number, sink: ServerTimingSink): number {
  const nameEnd = tokenEnd(text, at);
  if (nameEnd === at) return -1;
  const name = text.slice(at, nameEnd);
  let durMs: number | undefined;
  let desc: string | undefined;
  let sawDur = false;
  at = nameEnd;
  for (;;) {
    at = skipSpace(text, at);
    if (at >= text.length || text.charCodeAt(at) === COMMA) break;
    if (text.charCodeAt(at) !== SEMICOLON) return -1;
    at = skipSpace(text, at + 1);
    const paramEnd = tokenEnd(text, at);
    if (paramEnd === at) return -1;
    const param = paramKind(text, at, paramEnd);
    at = skipSpace(text, paramEnd);
    let value = '';
    if (at < text.length && text.charCodeAt(at) === EQUALS) {
      at = skipSpace(text, at + 1);
      if (at < text.length && text.charCodeAt(at) === QUOTE) {
        const quoted = quotedString(text, at);
        if (!quoted) return -1;
        value = quoted.value;
        at = quoted.end;
      } else {
        const valueEnd = tokenEnd(text, at);
        value = text.slice(at, valueEnd);
        at = valueEnd;
      }
    }
    if (param === DUR && !sawDur) {
      sawDur = true;
      if (!DURATION.test(value)) return -1;
      durMs = Number(value);
      if (!Number.isFinite(durMs)) return -1;
    } else if (param === DESC && desc === undefined) desc = value;
  }
  sink.metric(name, durMs, desc);
  return at < text.length ? at + 1 : at;
}
