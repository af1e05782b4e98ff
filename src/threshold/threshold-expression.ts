import { ConfigError, formatField } from '../config/config-error.js';
import { closest } from '../config/did-you-mean.js';
import { isPhaseMetric } from '../record/request-phases.js';
import type { ProfileThreshold, SourceLocation, WrittenThreshold } from '../config/profile-types.js';

/**
 * k6 threshold syntax, the subset tailgate can evaluate from a run record:
 *   http_req_duration           p(N), avg, med, min, max   (milliseconds)
 *   http_req_failed             rate                       (fraction of requests that failed)
 *   http_reqs                   count, rate                (requests, requests per second)
 *   http_req_blocked, http_req_connecting, http_req_tls_handshaking, http_req_sending,
 *   http_req_waiting, http_req_receiving
 *                               p(N), avg, med, min, max   (milliseconds of one phase of each
 *                               request, record/request-phases.ts)
 *   checks                      rate                       (fraction of checks that passed)
 *   iterations                  count, rate                (iterations, iterations per second)
 *   iteration_duration          p(N), avg, med, min, max   (milliseconds)
 *   group_duration              p(N), avg, med, min, max   (milliseconds an iteration spent in a
 *                               group, k6's; `{group:NAME}` or k6's `{group:::NAME}`, `{scenario:NAME}`)
 *   server_timing{name:NAME}    p(N), avg, med, min, max   (milliseconds of the target's own
 *                               `Server-Timing` component NAME, its `dur`; read from the record
 *                               after the run, so never abortOnFail; `{step:NAME}` narrows it)
 * with optional selectors `{step:NAME}`, `{scenario:NAME}` (both at once: `{scenario:A,step:B}`)
 * or `{check:NAME}` (a name in quotes may hold commas: `{check:"a, b"}`), and expressions
 * `AGGREGATION OPERATOR NUMBER`.
 */
export const THRESHOLD_METRICS = {
  http_req_duration: ['p(N)', 'avg', 'med', 'min', 'max'],
  http_req_failed: ['rate'],
  http_reqs: ['count', 'rate'],
  http_req_blocked: ['p(N)', 'avg', 'med', 'min', 'max'],
  http_req_connecting: ['p(N)', 'avg', 'med', 'min', 'max'],
  http_req_tls_handshaking: ['p(N)', 'avg', 'med', 'min', 'max'],
  http_req_sending: ['p(N)', 'avg', 'med', 'min', 'max'],
  http_req_waiting: ['p(N)', 'avg', 'med', 'min', 'max'],
  http_req_receiving: ['p(N)', 'avg', 'med', 'min', 'max'],
  checks: ['rate'],
  iterations: ['count', 'rate'],
  iteration_duration: ['p(N)', 'avg', 'med', 'min', 'max'],
  group_duration: ['p(N)', 'avg', 'med', 'min', 'max'],
  server_timing: ['p(N)', 'avg', 'med', 'min', 'max'],
} as const;

export type ThresholdMetric = keyof typeof THRESHOLD_METRICS;
export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type Aggregation = { kind: 'percentile'; percentile: number } | { kind: 'avg' | 'med' | 'min' | 'max' | 'rate' | 'count' };

export type SelectorTag = 'step' | 'scenario' | 'check';
/** A selector's keys: the tags, and server_timing's component name. */
type SelectorKey = SelectorTag | 'name' | 'expected_response' | 'group';

/** The tags each metric can be selected by: what the record keeps apart for it. */
const METRIC_TAGS: Record<ThresholdMetric, readonly SelectorKey[]> = {
  http_req_duration: ['step', 'scenario', 'name', 'expected_response'],
  http_req_failed: ['step', 'scenario', 'name'],
  http_reqs: ['step', 'scenario', 'name'],
  http_req_blocked: ['step', 'scenario', 'name'],
  http_req_connecting: ['step', 'scenario', 'name'],
  http_req_tls_handshaking: ['step', 'scenario', 'name'],
  http_req_sending: ['step', 'scenario', 'name'],
  http_req_waiting: ['step', 'scenario', 'name'],
  http_req_receiving: ['step', 'scenario', 'name'],
  checks: ['check'],
  iterations: ['scenario'],
  iteration_duration: ['scenario'],
  group_duration: ['group', 'scenario'],
  server_timing: ['name', 'step'],
};

