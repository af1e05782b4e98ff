import { UserError } from '../user-error.js';
/** A problem with how the command was called or what it was pointed at: exit 2, no stack. */
export class CliError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Exit codes (a contract): 0 pass, 1 gate failed, 2 could not run. */
export const EXIT = { pass: 0, failed: 1, couldNotRun: 2 } as const;
