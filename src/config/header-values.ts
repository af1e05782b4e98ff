import type { FieldPath } from './config-error.js';
import type { Problems } from './problems.js';

/**
 * Header values HTTP can carry: tab, visible ASCII, space and Latin-1 (RFC 9110 field-value,
 * as undici checks it). A value with CR, LF or another control character passes everything else
 * and then fails every request of the run (as `other`), so it is refused before the load. The
 * check runs on the final value, after `${VAR}` interpolation, since such a character usually
 * comes from a secret or a file read with its trailing newline. The value is never printed.
 */
const INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;
const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)/g;

type Headers = Record<string, unknown> | undefined;

/** Adds a problem for every header value of the (schema-checked) profile HTTP cannot carry. */
export function checkHeaderValues(written: unknown, interpolated: unknown, problems: Problems): void {
  const at = (tree: unknown, path: FieldPath): unknown =>
    path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined), tree);
  const check = (path: FieldPath): void => {
    const headers = at(interpolated, path) as Headers;
    if (headers === undefined || headers === null || typeof headers !== 'object') return;
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      if (typeof value !== 'string') continue;
      const problem = describeHeaderValue(value, at(written, [...path, name]));
      if (problem) problems.add([...path, name], problem.message, problem.fix);
    }
  };
  check(['defaults', 'headers']);
  const setupSteps = at(interpolated, ['setup', 'steps']);
  if (Array.isArray(setupSteps)) setupSteps.forEach((_, i) => check(['setup', 'steps', i, 'headers']));
  const journeys = at(interpolated, ['journeys']);
  if (journeys === null || typeof journeys !== 'object') return;
  for (const journey of Object.keys(journeys)) {
    const steps = at(journeys, [journey, 'steps']);
    if (Array.isArray(steps)) steps.forEach((_, i) => check(['journeys', journey, 'steps', i, 'headers']));
  }
}

/** What is wrong with a header value, in words that never include it; undefined when it is fine. */
export function describeHeaderValue(value: string, written?: unknown): { message: string; fix: string } | undefined {
  const match = INVALID_HEADER_CHAR.exec(value);
  if (!match) return undefined;
  const char = match[0];
  const index = match.index;
  const where = index === value.length - 1 ? 'at the end' : index === 0 ? 'at the start' : 'inside it';
  const what = charName(char);
  const variables = typeof written === 'string' ? [...written.matchAll(ENV_REFERENCE)].map((m) => `\${${m[1] as string}}`) : [];
  const fromEnvironment = variables.length > 0 && typeof written === 'string' && !INVALID_HEADER_CHAR.test(written);
  const source = fromEnvironment ? `the value of ${[...new Set(variables)].join(', ')}` : 'the value';
  const lineBreak = char === '\n' || char === '\r';
  const cause = !lineBreak
    ? char.charCodeAt(0) > 0xff
      ? 'HTTP header values carry Latin-1 only'
      : 'HTTP header values may not contain control characters'
    : fromEnvironment
      ? 'likely a trailing newline from a file or secret'
      : 'likely a YAML block scalar (|) that keeps its final newline';
  const fix = !lineBreak
    ? char.charCodeAt(0) > 0xff
      ? 'percent-encode the value, or send it in the body instead'
      : `remove the character from ${source}`
    : fromEnvironment
      ? `strip the newline where ${source} is set, e.g. ${variables[0]?.slice(2, -1) ?? 'TOKEN'}="$(tr -d '\\r\\n' < token.txt)", or store the secret without one`
      : 'write the value on one line, or use |- to drop the final newline';
  return { message: `${source} holds ${what} ${where}, which no request can send (${cause}); the value is not shown`, fix };
}

function charName(char: string): string {
  const code = char.charCodeAt(0);
  if (char === '\n') return 'a line feed (LF)';
  if (char === '\r') return 'a carriage return (CR)';
  if (code === 0) return 'a NUL character';
  if (code > 0xff) return 'a character beyond Latin-1';
  return `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}
