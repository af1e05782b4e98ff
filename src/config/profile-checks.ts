import { basename, extname } from 'node:path';
import { parseHelper, isHelperCall } from '../plan/template-helpers.js';
import { compileTemplate, placeholderTexts } from '../plan/template.js';
import { lastKey, type FieldPath } from './config-error.js';
import { captureBodyLimit } from './capture-body-limit.js';
import { dataReferenceProblem, readDataFileFromDisk, readDataSets, type RawDataSet, type ReadDataFile } from './data-files.js';
import { closest } from './did-you-mean.js';
import { DurationError, formatDuration, parseDuration, parseThink } from './duration.js';
import { echo, echoPlain } from './echo.js';
import { jsonPathProblem } from './jsonpath-syntax.js';
import { executorDurationMs, peakOfRamp, peakVus, stagesDurationMs } from './load-extent.js';
import type { Problems } from './problems.js';
import type { Body, Check, DataSet, EXECUTORS, ExecutorSpec, Journey, Profile, ProfileThreshold, Scenario, Stage, Step } from './profile-types.js';
import { checkReservedNames } from './reserved-names.js';
import { checkStepNames, profileStepNames, type StepNames } from './step-names.js';
import { parseExpression, parseSelector, selectorName, ThresholdError, type SelectorTag } from '../threshold/threshold-expression.js';
import { regressionOptions } from './regression-config.js';
import { capacityPlan } from './capacity-config.js';
import { readTlsCaFile } from './tls-ca-file.js';
import { hasCredentials, withoutCredentials } from './shown-values.js';
import { ALLOWED_BY_TITLE } from './schema-errors.js';

/**
 * What the schema cannot say: cross-field checks (journeys and steps named elsewhere, captures
 * used before they are made, hard caps on load and run length), then the typed Profile with
 * durations in milliseconds and defaults applied.
 */

/** Hard caps: a profile asking for more is refused, whatever the runner could do. */
export const MAX_RUN_MS = 3_600_000;
export const MAX_VUS = 10_000;
export const MAX_RATE_PER_SECOND = 100_000;

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_BLOCK_MS = 1_000;
export const DEFAULT_GRACEFUL_MS = 30_000;
/** k6's default `maxDuration` of the iteration executors. */
export const DEFAULT_MAX_DURATION_MS = 600_000;
/** The scenario k6's options shortcut makes. */
export const SHORTCUT_SCENARIO = 'default';

const PROFILE_ID = /^[A-Za-z0-9._-]+$/;

/** Where the profile came from: the file's name, and the target given outside it, if any. */
export interface ProfileOrigin {
  file: string;
  target?: string;
  /** Reads the profile's data files (default: from disk, relative to `file`'s folder). */
  readDataFile?: ReadDataFile;
}

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
  data?: Record<string, RawDataSet>;
  insecureSkipTLSVerify?: boolean;
  tlsCaFile?: string;
  seed?: number;
  journeys: Record<string, RawJourney>;
  thresholds?: Record<string, RawThreshold[]>;
  regression?: Record<string, unknown>;
  capacity?: Record<string, unknown>;
}

/** A threshold expression, or k6's object form of one. */
type RawThreshold = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

