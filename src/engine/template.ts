/**
 * `{{ name }}` placeholders in paths, headers and bodies, filled from values captured by earlier
 * steps (of the iteration, the VU or the setup), and `{{ set.column }}` from the profile's data. Templates are compiled once, at plan time.
 */

/** `{{ name }}`, or `{{ set.column }}` for a data set's column. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\s*\}\}/g;

export type Vars = Record<string, unknown>;

/** Literal text and variable names, alternating: [text, name, text, name, text]. */
export interface Template {
  parts: string[];
  constant: boolean;
}

export function compileTemplate(text: string): Template {
  const parts = text.split(PLACEHOLDER);
  return { parts, constant: parts.length === 1 };
}

export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

export function renderTemplate(template: Template, vars: Vars, encode: (value: string) => string = identity): string {
  if (template.constant) return template.parts[0] as string;
  let out = '';
  for (let i = 0; i < template.parts.length; i++) {
    const part = template.parts[i] as string;
    out += i % 2 === 0 ? part : encode(stringify(vars[part]));
  }
  return out;
}

/** A JSON body: a string that is exactly one placeholder takes the captured value with its JSON type. */
export function renderJsonBody(value: unknown, vars: Vars): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\s*\}\}$/.exec(value);
    if (whole) return vars[whole[1] as string];
    return renderTemplate(compileTemplate(value), vars);
  }
  if (Array.isArray(value)) return value.map((item) => renderJsonBody(item, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJsonBody(v, vars)]));
  }
  return value;
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function identity(value: string): string {
  return value;
}
