/**
 * Values a message quotes back to the user ("(got "fast")"). A quoted value is marked where the
 * message is written and finished where the problem is recorded: text that came from the
 * environment is replaced by the `${NAME}` it came from (a token must never reach a log), and a
 * long value is cut to a readable length with its full length given.
 */

/** The most characters of a quoted value a message shows. */
export const ECHO_LIMIT = 60;

/** An environment variable's value as it was put into the profile. */
export interface EnvironmentValue {
  name: string;
  value: string;
}

// Private-use characters: they do not occur in messages, so they can mark what is quoted.
const QUOTED_OPEN = '\u{E000}';
const QUOTED_CLOSE = '\u{E001}';
const PLAIN_OPEN = '\u{E002}';
const PLAIN_CLOSE = '\u{E003}';
const PART_OPEN = '\u{E004}';
const PART_CLOSE = '\u{E005}';
const MARKERS = /[\u{E000}-\u{E005}]/gu;

/** A value quoted as JSON text: `"fast"`. */
export function echo(value: string): string {
  return QUOTED_OPEN + value.replace(MARKERS, '') + QUOTED_CLOSE;
}

/** A value quoted at once, cut to a readable length: for text that cannot hold an environment value. */
export function quote(value: string): string {
  return finishEchoes(echo(value));
}

/**
 * `whole.slice(start, end)` written as it is: a part of a value (the path of a request line).
 * Any environment value that overlaps the part is hidden whole, so no fragment of it shows.
 */
export function echoPart(whole: string, start: number, end: number): string {
  return `${PART_OPEN}${start}:${end}:${whole.replace(MARKERS, '')}${PART_CLOSE}`;
}

/** A value written as it is, inside a suggestion: `write request: GET /a`. */
export function echoPlain(value: string): string {
  return PLAIN_OPEN + value.replace(MARKERS, '') + PLAIN_CLOSE;
}

/**
 * The message with its marked values finished: environment values replaced by `${NAME}`, long
 * values cut. Unmarked text is left as it is, except that an environment value long enough to
 * be a secret (MIN_HIDDEN_LENGTH) is hidden wherever it occurs.
 */
export function finishEchoes(text: string, environment: readonly EnvironmentValue[] = []): string {
  const values = environment.filter((e) => e.value !== '').sort((a, b) => b.value.length - a.value.length);
  const finish = (marked: string, plain: boolean): string => {
    const hidden = hideEnvironment(marked, values);
    if (plain) return cut(hidden.text, false);
    if (hidden.names.length === 1 && hidden.text === `\${${hidden.names[0]}}`) return `the value of ${hidden.text}`;
    const shown = cut(hidden.text, true);
    if (hidden.names.length === 0) return shown;
    const references = hidden.names.map((n) => `\${${n}}`);
    return `${shown} (${references.length === 1 ? 'the value' : 'the values'} of ${references.join(' and ')} not shown)`;
  };
  // Scanned by hand: a regular expression over a value of megabytes overflows the stack.
  let finished = '';
  let at = 0;
  for (;;) {
    const opens = [text.indexOf(QUOTED_OPEN, at), text.indexOf(PLAIN_OPEN, at), text.indexOf(PART_OPEN, at)].filter((i) => i !== -1);
    if (opens.length === 0) break;
    const open = Math.min(...opens);
    const marker = text[open];
    const close = text.indexOf(marker === QUOTED_OPEN ? QUOTED_CLOSE : marker === PLAIN_OPEN ? PLAIN_CLOSE : PART_CLOSE, open + 1);
    if (close === -1) break;
    const inner = text.slice(open + 1, close);
    finished += text.slice(at, open) + (marker === PART_OPEN ? cut(hidePart(inner, values), false) : finish(inner, marker === PLAIN_OPEN));
    at = close + 1;
  }
  finished = (finished + text.slice(at)).replace(MARKERS, '');
  return hideEnvironment(finished, values.filter((e) => e.value.length >= MIN_HIDDEN_LENGTH)).text;
}

/** Environment values shorter than this are hidden only where a message quotes a value. */
export const MIN_HIDDEN_LENGTH = 6;

function hideEnvironment(text: string, values: readonly EnvironmentValue[]): { text: string; names: string[] } {
  const names: string[] = [];
  let result = text;
  for (const { name, value } of values) {
    if (!result.includes(value)) continue;
    result = result.split(value).join(`\${${name}}`);
    if (!names.includes(name)) names.push(name);
  }
  return { text: result, names };
}

/** The part `start:end:whole` names, with every environment value that overlaps it replaced whole. */
function hidePart(encoded: string, values: readonly EnvironmentValue[]): string {
  const [startText = '', endText = ''] = encoded.split(':', 2);
  const whole = encoded.slice(startText.length + endText.length + 2);
  const start = Number(startText);
  const end = Number(endText);
  const hidden: Array<{ from: number; to: number; name: string }> = [];
  for (const { name, value } of values) {
    for (let i = whole.indexOf(value); i !== -1; i = whole.indexOf(value, i + value.length)) {
      if (i < end && i + value.length > start) hidden.push({ from: i, to: i + value.length, name });
    }
  }
  hidden.sort((a, b) => a.from - b.from);
  let result = '';
  let at = start;
  for (const range of hidden) {
    if (range.to <= at) continue;
    result += whole.slice(at, Math.max(at, range.from)) + `\${${range.name}}`;
    at = range.to;
  }
  return result + whole.slice(at, Math.max(at, end));
}

/** `"aaaa…" (10000000 characters)`: quoted as JSON, control and bidi characters escaped. */
function cut(text: string, quoted: boolean): string {
  const long = text.length > ECHO_LIMIT;
  // Cut between characters, never inside a surrogate pair.
  const end = long && /[\uD800-\uDBFF]/.test(text.charAt(ECHO_LIMIT - 1)) ? ECHO_LIMIT - 1 : ECHO_LIMIT;
  const kept = long ? text.slice(0, end) : text;
  const body = escapeInvisible(quoted ? JSON.stringify(kept) : kept.replace(/[\u0000-\u001F\u007F]/g, (c) => JSON.stringify(c).slice(1, -1)));
  if (!long) return body;
  return quoted ? `${body.slice(0, -1)}…" (${text.length} characters)` : `${body}… (${text.length} characters)`;
}

/** Characters that reorder or hide text on a terminal or a web page (U+202E and friends). */
function escapeInvisible(text: string): string {
  return text.replace(/[\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** Text cut to `limit` characters with its full length, for a whole message that ran long. */
export function bound(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length} characters in all)`;
}
