import { MAX_RATE_PER_SECOND, MAX_RUN_MS, MAX_VUS, parseProfile } from '../config/load-profile.js';
import { DurationError, parseDuration } from '../config/duration.js';
import type { Profile } from '../config/profile-types.js';
import type { Env } from '../config/env-interpolation.js';
import { withoutCredentials } from '../config/shown-values.js';
import { CliError } from './cli-error.js';

/** The load flags of `tailgate run URL`, as given (strings from the command line). */
export interface AdhocFlags {
  vus?: string;
  rate?: string;
  duration?: string;
}

export const ADHOC_DEFAULT_DURATION = '10s';
/** Where messages and the record say the profile came from. */
export const ADHOC_SOURCE = 'tailgate run URL';

/**
 * The profile of an ad-hoc run, `tailgate run URL --vus N --duration D` (closed model, as k6) or
 * `--rate R --duration D` (open model): one journey of one GET of URL, no warm-up, no thresholds.
 * It is written as profile text and read by the same loader as a file, so the same checks and
 * defaults apply. Flags are checked first, so a mistake is named by its flag, not a YAML field.
 */
export function adhocProfile(url: string, flags: AdhocFlags, env: Env): Profile {
  const target = parseTarget(url);
  if (flags.vus !== undefined && flags.rate !== undefined) {
    throw new CliError(
      '--vus and --rate cannot be used together: --vus N keeps N users looping (closed model, as k6 run --vus), --rate R starts R requests per second (open model); drop one of them',
    );
  }
  const duration = flags.duration ?? ADHOC_DEFAULT_DURATION;
  checkDuration(duration);
  const scenario =
    flags.rate !== undefined
      ? openModel(wholeNumber('--rate', flags.rate, MAX_RATE_PER_SECOND, 'requests per second'), duration)
      : { executor: 'constant-vus', vus: wholeNumber('--vus', flags.vus ?? '1', MAX_VUS, 'VUs'), duration };
  const raw = {
    name: 'adhoc',
    scenarios: { adhoc: scenario },
    journeys: { get: { steps: [{ request: `GET ${literal(target.path)}` }] } },
  };
  // JSON is YAML; the target goes outside the text, so nothing in the URL is read as ${VAR}.
  return parseProfile(JSON.stringify(raw), { file: ADHOC_SOURCE, env, target: target.origin });
}

function openModel(rate: number, duration: string): Record<string, unknown> {
  // VUs for up to a second of latency per request at the asked rate, within the cap.
  return {
    executor: 'constant-arrival-rate',
    rate,
    duration,
    preAllocatedVUs: Math.min(MAX_VUS, Math.max(1, Math.ceil(rate / 10))),
    maxVUs: Math.min(MAX_VUS, Math.max(50, rate)),
  };
}

function parseTarget(url: string): { origin: string; path: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`"${withoutCredentials(url)}" is not a URL; write the whole URL, e.g. tailgate run http://127.0.0.1:3000/ --vus 10 --duration 30s`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliError(`"${withoutCredentials(url)}" is not an http or https URL; write e.g. http://127.0.0.1:3000/health`);
  }
  if (parsed.username || parsed.password) {
    throw new CliError('the URL carries a user name or password, which tailgate does not send; drop them from the URL and use a profile with defaults.headers (authorization)');
  }
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

/**
 * The path as profile text, braces percent-encoded (as the URL parser already does in the path):
 * neither `${VAR}` nor `{{ name }}` in a URL is read as a placeholder.
 */
function literal(path: string): string {
  return path.replaceAll('{', '%7B').replaceAll('}', '%7D');
}

function checkDuration(text: string): void {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (error) {
    if (error instanceof DurationError) throw new CliError(`--duration ${error.message}; ${error.fix}, e.g. --duration 30s`);
    throw error;
  }
  if (ms <= 0) throw new CliError('--duration must be longer than 0s, e.g. --duration 30s');
  if (ms > MAX_RUN_MS) throw new CliError(`--duration ${text} is longer than a run may last (${MAX_RUN_MS / 60_000}m); shorten it`);
}

function wholeNumber(flag: string, text: string, max: number, unit: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new CliError(`${flag} must be a whole number of ${unit} from 1 (got "${text}"), e.g. ${flag} 10`);
  }
  if (value > max) throw new CliError(`${flag} ${value} is more than the ${max} ${unit} a run may use; lower it, or shard the load (--shard i/n on several machines)`);
  return value;
}
