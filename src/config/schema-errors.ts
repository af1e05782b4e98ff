import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import { stringify } from 'yaml';
import schema from '../../schema/tailgate.schema.json' with { type: 'json' };
import { lastKey, type FieldPath } from './config-error.js';
import { closest } from './did-you-mean.js';
import { echo, echoPart, echoPlain } from './echo.js';
import { DURATION_ALLOWED, THINK_ALLOWED, durationFix, thinkFix } from './duration.js';
import type { Problems } from './problems.js';
import { EXECUTORS, HTTP_METHODS } from './profile-types.js';
import { BYTE_SIZE_ALLOWED } from './byte-size.js';

/**
 * Runs the JSON schema (schema/tailgate.schema.json) over the interpolated profile and turns each
 * of ajv's errors into a problem in plain words: what is allowed, what was written, what to write.
 */

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true }).compile(schema);
  return compiled;
}

/** Adds one problem per schema error in `data` (none when the schema accepts it). */
export function checkSchema(data: unknown, problems: Problems): void {
  const validate = schemaValidator();
  if (validate(data)) return;
  for (const error of validate.errors ?? []) {
    const explained = explainSchemaError(error, data, problems);
    if (!explained) continue;
    const { field, message, fix, where } = explained;
    if (!problems.has(field, message)) problems.add(field, message, fix, where);
  }
}

/** The schema's pattern that lets a number field be written as `${VAR}` (so editors accept it). */
const ENV_REFERENCE_PATTERN = '^\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}$';

/** A number as written in YAML: digits, an optional sign and decimals. */
const PLAIN_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/**
 * Fields written as one `${VAR}` reference hold text once filled in. Where the schema wants a
 * number and the text is a plain number (`rate: ${RATE}` with RATE=50), it becomes that number, as
 * if written there; everywhere else, and for any other text, the value stays as it is and the
 * schema judges it. Changes `data` in place.
 */
export function readReferencedNumbers(data: unknown, wholeReferences: readonly FieldPath[]): void {
  if (wholeReferences.length === 0) return;
  const validate = schemaValidator();
  if (validate(data)) return;
  const referenced = new Set(wholeReferences.map((path) => JSON.stringify(path)));
  for (const error of validate.errors ?? []) {
    if (typeof error.data !== 'string' || !PLAIN_NUMBER.test(error.data)) continue;
    const types = [(error.parentSchema as AnySchemaObject | undefined)?.type].flat();
    if (!types.includes('integer') && !types.includes('number')) continue;
    const path = pathFromPointer(error.instancePath, data);
    if (!referenced.has(JSON.stringify(path))) continue;
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], data);
    (parent as Record<string | number, unknown>)[path[path.length - 1] as string | number] = Number(error.data);
  }
}

/** Plain-word descriptions of the schema's titled definitions, read as "must be …". */
export const ALLOWED_BY_TITLE: Partial<Record<string, string>> = {
  'tailgate load profile': 'a mapping of settings: target, scenarios, journeys, ...',
  duration: DURATION_ALLOWED,
  think: THINK_ALLOWED,
  percent: 'a percentage like 10% or 10',
  headers: 'a mapping of header names to text values',
  request: `a request line like GET /api/products (one of ${HTTP_METHODS.join(', ')}, a space, a path starting with /)`,
  'profile id': "letters, digits, '.', '_' and '-' only (the id is used in cache keys)",
  'header name': "a header name: letters, digits and !#$%&'*+-.^_`|~ only",
  'variable name': 'a variable name: a letter or _, then letters, digits or _',
  'metric selector': 'a k6 metric selector like http_req_duration or http_req_duration{step:checkout}',
  threshold: 'an expression as text, e.g. "p(95)<500", or k6\'s object form { threshold: "p(95)<500", abortOnFail: true, delayAbortEval: 10s }',
  JSONPath: 'a JSONPath starting with $, e.g. $.items[0].id',
  capture: "a JSONPath starting with $ (e.g. $.items[0].id), { header: x-csrf-token } or { regex: 'id=(\\d+)' }",
  size: BYTE_SIZE_ALLOWED,
};

interface ExplainedError {
  field: FieldPath;
  message: string;
  fix?: string;
  where?: { path?: FieldPath; part?: 'key' | 'value' };
}

