import type { FieldPath } from './config-error.js';
import { buildCaptures, ITERATION_VARIABLES } from './capture-config.js';
import { buildCheck } from './check-config.js';
import { dataReferenceProblem } from './data-files.js';
import { closest } from './did-you-mean.js';
import { DurationError, parseThink } from './duration.js';
import { echo, echoPlain } from './echo.js';
import type { Durations } from './field-durations.js';
import type { Problems } from './problems.js';
import type { Body, DataSet, Journey, Step } from './profile-types.js';
import type { RawJourney, RawStep, ShownAt } from './raw-profile.js';
import { checkStepNames } from './step-names.js';
import { isHelperCall, parseHelper } from './template-helpers.js';
import { literalText, placeholderTexts } from './template.js';

/**
 * Journeys and the setup's steps: each step's request line, headers, body, think time and
 * timeout, its checks (check-config.ts) and captures (capture-config.ts), and every `{{ var }}`
 * it uses made before it (by an earlier step, the setup, a data set or tailgate itself).
 */

/**
 * The setup steps (k6's `setup()`), run once before the load, or the teardown steps (k6's
 * `teardown()`), run once after it: in order, a step may use what an earlier one of them
 * captured, and the teardown what the setup captured. `once` and `checks` have no meaning here.
 */
export function buildRunSteps(
  part: 'setup' | 'teardown',
  raw: readonly RawStep[],
  setupCaptures: ReadonlySet<string>,
  data: readonly DataSet[],
  defaultTimeoutMs: number,
  durations: Durations,
  shownAt: ShownAt,
  problems: Problems,
): Step[] {
  const steps = buildSteps([part], part, raw, setupCaptures, data, defaultTimeoutMs, durations, shownAt, problems);
  const when = part === 'setup' ? 'before the load' : 'after the load';
  raw.forEach((rawStep, i) => {
    const at = [part, 'steps', i];
    if (rawStep.checks !== undefined) {
      const fix = part === 'setup' ? 'use expect: and capture: here (a failure stops the run before the load), or move the checks to a journey step' : 'use expect: here (a failure is recorded in the run\'s teardown), or move the checks to a journey step';
      const fails = part === 'setup' ? 'stops the run' : 'ends the teardown';
      problems.add([...at, 'checks'], `are not counted in a ${part} step: a ${part} step either succeeds or ${fails}`, fix, { part: 'key' });
    }
    if (rawStep.group !== undefined) problems.add([...at, 'group'], `has no meaning in a ${part} step: it is measured apart, ${when}`, 'remove group: here; write it on journey steps', { part: 'key' });
    if (rawStep.once !== undefined) problems.add([...at, 'once'], `has no meaning in a ${part} step: ${part} steps run once per run, ${when}`, `remove once: here; write it on a journey step to run that step once per VU`, { part: 'key' });
    const step = steps[i] as Step;
    const location = problems.locationOf(at, 'value');
    if (location) step.location = location;
  });
  return steps;
}

export function buildJourney(
  name: string,
  raw: RawJourney,
  setupCaptures: ReadonlySet<string>,
  data: readonly DataSet[],
  defaultTimeoutMs: number,
  durations: Durations,
  shownAt: ShownAt,
  problems: Problems,
): Journey {
  const steps = buildSteps(['journeys', name], `journey ${echoPlain(name)}`, raw.steps, setupCaptures, data, defaultTimeoutMs, durations, shownAt, problems);
  checkGroups(['journeys', name, 'steps'], raw.steps, problems);
  if (steps.length > 0 && steps.every((step) => step.once)) {
    problems.add(['journeys', name, 'steps'], 'are all once: true, so after its first iteration a VU would have nothing to do in this journey', 'add a step that runs every iteration, or move these steps to setup: (once per run)');
  }
  return { name, weight: raw.weight ?? 1, steps };
}

/**
 * A journey's (or the setup's) steps, their names checked (step-names.ts), each `{{ var }}`
 * captured by an earlier step or by a setup step.
 */
