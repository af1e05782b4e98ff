import type { FieldPath } from './config-error.js';
import { closest } from './did-you-mean.js';
import { formatDuration } from './duration.js';
import { echo, echoPlain } from './echo.js';
import type { Durations } from './field-durations.js';
import { peakOfRamp, peakVus, stagesDurationMs } from './load-extent.js';
import type { Problems } from './problems.js';
import type { ExecutorSpec, Scenario, Stage } from './profile-types.js';
import type { RawProfile, RawScenario } from './raw-profile.js';

/**
 * The profile's scenarios and their executors, as k6 names them: `scenarios:` or k6's options
 * shortcut (`vus`, `duration`, `stages`, `iterations`), each executor's fields with their
 * defaults, the journeys a scenario runs, and the caps on VUs and rate.
 */

export const MAX_VUS = 10_000;
export const MAX_RATE_PER_SECOND = 100_000;
export const DEFAULT_GRACEFUL_MS = 30_000;
/** k6's default `maxDuration` of the iteration executors. */
export const DEFAULT_MAX_DURATION_MS = 600_000;
/** The scenario k6's options shortcut makes. */
export const SHORTCUT_SCENARIO = 'default';

/** The scenarios as written, or the one k6's options shortcut makes. */
export function buildScenarios(raw: RawProfile, durations: Durations, problems: Problems): Scenario[] {
  if (raw.scenarios === undefined) return shortcutScenarios(raw, durations, problems);
  refuseShortcut(raw, problems);
  return Object.entries(raw.scenarios).map(([name, scenario]) => buildScenario(['scenarios', name], name, scenario, raw, durations, problems));
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
