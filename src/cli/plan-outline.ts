import type { ResolvedCompareOptions } from '../compare/compare-options.js';
import type { ExecutorSpec, Profile, Step } from '../config/profile-types.js';
import { rampValueAt } from '../engine/schedule.js';
import type { Plan } from '../plan/plan.js';
import { targetAsShown } from '../run/execute-profile.js';

/**
 * What a profile will do, worked out from its plan without sending a request: `tailgate inspect`
 * prints it (as `k6 inspect` does) and `--json` writes this object.
 */
export interface PlanOutline {
  schema: 'tailgate.inspect/v1';
  profile: { id: string; file: string; hash: string };
  target: string;
  warmupMs: number;
  blockMs: number;
  /** When the last scenario's schedule ends; graceful stops can add up to `maxGracefulStopMs`. */
  durationMs: number;
  maxGracefulStopMs: number;
  /** The most VUs at once over the run: closed-model VUs plus open-model `maxVUs`. */
  peakVUs: number;
  /** The highest intended rate of open-model scenarios together, iterations per second (0 without one). */
  peakIterationRate: number;
  /** `peakIterationRate` times the mean number of steps a picked journey has. */
  peakRequestRate: number;
  scenarios: Array<{
    name: string;
    executor: ExecutorSpec['type'];
    model: 'open' | 'closed';
    startMs: number;
    endMs: number;
    gracefulStopMs: number;
    /** The executor's load in words: `10 VUs`, `50 iterations/s`, `0 -> 20 -> 0 VUs over 2 stages`. */
    load: string;
    journeys: string[];
  }>;
  /** k6's insecureSkipTLSVerify: the target's certificate is not verified. */
  insecureSkipTLSVerify?: true;
  /** The profile's tlsCaFile (as written): the target is verified against its CAs too. */
  tlsCaFile?: string;
  /** The profile's seed; absent: each run draws a fresh one. */
  seed?: number;
  /** Data sets: name, file, rows, pick and columns; absent without any. */
  data?: Array<{ name: string; file: string; rows: number; pick: string; columns: string[] }>;
  /** Steps run once before the load; absent without any. */
  setup?: OutlinedStep[];
  journeys: Array<{ name: string; weight: number; steps: OutlinedStep[] }>;
  /** `abortOnFail`: the expressions (by index) that stop the run when broken, and from when. */
  thresholds: Array<{ metric: string; expressions: string[]; abortOnFail?: Array<{ expression: number; delayAbortEvalMs: number }> }>;
  regression: { p95Pct: number; throughputPct: number; errorRateIncreasePct: number; alpha: number; steps: string[] | 'all' };
}

/** A step as `inspect` shows it; `once` marks a step run once per VU. */
export interface OutlinedStep {
  name: string;
  request: string;
  expect?: number[];
  captures: string[];
  /** Names of the step's checks; absent without any. */
  checks?: string[];
  think?: string;
  once?: true;
}

function outlineStep(step: Step): OutlinedStep {
  return {
    name: step.name,
    request: `${step.method} ${step.shownPath ?? step.path}`,
    ...(step.expect ? { expect: step.expect } : {}),
    captures: Object.keys(step.capture),
    ...(step.checks ? { checks: step.checks.map((c) => c.name) } : {}),
    ...(step.think ? { think: step.think.minMs === step.think.maxMs ? ms(step.think.minMs) : `${ms(step.think.minMs)}-${ms(step.think.maxMs)}` } : {}),
    ...(step.once ? { once: true as const } : {}),
  };
}

