import { closest } from '../config/did-you-mean.js';
import { parseDuration } from '../config/duration.js';
import { MAX_SEED } from '../engine/iteration-random.js';
import { parseShard, parseStartAt, type Shard } from '../plan/shard.js';
import { InputError, showValue } from './input-error.js';
import { withoutCredentials } from '../config/shown-values.js';
import { FAIL_ON, type FailOn } from '../compare/gate-rule.js';
import { parseResultsInputs, type ResultsInput } from './results-input.js';
export { FAIL_ON, type FailOn };

/**
 * The Action's inputs (action.yml), read once into a typed config. Parsing is pure: it takes a
 * `getInput(name)` function, so the Action passes @actions/core's and tests pass a map. An empty
 * string means "not given" (what @actions/core returns for a missing input). A bad value throws an
 * InputError at once, naming the input, the value and what is allowed; nothing is coerced.
 */

export const INPUT_NAMES = [
  'config',
  'target-url',
  'wait-timeout',
  'mode',
  'baseline-storage',
  'baseline-file',
  'history',
  'baseline-reset',
  'threshold',
  'alpha',
  'fail-on',
  'comment',
  'check',
  'github-token',
  'shard',
  'shard-start',
  'allowed-hosts',
  'baseline-url',
  'fixed',
  'max-duration',
  'seed',
  'fork-verdict',
  'results',
  'results-format',
  'results-profile',
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

/**
 * What an input means when it is empty: the same text as its `default:` in action.yml (a test
 * keeps them equal). Inputs missing here have no default. `threshold` and `alpha` have none on
 * purpose: when not given, the config's `regression` block (else 10 and 0.05) decides, and a
 * default here would silently override it. `github-token`'s default is an expression the runner
 * fills in, so an empty token means "none".
 */
export const INPUT_DEFAULTS = {
  config: 'tailgate.yml',
  'wait-timeout': '300',
  mode: 'auto',
  'baseline-storage': 'auto',
  history: '10',
  'baseline-reset': 'false',
  'fail-on': 'regression',
  comment: 'always',
  check: 'true',
  'fork-verdict': 'neutral',
  fixed: 'false',
  'results-format': 'auto',
} as const satisfies Partial<Record<InputName, string>>;

export const MODES = ['auto', 'compare', 'baseline', 'report', 'merge'] as const;
export const BASELINE_STORAGES = ['auto', 'cache', 'artifact', 'file'] as const;

export const COMMENT_POLICIES = ['always', 'on-change', 'never'] as const;
/** mode: report: a fork's verdict as a neutral check (it was measured by the fork's own run), or as the check's conclusion. */
export const FORK_VERDICTS = ['neutral', 'enforce'] as const;

export type Mode = (typeof MODES)[number];
export type CommentPolicy = (typeof COMMENT_POLICIES)[number];
export type ForkVerdict = (typeof FORK_VERDICTS)[number];

/** Where baselines live. `file` carries its path: the one input that needs another. */
export type BaselineStorage = { kind: 'auto' | 'cache' | 'artifact' } | { kind: 'file'; file: string };

export const LIMITS = {
  waitTimeoutSeconds: { min: 0, max: 3600 },
  history: { min: 1, max: 100 },
} as const;

export interface ActionInputs {
  /** Path of the load profile. */
  configPath: string;
  /** Overrides the config's `target` and a deployment's URL; undefined when not given. */
  targetUrl: string | undefined;
  /** How long to poll the target until it answers before giving up; 0 means try once. */
  waitTimeoutMs: number;
  mode: Mode;
  baselineStorage: BaselineStorage;
  /** How many default-branch runs the baseline keeps. */
  history: number;
  /** On a push to the default branch: replace the stored baseline with this run alone (`baseline-reset`). */
  baselineReset: boolean;
  /** Allowed p95 increase and throughput decrease in percent; undefined: the config's, else 10. */
  thresholdPct: number | undefined;
  /** Accepted chance of failing when nothing changed; undefined: the config's, else 0.05. */
  alpha: number | undefined;
  failOn: FailOn;
  comment: CommentPolicy;
  /** Create a check run with the verdict. */
  check: boolean;
  /** Undefined when empty: reporting to GitHub is then skipped with a warning. */
  githubToken: string | undefined;
  /** This job's share of a sharded run; undefined when the load is not split. */
  shard: Shard | undefined;
  /** When every shard of the load starts (`shard-start`); undefined: each at once. Only with `shard`. */
  shardStart: Date | undefined;
  /**
   * Hosts besides the profile's target's that load may go to, lower-cased (`host`, `host:port`,
   * `*.example.com`): a URL from the event (a deployment's) is loaded only when one allows it.
   */
  allowedHosts: string[];
  /**
   * Paired mode: the base target, measured in the same job as the target (head) in alternating
   * blocks; no stored baseline is read or recorded. Undefined when not given.
   */
  baselineUrl: string | undefined;
  /**
   * The seed of the run's random choices (journeys, think times, data rows, template helpers;
   * in paired mode too), as the CLI's `--seed`: before the profile's
   * `seed`; undefined: the profile's, else a fresh one (printed and recorded).
   */
  seed: number | undefined;
  /**
   * mode: report: the check run of a fork's report concludes `neutral` (the default; the verdict
   * is the fork's own run's, posted as reported), or, with `enforce`, as that run concluded.
   */
  forkVerdict: ForkVerdict;
  /** Paired mode: run the profile's whole duration instead of stopping once the verdict is decided (`fixed`). */
  fixed: boolean;
  /** Paired mode: the most a run may take, ms, when shorter than the profile (`max-duration`); undefined: the profile's. */
  maxDurationMs: number | undefined;
  /** Another tool's results file, imported instead of running the profile's load (`results`); undefined: tailgate loads. */
  results: ResultsInput | undefined;
}

export function parseActionInputs(getInput: (name: string) => string): ActionInputs {
  const raw = readAll(getInput);
  const storageKind = oneOf(raw, 'baseline-storage', BASELINE_STORAGES);
  const mode = oneOf(raw, 'mode', MODES);
  return {
    configPath: raw.config,
    targetUrl: targetUrl(raw['target-url']),
    waitTimeoutMs: waitTimeoutMs(raw['wait-timeout']),
    mode,
    baselineStorage: baselineStorage(storageKind, raw['baseline-file']),
    history: wholeNumber(raw, 'history', LIMITS.history),
    baselineReset: strictBoolean(raw, 'baseline-reset'),
    thresholdPct: raw.threshold === '' ? undefined : thresholdPct(raw.threshold),
    alpha: raw.alpha === '' ? undefined : alpha(raw.alpha),
    failOn: oneOf(raw, 'fail-on', FAIL_ON),
    comment: oneOf(raw, 'comment', COMMENT_POLICIES),
    check: strictBoolean(raw, 'check'),
    githubToken: raw['github-token'] === '' ? undefined : raw['github-token'],
    shard: raw.shard === '' ? undefined : shard(raw.shard, mode),
    shardStart: raw['shard-start'] === '' ? undefined : shardStart(raw['shard-start'], raw.shard),
    allowedHosts: allowedHosts(raw['allowed-hosts']),
    baselineUrl: baselineUrl(raw, mode),
    fixed: fixed(raw),
    maxDurationMs: maxDurationMs(raw),
    seed: raw.seed === '' ? undefined : seed(raw.seed),
    forkVerdict: forkVerdict(raw, mode),
    results: parseResultsInputs(raw),
  };
}

/** `fixed`, a paired run's whole length: only with baseline-url, where a run may stop once decided. */
function fixed(raw: Record<InputName, string>): boolean {
  const value = strictBoolean(raw, 'fixed');
  if (value && raw['baseline-url'] === '') throw new InputError('fixed', 'keeps a paired run (baseline-url) to its whole length, and there is no baseline-url: remove fixed, or set baseline-url');
  return value;
}

/** `max-duration`, a paired run's most: whole seconds or a duration, only with baseline-url. */
function maxDurationMs(raw: Record<InputName, string>): number | undefined {
  const value = raw['max-duration'];
  if (value === '') return undefined;
  if (raw['baseline-url'] === '') throw new InputError('max-duration', 'limits a paired run (baseline-url), and there is no baseline-url: a run against a stored baseline must measure what its baseline runs did. Remove max-duration, or set baseline-url');
  let ms = Number.NaN;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    try {
      ms = parseDuration(value);
    } catch {
      // Refused below.
    }
  }
  if (!(ms > 0)) throw new InputError('max-duration', `must be a duration above 0, as whole seconds (45) or with units (45s, 2m) (got ${showValue(value)})`);
  return ms;
}

