/**
 * A load profile after parsing and validation: durations in milliseconds, names resolved,
 * defaults applied. Everything downstream (plan, engine, hash) takes this and never raw YAML.
 */

import type { CapacityPlan } from './capacity-config.js';
import type { MetricsConfig } from './metrics-config.js';
import type { RegressionSettings } from './regression-config.js';
import type { ThresholdExpression, ThresholdSelector } from '../threshold/threshold-expression.js';

/** The request methods and executors a profile may name. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const EXECUTORS = ['constant-vus', 'ramping-vus', 'constant-arrival-rate', 'ramping-arrival-rate', 'shared-iterations', 'per-vu-iterations'] as const;

export interface Stage {
  durationMs: number;
  /** VUs (ramping-vus) or iterations per `timeUnit` (ramping-arrival-rate) at the end of the stage. */
  target: number;
}

export type ExecutorSpec =
  | { type: 'constant-vus'; vus: number; durationMs: number }
  /** `iterations` in all, shared by `vus` looping VUs; the scenario ends when they are done or at `maxDurationMs`. */
  | { type: 'shared-iterations'; vus: number; iterations: number; maxDurationMs: number }
  /** `iterations` for each of `vus` looping VUs; the scenario ends when they are done or at `maxDurationMs`. */
  | { type: 'per-vu-iterations'; vus: number; iterations: number; maxDurationMs: number }
  | { type: 'ramping-vus'; startVUs: number; stages: Stage[]; gracefulRampDownMs: number }
  | {
      type: 'constant-arrival-rate';
      rate: number;
      timeUnitMs: number;
      durationMs: number;
      preAllocatedVUs: number;
      maxVUs: number;
    }
  | {
      type: 'ramping-arrival-rate';
      startRate: number;
      timeUnitMs: number;
      stages: Stage[];
      preAllocatedVUs: number;
      maxVUs: number;
    };

export interface Scenario {
  name: string;
  executor: ExecutorSpec;
  /** Offset from the start of the run. */
  startTimeMs: number;
  /** How long in-flight iterations may finish after the scenario's end (k6 default 30 s). */
  gracefulStopMs: number;
  /** Names of the journeys this scenario picks from, by weight (every journey unless listed). */
  journeys: string[];
}

/** Think time after a step: fixed when min == max, else uniform in [min, max]. */
export interface Think {
  minMs: number;
  maxMs: number;
}

export type Body = { kind: 'json'; value: unknown } | { kind: 'text'; value: string };

/** How a check compares what it reads: present at all, equal, containing, or a number's order. */
export type CheckOperator = 'exists' | 'missing' | 'equals' | 'contains' | 'gt' | 'gte' | 'lt' | 'lte';

/**
 * A named assertion on a response (k6's `check()`): counted in the `checks` metric, never a failed
 * request. A request that got no response fails every check of its step.
 */
export type Check =
  | { name: string; kind: 'status'; statuses: number[] }
  | { name: string; kind: 'header'; header: string; op: 'exists' | 'missing' | 'equals' | 'contains'; value?: string }
  | { name: string; kind: 'body'; contains: string }
  | { name: string; kind: 'json'; path: string; op: CheckOperator; value?: unknown };

/**
 * Where a capture takes its value from the response: a JSONPath into the JSON body (written as a
 * string, as before), the first value of a response header (`{ header: x-csrf-token }`, its name
 * lower-cased), or the first group of a regular expression over the body as text (`{ regex: 'id=(\\d+)' }`).
 */
export type Capture = string | { header: string } | { regex: string };

export interface Step {
  /** Unique within its journey; steps of the same name in different journeys share statistics. */
  name: string;
  /**
   * k6's `group()`: the group this step belongs to. A group is the consecutive steps of a journey
   * with the same group; its duration per iteration is k6's `group_duration`. Absent: none.
   */
  group?: string;
  method: string;
  /** Path and query relative to the target, may hold `{{ name }}` placeholders. */
  path: string;
  /** The path as it may be shown, each part from the environment as `***`; absent when it holds none. */
  shownPath?: string;
  headers: Record<string, string>;
  body?: Body;
  /** Accepted statuses; absent means any 2xx or 3xx (as k6). */
  expect?: number[];
  /** Variables captured from the response: name -> where from (a JSONPath, a header, a pattern). Each is also the check `capture NAME`. */
  capture: Record<string, Capture>;
  /** Named assertions on the response; absent: none. */
  checks?: Check[];
  think?: Think;
  timeoutMs: number;
  /**
   * Once per VU (`once: true`): the step runs in a VU's iterations until it has succeeded once,
   * then is skipped; what it captured stays with the VU for all its later iterations.
   */
  once?: boolean;
  /** Where the step was written; kept for setup and teardown steps, whose failure names it. */
  location?: SourceLocation;
  /** `cookies: false`: this step neither sends the VU's cookies nor keeps those its response sets. Absent: the profile's choice. */
  cookies?: false;
}