export function outlinePlan(profile: Profile, plan: Plan, gate: ResolvedCompareOptions): PlanOutline {
  const stepsPerIteration = new Map(
    plan.scenarios.map((s) => {
      const weights = s.journeys.map((j, i) => (s.cumulativeWeights[i] ?? 0) - (i > 0 ? (s.cumulativeWeights[i - 1] ?? 0) : 0));
      const total = weights.reduce((a, b) => a + b, 0);
      const mean = total > 0 ? s.journeys.reduce((sum, j, i) => sum + j.steps.length * (weights[i] ?? 0), 0) / total : 0;
      return [s.name, mean];
    }),
  );
  const peak = peakLoad(plan, stepsPerIteration);
  return {
    schema: 'tailgate.inspect/v1',
    profile: { id: plan.profile.id, file: profile.file, hash: plan.profile.hash },
    target: targetAsShown(profile, plan),
    warmupMs: plan.warmupMs,
    blockMs: plan.blockMs,
    durationMs: plan.durationMs,
    maxGracefulStopMs: Math.max(0, ...plan.scenarios.map((s) => s.gracefulStopMs)),
    peakVUs: peak.vus,
    peakIterationRate: round(peak.iterations),
    peakRequestRate: round(peak.requests),
    scenarios: plan.scenarios.map((s) => ({
      name: s.name,
      executor: s.executor.type,
      model: s.model,
      startMs: s.startTimeMs,
      endMs: s.startTimeMs + s.durationMs,
      gracefulStopMs: s.gracefulStopMs,
      load: describeLoad(s.executor),
      journeys: s.journeys.map((j) => j.name),
    })),
    ...(profile.insecureSkipTLSVerify ? { insecureSkipTLSVerify: true as const } : {}),
    ...(profile.tlsCa ? { tlsCaFile: profile.tlsCa.file } : {}),
    ...(profile.seed !== undefined ? { seed: profile.seed } : {}),
    ...(profile.data ? { data: profile.data.map((d) => ({ name: d.name, file: d.file, rows: d.rows.length, pick: d.pick, columns: d.columns })) } : {}),
    ...(profile.setup ? { setup: profile.setup.map(outlineStep) } : {}),
    journeys: profile.journeys.map((j) => ({ name: j.name, weight: j.weight, steps: j.steps.map(outlineStep) })),
    thresholds: profile.thresholds.map((t) => ({ metric: t.metric, expressions: t.expressions, ...(t.abortOnFail?.length ? { abortOnFail: t.abortOnFail } : {}) })),
    regression: {
      p95Pct: gate.p95Pct,
      throughputPct: gate.throughputPct,
      errorRateIncreasePct: round(gate.errorRateIncrease * 100),
      alpha: gate.alpha,
      steps: gate.steps ?? 'all',
    },
  };
}

/** The outline as the terminal shows it. */
export function formatPlanOutline(o: PlanOutline): string {
  const lines: string[] = [];
  lines.push(`profile ${o.profile.id} (${o.profile.file}), hash ${o.profile.hash}`);
  lines.push(
    `target ${o.target}${o.insecureSkipTLSVerify ? ' (insecureSkipTLSVerify: its certificate is not verified)' : ''}${o.tlsCaFile ? ` (tlsCaFile: verified against ${o.tlsCaFile} too)` : ''}`,
  );
  lines.push(o.seed === undefined ? 'seed: a fresh one each run, printed and recorded (--seed N repeats a run)' : `seed ${o.seed} (journeys, think times, random rows and helpers repeat)`);
  lines.push(
    `duration ${ms(o.durationMs)} (warm-up ${ms(o.warmupMs)}, then ${ms(Math.max(0, o.durationMs - o.warmupMs))} measured in blocks of ${ms(o.blockMs)})` +
      (o.maxGracefulStopMs > 0 ? `, up to ${ms(o.maxGracefulStopMs)} more for iterations in flight to finish` : ''),
  );
  const open = o.scenarios.some((s) => s.model === 'open');
  lines.push(
    `peak ${o.peakVUs} VUs${open ? ' (open-model scenarios counted at their maxVUs)' : ''}` +
      (o.peakIterationRate > 0 ? `, ${o.peakIterationRate} iterations/s (about ${o.peakRequestRate} requests/s) from open-model scenarios` : ''),
  );
  lines.push('');
  lines.push('scenarios');
  const nameWidth = Math.max(...o.scenarios.map((s) => s.name.length));
  for (const s of o.scenarios) {
    lines.push(
      `  ${s.name.padEnd(nameWidth)}  ${ms(s.startMs)}-${ms(s.endMs)}  ${s.executor} (${s.model} model): ${s.load}; journeys ${s.journeys.join(', ')}; gracefulStop ${ms(s.gracefulStopMs)}`,
    );
  }
  lines.push('');
  const stepLine = (step: OutlinedStep, indent: string): string => {
    const extras = [
      step.once ? 'once per VU' : '',
      step.expect ? `expect ${step.expect.join(', ')}` : '',
      step.captures.length > 0 ? `captures ${step.captures.join(', ')}` : '',
      step.checks ? `checks ${step.checks.join(', ')}` : '',
      step.think ? `think ${step.think}` : '',
    ].filter(Boolean);
    return `${indent}${step.name}: ${step.request}${extras.length > 0 ? `  (${extras.join('; ')})` : ''}`;
  };
  if (o.data) {
    lines.push('data');
    for (const d of o.data) lines.push(`  ${d.name}: ${d.file}, ${d.rows} row(s), ${d.pick}; {{ ${d.name}.${d.columns.join(' | ')} }}`);
    lines.push('');
  }
  if (o.setup) {
    lines.push('setup (once before the load, measured apart, never in the gate)');
    for (const step of o.setup) lines.push(stepLine(step, '  '));
    lines.push('');
  }
  lines.push('journeys');
  for (const j of o.journeys) {
    lines.push(`  ${j.name} (weight ${j.weight})`);
    for (const step of j.steps) lines.push(stepLine(step, '    '));
  }
  lines.push('');
  if (o.thresholds.length === 0) lines.push('thresholds: none');
  else {
    lines.push('thresholds');
    for (const t of o.thresholds) lines.push(`  ${t.metric}: ${t.expressions.map((e, i) => e + abortNote(t.abortOnFail?.find((a) => a.expression === i))).join(', ')}`);
  }
  const r = o.regression;
  lines.push(
    `regression gate: p95 +${r.p95Pct}%, throughput -${r.throughputPct}%, error rate +${r.errorRateIncreasePct} pt, alpha ${r.alpha}, steps ${r.steps === 'all' ? 'all and overall' : r.steps.join(', ')}`,
  );
  lines.push('');
  lines.push('The profile is valid; nothing was sent.');
  return lines.join('\n');
}