/** One of FORK_VERDICTS; `enforce` only where a fork's report is posted (mode: report). */
function forkVerdict(raw: Record<InputName, string>, mode: Mode): ForkVerdict {
  const value = oneOf(raw, 'fork-verdict', FORK_VERDICTS);
  if (value === 'enforce' && mode !== 'report') {
    throw new InputError('fork-verdict', `decides the check of a fork's report, which only mode: report posts (got enforce with mode: ${mode}): set mode: report, or remove fork-verdict`);
  }
  return value;
}

/** The same rule as `--seed`: a whole number a record keeps exactly, 0 to 4294967295. */
function seed(value: string): number {
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= 0 && number <= MAX_SEED)) throw new InputError('seed', `must be a whole number from 0 to ${MAX_SEED}, like 42 (got ${showValue(value)})`);
  return number;
}

/** The same rule as target-url; paired mode measures, so it goes with neither shards nor a mode that does not measure both. */
function baselineUrl(raw: Record<InputName, string>, mode: Mode): string | undefined {
  const url = plainUrl('baseline-url', raw['baseline-url'], 'https://production.example.com');
  if (url === undefined) return undefined;
  if (raw.shard !== '') {
    throw new InputError('baseline-url', `compares two targets from one generator, and shard splits the load over jobs (got shard ${showValue(raw.shard)}): remove shard, or remove baseline-url`);
  }
  if (mode === 'merge' || mode === 'report' || mode === 'baseline') {
    throw new InputError('baseline-url', `runs a paired comparison, which mode: ${mode} does not (got ${showValue(url)}): use mode: auto or compare, or remove baseline-url`);
  }
  return url;
}