function buildSteps(
  at: FieldPath,
  owner: string,
  raw: readonly RawStep[],
  setupCaptures: ReadonlySet<string>,
  data: readonly DataSet[],
  defaultTimeoutMs: number,
  durations: Durations,
  shownAt: ShownAt,
  problems: Problems,
): Step[] {
  const capturedAt = new Map<string, number>();
  raw.forEach((step, i) => {
    for (const variable of Object.keys(step.capture ?? {})) if (!capturedAt.has(variable)) capturedAt.set(variable, i);
  });
  const steps = raw.map((rawStep, i): Step => {
    const stepAt = [...at, 'steps', i];
    const step = buildStep(stepAt, rawStep, defaultTimeoutMs, durations, shownAt, problems);
    for (const use of placeholderUses(stepAt, rawStep)) {
      if (isHelperCall(use.variable)) {
        const helper = parseHelper(use.variable);
        if ('problem' in helper) problems.add(use.path, `{{ ${echoPlain(use.variable)} }}: ${helper.problem}`, helper.fix);
        continue;
      }
      if (setupCaptures.has(use.variable) || ITERATION_VARIABLES.includes(use.variable)) continue;
      if (use.variable.includes('.')) {
        const problem = dataReferenceProblem(use.variable, data);
        if (problem) problems.add(use.path, problem.message, problem.fix);
        continue;
      }
      const captured = capturedAt.get(use.variable);
      if (captured !== undefined && captured < i) continue;
      const message =
        captured === undefined
          ? `uses {{ ${echoPlain(use.variable)} }}, but no earlier step of ${owner} captures ${echoPlain(use.variable)}`
          : `uses {{ ${echoPlain(use.variable)} }}, which is only captured by steps[${captured}], not before this step`;
      const known = [...[...capturedAt].filter(([, at]) => at < i).map(([name]) => name), ...setupCaptures, ...ITERATION_VARIABLES];
      const meant = captured === undefined ? closest(use.variable, known) : undefined;
      const fix =
        meant !== undefined
          ? `did you mean {{ ${echoPlain(meant)} }}? (names are case-sensitive)`
          : captured === undefined
            ? `capture it in an earlier step, e.g. capture: { ${echoPlain(use.variable)}: "$.id" }`
            : 'move the step that captures it before this one';
      problems.add(use.path, message, fix);
    }
    return step;
  });
  checkStepNames(at, owner, raw, steps.map((step) => step.name), problems);
  return steps;
}

function buildStep(at: FieldPath, raw: RawStep, defaultTimeoutMs: number, durations: Durations, shownAt: ShownAt, problems: Problems): Step {
  const { method, path } = requestLine(raw.request);
  // What shows the step (its name, the plan) never shows a value from the environment: `GET /items?api_key=***`.
  const shownRequest = shownAt([...at, 'request']);
  const shownPath = shownRequest === undefined ? undefined : requestLine(shownRequest).path;
  const shownName = raw.name === undefined ? undefined : shownAt([...at, 'name']);
  if (/\s/.test(literalText(path))) {
    problems.add([...at, 'request'], `the path may not contain spaces outside {{ }} (got ${echo(raw.request)})`, 'encode spaces in the path as %20');
  }
  let think;
  if (raw.think !== undefined) {
    try {
      think = parseThink(raw.think);
    } catch (error) {
      if (!(error instanceof DurationError)) throw error;
      problems.add([...at, 'think'], error.echoed.message, error.echoed.fix);
    }
  }
  const capture = buildCaptures(at, raw, problems);
  const checks = Object.entries(raw.checks ?? {}).flatMap(([name, check]) => buildCheck([...at, 'checks', name], name, check, problems) ?? []);
  const body: Body | undefined =
    raw.body === undefined ? undefined : typeof raw.body === 'string' ? { kind: 'text', value: raw.body } : { kind: 'json', value: raw.body };
  return {
    name: shownName ?? raw.name ?? `${method} ${shownPath ?? path}`.trim(),
    method,
    path,
    ...(shownPath !== undefined ? { shownPath } : {}),
    headers: raw.headers ?? {},
    ...(body && { body }),
    ...(raw.expect !== undefined && { expect: typeof raw.expect === 'number' ? [raw.expect] : raw.expect }),
    capture,
    ...(checks.length > 0 && { checks }),
    ...(think && { think }),
    timeoutMs: durations.positive([...at, 'timeout'], raw.timeout, defaultTimeoutMs),
    ...(raw.once === true && { once: true }),
    ...(raw.cookies === false && { cookies: false as const }),
    ...(raw.group !== undefined && { group: raw.group }),
  };
}

/**
 * A journey's groups are runs of consecutive steps (k6's `group()` is a block of code): a group
 * that comes back after other steps is refused, since its duration would be two things at once.
 */
function checkGroups(at: FieldPath, raw: readonly RawStep[], problems: Problems): void {
  const ended = new Set<string>();
  raw.forEach((step, i) => {
    const previous = i > 0 ? raw[i - 1]?.group : undefined;
    if (previous !== undefined && previous !== step.group) ended.add(previous);
    if (step.group !== undefined && ended.has(step.group)) {
      problems.add([...at, i, 'group'], `puts this step in group ${echo(step.group)} again after other steps: a group is consecutive steps`, 'move the step next to the others of its group, or give it another group', { part: 'value' });
    }
  });
}

/** `GET /a b` -> method `GET`, path `/a b`. */
function requestLine(request: string): { method: string; path: string } {
  const line = request.trim();
  const method = line.split(/\s/, 1)[0] as string;
  return { method, path: line.slice(method.length).trim() };
}


/** Every `{{ var }}` (or helper call) in a step's path, header values and body, with the field it sits in. */
function placeholderUses(at: FieldPath, step: RawStep): Array<{ variable: string; path: FieldPath }> {
  const uses: Array<{ variable: string; path: FieldPath }> = [];
  const scan = (value: unknown, path: FieldPath): void => {
    if (typeof value === 'string') for (const variable of placeholderTexts(value)) uses.push({ variable, path });
    else if (Array.isArray(value)) value.forEach((item, i) => scan(item, [...path, i]));
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) scan(item, [...path, key]);
  };
  scan(step.request, [...at, 'request']);
  scan(step.headers ?? {}, [...at, 'headers']);
  scan(step.body, [...at, 'body']);
  return uses;
}