/** k6 metrics tailgate does not measure, with what to write instead. */
const UNMEASURED: Record<string, string> = {
  http_req_looking_up: 'k6 no longer reports it either; a new connection\'s DNS lookup is in http_req_blocked: write http_req_blocked',
  data_received: 'bytes are not counted: write a threshold on http_reqs or http_req_duration',
  data_sent: 'bytes are not counted: write a threshold on http_reqs or http_req_duration',
  vus: 'VUs are in the record\'s load shape, not a threshold metric: set the load in scenarios',
  vus_max: 'VUs are in the record\'s load shape, not a threshold metric: set the load in scenarios',
  dropped_iterations: 'dropped iterations make the run invalid on their own: see the generator check',
};

export interface ThresholdSelector {
  metric: ThresholdMetric;
  step: string | null;
  scenario: string | null;
  check: string | null;
  /** server_timing: the component's name, as the target sends it (required there, absent elsewhere). */
  name?: string;
  /**
   * `{expected_response:true}` (k6's default view of latency): only the requests whose status was
   * expected, the ones http_req_failed does not count. http_req_duration only.
   */
  expectedResponse?: true;
  /** group_duration: the group, as the profile names it (k6's `::NAME` read as NAME); absent: every group. */
  group?: string;
}

export interface ThresholdExpression {
  aggregation: Aggregation;
  operator: Operator;
  limit: number;
}

/** A threshold that cannot be evaluated: a config mistake, reported with where it was written. */
export class ThresholdError extends ConfigError {
  readonly metric: string;
  readonly expression: string | undefined;
  readonly location: SourceLocation | undefined;

  constructor(options: { metric: string; expression?: string; location?: SourceLocation; message: string; fix: string }) {
    const subject = options.expression === undefined ? '' : `"${options.expression}": `;
    super({
      file: options.location?.file ?? 'config',
      ...(options.location ? { line: options.location.line, column: options.location.column } : {}),
      field: formatField(['thresholds', options.metric]),
      message: subject + options.message,
      fix: options.fix,
    });
    this.name = 'ThresholdError';
    this.metric = options.metric;
    this.expression = options.expression;
    this.location = options.location;
  }
}