interface RawScenario {
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

interface RawJourney {
  weight?: number;
  steps: RawStep[];
}

interface RawStep {
  name?: string;
  request: string;
  headers?: Record<string, string>;
  body?: unknown;
  expect?: number | number[];
  capture?: Record<string, string>;
  think?: string;
  timeout?: string;
  once?: boolean;
  checks?: Record<string, RawCheck>;
}

interface RawCheck {
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

export function buildProfile(raw: RawProfile, options: ProfileOrigin, secrets: string[], shownAt: ShownAt, problems: Problems): Profile {
  checkReservedNames(raw, problems);
  const durations = new Durations(problems);
  const timeoutMs = durations.positive(['defaults', 'timeout'], raw.defaults?.timeout, DEFAULT_TIMEOUT_MS);
  const data = readDataSets(raw.data ?? {}, options.file, options.readDataFile ?? readDataFileFromDisk, problems);
  const tlsCa = readTlsCaFile(raw.tlsCaFile, raw.insecureSkipTLSVerify === true, options.file, options.readDataFile ?? readDataFileFromDisk, problems);
  const setup = buildSetup(raw.setup?.steps ?? [], data, timeoutMs, durations, shownAt, problems);
  const setupCaptures = new Set(setup.flatMap((step) => Object.keys(step.capture)));
  const journeys = Object.entries(raw.journeys).map(([name, journey]) => buildJourney(name, journey, setupCaptures, data, timeoutMs, durations, shownAt, problems));
  const scenarios =
    raw.scenarios === undefined
      ? shortcutScenarios(raw, durations, problems)
      : (refuseShortcut(raw, problems), Object.entries(raw.scenarios).map(([name, scenario]) => buildScenario(['scenarios', name], name, scenario, raw, durations, problems)));
  const warmupMs = durations.at(['warmup'], raw.warmup, 0);
  const steps = profileStepNames(journeys, setup);
  checkRunLength(scenarios, warmupMs, raw.scenarios === undefined, problems);
  const target = resolveTarget(raw, options, problems);
  const targetShown = options.target === undefined ? shownAt(['target']) : undefined;
  return {
    id: profileId(raw, options.file, problems),
    file: options.file,
    target,
    // The file's target with its parts from the environment hidden, as written (`https://api.example.com/***`).
    ...(targetShown !== undefined ? { targetShown: { of: target, shown: targetShown.trim().replace(/\/+$/, '') } } : {}),
    headers: raw.defaults?.headers ?? {},
    timeoutMs,
    maxCaptureBodyBytes: captureBodyLimit(raw.defaults?.maxCaptureBody, problems),
    warmupMs,
    blockMs: blockLength(durations, raw.block, problems),
    scenarios,
    ...(setup.length > 0 ? { setup } : {}),
    ...(data.length > 0 ? { data } : {}),
    ...(raw.insecureSkipTLSVerify === true ? { insecureSkipTLSVerify: true as const } : {}),
    ...(tlsCa ? { tlsCa } : {}),
    ...(raw.seed !== undefined ? { seed: raw.seed } : {}),
    journeys,
    thresholds: buildThresholds(raw.thresholds ?? {}, steps, journeys, scenarios, durations, problems),
    regression: regressionOptions(raw.regression ?? {}, steps.journeys, (key, message, fix) => problems.add(['regression', key], message, fix)),
    ...capacityField(raw.capacity, problems),
    secrets,
  };
}

function capacityField(raw: Record<string, unknown> | undefined, problems: Problems): Pick<Profile, 'capacity'> {
  if (raw === undefined) return {};
  const plan = capacityPlan(raw, (key, message, fix) => problems.add(['capacity', key], message, fix));
  return plan ? { capacity: plan } : {};
}

/** Records keep at most 4000 blocks (see the run record schema): 1 s blocks cover the 1-hour cap. */
const MIN_BLOCK_MS = 1_000;

function blockLength(durations: Durations, text: string | undefined, problems: Problems): number {
  const ms = durations.positive(['block'], text, DEFAULT_BLOCK_MS);
  if (ms > 0 && ms < MIN_BLOCK_MS) {
    problems.add(['block'], `must be at least 1s (a run record keeps at most 4000 blocks, and the comparison merges blocks as it needs)`, 'write block: 1s, or leave it out');
    return MIN_BLOCK_MS;
  }
  return ms;
}

/** Durations of the (schema-checked) file, with problems reported at their field. */
class Durations {
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

function profileId(raw: RawProfile, file: string, problems: Problems): string {
  if (raw.name !== undefined) return raw.name;
  const id = basename(file, extname(file));
  if (!PROFILE_ID.test(id)) {
    problems.addOutside(
      '',
      `the profile id comes from the file name and must be ${ALLOWED_BY_TITLE['profile id']} (got ${echo(id)})`,
      `add name: ${id.replace(/[^A-Za-z0-9._-]+/g, '-')}`,
    );
  }
  return id;
}

function resolveTarget(raw: RawProfile, options: ProfileOrigin, problems: Problems): string {
  const allowed = 'an http or https URL with an optional base path and no query or fragment, e.g. http://127.0.0.1:3000';
  if (options.target !== undefined) {
    const target = normalizeTarget(options.target);
    if (target === undefined) {
      const credentials = hasCredentials(options.target) ? ' and no user name or password (pass those in a header: defaults.headers.authorization)' : '';
      problems.addOutside('target (from --target or the target-url input)', `must be ${allowed}${credentials} (got ${echo(withoutCredentials(options.target))})`, 'pass a URL such as https://preview.example.com');
    }
    return target ?? '';
  }
  if (raw.target === undefined) {
    problems.add(['target'], 'is missing', 'add target: ${TARGET_URL} to the file, or pass --target / the target-url input', { path: [] });
    return '';
  }
  const target = normalizeTarget(raw.target);
  if (target === undefined) problems.add(['target'], `must be ${allowed} (got ${echo(withoutCredentials(raw.target))})`, 'write target: https://preview.example.com');
  return target ?? '';
}

/** `https://host:8080/api/` -> `https://host:8080/api`; undefined for anything but a plain http(s) URL. */
function normalizeTarget(text: string): string | undefined {
  const url = URL.parse(text.trim());
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return undefined;
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

const SHORTCUT_FIELDS = ['vus', 'duration', 'stages', 'iterations'] as const;

/**
 * k6's options shortcut, read as k6 reads it, into one scenario named `default`: `stages` is
 * ramping-vus (starting at `vus`, default 1), `iterations` is shared-iterations over `vus` VUs
 * (within `duration`, default 10m), `duration` is constant-vus with `vus` (default 1).
 */
function shortcutScenarios(raw: RawProfile, durations: Durations, problems: Problems): Scenario[] {
  const written = SHORTCUT_FIELDS.filter((key) => raw[key] !== undefined);
  if (written.length === 0) {
    problems.add(['scenarios'], 'is missing', 'add scenarios: { browse: { executor: constant-vus, vus: 10, duration: 30s } }, or k6\'s shortcut vus: 10 and duration: 30s', { path: [] });
    return [];
  }
  let scenario: RawScenario;
  if (raw.stages !== undefined) {
    for (const other of ['duration', 'iterations'] as const) {
      if (raw[other] !== undefined) problems.add([other], `does not go with stages: the stages set the length of the run (as in k6)`, `remove ${other}:, or write scenarios: for more than one shape`, { part: 'key' });
    }
    scenario = { executor: 'ramping-vus', stages: raw.stages, ...(raw.vus !== undefined && { startVUs: raw.vus }) };
  } else if (raw.iterations !== undefined) {
    scenario = { executor: 'shared-iterations', iterations: raw.iterations, ...(raw.vus !== undefined && { vus: raw.vus }), ...(raw.duration !== undefined && { maxDuration: raw.duration }) };
  } else if (raw.duration !== undefined) {
    scenario = { executor: 'constant-vus', duration: raw.duration, ...(raw.vus !== undefined && { vus: raw.vus }) };
  } else {
    problems.add(['vus'], 'sets how many VUs but not for how long', 'add duration: 30s (VUs looping for that long) or iterations: 100 (that many iterations shared by the VUs)', { part: 'key' });
    return [];
  }
  // Fields keep the top-level names they were written under: `duration`, `stages[0].target`...
  const paths: Record<string, FieldPath> = { startVUs: ['vus'], maxDuration: ['duration'] };
  return [buildScenario([], SHORTCUT_SCENARIO, scenario, raw, durations, problems, paths)];
}

/** k6 refuses its shortcut beside `scenarios`, and so does tailgate. */
function refuseShortcut(raw: RawProfile, problems: Problems): void {
  for (const key of SHORTCUT_FIELDS) {
    if (raw[key] === undefined) continue;
    problems.add([key], `is k6's options shortcut, which makes a scenario of its own; it cannot go with scenarios:`, `move it into one of the scenarios (e.g. ${key}: under scenarios.<name>), or remove scenarios: and keep the shortcut`, { part: 'key' });
  }
}

function buildScenario(
  at: FieldPath,
  name: string,
  raw: RawScenario,
  profile: RawProfile,
  durations: Durations,
  problems: Problems,
  /** Where a field is written when not under `at` (k6's shortcut writes `vus` for startVUs). */
  paths: Record<string, FieldPath> = {},
): Scenario {
  const journeyNames = Object.keys(profile.journeys);
  const journeys = execJourneys(at, raw, journeyNames, problems);
  raw.journeys?.forEach((journey, i) => {
    if (journeyNames.includes(journey)) return;
    const guess = closest(journey, journeyNames);
    problems.add([...at, 'journeys', i], `no journey is named ${echo(journey)} (journeys: ${journeyNames.map(echoPlain).join(', ')})`, guess ? `did you mean ${echoPlain(guess)}?` : 'name one of the journeys defined under journeys:');
  });
  const executor = buildExecutor(at, raw, durations, problems, paths);
  checkCaps(at, executor, problems, paths);
  return {
    name,
    executor,
    startTimeMs: durations.at([...at, 'startTime'], raw.startTime, 0),
    gracefulStopMs: durations.at([...at, 'gracefulStop'], raw.gracefulStop, DEFAULT_GRACEFUL_MS),
    journeys: journeys ?? raw.journeys ?? journeyNames,
  };
}

/**
 * k6's `exec` names the function a scenario runs; here a scenario runs journeys, so `exec`
 * naming one journey means `journeys: [it]`. Anything else is refused with a pointer to journeys.
 */
function execJourneys(at: FieldPath, raw: RawScenario, journeyNames: readonly string[], problems: Problems): string[] | undefined {
  if (raw.exec === undefined) return undefined;
  if (raw.journeys !== undefined) {
    problems.add([...at, 'exec'], 'and journeys both say what the scenario runs', 'keep journeys: and remove exec:', { part: 'key' });
    return undefined;
  }
  if (journeyNames.includes(raw.exec)) return [raw.exec];
  const guess = closest(raw.exec, journeyNames);
  problems.add(
    [...at, 'exec'],
    `names no journey (${echo(raw.exec)}): in k6, exec names a JavaScript function; in tailgate a scenario runs journeys (journeys: ${journeyNames.map(echoPlain).join(', ')})`,
    guess ? `did you mean exec: ${echoPlain(guess)}? Or write journeys: [${echoPlain(guess)}]` : `write journeys: [${journeyNames.map(echoPlain).join(', ')}] with the journeys this scenario runs`,
  );
  return undefined;
}

function buildExecutor(at: FieldPath, raw: RawScenario, durations: Durations, problems: Problems, paths: Record<string, FieldPath> = {}): ExecutorSpec {
  const field = (name: string): FieldPath => paths[name] ?? [...at, name];
  const durationMs = () => durations.positive([...at, 'duration'], raw.duration, 0);
  const timeUnitMs = () => durations.positive([...at, 'timeUnit'], raw.timeUnit, 1000);
  const maxVUs = () => {
    const preAllocated = raw.preAllocatedVUs ?? 1;
    const max = raw.maxVUs ?? preAllocated;
    if (max < preAllocated) {
      const shownPreAllocated = problems.shownNumber([...at, 'preAllocatedVUs'], preAllocated);
      problems.add(
        [...at, 'maxVUs'],
        `must be at least preAllocatedVUs (${shownPreAllocated}), got ${problems.shownNumber([...at, raw.maxVUs === undefined ? 'preAllocatedVUs' : 'maxVUs'], max)}`,
        `write maxVUs: ${shownPreAllocated} or more, or lower preAllocatedVUs`,
      );
    }
    return max;
  };
  switch (raw.executor) {
    case 'constant-vus':
      return { type: raw.executor, vus: raw.vus ?? 1, durationMs: durationMs() };
    case 'shared-iterations':
    case 'per-vu-iterations': {
      const vus = raw.vus ?? 1;
      const iterations = raw.iterations ?? 1;
      if (raw.executor === 'shared-iterations' && iterations < vus) {
        problems.add(
          field('iterations'),
          `(${problems.shownNumber(field('iterations'), iterations)}) is less than vus (${problems.shownNumber(field('vus'), vus)}): shared iterations leave some VUs nothing to do (k6 refuses it too)`,
          'raise iterations to at least vus, or lower vus',
        );
      }
      return { type: raw.executor, vus, iterations, maxDurationMs: durations.positive(field('maxDuration'), raw.maxDuration, DEFAULT_MAX_DURATION_MS) };
    }
    case 'ramping-vus':
      return {
        type: raw.executor,
        startVUs: raw.startVUs ?? 1,
        stages: buildStages(at, raw, durations, problems),
        gracefulRampDownMs: durations.at([...at, 'gracefulRampDown'], raw.gracefulRampDown, DEFAULT_GRACEFUL_MS),
      };
    case 'constant-arrival-rate':
      return {
        type: raw.executor,
        rate: raw.rate ?? 1,
        timeUnitMs: timeUnitMs(),
        durationMs: durationMs(),
        preAllocatedVUs: raw.preAllocatedVUs ?? 1,
        maxVUs: maxVUs(),
      };
    case 'ramping-arrival-rate':
      return {
        type: raw.executor,
        startRate: raw.startRate ?? 0,
        timeUnitMs: timeUnitMs(),
        stages: buildStages(at, raw, durations, problems),
        preAllocatedVUs: raw.preAllocatedVUs ?? 1,
        maxVUs: maxVUs(),
      };
  }
}

function buildStages(at: FieldPath, raw: RawScenario, durations: Durations, problems: Problems): Stage[] {
  const stages = (raw.stages ?? []).map((stage, i) => ({
    durationMs: durations.at([...at, 'stages', i, 'duration'], stage.duration, 0),
    target: stage.target,
  }));
  if (stages.length > 0 && stagesDurationMs(stages) === 0) {
    problems.add([...at, 'stages'], 'last 0s in total', 'give at least one stage a duration, e.g. { duration: 30s, target: 20 }');
  }
  return stages;
}

function checkCaps(at: FieldPath, executor: ExecutorSpec, problems: Problems, paths: Record<string, FieldPath> = {}): void {
  const vus = peakVus(executor);
  const vusAt = paths[vus.field[0] as string] ?? [...at, ...vus.field];
  if (vus.value > MAX_VUS) {
    problems.add(vusAt, `asks for ${problems.shownNumber(vusAt, vus.value)} VUs; a scenario may use at most ${MAX_VUS}`, `write at most ${MAX_VUS}, or shard the load over several jobs (shard: i/n)`);
  }
  if (executor.type === 'constant-arrival-rate' || executor.type === 'ramping-arrival-rate') {
    const rate =
      executor.type === 'constant-arrival-rate'
        ? { value: executor.rate, field: ['rate'] }
        : peakOfRamp(executor.startRate, 'startRate', executor.stages);
    const perSecond = (rate.value * 1000) / executor.timeUnitMs;
    if (perSecond > MAX_RATE_PER_SECOND) {
      const variable = problems.environmentVariableOf([...at, ...rate.field]);
      // A rate from the environment is named, not shown: neither its value nor one computed from it.
      const asked = variable === undefined ? `${perSecond} iterations per second` : `more than ${MAX_RATE_PER_SECOND} iterations per second (\${${variable}} per ${formatDuration(executor.timeUnitMs)})`;
      problems.add([...at, ...rate.field], `asks for ${asked}; at most ${MAX_RATE_PER_SECOND} are allowed`, `lower it, or shard the load over several jobs (shard: i/n)`);
    }
  }
}

function checkRunLength(scenarios: readonly Scenario[], warmupMs: number, shortcut: boolean, problems: Problems): void {
  let longest: { scenario: Scenario; endMs: number } | undefined;
  for (const scenario of scenarios) {
    const endMs = scenario.startTimeMs + executorDurationMs(scenario.executor);
    if (longest === undefined || endMs > longest.endMs) longest = { scenario, endMs };
  }
  if (longest === undefined) return;
  const at = shortcut ? [] : ['scenarios', longest.scenario.name];
  if (longest.endMs > MAX_RUN_MS) {
    const executor = longest.scenario.executor;
    const field = 'stages' in executor ? 'stages' : 'maxDurationMs' in executor && !shortcut ? 'maxDuration' : 'duration';
    problems.add([...at, field], `makes the run last ${formatDuration(longest.endMs)} (startTime + ${field}); a run may last at most ${formatDuration(MAX_RUN_MS)}`, `shorten ${field} or startTime, or split the profile into several`);
  }
  if (warmupMs >= longest.endMs && longest.endMs > 0) {
    problems.add(['warmup'], `leaves nothing to measure: it is ${formatDuration(warmupMs)} and the run lasts ${formatDuration(longest.endMs)}`, `write a warmup shorter than the run, e.g. warmup: ${formatDuration(Math.floor(longest.endMs / 10))}`);
  }
}

/**
 * The setup steps (k6's `setup()`): run once before the load, in order; a step may use what an
 * earlier setup step captured. `once` has no meaning here (each runs once per run already).
 */
function buildSetup(raw: readonly RawStep[], data: readonly DataSet[], defaultTimeoutMs: number, durations: Durations, shownAt: ShownAt, problems: Problems): Step[] {
  const steps = buildSteps(['setup'], 'setup', raw, new Set(), data, defaultTimeoutMs, durations, shownAt, problems);
  raw.forEach((rawStep, i) => {
    const at = ['setup', 'steps', i];
    if (rawStep.checks !== undefined) problems.add([...at, 'checks'], 'are not counted in a setup step: a setup step either succeeds or stops the run', 'use expect: and capture: here (a failure stops the run before the load), or move the checks to a journey step', { part: 'key' });
    if (rawStep.once !== undefined) problems.add([...at, 'once'], 'has no meaning in a setup step: setup steps run once per run, before the load', 'remove once: here; write it on a journey step to run that step once per VU', { part: 'key' });
    const step = steps[i] as Step;
    const location = problems.locationOf(at, 'value');
    if (location) step.location = location;
  });
  return steps;
}

function buildJourney(
  name: string,
  raw: RawJourney,
  setupCaptures: ReadonlySet<string>,
  data: readonly DataSet[],
  defaultTimeoutMs: number,
  durations: Durations,
  shownAt: ShownAt,
  problems: Problems,
): Journey {
  const steps = buildSteps(['journeys', name], `journey ${echoPlain(name)}`, raw.steps, setupCaptures, data, defaultTimeoutMs, durations, shownAt, problems);
  if (steps.length > 0 && steps.every((step) => step.once)) {
    problems.add(['journeys', name, 'steps'], 'are all once: true, so after its first iteration a VU would have nothing to do in this journey', 'add a step that runs every iteration, or move these steps to setup: (once per run)');
  }
  return { name, weight: raw.weight ?? 1, steps };
}

/**
 * A journey's (or the setup's) steps, their names checked (step-names.ts), each `{{ var }}`
 * captured by an earlier step or by a setup step.
 */
function buildSteps(
  at: FieldPath,
  owner: string,
  raw: readonly RawStep[],
  setupCaptures: ReadonlySet<string>,
  data: readonly DataSet[],
  defaultTimeoutMs: number,
  durations: Durations,
  shownAt: ShownAt,
  problems: Problems,
): Step[] {
  const capturedAt = new Map<string, number>();
  raw.forEach((step, i) => {
    for (const variable of Object.keys(step.capture ?? {})) if (!capturedAt.has(variable)) capturedAt.set(variable, i);
  });
  const steps = raw.map((rawStep, i): Step => {
    const stepAt = [...at, 'steps', i];
    const step = buildStep(stepAt, rawStep, defaultTimeoutMs, durations, shownAt, problems);
    for (const use of placeholderUses(stepAt, rawStep)) {
      if (isHelperCall(use.variable)) {
        const helper = parseHelper(use.variable);
        if ('problem' in helper) problems.add(use.path, `{{ ${echoPlain(use.variable)} }}: ${helper.problem}`, helper.fix);
        continue;
      }
      if (setupCaptures.has(use.variable) || ITERATION_VARIABLES.includes(use.variable)) continue;
      if (use.variable.includes('.')) {
        const problem = dataReferenceProblem(use.variable, data);
        if (problem) problems.add(use.path, problem.message, problem.fix);
        continue;
      }
      const captured = capturedAt.get(use.variable);
      if (captured !== undefined && captured < i) continue;
      const message =
        captured === undefined
          ? `uses {{ ${echoPlain(use.variable)} }}, but no earlier step of ${owner} captures ${echoPlain(use.variable)}`
          : `uses {{ ${echoPlain(use.variable)} }}, which is only captured by steps[${captured}], not before this step`;
      const known = [...[...capturedAt].filter(([, at]) => at < i).map(([name]) => name), ...setupCaptures, ...ITERATION_VARIABLES];
      const meant = captured === undefined ? closest(use.variable, known) : undefined;
      const fix =
        meant !== undefined
          ? `did you mean {{ ${echoPlain(meant)} }}? (names are case-sensitive)`
          : captured === undefined
            ? `capture it in an earlier step, e.g. capture: { ${echoPlain(use.variable)}: "$.id" }`
            : 'move the step that captures it before this one';
      problems.add(use.path, message, fix);
    }
    return step;
  });
  checkStepNames(at, owner, raw, steps.map((step) => step.name), problems);
  return steps;
}

function buildStep(at: FieldPath, raw: RawStep, defaultTimeoutMs: number, durations: Durations, shownAt: ShownAt, problems: Problems): Step {
  const { method, path } = requestLine(raw.request);
  // What shows the step (its name, the plan) never shows a value from the environment: `GET /items?api_key=***`.
  const shownRequest = shownAt([...at, 'request']);
  const shownPath = shownRequest === undefined ? undefined : requestLine(shownRequest).path;
  const shownName = raw.name === undefined ? undefined : shownAt([...at, 'name']);
  if (/\s/.test(literalText(path))) {
    problems.add([...at, 'request'], `the path may not contain spaces outside {{ }} (got ${echo(raw.request)})`, 'encode spaces in the path as %20');
  }
  let think;
  if (raw.think !== undefined) {
    try {
      think = parseThink(raw.think);
    } catch (error) {
      if (!(error instanceof DurationError)) throw error;
      problems.add([...at, 'think'], error.echoed.message, error.echoed.fix);
    }
  }
  for (const variable of Object.keys(raw.capture ?? {}).filter((v) => ITERATION_VARIABLES.includes(v))) {
    problems.add([...at, 'capture', variable], `${variable} is set by tailgate for every iteration (k6's ${variable}), it cannot be captured`, 'capture into another name', { part: 'key' });
  }
  for (const [variable, jsonPath] of Object.entries(raw.capture ?? {})) {
    const problem = jsonPathProblem(jsonPath);
    if (problem) problems.add([...at, 'capture', variable], `is not a JSONPath: ${problem} (got ${echo(jsonPath)})`, 'write a path such as $.items[0].id or $.items[?(@.stock > 0)].id');
  }
  const checks = Object.entries(raw.checks ?? {}).flatMap(([name, check]) => buildCheck([...at, 'checks', name], name, check, problems) ?? []);
  const body: Body | undefined =
    raw.body === undefined ? undefined : typeof raw.body === 'string' ? { kind: 'text', value: raw.body } : { kind: 'json', value: raw.body };
  return {
    name: shownName ?? raw.name ?? `${method} ${shownPath ?? path}`.trim(),
    method,
    path,
    ...(shownPath !== undefined ? { shownPath } : {}),
    headers: raw.headers ?? {},
    ...(body && { body }),
    ...(raw.expect !== undefined && { expect: typeof raw.expect === 'number' ? [raw.expect] : raw.expect }),
    capture: raw.capture ?? {},
    ...(checks.length > 0 && { checks }),
    ...(think && { think }),
    timeoutMs: durations.positive([...at, 'timeout'], raw.timeout, defaultTimeoutMs),
    ...(raw.once === true && { once: true }),
  };
}

/** `GET /a b` -> method `GET`, path `/a b`. */
function requestLine(request: string): { method: string; path: string } {
  const line = request.trim();
  const method = line.split(/\s/, 1)[0] as string;
  return { method, path: line.slice(method.length).trim() };
}

/** k6's VU number (from 1) and the VU's iteration (from 0), set for every iteration. */
export const ITERATION_VARIABLES: readonly string[] = ['__VU', '__ITER'];

const CHECK_SUBJECTS = ['status', 'header', 'bodyContains', 'json'] as const;
const CHECK_OPERATORS = ['equals', 'contains', 'gt', 'gte', 'lt', 'lte', 'exists'] as const;

/** One check: exactly one subject, and at most one comparison that the subject allows. */
function buildCheck(at: FieldPath, name: string, raw: RawCheck, problems: Problems): Check | undefined {
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

/** `text` without its `{{ var }}` placeholders (a template's parts alternate text and names). */
function literalText(text: string): string {
  return compileTemplate(text)
    .parts.filter((_, i) => i % 2 === 0)
    .join('');
}

/** Every `{{ var }}` (or helper call) in a step's path, header values and body, with the field it sits in. */
function placeholderUses(at: FieldPath, step: RawStep): Array<{ variable: string; path: FieldPath }> {
  const uses: Array<{ variable: string; path: FieldPath }> = [];
  const scan = (value: unknown, path: FieldPath): void => {
    if (typeof value === 'string') for (const variable of placeholderTexts(value)) uses.push({ variable, path });
    else if (Array.isArray(value)) value.forEach((item, i) => scan(item, [...path, i]));
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) scan(item, [...path, key]);
  };
  scan(step.request, [...at, 'request']);
  scan(step.headers ?? {}, [...at, 'headers']);
  scan(step.body, [...at, 'body']);
  return uses;
}

/**
 * Threshold selectors name steps, scenarios and checks the profile has. A step name that only
 * the setup has selects that setup step: setup requests never gate unless a threshold names them.
 */
function buildThresholds(
  raw: Record<string, RawThreshold[]>,
  steps: StepNames,
  journeys: readonly Journey[],
  scenarios: readonly Scenario[],
  durations: Durations,
  problems: Problems,
): Profile['thresholds'] {
  const names: Record<string, string[]> = {
    step: [...new Set([...steps.journeys, ...steps.setup])],
    scenario: scenarios.map((scenario) => scenario.name),
    check: [...new Set(journeys.flatMap((journey) => journey.steps.flatMap((step) => [...(step.checks ?? []).map((check) => check.name), ...Object.keys(step.capture).map(captureCheckName)])))],
  };
  const which: Record<SelectorTag, string> = { step: 'no journey or setup has', scenario: 'is not a scenario of the profile', check: 'no step checks' };
  return Object.entries(raw).flatMap(([metric, written]) => {
    const at = ['thresholds', metric];
    const { expressions, abortOnFail } = thresholdRules(at, written, durations, problems);
    // The selector and expressions are parsed here, once, so their mistakes come with the profile's others.
    const parsed = parsedThreshold(at, metric, expressions, problems);
    if (parsed === undefined) return [];
    for (const key of ['step', 'scenario', 'check'] as const) {
      const value = parsed.selector[key];
      const known = names[key] as string[];
      if (value === null || known.includes(value)) continue;
      const guess = closest(value, known);
      const written = (name: string): string => echoPlain(selectorName(name));
      problems.add(at, `names ${key} ${echo(value)}, which ${which[key]}`, guess ? `did you mean {${key}:${written(guess)}}?` : known.length > 0 ? `use one of: ${known.map(written).join(', ')}` : `remove the {${key}:...} selector`, { part: 'key' });
    }
    const location = problems.locationOf(at, 'key');
    return [{ metric, expressions, ...(abortOnFail.length > 0 ? { abortOnFail } : {}), ...(location && { location }), ...parsed }];
  });
}

/** The threshold's selector and expressions parsed; undefined (and a problem) when either is not k6 syntax tailgate reads. */
function parsedThreshold(at: FieldPath, metric: string, expressions: readonly string[], problems: Problems): Pick<ProfileThreshold, 'selector' | 'parsed'> | undefined {
  try {
    const selector = parseSelector(metric);
    return { selector, parsed: expressions.map((expression) => parseExpression(selector, metric, expression)) };
  } catch (error) {
    if (!(error instanceof ThresholdError)) throw error;
    for (const problem of error.problems) problems.add(at, problem.message, problem.fix, { part: 'key' });
    return undefined;
  }
}

/** A threshold's expressions, and which of them stop the run when broken (k6's object form). */
function thresholdRules(at: FieldPath, written: readonly RawThreshold[], durations: Durations, problems: Problems): Pick<ProfileThreshold, 'expressions'> & { abortOnFail: NonNullable<ProfileThreshold['abortOnFail']> } {
  const expressions: string[] = [];
  const abortOnFail: NonNullable<ProfileThreshold['abortOnFail']> = [];
  written.forEach((rule, i) => {
    if (typeof rule === 'string') return void expressions.push(rule);
    expressions.push(rule.threshold);
    if (rule.abortOnFail === true) {
      abortOnFail.push({ expression: i, delayAbortEvalMs: durations.at([...at, i, 'delayAbortEval'], rule.delayAbortEval, 0) });
    } else if (rule.delayAbortEval !== undefined) {
      problems.add([...at, i, 'delayAbortEval'], 'delays an abort, but this threshold does not abort the run', 'add abortOnFail: true, or remove delayAbortEval', { part: 'key' });
    }
  });
  return { expressions, abortOnFail };
}

/** A capture that finds nothing is a failed check of this name (as the plan names it). */
function captureCheckName(variable: string): string {
  return `capture ${variable}`;
}
