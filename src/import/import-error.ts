import { UserError } from '../user-error.js';

/**
 * A results file `tailgate import` cannot turn into a run record: unreadable, of another format,
 * or with nothing usable left. A user's problem, not a bug: it names the file, what is wrong
 * (at which line or column where one is to blame) and the fix.
 */
export class ImportError extends UserError {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${file}: ${problem}. Fix: ${fix}`);
    this.name = 'ImportError';
  }
}