function explainSchemaError(error: ErrorObject, data: unknown, problems: Problems): ExplainedError | undefined {
  const at = pathFromPointer(error.instancePath, data);
  const parent = (error.parentSchema ?? {}) as AnySchemaObject;
  const got = error.data;
  // A number read from `${VAR}` is named by its variable, never shown (text is hidden by echo()).
  const variable = typeof got === 'number' ? problems.environmentVariableOf(at) : undefined;
  const show = (value: unknown): string => (variable !== undefined && value === got ? `the value of \${${variable}}` : showValue(value));
  const key = lastKey(at);
  const executor = EXECUTORS.find((name) => name === parent.title);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
    case 'propertyNames':
      return undefined; // "must match then" and "property name must be valid" wrap a clearer error
    case 'required': {
      const missing = String(params.missingProperty);
      const property = parent.properties?.[missing] as AnySchemaObject | undefined;
      const choices = Array.isArray(property?.enum) ? property.enum.join(' | ') : undefined;
      const example = choices ?? exampleOf(property);
      return {
        field: [...at, missing],
        message: executor ? `is required by executor ${executor}` : 'is missing',
        fix: example === undefined ? `add ${missing}` : `add ${missing}: ${example}`,
        where: { path: at },
      };
    }
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const known = Object.keys(parent.properties ?? {});
      const guess = closest(extra, known);
      return {
        field: [...at, extra],
        message: executor ? `unknown field ${echo(extra)} (executor ${executor} does not use it)` : `unknown field ${echo(extra)}`,
        fix: guess ? `did you mean ${guess}?` : `remove it; allowed here: ${known.join(', ')}`,
        where: { part: 'key' },
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const guess = typeof got === 'string' ? closest(got, allowed) : undefined;
      return {
        field: at,
        message: `must be one of ${allowed.join(', ')} (got ${show(got)})`,
        fix: guess ? `did you mean ${key}: ${guess}?` : `write ${key}: ${allowed[0]}`,
      };
    }
    case 'minItems':
    case 'minProperties':
    case 'minLength':
      return { field: at, message: 'must not be empty', fix: fixFor(at, parent, got) };
    case 'uniqueItems': {
      const repeated = Array.isArray(got) ? got[Number(params.j)] : undefined;
      return { field: at, message: `lists ${show(repeated)} twice`, fix: 'remove the repeated entry' };
    }
    case 'type':
    case 'pattern':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      if (error.propertyName !== undefined) {
        return {
          field: [...at, error.propertyName],
          message: `the name must be ${allowed(parent)} (got ${show(error.propertyName)})`,
          fix: 'rename it',
          where: { part: 'key' },
        };
      }
      if (parent.title === 'request' && typeof got === 'string') return { field: at, ...explainRequest(got) };
      // A capture written as text is a JSONPath: say so, not every form a capture may take.
      if (parent.title === 'capture' && typeof got === 'string') {
        return { field: at, message: `must be ${ALLOWED_BY_TITLE.JSONPath} (got ${show(got)})`, fix: `write a JSONPath such as $.items[0].id, or capture a header ({ header: x-csrf-token }) or a pattern ({ regex: 'id=(\\d+)' })` };
      }
      return { field: at, message: `must be ${allowed(parent)} (got ${show(got)})`, fix: fixFor(at, parent, got) };
    }
    default:
      return { field: at, message: error.message ?? 'is not valid', fix: 'see schema/tailgate.schema.json' };
  }
}

/** "/scenarios/browse/rate" -> ['scenarios', 'browse', 'rate']; list indexes become numbers. */
function pathFromPointer(pointer: string, data: unknown): FieldPath {
  const path: Array<string | number> = [];
  let node = data;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const index = Array.isArray(node) ? Number(segment) : undefined;
    path.push(index ?? segment);
    node = index === undefined ? (node as Record<string, unknown> | undefined)?.[segment] : (node as unknown[])[index];
  }
  return path;
}

/** What a schema accepts, in words: "a positive whole number", "a list or text". */
function allowed(schema: AnySchemaObject): string {
  const byTitle = typeof schema.title === 'string' ? ALLOWED_BY_TITLE[schema.title] : undefined;
  if (byTitle) return byTitle;
  let types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'object'];
  // A number field takes text only as a `${VAR}` reference, which is filled in before this check.
  if (schema.pattern === ENV_REFERENCE_PATTERN) types = types.filter((type) => type !== 'string');
  const words = types.map((type) => typeWords(type, schema));
  return words.length > 2 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : words.join(' or ');
}

