import { lastKey, type FieldPath } from './config-error.js';
import { DurationError, formatDuration, parseDuration } from './duration.js';
import type { Problems } from './problems.js';

/** Durations of the (schema-checked) file, with problems reported at their field. */
export class Durations {
  constructor(private readonly problems: Problems) {}

  at(path: FieldPath, text: string | undefined, fallback: number): number {
    if (text === undefined) return fallback;
    try {
      return parseDuration(text);
    } catch (error) {
      if (!(error instanceof DurationError)) throw error;
      this.problems.add(path, error.echoed.message, error.echoed.fix);
      return fallback;
    }
  }

  positive(path: FieldPath, text: string | undefined, fallback: number): number {
    const ms = this.at(path, text, fallback);
    if (ms === 0) this.problems.add(path, 'must be longer than 0s', `write ${lastKey(path)}: ${formatDuration(fallback || 1000)}`);
    return ms;
  }
}
