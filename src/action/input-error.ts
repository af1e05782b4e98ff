import { UserError } from '../user-error.js';
/**
 * A bad value for one of the Action's inputs (a user error, not a bug): the message names the
 * input, what was given and what is allowed, e.g.
 *   input "fail-on" must be one of regression, inconclusive, never (got "maybe")
 */
export class InputError extends UserError {
  /** The input's name as written in the workflow (`fail-on`, `target-url`). */
  readonly input: string;

  /** `problem` completes the sentence that starts with the input's name: `must be ... (got "x")`. */
  constructor(input: string, problem: string) {
    super(`input "${input}" ${problem}`);
    this.name = 'InputError';
    this.input = input;
  }
}

/** `"maybe"` for a value, `nothing` when the input was not given. */
export function showValue(value: string): string {
  return value === '' ? 'nothing' : JSON.stringify(value);
}