export interface Journey {
  name: string;
  weight: number;
  steps: Step[];
}

/** Where a YAML node came from, for messages and check-run annotations. */
/** A threshold as the profile writes it: a metric selector and its k6-syntax expressions. */
export interface WrittenThreshold {
  metric: string;
  expressions: string[];
  /**
   * The expressions (by index) written in k6's object form with `abortOnFail: true`: checked
   * while the load runs, from `delayAbortEvalMs` after the warm-up on, and the run stops when
   * one is broken. Absent: none.
   */
  abortOnFail?: Array<{ expression: number; delayAbortEvalMs: number }>;
  location?: SourceLocation;
}

/** A threshold of a built profile: as written, with its selector and every expression parsed (once, in config). */
export interface ProfileThreshold extends WrittenThreshold {
  selector: ThresholdSelector;
  /** One per expression, in order. */
  parsed: ThresholdExpression[];
}

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** How each iteration picks its row of a data set: the next one (all VUs in turn), its VU's own, or any. */
export type DataPick = 'round-robin' | 'per-vu' | 'random';

/** Values read once from a CSV or JSON file next to the profile; `{{ name.column }}` in steps. */
export interface DataSet {
  name: string;
  /** As written in the profile (relative to its folder). */
  file: string;
  pick: DataPick;
  columns: string[];
  /** Values as text, one row per entry, in the columns' order. */
  rows: string[][];
}

/** CA certificates read from the profile's `tlsCaFile`. */
export interface TlsCa {
  /** As written in the profile (relative to its folder). */
  file: string;
  /** Each certificate of the file, PEM. */
  certificates: string[];
}

export interface Profile {
  /** Profile id: `name` from the file, else the file's base name without extension. */
  id: string;
  file: string;
  /** Origin and optional base path, without a trailing slash: `http://127.0.0.1:3000/api`. */
  target: string;
  /**
   * How `of` (the target) may be shown when it holds values from the environment
   * (`https://api.example.com/***`); read it through `shownTarget(profile)`, which shows a
   * target put in its place (paired mode's base) as it is. Absent: nothing to hide.
   */
  targetShown?: { of: string; shown: string };
  headers: Record<string, string>;
  timeoutMs: number;
  /** The largest response body kept for a capture (`defaults.maxCaptureBody`); beyond it the capture fails. */
  maxCaptureBodyBytes: number;
  warmupMs: number;
  blockMs: number;
  scenarios: Scenario[];
  /**
   * Steps run once, in order, before the load (k6's `setup()`): what they capture every iteration
   * can read. Measured apart from the load, in no statistic the gate uses. Absent: none.
   */
  setup?: Step[];
  /**
   * Steps run once, in order, after the load (k6's `teardown()`): they read what the setup
   * captured. Measured apart from the load and from the setup. Absent: none.
   */
  teardown?: Step[];
  /**
   * `cookies: false`: no VU keeps a cookie jar. Absent: each VU keeps one (as k6), for its whole
   * life: `Set-Cookie` of a response is stored and sent on the VU's later requests that match it.
   */
  cookies?: false;
  /**
   * `noCookiesReset: false` (k6's default): each VU's jar is emptied as each of its iterations
   * starts. Absent: the jar lasts the VU's life (k6's `noCookiesReset: true`), so a `once: true`
   * login keeps its session.
   */
  cookiesPerIteration?: true;
  /** Data sets read from files; absent: none. */
  data?: DataSet[];
  journeys: Journey[];
  /** k6-syntax absolute SLOs: metric selector -> expressions, as written and parsed, with their config line. */
  thresholds: ProfileThreshold[];
  /** The relative gate (`regression:`), typed. */
  regression: RegressionSettings;
  /** Capacity planning (`capacity:`): the load to serve and the headroom to keep; read by the analysis of a rising load. Absent: none. */
  capacity?: CapacityPlan;
  /** The target's own metrics (`metrics:`), scraped beside the load (src/run/metrics-scrape.ts). Absent: none. */
  metrics?: MetricsConfig;
  /**
   * k6's `insecureSkipTLSVerify`: the load (and the check before it) accepts any certificate of
   * the target, for self-signed previews. Absent: certificates are verified.
   */
  insecureSkipTLSVerify?: true;
  /**
   * `tlsCaFile`: CA certificates the load (and the check before it) trusts besides Node.js's own
   * and `NODE_EXTRA_CA_CERTS`, for a target signed by an internal CA. Absent: none.
   */
  tlsCa?: TlsCa;
  /**
   * The seed of the run's random choices (journeys, think times, `pick: random` rows, template
   * helpers); `--seed` overrides it. Absent: each run draws a fresh one and records it.
   */
  seed?: number;
  /**
   * Every value the profile took from the environment into a text field (headers, paths, bodies,
   * the target...): each is a secret, masked in the Action's log (`setSecret`) and wherever shown.
   */
  secrets: string[];
}