function typeWords(type: string, schema: AnySchemaObject): string {
  if (type !== 'integer' && type !== 'number') {
    return { string: 'text', array: 'a list', object: 'a mapping', boolean: 'true or false' }[type] ?? type;
  }
  const noun = type === 'integer' ? 'whole number' : 'number';
  const { minimum: min, maximum: max, exclusiveMinimum: above, exclusiveMaximum: below } = schema;
  if (min !== undefined && max !== undefined) return `a ${noun} from ${min} to ${max}`;
  if (above !== undefined && below !== undefined) return `a ${noun} between ${above} and ${below}`;
  if (min === 1 || above === 0) return `a positive ${noun}`;
  if (min === 0) return `a ${noun} of 0 or more`;
  return `a ${noun}`;
}

/** What to write instead: the schema's first example, in the place of the bad value. */
function fixFor(path: FieldPath, schema: AnySchemaObject, got: unknown): string {
  const key = lastKey(path);
  if (schema.title === 'duration') return durationFix(got);
  if (schema.title === 'think') return thinkFix(got);
  if (path.length === 0) return 'write target:, scenarios: and journeys: at the top level (see the README)';
  const wantsText = schema.type === 'string';
  if (wantsText && (typeof got === 'number' || typeof got === 'boolean')) return `quote it: ${key}: "${got}"`;
  const example = exampleOf(schema);
  if (example === undefined) return `write ${allowed(schema)}`;
  const meaning = typeof schema.description === 'string' ? ` — ${schema.description.replace(/\.$/, '')}` : '';
  return typeof path[path.length - 1] === 'number' ? `write an entry like ${example}` : `write ${key}: ${example}${meaning}`;
}

function exampleOf(schema: unknown): string | undefined {
  const examples = (schema as AnySchemaObject | undefined)?.examples;
  return Array.isArray(examples) && examples.length > 0 ? inlineYaml(examples[0]) : undefined;
}

function inlineYaml(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow' }).trim();
}

function showValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? echo(value) : String(value);
}

/** Why a request line is refused, and the line to write instead. */
function explainRequest(line: string): { message: string; fix: string } {
  const match = /^\s*(\S+)\s+(\S.*?)\s*$/ds.exec(line);
  const got = echo(line);
  if (!match?.indices?.[2]) return { message: `must be ${ALLOWED_BY_TITLE.request} (got ${got})`, fix: 'write request: GET /api/products' };
  const method = match[1] as string;
  const path = match[2] as string;
  const pathStart = match.indices[2][0];
  // Parts of the line, not copies: a value from the environment in them stays hidden whole.
  const pathPart = (from = 0): string => echoPart(line, pathStart + from, pathStart + path.length);
  const upper = method.toUpperCase();
  if (!(HTTP_METHODS as readonly string[]).includes(upper)) {
    const suggested = suggestRequest(line);
    return {
      message: `the method must be one of ${HTTP_METHODS.join(', ')} (got ${got})`,
      fix: `write request: ${suggested.method} ${suggested.slash === -1 ? '/' : echoPart(line, suggested.slash, pathStart + path.length)}`,
    };
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(path) || path.startsWith('//')) {
    const url = URL.parse(path.startsWith('//') ? `http:${path}` : path);
    const pathAt = url ? path.indexOf(url.pathname, path.indexOf('//') + 2) : -1;
    return {
      message: `must be a path relative to the target, not a URL: load goes only to the target (got ${got})`,
      fix: url && pathAt !== -1 ? `write request: ${upper} ${pathPart(pathAt)} and set target: ${path.startsWith('//') ? 'http:' : ''}${echoPart(line, pathStart, pathStart + pathAt)}` : `write request: ${upper} /path and set target: to the URL's origin`,
    };
  }
  if (!path.startsWith('/')) return { message: `the path must start with / (got ${got})`, fix: `write request: ${upper} /${pathPart()}` };
  return { message: `the method must be in capitals (got ${got})`, fix: `write request: ${upper} ${pathPart()}` };
}

/**
 * The request line meant by one whose method is not known: `G E T /ok` is `GET /ok` (letters
 * before the path run together), anything else keeps its path after GET.
 */
function suggestRequest(line: string): { method: string; slash: number } {
  const slash = line.indexOf('/');
  const joined = (slash === -1 ? line : line.slice(0, slash)).replace(/\s+/g, '').toUpperCase();
  return { method: (HTTP_METHODS as readonly string[]).includes(joined) ? joined : 'GET', slash };
}
