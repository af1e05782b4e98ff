import type { FieldPath } from './config-error.js';
import type { RawDataSet } from './data-files.js';
import type { EXECUTORS } from './profile-types.js';

/**
 * The profile file as the JSON schema accepted it, before anything is checked across fields or
 * given its default: what the builders (build-profile.ts, scenario-config.ts, step-config.ts)
 * read and turn into the typed Profile.
 */

/** The file's shape once the schema has accepted it (defaults not yet applied). */
export interface RawProfile {
  name?: string;
  target?: string;
  defaults?: { timeout?: string; headers?: Record<string, string>; maxCaptureBody?: string | number };
  warmup?: string;
  block?: string;
  scenarios?: Record<string, RawScenario>;
  /** k6's options shortcut: one scenario, named `default`, when there is no `scenarios`. */
  vus?: number;
  duration?: string;
  stages?: Array<{ duration: string; target: number }>;
  iterations?: number;
  setup?: { steps: RawStep[] };
  teardown?: { steps: RawStep[] };
  cookies?: boolean;
  noCookiesReset?: boolean;
  data?: Record<string, RawDataSet>;
  insecureSkipTLSVerify?: boolean;
  tlsCaFile?: string;
  seed?: number;
  journeys: Record<string, RawJourney>;
  thresholds?: Record<string, RawThreshold[]>;
  regression?: Record<string, unknown>;
  capacity?: Record<string, unknown>;
  metrics?: { url: string; interval?: string; series?: string[] };
}

/** A threshold expression, or k6's object form of one. */
export type RawThreshold = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

export interface RawScenario {
  executor: (typeof EXECUTORS)[number];
  startTime?: string;
  gracefulStop?: string;
  journeys?: string[];
  vus?: number;
  duration?: string;
  startVUs?: number;
  stages?: Array<{ duration: string; target: number }>;
  gracefulRampDown?: string;
  rate?: number;
  startRate?: number;
  timeUnit?: string;
  preAllocatedVUs?: number;
  maxVUs?: number;
  iterations?: number;
  maxDuration?: string;
  exec?: string;
}

export interface RawJourney {
  weight?: number;
  steps: RawStep[];
}

export interface RawStep {
  name?: string;
  group?: string;
  request: string;
  headers?: Record<string, string>;
  body?: unknown;
  expect?: number | number[];
  capture?: Record<string, RawCapture>;
  cookies?: boolean;
  think?: string;
  timeout?: string;
  once?: boolean;
  checks?: Record<string, RawCheck>;
}

/** A JSONPath, or a mapping naming a header or a pattern (capture-config.ts checks that it names one). */
export type RawCapture = string | { header?: string; regex?: string };

export interface RawCheck {
  status?: number | number[];
  header?: string;
  bodyContains?: string;
  json?: string;
  equals?: unknown;
  contains?: string | number | boolean;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  exists?: boolean;
}

/** A string field as it may be shown (its parts from the environment as `***`); undefined when it holds none. */
export type ShownAt = (path: FieldPath) => string | undefined;