const SELECTOR = /^\s*([a-z_]+)\s*(?:\{([^}]*)\})?\s*$/;
/** A Server-Timing metric name: an HTTP token, at most 64 characters as the record keeps them. */
const SERVER_TIMING_NAME = /^[-!#$%&'*+.^_`|~0-9A-Za-z]{1,64}$/;

export function parseSelector(metric: string, location?: SourceLocation): ThresholdSelector {
  const at = { metric, ...(location ? { location } : {}) };
  const match = SELECTOR.exec(metric);
  const allowedMetrics = Object.keys(THRESHOLD_METRICS).join(', ');
  if (!match) {
    throw new ThresholdError({ ...at, message: 'is not a metric selector', fix: `write a metric (${allowedMetrics}), optionally with {step:NAME}, {scenario:NAME} or {check:NAME}, e.g. http_req_duration{step:checkout}` });
  }
  const [, name = '', tags] = match;
  const unmeasured = Object.hasOwn(UNMEASURED, name) ? UNMEASURED[name] : undefined;
  if (unmeasured !== undefined) throw new ThresholdError({ ...at, message: `k6's metric "${name}" is not measured by tailgate`, fix: unmeasured });
  if (!Object.hasOwn(THRESHOLD_METRICS, name)) {
    const guess = closest(name, Object.keys(THRESHOLD_METRICS));
    throw new ThresholdError({ ...at, message: `unknown metric "${name}"`, fix: guess ? `did you mean ${guess}? (metrics: ${allowedMetrics})` : `use one of ${allowedMetrics}` });
  }
  const selected = name as ThresholdMetric;
  const allowedTags = METRIC_TAGS[selected];
  const selector: ThresholdSelector = { metric: selected, step: null, scenario: null, check: null };
  let previous: SelectorTagText | undefined;
  for (const tag of tags === undefined ? [] : selectorTags(tags, at)) {
    const { key, value } = tag;
    const written = allowedTags.map((t) => (t === 'expected_response' ? '{expected_response:true}' : `{${t}:NAME}`)).join(' or ');
    if (!tag.colon && previous?.colon && key !== '') {
      // `{check:price, in euros}`: k6 splits at every comma, so the name's second half reads as a tag.
      throw new ThresholdError({
        ...at,
        message: `"${key}" follows a comma but is not a tag:NAME pair`,
        fix: `a name with a comma goes in quotes: {${previous.key}:${selectorName(`${previous.value},${tag.written}`)}}`,
      });
    }
    previous = tag;
    if (!(allowedTags as readonly string[]).includes(key)) {
      const known = (['step', 'scenario', 'check', 'name', 'expected_response', 'group'] as const).includes(key as SelectorKey);
      throw new ThresholdError({
        ...at,
        message: known ? `${selected} cannot be selected by ${key}: the record does not keep it apart that way` : `unknown selector tag "${key}"`,
        fix: `select ${selected} with ${written}`,
      });
    }
    if (value === '') throw new ThresholdError({ ...at, message: `the ${key} selector names no ${key}`, fix: `write {${key}:NAME}` });
    if (key === 'group') {
      // k6 names a group by its path from the root, `::checkout`; tailgate's groups do not nest.
      const group = value.startsWith('::') ? value.slice(2) : value;
      if (group === '' || group.includes('::')) throw new ThresholdError({ ...at, message: `"${value}" is a nested group`, fix: 'tailgate\'s groups do not nest: write {group:NAME} with the group: of the steps' });
      if (selector.group !== undefined) throw new ThresholdError({ ...at, message: 'names a group twice', fix: 'keep one {group:NAME}' });
      selector.group = group;
      continue;
    }
    if (key === 'expected_response') {
      if (value !== 'true') {
        throw new ThresholdError({ ...at, message: `{expected_response:${value}} selects nothing tailgate keeps apart`, fix: 'write {expected_response:true} (the requests http_req_failed does not count), or count the others with http_req_failed' });
      }
      selector.expectedResponse = true;
      continue;
    }
    if (key === 'name' && selected !== 'server_timing') {
      // k6's name tag is the request's name; a step names its request.
      if (selector.step !== null) throw new ThresholdError({ ...at, message: 'names a step twice ({name:...} is the step\'s name)', fix: 'keep one {step:NAME} or {name:NAME}' });
      selector.step = value;
      continue;
    }
    if (key === 'name') {
      if (selector.name !== undefined) throw new ThresholdError({ ...at, message: 'names a name twice', fix: 'keep one {name:NAME}' });
      if (!SERVER_TIMING_NAME.test(value)) {
        throw new ThresholdError({ ...at, message: `"${value}" is not a Server-Timing metric name`, fix: "write the name as the target sends it in the header (letters, digits and !#$%&'*+-.^_`|~, at most 64 characters), e.g. {name:db}" });
      }
      selector.name = value;
      continue;
    }
    const field = key as SelectorTag;
    if (selector[field] !== null) throw new ThresholdError({ ...at, message: `names a ${key} twice`, fix: field === 'step' && tags?.includes('name') ? 'keep one {step:NAME} or {name:NAME}' : `keep one {${key}:NAME}` });
    selector[field] = value;
  }
  if (selected === 'server_timing' && selector.name === undefined) {
    throw new ThresholdError({ ...at, message: 'server_timing names no Server-Timing component', fix: 'write server_timing{name:NAME}, e.g. server_timing{name:db}, optionally with step:NAME' });
  }
  return selector;
}

/**
 * The `key:value` pairs between a selector's braces, split at commas as k6 splits them, with the
 * quotes around a key or value dropped as k6 drops them (`{check:"status is 200"}` selects the
 * check `status is 200`). A quoted value may hold commas, which k6 cannot select (grafana/k6#3173):
 * `{check:"price, in euros"}`.
 */
function selectorTags(text: string, at: { metric: string; location?: SourceLocation }): SelectorTagText[] {
  const tags: SelectorTagText[] = [];
  let i = 0;
  for (;;) {
    const keyEnd = nextOf(text, [':', ','], i);
    const key = unquoted(text.slice(i, keyEnd).trim());
    if (text[keyEnd] !== ':') {
      tags.push({ key, value: '', colon: false, written: text.slice(i, keyEnd) });
      if (keyEnd === text.length) return tags;
      i = keyEnd + 1;
      continue;
    }
    let valueStart = keyEnd + 1;
    while (/\s/.test(text.charAt(valueStart))) valueStart++;
    const quote = text[valueStart];
    let value: string;
    let end: number;
    if (quote === '"' || quote === "'") {
      const close = text.indexOf(quote, valueStart + 1);
      if (close === -1) throw new ThresholdError({ ...at, message: `the ${key} selector opens a quote (${quote}) it does not close`, fix: `close it: {${key}:${quote}NAME${quote}}` });
      value = text.slice(valueStart + 1, close);
      end = nextOf(text, [','], close + 1);
      if (text.slice(close + 1, end).trim() !== '') {
        throw new ThresholdError({ ...at, message: `the ${key} selector has text after its quoted name (${JSON.stringify(text.slice(close + 1, end).trim())})`, fix: `put the whole name inside the quotes: {${key}:${quote}NAME${quote}}` });
      }
    } else {
      end = nextOf(text, [','], valueStart);
      value = text.slice(valueStart, end).trim();
    }
    tags.push({ key, value, colon: true, written: text.slice(i, end) });
    if (end === text.length) return tags;
    i = end + 1;
  }
}

interface SelectorTagText {
  key: string;
  value: string;
  /** Whether it was written `key:value`, not a bare word. */
  colon: boolean;
  /** As written, between its commas. */
  written: string;
}

/** The index of the first of `chars` in `text` from `from`, else the text's length. */
function nextOf(text: string, chars: readonly string[], from: number): number {
  for (let i = from; i < text.length; i++) if (chars.includes(text[i] as string)) return i;
  return text.length;
}

/** `"step"` and `'step'` -> `step`, as k6 reads a selector's key. */
function unquoted(text: string): string {
  return /^(["']).*\1$/s.test(text) ? text.slice(1, -1) : text;
}

/**
 * A name as a selector writes it: as it is, or in quotes when it holds what would end it (a comma)
 * or spaces at either end that a selector would trim. k6 users can quote either way.
 */
export function selectorName(name: string): string {
  if (!/,|^\s|\s$|^["']/.test(name)) return name;
  return name.includes('"') ? `'${name}'` : `"${name}"`;
}

/** A written threshold with its selector and expressions parsed; throws ThresholdError at the first mistake. */
export function parseThreshold(written: WrittenThreshold): ProfileThreshold {
  const selector = parseSelector(written.metric, written.location);
  if (selector.metric === 'server_timing' && (written.abortOnFail?.length ?? 0) > 0) {
    const expression = written.expressions[written.abortOnFail?.[0]?.expression ?? 0];
    throw new ThresholdError({
      metric: written.metric,
      ...(expression !== undefined ? { expression } : {}),
      ...(written.location ? { location: written.location } : {}),
      message: 'abortOnFail cannot watch server_timing: the components are read from the run record once the run ends',
      fix: 'write the expression as text, without abortOnFail, e.g. "p(95)<50"; or abort on http_req_duration',
    });
  }
  return { ...written, selector, parsed: written.expressions.map((expression) => parseExpression(selector, written.metric, expression, written.location)) };
}

const EXPRESSION = /^\s*([a-z][a-z0-9.]*(?:\(\s*[^)]*\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*$/i;

export function parseExpression(selector: ThresholdSelector, metric: string, expression: string, location?: SourceLocation): ThresholdExpression {
  const at = { metric, expression, ...(location ? { location } : {}) };
  const allowed = THRESHOLD_METRICS[selector.metric].join(', ');
  const match = EXPRESSION.exec(expression);
  if (!match) {
    throw new ThresholdError({ ...at, message: 'is not a threshold expression', fix: `write AGGREGATION OPERATOR NUMBER, e.g. "${example(selector.metric)}" (aggregations for ${selector.metric}: ${allowed}; operators < <= > >= == !=)` });
  }
  const [, aggregationText = '', operatorText = '', limitText = ''] = match;
  const aggregation = parseAggregation(aggregationText);
  if (aggregation === null || !allowsAggregation(selector.metric, aggregation)) {
    // k6 writes percentiles with parentheses; p95 is the most common slip.
    const percentile = /^p(\d+(?:\.\d+)?)$/.exec(aggregationText);
    const fix = percentile && allowsAggregation(selector.metric, { kind: 'percentile', percentile: 50 }) ? `write p(${percentile[1]})` : `use one of ${allowed}`;
    throw new ThresholdError({ ...at, message: `"${aggregationText}" is not an aggregation of ${selector.metric}`, fix });
  }
  if (aggregation.kind === 'percentile' && !(aggregation.percentile >= 0 && aggregation.percentile <= 100)) {
    throw new ThresholdError({ ...at, message: `percentile ${aggregation.percentile} is outside 0–100`, fix: 'write p(N) with 0 ≤ N ≤ 100, e.g. p(95) or p(99.9)' });
  }
  // k6 accepts === as a synonym of ==.
  const operator = (operatorText === '===' ? '==' : operatorText) as Operator;
  return { aggregation, operator, limit: Number(limitText) };
}

function parseAggregation(text: string): Aggregation | null {
  const percentile = /^p\(\s*(\d+(?:\.\d+)?)\s*\)$/.exec(text);
  if (percentile) return { kind: 'percentile', percentile: Number(percentile[1]) };
  if (['avg', 'med', 'min', 'max', 'rate', 'count'].includes(text)) return { kind: text as 'avg' };
  return null;
}

function allowsAggregation(metric: ThresholdMetric, aggregation: Aggregation): boolean {
  const allowed: readonly string[] = THRESHOLD_METRICS[metric];
  return allowed.includes(aggregation.kind === 'percentile' ? 'p(N)' : aggregation.kind);
}

function example(metric: ThresholdMetric): string {
  if (isPhaseMetric(metric)) return 'p(95)<100';
  switch (metric) {
    case 'http_req_duration':
    case 'iteration_duration':
    case 'group_duration':
      return 'p(95)<500';
    case 'server_timing':
      return 'p(95)<50';
    case 'http_req_failed':
      return 'rate<0.01';
    case 'checks':
      return 'rate>0.99';
    default:
      return 'count>100';
  }
}

export function holds(observed: number, operator: Operator, limit: number): boolean {
  switch (operator) {
    case '<':
      return observed < limit;
    case '<=':
      return observed <= limit;
    case '>':
      return observed > limit;
    case '>=':
      return observed >= limit;
    case '==':
      return observed === limit;
    case '!=':
      return observed !== limit;
  }
}
