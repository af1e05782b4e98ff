import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, stringify, type Document } from 'yaml';
import schema from '../../schema/tailgate.schema.json' with { type: 'json' };
import { ConfigError, formatField, type ConfigProblem, type FieldPath } from './config-error.js';
import {
  DURATION_ALLOWED,
  DurationError,
  THINK_ALLOWED,
  durationFix,
  formatDuration,
  parseDuration,
  parseThink,
} from './duration.js';
import { interpolateTree, type Env } from './env-interpolation.js';
import type { Body, ExecutorSpec, Journey, Profile, Scenario, SourceLocation, Stage, Step } from './profile-types.js';

/**
 * Reads a profile: YAML (every node keeps its line) -> `${VAR}` from the environment -> JSON schema
 * -> cross-field checks and hard caps -> a Profile with defaults applied. Every problem found is
 * reported at once, as a ConfigError naming file, line, field and fix.
 */

/** Hard caps: a profile asking for more is refused, whatever the runner could do. */
export const MAX_RUN_MS = 3_600_000;
export const MAX_VUS = 10_000;
export const MAX_RATE_PER_SECOND = 100_000;

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_BLOCK_MS = 5_000;
export const DEFAULT_GRACEFUL_MS = 30_000;

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const EXECUTORS = ['constant-vus', 'ramping-vus', 'constant-arrival-rate', 'ramping-arrival-rate'] as const;

const PROFILE_ID = /^[A-Za-z0-9._-]+$/;
/** Same syntax as the engine's templates (src/engine/template.ts). */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export interface LoadOptions {
  env: Env;
  /** Target from the command line or the action input; replaces the file's `target` unread. */
  target?: string;
}

export interface ParseOptions extends LoadOptions {
  /** Name used in messages and for the default profile id. */
  file: string;
}

export async function loadProfile(file: string, options: LoadOptions): Promise<Profile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const fix =
      code === 'ENOENT'
        ? `check the path given to --config or the config input (relative to ${process.cwd()}), e.g. tailgate.yml`
        : code === 'EISDIR'
          ? 'give the path of the YAML file, not of its folder'
          : 'make the file readable by the user running tailgate';
    throw new ConfigError({ file, field: '', message: `cannot read the config file ${resolve(file)} (${code})`, fix });
  }
  return parseProfile(text, { ...options, file });
}

export function parseProfile(text: string, options: ParseOptions): Profile {
  const source = parseYaml(text, options.file);
  const problems = new Problems(source);

  const overridden = options.target !== undefined;
  const interpolated = interpolateTree(source.value, options.env, (path) => overridden && path.length === 1 && path[0] === 'target');
  for (const p of interpolated.problems) problems.add(p.path, p.message, p.fix);
  problems.throwIfAny();

  const validate = schemaValidator();
  if (!validate(interpolated.value)) {
    for (const error of validate.errors ?? []) problems.addSchemaError(error, interpolated.value);
    problems.throwIfAny();
  }
  const profile = buildProfile(interpolated.value as RawProfile, options, interpolated.secrets, problems);
  problems.throwIfAny();
  return profile;
}

// ---------------------------------------------------------------- YAML with positions

interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  value: unknown;
}

const YAML_FIXES: Partial<Record<string, string>> = {
  DUPLICATE_KEY: 'keep one of the two entries',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  MULTIPLE_DOCS: 'keep one document: remove the second ---',
  BAD_INDENT: 'line up entries of the same mapping or list at the same indentation',
};

function parseYaml(text: string, file: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  // Only the first syntax error: the ones after it are mostly its echoes.
  const [error] = doc.errors;
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    const fix = YAML_FIXES[error.code] ?? 'check indentation and quoting here; quote values holding : # [ ] { } or , as in "$.items[0].id"';
    throw new ConfigError({ file, line, column: col, field: '', message: `YAML syntax: ${error.message}`, fix });
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    throw new ConfigError({ file, field: '', message: `YAML: ${String((error as Error).message ?? error)}`, fix: 'remove the aliases (*name) that expand too much' });
  }
  if (value === null || value === undefined) {
    throw new ConfigError({ file, field: '', message: 'the file is empty', fix: 'write a profile with target, scenarios and journeys (see the README)' });
  }
  return { file, doc, lines, value };
}

