import type { Body, Check, DataSet, ExecutorSpec, Profile, Step, Think } from '../config/profile-types.js';
import { compileJsonBody, compileTemplate, placeholders, type JsonBodyTemplate, type Template } from '../config/template.js';
import { captureCheckName, compileCapture, readsBody, type CompiledCapture } from '../config/capture-config.js';
import { executorDurationMs, peakVus } from '../config/load-extent.js';
import { profileHash } from './profile-hash.js';
import { shardExecutor, type Shard } from './shard.js';

/** A profile compiled for the engine: templates parsed, steps numbered, durations known. */
export interface Plan {
  profile: { id: string; hash: string };
  /** `http://host:port`, where every request goes. */
  origin: string;
  /** Prefix joined to every step's path (`/api` from `http://host/api`), or "". */
  basePath: string;
  warmupMs: number;
  blockMs: number;
  /** When the last scenario's schedule ends (graceful stops not included). */
  durationMs: number;
  /** Step names; a step's id is its index here. Same-named steps of different journeys share one. */
  stepNames: string[];
  /** Check names (a step's checks and `capture NAME` for each capture); a check's id is its index here. Same names share one. */
  checkNames: string[];
  scenarios: PlannedScenario[];
  /** Accept any certificate of the target (k6's insecureSkipTLSVerify). */
  insecureSkipTLSVerify: boolean;
  /** Empty each VU's cookie jar as each iteration starts (`noCookiesReset: false`); else it lasts the VU's life. */
  cookiesPerIteration: boolean;
  /** Data sets whose rows iterations read as `{{ set.column }}`. */
  data: DataSet[];
  /** Steps run once before the load (k6's `setup()`), in order; ids count their place here, apart from `stepNames`. */
  setup: PlannedStep[];
  /** Steps run once after the load (k6's `teardown()`), in order; ids count their place here, as the setup's. */
  teardown: PlannedStep[];
  /** The most iterations that can be in flight at once over all scenarios: the connection cap. */
  maxConcurrency: number;
  shard?: Shard;
}

export interface PlannedScenario {
  name: string;
  executor: ExecutorSpec;
  model: 'open' | 'closed';
  startTimeMs: number;
  durationMs: number;
  gracefulStopMs: number;
  journeys: PlannedJourney[];
  /** Running sum of journey weights, for a weighted pick with one random number. */
  cumulativeWeights: number[];
}

export interface PlannedJourney {
  name: string;
  steps: PlannedStep[];
}

export interface PlannedStep {
  id: number;
  name: string;
  /** The step's group (k6's `group()`), whose duration per iteration is recorded; absent: none. */
  group?: string;
  method: string;
  path: Template;
  headers: Array<[string, Template]>;
  /** Compiled here, once: a request only fills in the placeholders. */
  body?: { kind: 'json'; template: JsonBodyTemplate; constant?: string } | { kind: 'text'; template: Template };
  /** Accepted statuses; undefined means 200–399. */
  expect?: ReadonlySet<number>;
  /** Variable name and where its value comes from (a JSONPath, a header, a compiled pattern). */
  captures: Array<[string, CompiledCapture]>;
  /** The check id of each capture (`capture NAME`), aligned with `captures`. */
  captureCheckIds: number[];
  /** The step's own checks, each with its id in `Plan.checkNames`. */
  checks: Array<Check & { id: number }>;
  /** Whether the VU's cookie jar is used: its cookies sent, the response's `Set-Cookie` kept (`cookies: false` turns it off). */
  cookies: boolean;
  /** Whether a check or a capture reads the response headers. */
  keepHeaders: boolean;
  /** Whether the body is kept (up to `maxCaptureBodyBytes`) for captures or checks that read it. */
  keepBody: boolean;
  /** Variables its path, headers and body use: a step is not sent while one of them is missing. */
  uses: string[];
  /** The largest response body kept for the captures; a larger one fails them and is drained. */
  maxCaptureBodyBytes: number;
  think?: Think;
  timeoutMs: number;
  /** Runs once per VU: skipped in its later iterations once it has succeeded; its captures stay with the VU. */
  once: boolean;
  /** Where the step was written (setup steps), for the message when it fails. */
  location?: Step['location'];
}

