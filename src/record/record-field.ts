/**
 * How messages about a record name a field (`steps.list.blocks[3].errors`) and show a value
 * from it. A record may come from anyone, so a value is cut short and its invisible characters
 * (bidirectional controls and the like) are shown as escapes rather than passed on.
 */

export type FieldPath = ReadonlyArray<string | number>;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const MAX_SHOWN = 60;

export function fieldName(path: FieldPath): string {
  if (path.length === 0) return '(record)';
  return path
    .map((part, i) => {
      if (typeof part === 'number') return `[${part}]`;
      if (IDENTIFIER.test(part)) return i === 0 ? part : `.${part}`;
      return `[${quoted(part)}]`;
    })
    .join('');
}

/** A value as a message shows it: numbers as written, strings quoted and cut, the rest by kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return quoted(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function quoted(text: string): string {
  const cut = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
  const shown = JSON.stringify(cut).replace(/[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return text.length > MAX_SHOWN ? `${shown} (${text.length} characters)` : shown;
}
