import type { FieldPath } from './config-error.js';
import { echo } from './echo.js';
import { jsonPathProblem } from './jsonpath-syntax.js';
import type { Problems } from './problems.js';
import type { Check } from './profile-types.js';
import type { RawCheck } from './raw-profile.js';

/** A step's `checks:` (k6's `check()`), each looking at one thing of the response and comparing it once. */

const CHECK_SUBJECTS = ['status', 'header', 'bodyContains', 'json'] as const;
const CHECK_OPERATORS = ['equals', 'contains', 'gt', 'gte', 'lt', 'lte', 'exists'] as const;

/** One check: exactly one subject, and at most one comparison that the subject allows. */
export function buildCheck(at: FieldPath, name: string, raw: RawCheck, problems: Problems): Check | undefined {
  const subjects = CHECK_SUBJECTS.filter((key) => raw[key] !== undefined);
  const operators = CHECK_OPERATORS.filter((key) => raw[key] !== undefined);
  const example = 'e.g. { status: 200 }, { header: content-type, contains: json }, { bodyContains: ok } or { json: "$.price", gt: 0 }';
  if (subjects.length !== 1) {
    problems.add(
      at,
      subjects.length === 0 ? 'says what to compare but not what to look at' : `looks at ${subjects.join(' and ')}; a check looks at one thing`,
      subjects.length === 0 ? `add one of status, header, bodyContains or json, ${example}` : 'split it into one check for each',
    );
    return undefined;
  }
  const subject = subjects[0] as (typeof CHECK_SUBJECTS)[number];
  const allowed: readonly string[] = subject === 'header' ? ['equals', 'contains', 'exists'] : subject === 'json' ? CHECK_OPERATORS : [];
  const refused = operators.filter((op) => !allowed.includes(op));
  if (refused.length > 0) {
    const words = allowed.length === 0 ? `${subject} takes no comparison` : `${subject} compares with ${allowed.join(', ')}`;
    problems.add([...at, refused[0] as string], `${words}, not ${refused.join(', ')}`, allowed.length === 0 ? `remove ${refused[0]}:` : `write one of ${allowed.join(', ')}`, { part: 'key' });
    return undefined;
  }
  if (operators.length > 1) {
    problems.add([...at, operators[1] as string], `compares with ${operators.join(' and ')}; a check compares once`, 'split it into one check for each comparison', { part: 'key' });
    return undefined;
  }
  const written = operators[0] ?? 'exists';
  // `exists: false` reads as its own comparison: the value is not there.
  const op = written === 'exists' && raw.exists === false ? 'missing' : written;
  const value = written === 'exists' ? undefined : raw[written];
  switch (subject) {
    case 'status':
      return { name, kind: 'status', statuses: [raw.status as number | number[]].flat() };
    case 'bodyContains':
      return { name, kind: 'body', contains: raw.bodyContains as string };
    case 'header':
      if ((op === 'equals' || op === 'contains') && typeof value !== 'string') {
        problems.add([...at, op], `compares a header, which is text, with ${value !== null && typeof value === 'object' ? 'a list or mapping' : String(value)}`, `quote it: ${op}: "${String(value)}"`);
        return undefined;
      }
      return { name, kind: 'header', header: (raw.header as string).toLowerCase(), op: op as 'exists' | 'missing' | 'equals' | 'contains', ...(value === undefined ? {} : { value: value as string }) };
    case 'json': {
      const path = raw.json as string;
      const problem = jsonPathProblem(path);
      if (problem) {
        problems.add([...at, 'json'], `is not a JSONPath: ${problem} (got ${echo(path)})`, 'write a path such as $.price or $.items[0].id');
        return undefined;
      }
      return { name, kind: 'json', path, op, ...(value === undefined ? {} : { value }) };
    }
  }
}