export function buildPlan(profile: Profile, shard?: Shard): Plan {
  const url = new URL(profile.target);
  const stepIds = new Map<string, number>();
  const stepId = idOf(stepIds);
  const checkIds = new Map<string, number>();
  const checkId = idOf(checkIds);
  const journeys = new Map(
    profile.journeys.map((j) => [j.name, { name: j.name, weight: j.weight, steps: j.steps.map((s) => planStep(s, stepId(s.name), profile, checkId)) }]),
  );
  const scenarios = profile.scenarios.map((scenario): PlannedScenario => {
    const executor = shard ? shardExecutor(scenario.executor, shard) : scenario.executor;
    const picked = scenario.journeys.map((name) => {
      const journey = journeys.get(name);
      if (!journey) throw new Error(`scenario ${scenario.name} names unknown journey ${name}`);
      return journey;
    });
    let sum = 0;
    return {
      name: scenario.name,
      executor,
      model: executor.type.endsWith('arrival-rate') ? 'open' : 'closed',
      startTimeMs: scenario.startTimeMs,
      durationMs: executorDurationMs(executor),
      gracefulStopMs: scenario.gracefulStopMs,
      journeys: picked.map((j) => ({ name: j.name, steps: j.steps })),
      cumulativeWeights: picked.map((j) => (sum += j.weight)),
    };
  });
  return {
    profile: { id: profile.id, hash: profileHash(profile) },
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    warmupMs: profile.warmupMs,
    blockMs: profile.blockMs,
    durationMs: Math.max(0, ...scenarios.map((s) => s.startTimeMs + s.durationMs)),
    stepNames: [...stepIds.keys()],
    checkNames: [...checkIds.keys()],
    scenarios,
    // Setup steps have no checks of their own (a failure stops the run): their ids are not counted.
    data: profile.data ?? [],
    insecureSkipTLSVerify: profile.insecureSkipTLSVerify === true,
    cookiesPerIteration: profile.cookiesPerIteration === true,
    setup: (profile.setup ?? []).map((s, i) => planStep(s, i, profile, () => -1)),
    teardown: (profile.teardown ?? []).map((s, i) => planStep(s, i, profile, () => -1)),
    maxConcurrency: scenarios.reduce((sum, s) => sum + peakVus(s.executor).value, 0),
    ...(shard ? { shard } : {}),
  };
}

/** Numbers names in order of first use: the same name gets the same id. */
function idOf(ids: Map<string, number>): (name: string) => number {
  return (name) => {
    let id = ids.get(name);
    if (id === undefined) {
      id = ids.size;
      ids.set(name, id);
    }
    return id;
  };
}

function planStep(step: Step, id: number, profile: Profile, checkId: (name: string) => number): PlannedStep {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(profile.headers)) headers.set(name.toLowerCase(), value);
  for (const [name, value] of Object.entries(step.headers)) headers.set(name.toLowerCase(), value);
  let body: PlannedStep['body'];
  if (step.body?.kind === 'json') {
    const text = JSON.stringify(step.body.value);
    body = { kind: 'json', template: compileJsonBody(step.body.value), ...(text.includes('{{') ? {} : { constant: text }) };
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  } else if (step.body?.kind === 'text') {
    body = { kind: 'text', template: compileTemplate(step.body.value) };
  }
  return {
    id,
    name: step.name,
    method: step.method,
    path: compileTemplate(step.path),
    headers: [...headers].map(([name, value]) => [name, compileTemplate(value)]),
    ...(body ? { body } : {}),
    ...(step.expect ? { expect: new Set(step.expect) } : {}),
    captures: Object.entries(step.capture).map(([name, capture]) => [name, compileCapture(capture)]),
    captureCheckIds: Object.keys(step.capture).map((variable) => checkId(captureCheckName(variable))),
    checks: (step.checks ?? []).map((check) => ({ ...check, id: checkId(check.name) })),
    cookies: profile.cookies !== false && step.cookies !== false,
    keepHeaders: (step.checks ?? []).some((check) => check.kind === 'header') || Object.values(step.capture).some((capture) => !readsBody(capture)),
    keepBody: Object.values(step.capture).some(readsBody) || (step.checks ?? []).some((check) => check.kind === 'body' || check.kind === 'json'),
    uses: [...new Set([step.path, ...Object.values(profile.headers), ...Object.values(step.headers), ...bodyTexts(step.body)].flatMap(placeholders))],
    maxCaptureBodyBytes: profile.maxCaptureBodyBytes,
    ...(step.think ? { think: step.think } : {}),
    timeoutMs: step.timeoutMs,
    once: step.once === true,
    ...(step.group !== undefined ? { group: step.group } : {}),
    ...(step.location ? { location: step.location } : {}),
  };
}

/** Every text of a body (a JSON body's strings, keys left out), for the variables it uses. */
function bodyTexts(body: Body | undefined): string[] {
  if (body === undefined) return [];
  if (body.kind === 'text') return [body.value];
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(body.value);
  return texts;
}