/** Every input read exactly once, trimmed, with its default applied when empty. */
function readAll(getInput: (name: string) => string): Record<InputName, string> {
  const defaults: Partial<Record<InputName, string>> = INPUT_DEFAULTS;
  const entries = INPUT_NAMES.map((name) => {
    const given = getInput(name).trim();
    return [name, given === '' ? (defaults[name] ?? '') : given] as const;
  });
  return Object.fromEntries(entries) as Record<InputName, string>;
}

function oneOf<const T extends readonly string[]>(raw: Record<InputName, string>, name: InputName, allowed: T): T[number] {
  const value = raw[name];
  const match = allowed.find((option) => option === value);
  if (match !== undefined) return match;
  const guess = closest(value, allowed);
  throw new InputError(name, `must be one of ${allowed.join(', ')} (got ${showValue(value)})${guess ? `; did you mean ${guess}?` : ''}`);
}

/** `true` or `false` in any case; `yes`, `1` or `on` are refused, not guessed. */
function strictBoolean(raw: Record<InputName, string>, name: InputName): boolean {
  const value = raw[name].toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InputError(name, `must be true or false (got ${showValue(raw[name])})`);
}

function wholeNumber(raw: Record<InputName, string>, name: InputName, range: { min: number; max: number }): number {
  const value = raw[name];
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= range.min && number <= range.max)) {
    throw new InputError(name, `must be a whole number from ${range.min} to ${range.max} (got ${showValue(value)})`);
  }
  return number;
}

const DECIMAL = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

/** `10` or `10%`, more than 0 and less than 100. */
function thresholdPct(value: string): number {
  const number = DECIMAL.test(value.replace(/%$/, '')) ? Number(value.replace(/%$/, '')) : Number.NaN;
  if (!(number > 0 && number < 100)) {
    throw new InputError('threshold', `must be a percentage more than 0 and less than 100, like 10 or 10% (got ${showValue(value)})`);
  }
  return number;
}

