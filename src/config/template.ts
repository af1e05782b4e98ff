import { evaluateHelper, isHelperCall, parseHelper, type Helper } from './template-helpers.js';

/**
 * `{{ name }}` placeholders in paths, headers and bodies, filled from values captured by earlier
 * steps (of the iteration, the VU or the setup), `{{ set.column }}` from the profile's data, and
 * helper calls, `{{ randomIntBetween(1, 100) }}` and `{{ uuidv4() }}` (template-helpers.ts).
 * The profile's checks (step-config.ts) only scan a text for its placeholders; each template is
 * compiled once, when the plan is made.
 */

/** `{{ name }}`, `{{ set.column }}` for a data set's column, or `{{ helper(args) }}`. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\s*\([^(){}]*\))?)\s*\}\}/g;
const WHOLE_PLACEHOLDER = new RegExp(`^${PLACEHOLDER.source}$`);

export type Vars = Record<string, unknown>;

/**
 * Literal text and variable names, alternating: [text, name, text, name, text]. Where a name is a
 * helper call, `helpers` holds it at the same index.
 */
export interface Template {
  parts: string[];
  constant: boolean;
  /** At a helper call's index its helper, or null for a call the profile checks refuse (left empty). */
  helpers?: Array<Helper | null | undefined>;
}

/** Compiles a template, helper calls parsed. */
export function compileTemplate(text: string): Template {
  const parts = text.split(PLACEHOLDER);
  const template: Template = { parts, constant: parts.length === 1 };
  for (let i = 1; i < parts.length; i += 2) {
    const part = parts[i] as string;
    if (!isHelperCall(part)) continue;
    const helper = parseHelper(part);
    template.helpers ??= [];
    template.helpers[i] = 'kind' in helper ? helper : null;
  }
  return template;
}

/** The variables a text reads (helper calls are not variables). */
export function placeholders(text: string): string[] {
  return placeholderTexts(text).filter((p) => !isHelperCall(p));
}

/** The text without its placeholders: what is written around them (read by the profile's checks, nothing compiled). */
export function literalText(text: string): string {
  return text.replace(PLACEHOLDER, '');
}

/** Every placeholder's text, helper calls included: `name`, `set.column`, `helper(args)`. */
export function placeholderTexts(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

export function renderTemplate(template: Template, vars: Vars, random: () => number, encode: (value: string) => string = identity): string {
  if (template.constant) return template.parts[0] as string;
  const helpers = template.helpers;
  let out = '';
  for (let i = 0; i < template.parts.length; i++) {
    const part = template.parts[i] as string;
    if (i % 2 === 0) out += part;
    else {
      const helper = helpers?.[i];
      out += helper === undefined ? encode(stringify(vars[part])) : helper === null ? '' : encode(stringify(evaluateHelper(helper, random)));
    }
  }
  return out;
}

/**
 * A JSON body, compiled: the subtrees without placeholders kept as they are, each string with one
 * compiled as a template. A string that is exactly one placeholder takes the captured value with
 * its JSON type (a randomIntBetween a number).
 */
export type JsonBodyTemplate =
  | { kind: 'literal'; value: unknown }
  | { kind: 'variable'; name: string }
  /** A helper call, or null for one the profile checks refuse (left out). */
  | { kind: 'helper'; helper: Helper | null }
  | { kind: 'text'; template: Template }
  | { kind: 'array'; items: JsonBodyTemplate[] }
  | { kind: 'object'; entries: Array<[string, JsonBodyTemplate]> };

export function compileJsonBody(value: unknown): JsonBodyTemplate {
  if (typeof value === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(value);
    if (whole) {
      const name = whole[1] as string;
      if (!isHelperCall(name)) return { kind: 'variable', name };
      const helper = parseHelper(name);
      return { kind: 'helper', helper: 'kind' in helper ? helper : null };
    }
    const template = compileTemplate(value);
    return template.constant ? { kind: 'literal', value } : { kind: 'text', template };
  }
  if (Array.isArray(value)) return collapse({ kind: 'array', items: value.map(compileJsonBody) }, value);
  if (value !== null && typeof value === 'object') {
    return collapse({ kind: 'object', entries: Object.entries(value).map(([k, v]) => [k, compileJsonBody(v)]) }, value);
  }
  return { kind: 'literal', value };
}

/** A list or mapping whose every item is literal is one literal. */
function collapse(body: Extract<JsonBodyTemplate, { kind: 'array' | 'object' }>, value: unknown): JsonBodyTemplate {
  const children = body.kind === 'array' ? body.items : body.entries.map(([, item]) => item);
  return children.every((child) => child.kind === 'literal') ? { kind: 'literal', value } : body;
}

/** The body's value for these variables, helper calls drawing from `random` in document order. */
export function renderJsonBody(body: JsonBodyTemplate, vars: Vars, random: () => number): unknown {
  switch (body.kind) {
    case 'literal':
      return body.value;
    case 'variable':
      return vars[body.name];
    case 'helper':
      return body.helper === null ? undefined : evaluateHelper(body.helper, random);
    case 'text':
      return renderTemplate(body.template, vars, random);
    case 'array':
      return body.items.map((item) => renderJsonBody(item, vars, random));
    case 'object':
      // fromEntries, not assignment: a `__proto__` key stays a key.
      return Object.fromEntries(body.entries.map(([key, item]) => [key, renderJsonBody(item, vars, random)]));
  }
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function identity(value: string): string {
  return value;
}
