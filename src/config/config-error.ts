/**
 * A mistake in the user's config (not a bug): each problem names the file, the line, the field
 * and the fix. One error may carry several problems so a user fixes them all in one go.
 */

/** A place in the parsed YAML: mapping keys and sequence indexes, from the document root. */
export type FieldPath = ReadonlyArray<string | number>;

export interface ConfigProblem {
  file: string;
  line?: number;
  column?: number;
  /** Dotted path such as `scenarios.browse.rate`; empty when the problem is the whole file. */
  field: string;
  /** What is wrong and what is allowed, e.g. `must be a positive whole number (got "fast")`. */
  message: string;
  /** What to write instead. */
  fix?: string;
}

import { bound, finishEchoes, quote } from './echo.js';
import { UserError } from '../user-error.js';

/** How many problems the message lists; the rest are counted (all stay in `problems`). */
export const MAX_LISTED_PROBLEMS = 10;

/** The longest message or fix one problem may have: a value in it is cut before it gets there. */
export const MAX_PROBLEM_TEXT = 600;

export class ConfigError extends UserError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: ConfigProblem | readonly ConfigProblem[]) {
    const list = (Array.isArray(problems) ? (problems as readonly ConfigProblem[]) : [problems as ConfigProblem]).map(readable);
    const first = list[0];
    if (first === undefined) throw new TypeError('ConfigError needs at least one problem');
    super(formatProblems(list));
    this.name = 'ConfigError';
    this.problems = list;
  }

  private get first(): ConfigProblem {
    return this.problems[0] as ConfigProblem;
  }
  get file(): string {
    return this.first.file;
  }
  get line(): number | undefined {
    return this.first.line;
  }
  get column(): number | undefined {
    return this.first.column;
  }
  get field(): string {
    return this.first.field;
  }
  get fix(): string | undefined {
    return this.first.fix;
  }
}

/** A problem whose quoted values are finished and whose texts are of a readable length. */
function readable(problem: ConfigProblem): ConfigProblem {
  const text = (value: string): string => bound(finishEchoes(value), MAX_PROBLEM_TEXT);
  return {
    ...problem,
    field: bound(problem.field, MAX_PROBLEM_TEXT),
    message: text(problem.message),
    ...(problem.fix === undefined ? {} : { fix: text(problem.fix) }),
  };
}

/** `tailgate.yml:12:5 scenarios.browse.rate: must be ... (got "fast"). Fix: write ...` */
export function formatProblem(problem: ConfigProblem): string {
  let where = problem.file;
  if (problem.line !== undefined) where += `:${problem.line}`;
  if (problem.line !== undefined && problem.column !== undefined) where += `:${problem.column}`;
  const subject = problem.field === '' ? `${where}:` : `${where} ${problem.field}:`;
  const fix = problem.fix === undefined ? '' : `. Fix: ${problem.fix}`;
  return `${subject} ${problem.message}${fix}`;
}

function formatProblems(problems: readonly ConfigProblem[]): string {
  if (problems.length === 1) return formatProblem(problems[0] as ConfigProblem);
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `  ${formatProblem(p)}`);
  const more = problems.length - listed.length;
  const file = (problems[0] as ConfigProblem).file;
  return [`${file}: ${problems.length} problems`, ...listed, ...(more > 0 ? [`  ...and ${more} more`] : [])].join('\n');
}

/** `['journeys', 'shopper', 'steps', 0, 'request']` -> `journeys.shopper.steps[0].request`. */
export function formatField(path: FieldPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]{1,60}$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${quote(segment)}]`;
  }
  return text;
}

/** The last mapping key of a path (`value` when it has none), as the user would write it: `rate:`. */
export function lastKey(path: FieldPath): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return 'value';
}