/** Line and column of the value (or the key) at `path`; the nearest existing parent when absent. */
function locate(source: YamlSource, path: FieldPath, part: 'key' | 'value'): { line: number; column: number } | undefined {
  let node: unknown = source.doc.contents;
  let key: unknown;
  let found = 0;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(source.doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === String(segment));
      if (!pair) break;
      key = pair.key;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      key = undefined;
      node = node.items[segment];
    } else break;
    found += 1;
  }
  const target = part === 'key' && found === path.length && key !== undefined ? key : node;
  const range = (target as { range?: [number, number, number] } | null)?.range;
  if (!range) return undefined;
  const { line, col } = source.lines.linePos(range[0]);
  return { line, column: col };
}

// ---------------------------------------------------------------- problems

class Problems {
  private readonly list: ConfigProblem[] = [];

  constructor(readonly source: YamlSource) {}

  /** A problem with `field`, located at `where` (defaults to the field itself). */
  add(field: FieldPath, message: string, fix?: string, where: { path?: FieldPath; part?: 'key' | 'value' } = {}): void {
    const location = locate(this.source, where.path ?? field, where.part ?? 'value');
    this.list.push({ file: this.source.file, ...location, field: formatField(field), message, ...(fix === undefined ? {} : { fix }) });
  }

  /** A problem that does not come from the file (e.g. the --target option). */
  addOutside(field: string, message: string, fix: string): void {
    this.list.push({ file: this.source.file, field, message, fix });
  }

  addSchemaError(error: ErrorObject, data: unknown): void {
    const explained = explainSchemaError(error, data);
    if (!explained) return;
    const { field, message, fix, where } = explained;
    const duplicate = this.list.some((p) => p.field === formatField(field) && p.message === message);
    if (!duplicate) this.add(field, message, fix, where);
  }

  locationOf(path: FieldPath, part: 'key' | 'value'): SourceLocation | undefined {
    const location = locate(this.source, path, part);
    return location && { file: this.source.file, line: location.line, column: location.column };
  }

  throwIfAny(): void {
    if (this.list.length === 0) return;
    const sorted = [...this.list].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    throw new ConfigError(sorted);
  }
}

// ---------------------------------------------------------------- schema errors in plain words

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true }).compile(schema);
  return compiled;
}

/** Plain-word descriptions of the schema's titled definitions, read as "must be …". */
const ALLOWED_BY_TITLE: Partial<Record<string, string>> = {
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
  JSONPath: 'a JSONPath starting with $, e.g. $.items[0].id',
};

interface ExplainedError {
  field: FieldPath;
  message: string;
  fix?: string;
  where?: { path?: FieldPath; part?: 'key' | 'value' };
}

function explainSchemaError(error: ErrorObject, data: unknown): ExplainedError | undefined {
  const at = pathFromPointer(error.instancePath, data);
  const parent = (error.parentSchema ?? {}) as AnySchemaObject;
  const got = error.data;
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
        message: executor ? `unknown field "${extra}" (executor ${executor} does not use it)` : `unknown field "${extra}"`,
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

function lastKey(path: FieldPath): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return 'value';
}

/** What a schema accepts, in words: "a positive whole number", "a list or text". */
function allowed(schema: AnySchemaObject): string {
  const byTitle = typeof schema.title === 'string' ? ALLOWED_BY_TITLE[schema.title] : undefined;
  if (byTitle) return byTitle;
  const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'object'];
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
  if (schema.title === 'think') return 'write think: 2s or think: 1s-3s';
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

