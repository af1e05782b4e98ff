import type { FieldPath } from './config-error.js';
import { echo } from './echo.js';
import { jsonPathProblem } from './jsonpath-syntax.js';
import type { Problems } from './problems.js';
import type { RawStep } from './raw-profile.js';

/** A step's `capture:`: values taken from its response for later steps, each also a check. */

/** k6's VU number (from 1) and the VU's iteration (from 0), set for every iteration. */
export const ITERATION_VARIABLES: readonly string[] = ['__VU', '__ITER'];

/** A problem for each capture that cannot be made: into a name tailgate sets, or from a path that is no JSONPath. */
export function captureProblems(at: FieldPath, raw: RawStep, problems: Problems): void {
  for (const variable of Object.keys(raw.capture ?? {}).filter((v) => ITERATION_VARIABLES.includes(v))) {
    problems.add([...at, 'capture', variable], `${variable} is set by tailgate for every iteration (k6's ${variable}), it cannot be captured`, 'capture into another name', { part: 'key' });
  }
  for (const [variable, jsonPath] of Object.entries(raw.capture ?? {})) {
    const problem = jsonPathProblem(jsonPath);
    if (problem) problems.add([...at, 'capture', variable], `is not a JSONPath: ${problem} (got ${echo(jsonPath)})`, 'write a path such as $.items[0].id or $.items[?(@.stock > 0)].id');
  }
}

/** A capture that finds nothing is a failed check of this name (as the plan names it). */
export function captureCheckName(variable: string): string {
  return `capture ${variable}`;
}
