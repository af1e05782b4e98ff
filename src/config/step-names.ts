import type { FieldPath } from './config-error.js';
import { echo } from './echo.js';
import type { Problems } from './problems.js';
import type { Journey, Step } from './profile-types.js';
import { isReservedName, refuseReservedName } from './reserved-names.js';

/**
 * Step names, checked here and nowhere else: a name is not one JavaScript treats specially
 * (reserved-names.ts), each step of a journey (or of the setup) has a name of its own, and the
 * profile's names are read once into the list that thresholds' `{step:NAME}` and
 * `regression.steps` are checked against.
 */

/** The profile's step names, read once for what names a step (thresholds, `regression.steps`). */
export interface StepNames {
  /** The journeys' steps, each once, in order: the steps that gate. */
  journeys: string[];
  setup: string[];
}

/**
 * The names of one journey's steps (or the setup's), at `at` (`['journeys', NAME]` or
 * `['setup']`) of `owner` ("journey j", "setup"): a problem for each reserved name and each name
 * an earlier step of the same owner has. `written` are the steps as written (a step without
 * `name:` is named by its request line, and a repeat is then reported at `request`).
 */
export function checkStepNames(at: FieldPath, owner: string, written: ReadonlyArray<{ name?: unknown }>, names: readonly string[], problems: Problems): void {
  const first = new Map<string, number>();
  names.forEach((name, i) => {
    const stepAt = [...at, 'steps', i];
    const named = written[i]?.name !== undefined;
    if (named && isReservedName(name)) refuseReservedName(problems, [...stepAt, 'name'], 'step name', 'value', name);
    const earlier = first.get(name);
    if (earlier === undefined) {
      first.set(name, i);
      return;
    }
    problems.add(
      [...stepAt, named ? 'name' : 'request'],
      `step name ${echo(name)} is already used by steps[${earlier}] of ${owner}`,
      named ? `give each step of ${owner === 'setup' || owner === 'teardown' ? `the ${owner}` : 'a journey'} its own name` : 'add a name: to one of the two steps',
    );
  });
}

/** The names of the checked journeys and setup. */
export function profileStepNames(journeys: readonly Journey[], setup: readonly Step[]): StepNames {
  return { journeys: [...new Set(journeys.flatMap((journey) => journey.steps.map((step) => step.name)))], setup: setup.map((step) => step.name) };
}