function describeLoad(e: ExecutorSpec): string {
  switch (e.type) {
    case 'constant-vus':
      return `${e.vus} VUs`;
    case 'shared-iterations':
      return `${e.iterations} iterations shared by ${e.vus} VUs, at most ${ms(e.maxDurationMs)}`;
    case 'per-vu-iterations':
      return `${e.iterations} iterations for each of ${e.vus} VUs, at most ${ms(e.maxDurationMs)}`;
    case 'ramping-vus':
      return `${[e.startVUs, ...e.stages.map((s) => s.target)].join(' -> ')} VUs over ${e.stages.length} stage(s)`;
    case 'constant-arrival-rate':
      return `${perSecond(e.rate, e.timeUnitMs)} iterations/s, ${e.preAllocatedVUs}-${e.maxVUs} VUs`;
    case 'ramping-arrival-rate':
      return `${[e.startRate, ...e.stages.map((s) => s.target)].map((r) => perSecond(r, e.timeUnitMs)).join(' -> ')} iterations/s over ${e.stages.length} stage(s), ${e.preAllocatedVUs}-${e.maxVUs} VUs`;
  }
}

/**
 * The highest VUs and rates at any moment, with overlapping scenarios added. Every executor's
 * load is linear between its stage boundaries, so checking just before and at each boundary finds it.
 */
function peakLoad(plan: Plan, stepsPerIteration: Map<string, number>): { vus: number; iterations: number; requests: number } {
  const times = new Set<number>();
  for (const s of plan.scenarios) {
    let t = s.startTimeMs;
    times.add(t);
    if (s.executor.type === 'ramping-vus' || s.executor.type === 'ramping-arrival-rate') {
      for (const stage of s.executor.stages) times.add((t += stage.durationMs));
    }
    times.add(s.startTimeMs + s.durationMs);
  }
  const peak = { vus: 0, iterations: 0, requests: 0 };
  for (const boundary of times) {
    for (const t of [boundary - 1e-6, boundary]) {
      let vus = 0;
      let iterations = 0;
      let requests = 0;
      for (const s of plan.scenarios) {
        const local = t - s.startTimeMs;
        if (local < 0 || local >= s.durationMs) continue;
        const e = s.executor;
        if (e.type === 'constant-vus' || e.type === 'shared-iterations' || e.type === 'per-vu-iterations') vus += e.vus;
        else if (e.type === 'ramping-vus') vus += Math.ceil(rampValueAt(e.startVUs, e.stages, local) - 1e-9);
        else {
          const rate = e.type === 'constant-arrival-rate' ? e.rate / (e.timeUnitMs / 1000) : rampValueAt(e.startRate, e.stages, local) / (e.timeUnitMs / 1000);
          vus += e.maxVUs;
          iterations += rate;
          requests += rate * (stepsPerIteration.get(s.name) ?? 0);
        }
      }
      peak.vus = Math.max(peak.vus, vus);
      peak.iterations = Math.max(peak.iterations, iterations);
      peak.requests = Math.max(peak.requests, requests);
    }
  }
  return peak;
}

function perSecond(rate: number, timeUnitMs: number): string {
  return String(round(rate / (timeUnitMs / 1000)));
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function ms(value: number): string {
  if (value === 0) return '0s';
  if (value % 60_000 === 0) return `${value / 60_000}m`;
  if (value % 1000 === 0) return `${value / 1000}s`;
  return value >= 1000 ? `${(value / 1000).toFixed(1)}s` : `${value}ms`;
}

/** How an `abortOnFail` threshold reads in the plan: it stops the run, from when. */
function abortNote(abort: { delayAbortEvalMs: number } | undefined): string {
  if (abort === undefined) return '';
  return abort.delayAbortEvalMs > 0 ? ` (stops the run when broken, from ${abort.delayAbortEvalMs / 1000}s after the warm-up)` : ' (stops the run when broken)';
}
