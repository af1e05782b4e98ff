import type { FieldPath } from './config-error.js';
import type { Problems } from './problems.js';

/**
 * Names a profile may not give to what tailgate keys by name (scenarios, journeys, steps,
 * captured variables, checks, headers, threshold metrics): JavaScript objects treat them specially, so
 * a step named `__proto__` would vanish from the record and a variable named so would read `{}`.
 * Refusing them here keeps every later stage free to use plain objects keyed by these names.
 */
export const RESERVED_NAMES: readonly string[] = ['__proto__', 'constructor', 'prototype'];

export function isReservedName(name: string): boolean {
  return RESERVED_NAMES.includes(name);
}

/** A problem for `name`, reserved, used as `what` ("step name", "header name"...) at `path`. */
export function refuseReservedName(problems: Problems, path: FieldPath, what: string, part: 'key' | 'value', name: string): void {
  const fix = what === 'metric' ? 'write a metric tailgate records, e.g. http_req_duration' : `choose another ${what}`;
  problems.add(path, `${what} ${JSON.stringify(name)} is reserved (${RESERVED_NAMES.join(', ')} have a special meaning in JavaScript)`, fix, { part });
}

/** The shape this check reads: only the named maps, all optional. */
interface NamedParts {
  defaults?: { headers?: Record<string, unknown> };
  scenarios?: Record<string, unknown>;
  journeys?: Record<string, { steps?: NamedStep[] }>;
  setup?: { steps?: NamedStep[] };
  teardown?: { steps?: NamedStep[] };
  data?: Record<string, unknown>;
  thresholds?: Record<string, unknown>;
}

interface NamedStep {
  headers?: Record<string, unknown>;
  capture?: Record<string, unknown>;
  checks?: Record<string, unknown>;
}

/** One problem per reserved name used as a key. Step names, which are values, are checked in step-names.ts with the other rules for them. */
export function checkReservedNames(raw: NamedParts, problems: Problems): void {
  const keys = (map: Record<string, unknown> | undefined, at: FieldPath, what: string, normalize: (key: string) => string = (key) => key): void => {
    for (const key of Object.keys(map ?? {})) if (isReservedName(normalize(key))) refuseReservedName(problems, [...at, key], what, 'key', normalize(key));
  };
  const lower = (key: string): string => key.toLowerCase();
  keys(raw.defaults?.headers, ['defaults', 'headers'], 'header name', lower);
  keys(raw.scenarios, ['scenarios'], 'scenario name');
  keys(raw.journeys, ['journeys'], 'journey name');
  keys(raw.data, ['data'], 'data set name');
  const steps = (list: readonly NamedStep[] | undefined, at: FieldPath): void => {
    list?.forEach((step, i) => {
      const stepAt = [...at, 'steps', i];
      keys(step.headers, [...stepAt, 'headers'], 'header name', lower);
      keys(step.capture, [...stepAt, 'capture'], 'variable name');
      keys(step.checks, [...stepAt, 'checks'], 'check name');
    });
  };
  steps(raw.setup?.steps, ['setup']);
  steps(raw.teardown?.steps, ['teardown']);
  for (const [journey, body] of Object.entries(raw.journeys ?? {})) steps(body.steps, ['journeys', journey]);
  keys(raw.thresholds, ['thresholds'], 'metric', (key) => key.replace(/\{.*$/s, '').trim());
}