function show(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** The candidate within edit distance 2 of `word`, if any (for "did you mean …"). */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && candidate.length > 2 && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** Why a request line is refused, and the line to write instead. */
function explainRequest(line: string): { message: string; fix: string } {
  const match = /^(\S+)\s+(\S.*)$/.exec(line.trim());
  const got = JSON.stringify(line);
  if (!match) return { message: `must be ${ALLOWED_BY_TITLE.request} (got ${got})`, fix: 'write request: GET /api/products' };
  const method = match[1] as string;
  const path = (match[2] as string).trim();
  const upper = method.toUpperCase();
  if (!(HTTP_METHODS as readonly string[]).includes(upper)) {
    return { message: `method ${method} is not supported, use one of ${HTTP_METHODS.join(', ')} (got ${got})`, fix: `write request: GET ${path}` };
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(path) || path.startsWith('//')) {
    const url = URL.parse(path.startsWith('//') ? `http:${path}` : path);
    const relative = url ? `${url.pathname}${url.search}` : '/path';
    return {
      message: `must be a path relative to the target, not a URL: load goes only to the target (got ${got})`,
      fix: `write request: ${upper} ${relative}${url ? ` and set target: ${url.origin}` : ''}`,
    };
  }
  if (!path.startsWith('/')) return { message: `the path must start with / (got ${got})`, fix: `write request: ${upper} /${path}` };
  return { message: `the method must be in capitals (got ${got})`, fix: `write request: ${upper} ${path}` };
}

// ---------------------------------------------------------------- building the Profile

/** The file's shape once the schema has accepted it (defaults not yet applied). */
interface RawProfile {
  name?: string;
  target?: string;
  defaults?: { timeout?: string; headers?: Record<string, string> };
  warmup?: string;
  block?: string;
  scenarios: Record<string, RawScenario>;
  journeys: Record<string, RawJourney>;
  thresholds?: Record<string, string[]>;
  regression?: Record<string, unknown>;
}

interface RawScenario {
  executor: (typeof EXECUTORS)[number];
  startTime?: string;
  gracefulStop?: string;
  journeys?: string[];
  vus?: number;
  duration?: string;
  startVUs?: number;
  stages?: Array<{ duration: string; target: number }>;
  gracefulRampDown?: string;
  rate?: number;
  startRate?: number;
  timeUnit?: string;
  preAllocatedVUs?: number;
  maxVUs?: number;
}

interface RawJourney {
  weight?: number;
  steps: RawStep[];
}

interface RawStep {
  name?: string;
  request: string;
  headers?: Record<string, string>;
  body?: unknown;
  expect?: number | number[];
  capture?: Record<string, string>;
  think?: string;
  timeout?: string;
}

function buildProfile(raw: RawProfile, options: ParseOptions, secrets: string[], problems: Problems): Profile {
  const durations = new Durations(problems);
  const timeoutMs = durations.positive(['defaults', 'timeout'], raw.defaults?.timeout, DEFAULT_TIMEOUT_MS);
  const journeys = Object.entries(raw.journeys).map(([name, journey]) => buildJourney(name, journey, timeoutMs, durations, problems));
  const scenarios = Object.entries(raw.scenarios).map(([name, scenario]) => buildScenario(name, scenario, raw, durations, problems));
  const warmupMs = durations.at(['warmup'], raw.warmup, 0);
  checkRunLength(scenarios, warmupMs, problems);
  return {
    id: profileId(raw, options.file, problems),
    file: options.file,
    target: resolveTarget(raw, options, problems),
    headers: raw.defaults?.headers ?? {},
    timeoutMs,
    warmupMs,
    blockMs: durations.positive(['block'], raw.block, DEFAULT_BLOCK_MS),
    scenarios,
    journeys,
    thresholds: buildThresholds(raw.thresholds ?? {}, journeys, problems),
    regression: raw.regression ?? {},
    secrets,
  };
}

/** Durations of the (schema-checked) file, with problems reported at their field. */
class Durations {
  constructor(private readonly problems: Problems) {}

  at(path: FieldPath, text: string | undefined, fallback: number): number {
    if (text === undefined) return fallback;
    try {
      return parseDuration(text);
    } catch (error) {
      if (!(error instanceof DurationError)) throw error;
      this.problems.add(path, error.message, error.fix);
      return fallback;
    }
  }

  positive(path: FieldPath, text: string | undefined, fallback: number): number {
    const ms = this.at(path, text, fallback);
    if (ms === 0) this.problems.add(path, 'must be longer than 0s', `write ${lastKey(path)}: ${formatDuration(fallback || 1000)}`);
    return ms;
  }
}

function profileId(raw: RawProfile, file: string, problems: Problems): string {
  if (raw.name !== undefined) return raw.name;
  const id = basename(file, extname(file));
  if (!PROFILE_ID.test(id)) {
    problems.addOutside(
      '',
      `the profile id comes from the file name and must be ${ALLOWED_BY_TITLE['profile id']} (got ${JSON.stringify(id)})`,
      `add name: ${id.replace(/[^A-Za-z0-9._-]+/g, '-')}`,
    );
  }
  return id;
}

function resolveTarget(raw: RawProfile, options: ParseOptions, problems: Problems): string {
  const allowed = 'an http or https URL with an optional base path and no query or fragment, e.g. http://127.0.0.1:3000';
  if (options.target !== undefined) {
    const target = normalizeTarget(options.target);
    if (target === undefined) {
      problems.addOutside('target (from --target or the target-url input)', `must be ${allowed} (got ${JSON.stringify(options.target)})`, 'pass a URL such as https://preview.example.com');
    }
    return target ?? '';
  }
  if (raw.target === undefined) {
    problems.add(['target'], 'is missing', 'add target: ${TARGET_URL} to the file, or pass --target / the target-url input', { path: [] });
    return '';
  }
  const target = normalizeTarget(raw.target);
  if (target === undefined) problems.add(['target'], `must be ${allowed} (got ${JSON.stringify(raw.target)})`, 'write target: https://preview.example.com');
  return target ?? '';
}

/** `https://host:8080/api/` -> `https://host:8080/api`; undefined for anything but a plain http(s) URL. */
function normalizeTarget(text: string): string | undefined {
  const url = URL.parse(text.trim());
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return undefined;
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function buildScenario(name: string, raw: RawScenario, profile: RawProfile, durations: Durations, problems: Problems): Scenario {
  const at = ['scenarios', name];
  const journeyNames = Object.keys(profile.journeys);
  raw.journeys?.forEach((journey, i) => {
    if (journeyNames.includes(journey)) return;
    const guess = closest(journey, journeyNames);
    problems.add([...at, 'journeys', i], `no journey is named ${JSON.stringify(journey)} (journeys: ${journeyNames.join(', ')})`, guess ? `did you mean ${guess}?` : 'name one of the journeys defined under journeys:');
  });
  const executor = buildExecutor(at, raw, durations, problems);
  checkCaps(at, executor, problems);
  return {
    name,
    executor,
    startTimeMs: durations.at([...at, 'startTime'], raw.startTime, 0),
    gracefulStopMs: durations.at([...at, 'gracefulStop'], raw.gracefulStop, DEFAULT_GRACEFUL_MS),
    journeys: raw.journeys ?? journeyNames,
  };
}

function buildExecutor(at: FieldPath, raw: RawScenario, durations: Durations, problems: Problems): ExecutorSpec {
  const durationMs = () => durations.positive([...at, 'duration'], raw.duration, 0);
  const timeUnitMs = () => durations.positive([...at, 'timeUnit'], raw.timeUnit, 1000);
  const maxVUs = () => {
    const preAllocated = raw.preAllocatedVUs ?? 1;
    const max = raw.maxVUs ?? preAllocated;
    if (max < preAllocated) {
      problems.add([...at, 'maxVUs'], `must be at least preAllocatedVUs (${preAllocated}), got ${max}`, `write maxVUs: ${preAllocated} or more, or lower preAllocatedVUs`);
    }
    return max;
  };
  switch (raw.executor) {
    case 'constant-vus':
      return { type: raw.executor, vus: raw.vus ?? 1, durationMs: durationMs() };
    case 'ramping-vus':
      return {
        type: raw.executor,
        startVUs: raw.startVUs ?? 1,
        stages: buildStages(at, raw, durations, problems),
        gracefulRampDownMs: durations.at([...at, 'gracefulRampDown'], raw.gracefulRampDown, DEFAULT_GRACEFUL_MS),
      };
    case 'constant-arrival-rate':
      return {
        type: raw.executor,
        rate: raw.rate ?? 1,
        timeUnitMs: timeUnitMs(),
        durationMs: durationMs(),
        preAllocatedVUs: raw.preAllocatedVUs ?? 1,
        maxVUs: maxVUs(),
      };
    case 'ramping-arrival-rate':
      return {
        type: raw.executor,
        startRate: raw.startRate ?? 0,
        timeUnitMs: timeUnitMs(),
        stages: buildStages(at, raw, durations, problems),
        preAllocatedVUs: raw.preAllocatedVUs ?? 1,
        maxVUs: maxVUs(),
      };
  }
}

function buildStages(at: FieldPath, raw: RawScenario, durations: Durations, problems: Problems): Stage[] {
  const stages = (raw.stages ?? []).map((stage, i) => ({
    durationMs: durations.at([...at, 'stages', i, 'duration'], stage.duration, 0),
    target: stage.target,
  }));
  if (stages.length > 0 && lengthOfStages(stages) === 0) {
    problems.add([...at, 'stages'], 'last 0s in total', 'give at least one stage a duration, e.g. { duration: 30s, target: 20 }');
  }
  return stages;
}

function lengthOfStages(stages: readonly Stage[]): number {
  return stages.reduce((sum, stage) => sum + stage.durationMs, 0);
}

function scenarioLengthMs(executor: ExecutorSpec): number {
  return 'stages' in executor ? lengthOfStages(executor.stages) : executor.durationMs;
}

/** The largest value of a ramp (its start or a stage target) and the field that sets it. */
function peakOfRamp(start: number, startField: string, stages: readonly Stage[]): { value: number; field: FieldPath } {
  let peak = { value: start, field: [startField] as FieldPath };
  stages.forEach((stage, i) => {
    if (stage.target > peak.value) peak = { value: stage.target, field: ['stages', i, 'target'] };
  });
  return peak;
}

function checkCaps(at: FieldPath, executor: ExecutorSpec, problems: Problems): void {
  const vus =
    executor.type === 'constant-vus'
      ? { value: executor.vus, field: ['vus'] }
      : executor.type === 'ramping-vus'
        ? peakOfRamp(executor.startVUs, 'startVUs', executor.stages)
        : { value: executor.maxVUs, field: [executor.maxVUs === executor.preAllocatedVUs ? 'preAllocatedVUs' : 'maxVUs'] };
  if (vus.value > MAX_VUS) {
    problems.add([...at, ...vus.field], `asks for ${vus.value} VUs; a scenario may use at most ${MAX_VUS}`, `write at most ${MAX_VUS}, or shard the load over several jobs (shard: i/n)`);
  }
  if (executor.type === 'constant-arrival-rate' || executor.type === 'ramping-arrival-rate') {
    const rate =
      executor.type === 'constant-arrival-rate'
        ? { value: executor.rate, field: ['rate'] }
        : peakOfRamp(executor.startRate, 'startRate', executor.stages);
    const perSecond = (rate.value * 1000) / executor.timeUnitMs;
    if (perSecond > MAX_RATE_PER_SECOND) {
      problems.add([...at, ...rate.field], `asks for ${perSecond} iterations per second; at most ${MAX_RATE_PER_SECOND} are allowed`, `lower it, or shard the load over several jobs (shard: i/n)`);
    }
  }
}

function checkRunLength(scenarios: readonly Scenario[], warmupMs: number, problems: Problems): void {
  let longest: { scenario: Scenario; endMs: number } | undefined;
  for (const scenario of scenarios) {
    const endMs = scenario.startTimeMs + scenarioLengthMs(scenario.executor);
    if (longest === undefined || endMs > longest.endMs) longest = { scenario, endMs };
  }
  if (longest === undefined) return;
  const at = ['scenarios', longest.scenario.name];
  if (longest.endMs > MAX_RUN_MS) {
    const field = 'stages' in longest.scenario.executor ? 'stages' : 'duration';
    problems.add([...at, field], `makes the run last ${formatDuration(longest.endMs)} (startTime + ${field}); a run may last at most ${formatDuration(MAX_RUN_MS)}`, `shorten ${field} or startTime, or split the profile into several`);
  }
  if (warmupMs >= longest.endMs && longest.endMs > 0) {
    problems.add(['warmup'], `leaves nothing to measure: it is ${formatDuration(warmupMs)} and the run lasts ${formatDuration(longest.endMs)}`, `write a warmup shorter than the run, e.g. warmup: ${formatDuration(Math.floor(longest.endMs / 10))}`);
  }
}

function buildJourney(name: string, raw: RawJourney, defaultTimeoutMs: number, durations: Durations, problems: Problems): Journey {
  const capturedAt = new Map<string, number>();
  raw.steps.forEach((step, i) => {
    for (const variable of Object.keys(step.capture ?? {})) if (!capturedAt.has(variable)) capturedAt.set(variable, i);
  });
  const names = new Map<string, number>();
  const steps = raw.steps.map((rawStep, i): Step => {
    const at = ['journeys', name, 'steps', i];
    const step = buildStep(at, rawStep, defaultTimeoutMs, durations, problems);
    const earlier = names.get(step.name);
    if (earlier === undefined) names.set(step.name, i);
    else {
      const field = rawStep.name === undefined ? 'request' : 'name';
      problems.add([...at, field], `step name ${JSON.stringify(step.name)} is already used by steps[${earlier}] of journey ${name}`, rawStep.name === undefined ? 'add a name: to one of the two steps' : 'give each step of a journey its own name');
    }
    for (const use of placeholderUses(at, rawStep)) {
      const captured = capturedAt.get(use.variable);
      if (captured !== undefined && captured < i) continue;
      const message =
        captured === undefined
          ? `uses {{ ${use.variable} }}, but no earlier step of journey ${name} captures ${use.variable}`
          : `uses {{ ${use.variable} }}, which is only captured by steps[${captured}], not before this step`;
      const fix =
        captured === undefined
          ? `capture it in an earlier step, e.g. capture: { ${use.variable}: "$.id" }`
          : 'move the step that captures it before this one';
      problems.add(use.path, message, fix);
    }
    return step;
  });
  return { name, weight: raw.weight ?? 1, steps };
}

function buildStep(at: FieldPath, raw: RawStep, defaultTimeoutMs: number, durations: Durations, problems: Problems): Step {
  const line = raw.request.trim();
  const method = line.split(/\s/, 1)[0] as string;
  const path = line.slice(method.length).trim();
  if (/\s/.test(path.replace(PLACEHOLDER, ''))) {
    problems.add([...at, 'request'], `the path may not contain spaces outside {{ }} (got ${JSON.stringify(raw.request)})`, 'encode spaces in the path as %20');
  }
  let think;
  if (raw.think !== undefined) {
    try {
      think = parseThink(raw.think);
    } catch (error) {
      if (!(error instanceof DurationError)) throw error;
      problems.add([...at, 'think'], error.message, error.fix);
    }
  }
  const body: Body | undefined =
    raw.body === undefined ? undefined : typeof raw.body === 'string' ? { kind: 'text', value: raw.body } : { kind: 'json', value: raw.body };
  return {
    name: raw.name ?? `${method} ${path}`,
    method,
    path,
    headers: raw.headers ?? {},
    ...(body && { body }),
    ...(raw.expect !== undefined && { expect: typeof raw.expect === 'number' ? [raw.expect] : raw.expect }),
    capture: raw.capture ?? {},
    ...(think && { think }),
    timeoutMs: durations.positive([...at, 'timeout'], raw.timeout, defaultTimeoutMs),
  };
}

/** Every `{{ var }}` in a step's path, header values and body, with the field it sits in. */
function placeholderUses(at: FieldPath, step: RawStep): Array<{ variable: string; path: FieldPath }> {
  const uses: Array<{ variable: string; path: FieldPath }> = [];
  const scan = (value: unknown, path: FieldPath): void => {
    if (typeof value === 'string') for (const match of value.matchAll(PLACEHOLDER)) uses.push({ variable: match[1] as string, path });
    else if (Array.isArray(value)) value.forEach((item, i) => scan(item, [...path, i]));
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) scan(item, [...path, key]);
  };
  scan(step.request, [...at, 'request']);
  scan(step.headers ?? {}, [...at, 'headers']);
  scan(step.body, [...at, 'body']);
  return uses;
}

function buildThresholds(raw: Record<string, string[]>, journeys: readonly Journey[], problems: Problems): Profile['thresholds'] {
  const stepNames = [...new Set(journeys.flatMap((journey) => journey.steps.map((step) => step.name)))];
  return Object.entries(raw).map(([metric, expressions]) => {
    const at = ['thresholds', metric];
    for (const tag of /\{(.*)\}$/.exec(metric)?.[1]?.split(',') ?? []) {
      const colon = tag.indexOf(':');
      const value = tag.slice(colon + 1).trim();
      if (colon === -1 || tag.slice(0, colon).trim() !== 'step' || stepNames.includes(value)) continue;
      const guess = closest(value, stepNames);
      problems.add(at, `names step ${JSON.stringify(value)}, which no journey has`, guess ? `did you mean {step:${guess}}?` : `use one of: ${stepNames.join(', ')}`, { part: 'key' });
    }
    const location = problems.locationOf(at, 'key');
    return { metric, expressions, ...(location && { location }) };
  });
}