function alpha(value: string): number {
  const number = DECIMAL.test(value) ? Number(value) : Number.NaN;
  if (!(number > 0 && number < 0.5)) {
    throw new InputError('alpha', `must be a number more than 0 and less than 0.5, like 0.05 (got ${showValue(value)})`);
  }
  return number;
}

/** Whole seconds (`300`) or a duration with units (`5m`, `90s`, `1m30s`), at most an hour. */
function waitTimeoutMs(value: string): number {
  const { min, max } = LIMITS.waitTimeoutSeconds;
  const problem = `must be from ${min} to ${max} seconds, as whole seconds (300) or a duration (5m, 90s, 1m30s) (got ${showValue(value)})`;
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    try {
      ms = parseDuration(value);
    } catch {
      throw new InputError('wait-timeout', problem);
    }
  }
  if (!(ms >= min * 1000 && ms <= max * 1000)) throw new InputError('wait-timeout', problem);
  return ms;
}

/** The same rule as the config's `target`; the profile loader normalizes it later. */
function targetUrl(value: string): string | undefined {
  return plainUrl('target-url', value, 'https://preview.example.com');
}

function plainUrl(name: InputName, value: string, example: string): string | undefined {
  if (value === '') return undefined;
  const url = URL.parse(value);
  const plain =
    url !== null &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.hostname !== '' &&
    url.username === '' &&
    url.password === '' &&
    !value.includes('?') &&
    !value.includes('#');
  if (!plain) {
    // Never echo a password: the URL is shown with its credentials as ***.
    throw new InputError(name, `must be an http or https URL with an optional base path and no query, fragment or credentials, like ${example} (got ${showValue(withoutCredentials(value))})`);
  }
  return value;
}

function baselineStorage(kind: (typeof BASELINE_STORAGES)[number], file: string): BaselineStorage {
  if (kind === 'file') {
    if (file === '') {
      throw new InputError('baseline-file', 'is required when baseline-storage is file (got nothing): give the path of the baseline JSON, like .tailgate/baseline.json');
    }
    return { kind, file };
  }
  if (file !== '') {
    throw new InputError('baseline-file', `is used only when baseline-storage is file (baseline-storage is ${kind}, got ${showValue(file)}): set baseline-storage: file, or remove baseline-file`);
  }
  return { kind };
}

function shard(value: string, mode: Mode): Shard {
  const parsed = parseShard(value);
  if (parsed instanceof Error) throw new InputError('shard', `must be i/n with 1 <= i <= n, like 2/4 (got ${showValue(value)})`);
  if (mode === 'merge' || mode === 'report') {
    throw new InputError('shard', `measures a share of the load, and mode: ${mode} measures nothing (got ${showValue(value)}): set shard only on the matrix jobs, and mode: merge on the job after them`);
  }
  return parsed;
}

/** `shard-start`: the time every shard job starts its load, so that their shares run together. */
function shardStart(value: string, shardValue: string): Date {
  const parsed = parseStartAt(value);
  if (parsed instanceof Error) throw new InputError('shard-start', parsed.message.replace(/ \(got .*\)$/s, ` (got ${showValue(value)})`));
  if (shardValue === '') throw new InputError('shard-start', `starts the shards of a split load together, and this job is no shard (got ${showValue(value)}): set shard: i/n too, or remove shard-start`);
  return parsed;
}

const HOST_NAME = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;

/** Comma- or newline-separated `host`, `host:port` or `*.host` entries (no scheme, no path). */
function allowedHosts(value: string): string[] {
  const entries = value
    .split(/[,\n]/)
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    const match = /^(.*?)(?::(\d{1,5}))?$/.exec(entry);
    const host = match?.[1] ?? '';
    const port = match?.[2];
    // A pattern names a domain of its own (*.example.com), never every name under a top-level one (*.com).
    const hostOk = (HOST_NAME.test(host) && !/^\*\.[^.]*$/.test(host)) || IPV6.test(host);
    const portOk = port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
    if (!hostOk || !portOk) {
      throw new InputError(
        'allowed-hosts',
        `must list host names, host:port or *.domain, separated by commas or new lines, like preview.example.com, *.previews.example.com, 127.0.0.1:8443 (got ${showValue(withoutCredentials(entry))})`,
      );
    }
  }
  return entries;
}
