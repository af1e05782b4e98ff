import { echo, echoPlain, finishEchoes } from './echo.js';
import type { Think } from './profile-types.js';

/**
 * Durations as k6 writes them: `500ms`, `30s`, `1.5s`, `2m`, `1h`, `1m30s`. Units are required and
 * go from largest to smallest; each number may have decimals (`1.5s`, `0.25h`). The result is
 * rounded to a whole millisecond.
 */

/** The same patterns as `duration` and `think` in schema/tailgate.schema.json (a test keeps them equal). */
export const DURATION_PATTERN = '^(?=\\d)(\\d+(?:\\.\\d+)?h)?(\\d+(?:\\.\\d+)?m(?!s))?(\\d+(?:\\.\\d+)?s)?(\\d+(?:\\.\\d+)?ms)?$';
export const THINK_PATTERN =
  '^(?=\\d)(\\d+(?:\\.\\d+)?h)?(\\d+(?:\\.\\d+)?m(?!s))?(\\d+(?:\\.\\d+)?s)?(\\d+(?:\\.\\d+)?ms)?( *- *(?=\\d)(\\d+(?:\\.\\d+)?h)?(\\d+(?:\\.\\d+)?m(?!s))?(\\d+(?:\\.\\d+)?s)?(\\d+(?:\\.\\d+)?ms)?)?$';

export const DURATION_ALLOWED = 'a duration with a unit (h, m, s, ms), like 30s, 500ms or 1m30s';
export const THINK_ALLOWED = 'a think time like 2s, or a random range like 1s-3s';

const DURATION = new RegExp(DURATION_PATTERN);
const UNIT_MS = [3_600_000, 60_000, 1000, 1] as const;

/**
 * A duration or think time that cannot be parsed; `fix` says what to write instead. `message` is
 * ready to print; `echoed` still marks the quoted value, for a profile to hide what came from the
 * environment (see echo.ts).
 */
export class DurationError extends Error {
  readonly echoed: { message: string; fix: string };

  constructor(message: string, fix: string) {
    super(finishEchoes(message));
    this.name = 'DurationError';
    this.echoed = { message, fix };
  }

  get fix(): string {
    return finishEchoes(this.echoed.fix);
  }
}

/** What to write instead of `got`: a bare number gets its unit suggested. */
export function durationFix(got: unknown): string {
  if (typeof got === 'number' && Number.isInteger(got) && got >= 0) {
    return `write ${got}s or ${got}ms (a unit is required)`;
  }
  return 'write 30s or 500ms';
}

/**
 * What to write instead of a think time `got`. A bare number is read as seconds, the unit of
 * k6's sleep(1), where think times come from: `think: 1` gets `write think: 1s`, `1-3` gets
 * `1s-3s`. tailgate still asks for the unit rather than guessing it.
 */
export function thinkFix(got: unknown): string {
  const text = typeof got === 'number' && Number.isFinite(got) && got >= 0 ? String(got) : typeof got === 'string' ? got.trim() : '';
  const match = /^(\d+(?:\.\d+)?)(?:\s*-\s*(\d+(?:\.\d+)?))?$/.exec(text);
  if (!match) return 'write think: 2s or think: 1s-3s';
  const written = match[2] === undefined ? `${match[1]}s` : `${match[1]}s-${match[2]}s`;
  return `write think: ${written} (a unit is required; a bare number is seconds, as in k6's sleep(${match[1]}))`;
}

/** Milliseconds in `text`; throws DurationError for bare numbers and anything else. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new DurationError(`must be ${DURATION_ALLOWED} (got ${echo(text)})`, durationFix(text));
  let ms = 0;
  UNIT_MS.forEach((unit, i) => {
    const part = match[i + 1];
    if (part !== undefined) ms += Number.parseFloat(part) * unit;
  });
  ms = Math.round(ms);
  if (!Number.isSafeInteger(ms)) throw new DurationError(`${echo(text)} is too long`, 'write a shorter duration');
  return ms;
}

/** `2s` (fixed) or `1s-3s` (uniform in the range); the minimum may not exceed the maximum. */
export function parseThink(text: string): Think {
  const parts = text.split('-').map((part) => part.trim());
  if (parts.length > 2 || !new RegExp(THINK_PATTERN).test(text.trim())) {
    throw new DurationError(`must be ${THINK_ALLOWED} (got ${echo(text)})`, thinkFix(text));
  }
  const minMs = parseDuration(parts[0] ?? '');
  const maxMs = parts[1] === undefined ? minMs : parseDuration(parts[1]);
  if (minMs > maxMs) {
    throw new DurationError(
      `the range ${echo(text)} starts above its end`,
      `write the shorter time first: think: ${echoPlain(`${parts[1]}-${parts[0]}`)}`,
    );
  }
  return { minMs, maxMs };
}

/** The shortest k6-style text for `ms`: 90000 -> `1m30s`, 0 -> `0s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const units = ['h', 'm', 's', 'ms'] as const;
  let rest = ms;
  let text = '';
  UNIT_MS.forEach((unit, i) => {
    const count = Math.floor(rest / unit);
    if (count > 0) text += `${count}${units[i]}`;
    rest -= count * unit;
  });
  return text;
}
