import { UserError } from '../user-error.js';
/**
 * A run record or baseline that cannot be used: unreadable, truncated, of another profile or of
 * a newer format. A user's problem, not a bug: it names the file, what is wrong and the fix.
 */
export class RecordError extends UserError {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${file}: ${problem}. Fix: ${fix}`);
    this.name = 'RecordError';
  }
}
