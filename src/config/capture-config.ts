import type { FieldPath } from './config-error.js';
import { echo } from './echo.js';
import { jsonPathProblem } from './jsonpath-syntax.js';
import type { Problems } from './problems.js';
import type { Capture } from './profile-types.js';
import type { RawCapture, RawStep } from './raw-profile.js';

/**
 * A step's `capture:`: values taken from its response for later steps, each also a check. A
 * capture reads the JSON body by a JSONPath (a string), a response header (`{ header: NAME }`), or
 * the body as text by a regular expression whose first group is the value (`{ regex: PATTERN }`).
 */

/** k6's VU number (from 1) and the VU's iteration (from 0), set for every iteration. */
export const ITERATION_VARIABLES: readonly string[] = ['__VU', '__ITER'];

const EXAMPLES = 'e.g. capture: { id: "$.items[0].id" }, { csrf: { header: x-csrf-token } } or { id: { regex: \'id=(\\d+)\' } }';

/**
 * The step's captures, each checked: not into a name tailgate sets, a JSONPath that parses, one
 * header or one pattern that compiles and has a group. A capture with a problem is left out.
 */
export function buildCaptures(at: FieldPath, raw: RawStep, problems: Problems): Record<string, Capture> {
  const captures: Record<string, Capture> = {};
  for (const [variable, written] of Object.entries(raw.capture ?? {})) {
    const captureAt = [...at, 'capture', variable];
    if (ITERATION_VARIABLES.includes(variable)) {
      problems.add(captureAt, `${variable} is set by tailgate for every iteration (k6's ${variable}), it cannot be captured`, 'capture into another name', { part: 'key' });
      continue;
    }
    const capture = buildCapture(captureAt, written, problems);
    if (capture !== undefined) captures[variable] = capture;
  }
  return captures;
}

function buildCapture(at: FieldPath, written: RawCapture, problems: Problems): Capture | undefined {
  if (typeof written === 'string') {
    const problem = jsonPathProblem(written);
    if (problem) {
      problems.add(at, `is not a JSONPath: ${problem} (got ${echo(written)})`, 'write a path such as $.items[0].id or $.items[?(@.stock > 0)].id');
      return undefined;
    }
    return written;
  }
  const kinds = (['header', 'regex'] as const).filter((key) => written[key] !== undefined);
  if (kinds.length !== 1) {
    problems.add(at, kinds.length === 0 ? 'says nothing to capture from' : 'names both a header and a regex; a capture reads one thing', `write one of them, ${EXAMPLES}`);
    return undefined;
  }
  if (written.header !== undefined) return { header: written.header.toLowerCase() };
  const pattern = written.regex as string;
  const problem = regexProblem(pattern);
  if (problem) {
    const fix = problem.startsWith('has no group')
      ? "put the part to capture in parentheses, e.g. 'id=(\\d+)'"
      : problem.startsWith('repeats')
        ? "repeat the characters, not the group: 'ids=([\\d,]+)' rather than 'ids=((\\d+,?)+)'"
        : "write a JavaScript regular expression without slashes or flags, e.g. 'id=(\\d+)'";
    problems.add([...at, 'regex'], `${problem} (got ${echo(pattern)})`, fix);
    return undefined;
  }
  return { regex: pattern };
}

/** Why a pattern cannot be a capture's, or undefined: it must compile and have a group whose text is the value. */
export function regexProblem(pattern: string): string | undefined {
  let compiled: RegExp;
  try {
    compiled = new RegExp(pattern);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(error);
    return `is not a regular expression: ${reason}`;
  }
  // A pattern's group count: the groups of an alternation with the empty string, which matches it.
  const groups = (new RegExp(`${compiled.source}|`).exec('') as RegExpExecArray).length - 1;
  if (groups === 0) return 'has no group: the value captured is the text of the first ( ) group';
  if (nestsRepetition(pattern)) return 'repeats a group that itself repeats, like (a+)+: over a large body such a pattern can take exponential time, and a VU would hang';
  return undefined;
}

/** A repetition that can run on: `*`, `+`, `{n,}` or `{n,m}`, at `i` of `pattern`; its length, or 0. */
function repetitionAt(pattern: string, i: number): number {
  const c = pattern[i];
  if (c === '*' || c === '+') return 1;
  if (c !== '{') return 0;
  const braces = /^\{\d+,\d*\}/.exec(pattern.slice(i));
  return braces ? braces[0].length : 0;
}

/**
 * Whether a pattern repeats a group that holds a repetition (`(a+)+`, `(\w+\s?)*`, `(?:x*){2,}`):
 * the shape that backtracks exponentially when a match fails. Escapes and character classes are
 * skipped; a repetition inside a lookahead counts as any other (refused rather than guessed).
 */
export function nestsRepetition(pattern: string): boolean {
  const groups: boolean[] = [];
  let repeats = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
      continue;
    }
    if (c === '(') {
      groups.push(repeats);
      repeats = false;
      continue;
    }
    if (c === ')') {
      const inner: boolean = repeats;
      repeats = groups.pop() ?? false;
      const after = repetitionAt(pattern, i + 1);
      if (after > 0 && inner) return true;
      repeats ||= inner || after > 0;
      i += after;
      continue;
    }
    const length = repetitionAt(pattern, i);
    if (length > 0) {
      repeats = true;
      i += length - 1;
    }
  }
  return false;
}

/**
 * A capture ready for the engine: a JSONPath stays a string, a header name is lower-case, a
 * pattern is compiled once.
 */
export type CompiledCapture = string | { header: string } | { regex: RegExp };

export function compileCapture(capture: Capture): CompiledCapture {
  return typeof capture === 'string' || 'header' in capture ? capture : { regex: new RegExp(capture.regex) };
}

/** Whether a capture reads the body (a JSONPath or a pattern) rather than a header. */
export function readsBody(capture: Capture | CompiledCapture): boolean {
  return typeof capture === 'string' || 'regex' in capture;
}

/** A capture that finds nothing is a failed check of this name (as the plan names it). */
export function captureCheckName(variable: string): string {
  return `capture ${variable}`;
}
