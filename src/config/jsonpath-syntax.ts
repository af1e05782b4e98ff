import { JSONPath } from 'jsonpath-plus';
import { echo } from './echo.js';

/**
 * Whether a capture's JSONPath can be read, checked without a response. jsonpath-plus reads
 * almost any text as some path (`$[[[` becomes `$..` and "captures" the whole body), so the
 * syntax is checked here: `$`, then `.name`, `.*`, `..name`, `..*`, `..[...]` and `[...]`
 * segments; inside brackets, comma-separated quoted names, indexes, slices, `*`, or a filter
 * `?(...)` / script `(...)` whose expression jsonpath-plus's own parser must accept.
 */

/** What is wrong with `path`, in words, or undefined when it is a JSONPath. */
export function jsonPathProblem(path: string): string | undefined {
  if (!path.startsWith('$')) return 'it must start with $';
  let at = 1;
  while (at < path.length) {
    const char = path[at] as string;
    if (char === '.') {
      const descend = path[at + 1] === '.';
      at += descend ? 2 : 1;
      if (path[at] === '*') {
        at += 1;
        continue;
      }
      if (descend && path[at] === '[') continue;
      const name = NAME.exec(path.slice(at))?.[0] ?? '';
      if (name === '') return `a name must follow "${descend ? '..' : '.'}" at character ${at + 1}`;
      at += name.length;
    } else if (char === '[') {
      const result = bracket(path, at);
      if (typeof result === 'string') return result;
      at = result;
    } else if (char === '^' || char === '~') {
      at += 1; // jsonpath-plus: parent, property name
    } else {
      return `${JSON.stringify(char)} at character ${at + 1} is not part of a JSONPath (names follow ".", other selectors go in [ ])`;
    }
  }
  return undefined;
}

const NAME = /^[^.[\]()'"\s^~,?*@]+/;
const INDEX_OR_SLICE = /^\s*(-?\d+|-?\d*\s*:\s*-?\d*(\s*:\s*-?\d*)?)\s*$/;
const BARE_NAME = /^\s*[A-Za-z_$][\w$-]*\s*$/;

/** The index just past the `]` that closes the bracket opened at `open`, or what is wrong. */
function bracket(path: string, open: number): number | string {
  let at = open + 1;
  for (;;) {
    while (path[at] === ' ') at += 1;
    const char = path[at];
    if (char === undefined) return `the [ at character ${open + 1} is never closed`;
    if (char === "'" || char === '"') {
      const end = closingQuote(path, at);
      if (end === -1) return `the quote at character ${at + 1} is never closed`;
      at = end + 1;
    } else if (char === '?' || char === '(') {
      const start = char === '?' ? at + 1 : at;
      if (path[start] !== '(') return `a filter is written ?( ... ) (at character ${at + 1})`;
      const end = closingParenthesis(path, start);
      if (end === -1) return `the ( at character ${start + 1} is never closed`;
      const problem = expressionProblem(path.slice(start + 1, end));
      if (problem) return `the expression at character ${start + 1} cannot be read: ${problem}`;
      at = end + 1;
    } else {
      const end = nextOf(path, at, [',', ']']);
      if (end === -1) return `the [ at character ${open + 1} is never closed`;
      const selector = path.slice(at, end);
      if (selector.trim() !== '*' && !INDEX_OR_SLICE.test(selector) && !BARE_NAME.test(selector)) {
        return `${echo(selector)} in [ ] at character ${at + 1} is not an index, a slice, * or a name (quote names: ['a b'])`;
      }
      at = end;
    }
    while (path[at] === ' ') at += 1;
    if (path[at] === ']') return at + 1;
    if (path[at] !== ',') return path[at] === undefined ? `the [ at character ${open + 1} is never closed` : `expected , or ] at character ${at + 1}`;
    at += 1;
  }
}

function closingQuote(path: string, open: number): number {
  const quote = path[open];
  for (let i = open + 1; i < path.length; i++) {
    if (path[i] === '\\') i += 1;
    else if (path[i] === quote) return i;
  }
  return -1;
}

function closingParenthesis(path: string, open: number): number {
  let depth = 0;
  for (let i = open; i < path.length; i++) {
    const char = path[i];
    if (char === "'" || char === '"') {
      i = closingQuote(path, i);
      if (i === -1) return -1;
    } else if (char === '(') depth += 1;
    else if (char === ')' && --depth === 0) return i;
  }
  return -1;
}

function nextOf(path: string, from: number, chars: readonly string[]): number {
  for (let i = from; i < path.length; i++) if (chars.includes(path[i] as string)) return i;
  return -1;
}

interface ScriptConstructor {
  new (code: string): unknown;
}

/** The expression as jsonpath-plus rewrites and parses it before running it on an item. */
function expressionProblem(code: string): string | undefined {
  if (code.trim() === '') return 'it is empty';
  const script = code
    .replaceAll('@parentProperty', '_$_parentProperty')
    .replaceAll('@parent', '_$_parent')
    .replaceAll('@property', '_$_property')
    .replaceAll('@root', '_$_root')
    .replaceAll(/@([.\s)[]|$)/gu, '_$_v$1');
  const Script = (JSONPath.prototype as unknown as { safeVm: { Script: ScriptConstructor } }).safeVm.Script;
  try {
    new Script(script);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.replace(/\s+at character \d+$/, '') : String(error);
  }
}
