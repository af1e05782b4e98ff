import { basename, extname } from 'node:path';
import { capacityPlan } from './capacity-config.js';
import { captureBodyLimit } from './capture-body-limit.js';
import { readDataFileFromDisk, readDataSets, type ReadDataFile } from './data-files.js';
import { formatDuration } from './duration.js';
import { echo } from './echo.js';
import { Durations } from './field-durations.js';
import { executorDurationMs } from './load-extent.js';
import { metricsConfig } from './metrics-config.js';
import type { Problems } from './problems.js';
import type { Profile, Scenario } from './profile-types.js';
import type { RawProfile, ShownAt } from './raw-profile.js';
import { regressionOptions } from './regression-config.js';
import { checkReservedNames } from './reserved-names.js';
import { buildScenarios } from './scenario-config.js';
import { ALLOWED_BY_TITLE } from './schema-errors.js';
import { hasCredentials, withoutCredentials } from './shown-values.js';
import { buildJourney, buildRunSteps } from './step-config.js';
import { profileStepNames } from './step-names.js';
import { buildThresholds } from './threshold-config.js';
import { readTlsCaFile } from './tls-ca-file.js';

/**
 * What the schema cannot say: cross-field checks (journeys and steps named elsewhere, captures
 * used before they are made, hard caps on load and run length), then the typed Profile with
 * durations in milliseconds and defaults applied.
 */

/** Hard caps: a profile asking for more is refused, whatever the runner could do. */
export const MAX_RUN_MS = 3_600_000;

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_BLOCK_MS = 1_000;

const PROFILE_ID = /^[A-Za-z0-9._-]+$/;

/** Where the profile came from: the file's name, and the target given outside it, if any. */
export interface ProfileOrigin {
  file: string;
  target?: string;
  /** Reads the profile's data files (default: from disk, relative to `file`'s folder). */
  readDataFile?: ReadDataFile;
  /** Hosts the Action's `allowed-hosts` input lists: where `metrics.url` may go besides the target's host. */
  allowedHosts?: readonly string[];
}

export function buildProfile(raw: RawProfile, options: ProfileOrigin, secrets: string[], shownAt: ShownAt, problems: Problems): Profile {
  checkReservedNames(raw, problems);
  const durations = new Durations(problems);
  const timeoutMs = durations.positive(['defaults', 'timeout'], raw.defaults?.timeout, DEFAULT_TIMEOUT_MS);
  const data = readDataSets(raw.data ?? {}, options.file, options.readDataFile ?? readDataFileFromDisk, problems);
  const tlsCa = readTlsCaFile(raw.tlsCaFile, raw.insecureSkipTLSVerify === true, options.file, options.readDataFile ?? readDataFileFromDisk, problems);
  const setup = buildRunSteps('setup', raw.setup?.steps ?? [], new Set(), data, timeoutMs, durations, shownAt, problems);
  const setupCaptures = new Set(setup.flatMap((step) => Object.keys(step.capture)));
  const teardown = buildRunSteps('teardown', raw.teardown?.steps ?? [], setupCaptures, data, timeoutMs, durations, shownAt, problems);
  const journeys = Object.entries(raw.journeys).map(([name, journey]) => buildJourney(name, journey, setupCaptures, data, timeoutMs, durations, shownAt, problems));
  const scenarios = buildScenarios(raw, durations, problems);
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
    ...(teardown.length > 0 ? { teardown } : {}),
    ...(raw.cookies === false ? { cookies: false as const } : {}),
    ...(raw.noCookiesReset === false ? { cookiesPerIteration: true as const } : {}),
    ...(data.length > 0 ? { data } : {}),
    ...(raw.insecureSkipTLSVerify === true ? { insecureSkipTLSVerify: true as const } : {}),
    ...(tlsCa ? { tlsCa } : {}),
    ...(raw.seed !== undefined ? { seed: raw.seed } : {}),
    journeys,
    thresholds: buildThresholds(raw.thresholds ?? {}, steps, journeys, scenarios, durations, problems),
    regression: regressionOptions(raw.regression ?? {}, steps.journeys, (key, message, fix) => problems.add(['regression', key], message, fix)),
    ...capacityField(raw.capacity, problems),
    ...metricsField(raw.metrics, { target, allowedHosts: options.allowedHosts ?? [] }, durations, problems),
    secrets,
  };
}

function capacityField(raw: Record<string, unknown> | undefined, problems: Problems): Pick<Profile, 'capacity'> {
  if (raw === undefined) return {};
  const plan = capacityPlan(raw, (key, message, fix) => problems.add(['capacity', key], message, fix));
  return plan ? { capacity: plan } : {};
}


function metricsField(raw: RawProfile['metrics'], origins: { target: string; allowedHosts: readonly string[] }, durations: Durations, problems: Problems): Pick<Profile, 'metrics'> {
  if (raw === undefined) return {};
  const intervalMs = raw.interval === undefined ? undefined : durations.at(['metrics', 'interval'], raw.interval, 0);
  const config = metricsConfig(raw, intervalMs, origins, (key, message, fix) => problems.add(['metrics', key], message, fix));
  return config ? { metrics: config } : {};
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
