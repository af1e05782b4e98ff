import { serverTimingAllowedPct } from '../config/regression-config.js';
import { decodeCounts, percentileOfCounts, type LatencyCounts } from '../record/latency-counts.js';
import type { RunRecord, ServerTimingComponent } from '../record/run-record-types.js';
import { withoutBursts } from './bursts.js';
import type { ServerTimingInterval, Verdict } from './comparison-types.js';
import type { ResolvedCompareOptions } from './compare-options.js';
import { GATED_METRICS, toChange } from './gated-metrics.js';
import { decide, worsePValue } from './metric-decision.js';
import { p95Estimate } from './run-estimates.js';
import { estimateShift, type ShiftEstimate } from './shift-estimate.js';
import type { StepAnalysis } from './step-analysis.js';
import { groupBlocks, type BlockMeasurement, type GroupedBlock, type StepMeasurement } from './step-measurement.js';

/**
 * Each `Server-Timing` component of a step tested as the step's p95 is: the component's durations
 * per block stand in for the step's latencies, and the same estimators run on them (the trimmed
 * mean of the analysis blocks' log p95s with its within-run variance, `run-estimates.ts`; the
 * baseline runs' spread and the assumed run-to-run noise, `shift-estimate.ts`; the rule,
 * `metric-decision.ts`). Every component gets an interval; the ones `regression.serverTiming`
 * names (all of them for a single percentage) of a counted step are gated: their tests join the
 * family the step's metrics are corrected in (`test-family.ts`), and a regression fails the run.
 */

/** A component's test before the correction: the shift and p-value, or why there is none. */
export interface ComponentTest {
  step: string;
  name: string;
  /** `regression.serverTiming` gates it (and the step is counted). */
  gated: boolean;
  allowedPct: number | undefined;
  tested?: { shift: ShiftEstimate; pValue: number; blocks: number; failLevel?: number; adjustedPValue?: number };
  untested?: string;
}

/** The p95 spec's estimator settings (log scale, its noise prior): a component is a latency. */
const P95 = GATED_METRICS.find((spec) => spec.metric === 'p95') as (typeof GATED_METRICS)[number];

/**
 * The tests of every component of every step that reported Server-Timing, in this run or a
 * baseline run. `bursts`: the runs' blocks set aside as bursts (`bursts.ts`), left out here too.
 */
export function serverTimingTests(
  analyses: readonly StepAnalysis[],
  current: RunRecord,
  history: readonly RunRecord[],
  options: ResolvedCompareOptions,
  bursts: ReadonlyMap<RunRecord, readonly boolean[]> = new Map(),
): ComponentTest[] {
  const limits = { minBlockRequests: options.minBlockRequests, minBlocks: options.minBlocks };
  return analyses.flatMap((analysis) => {
    if (analysis.source.kind !== 'step') return [];
    const step = analysis.source.name;
    const componentsOf = (run: RunRecord): Record<string, ServerTimingComponent> | undefined =>
      Object.hasOwn(run.steps, step) ? run.steps[step]?.serverTiming?.components : undefined;
    const now = componentsOf(current);
    const before = history.flatMap((run) => {
      const components = componentsOf(run);
      return components === undefined ? [] : [{ run, components }];
    });
    const names = [...new Set([...Object.keys(now ?? {}), ...before.flatMap((b) => Object.keys(b.components))])].sort();
    const groupsOf = (run: RunRecord, component: ServerTimingComponent): { groups: GroupedBlock[]; calm: GroupedBlock[]; measurement: StepMeasurement } => {
      const measurement = componentMeasurement(run, component);
      const size = Math.max(1, Math.round(analysis.analysisBlockMs / measurement.blockMs));
      return { measurement, groups: groupBlocks(measurement, size), calm: groupBlocks(withoutBursts(measurement, bursts.get(run) ?? []), size) };
    };
    return names.map((name): ComponentTest => {
      const allowedPct = serverTimingAllowedPct(options.serverTiming, name);
      const base = { step, name, gated: allowedPct !== undefined && analysis.counted, allowedPct };
      const mine = now !== undefined && Object.hasOwn(now, name) ? now[name] : undefined;
      if (mine === undefined) return { ...base, untested: 'this run did not report it' };
      const runs = before.flatMap(({ run, components }) => (Object.hasOwn(components, name) ? [{ run, component: components[name] as ServerTimingComponent }] : []));
      if (runs.length === 0) return { ...base, untested: history.length === 0 ? 'no baseline run to compare with' : 'no baseline run reported it' };
      const own = groupsOf(current, mine);
      const estimate = p95Estimate(own.measurement, own.groups, limits, own.calm);
      if (!estimate.ok) return { ...base, untested: `this run: ${estimate.reason}` };
      const baselines = runs.map(({ run, component }) => {
        const theirs = groupsOf(run, component);
        return { run, result: p95Estimate(theirs.measurement, theirs.groups, limits, theirs.calm) };
      });
      const usable = baselines.flatMap((b) => (b.result.ok ? [{ run: b.run, estimate: b.result.estimate }] : []));
      if (usable.length === 0) {
        const problem = baselines.flatMap((b) => (b.result.ok ? [] : [b.result.reason]))[0] ?? 'no usable run';
        return { ...base, untested: `baseline: ${problem}` };
      }
      const accepted = usable.flatMap((u, i) => (u.run.meta.baseline?.newSegment !== undefined ? [i] : []));
      const shift = estimateShift(
        estimate.estimate,
        usable.map((u) => u.estimate),
        P95.prior(options),
        { detect: true, accepted },
      );
      return { ...base, tested: { shift, pValue: worsePValue(shift, 1), blocks: estimate.estimate.blocks } };
    });
  });
}

/** The gated components' tests, as members of the step metrics' family (`correctTests`' `extra`). */
export function serverTimingFamily(tests: readonly ComponentTest[]): Array<{ name: string; test: NonNullable<ComponentTest['tested']> }> {
  return tests.flatMap((t) => (t.gated && t.tested ? [{ name: `${t.step} server_timing ${t.name}`, test: t.tested }] : []));
}

/** A component's interval, or why it has none, by step and name. */
export type ComponentResults = Map<string, Map<string, { interval?: ServerTimingInterval; untested?: string }>>;

/** Verdicts held back as inconclusive: all of them (a run that was not whole), or regressions (a far slower runner, `runner-speed.ts`). */
export interface ComponentHolds {
  all?: string;
  regressions?: string;
}

/** Each test's interval and, when gated, its verdict, once the correction has set its level. */
export function judgeServerTiming(tests: readonly ComponentTest[], options: ResolvedCompareOptions, detectionLevel: number, holds: ComponentHolds = {}): ComponentResults {
  const results: ComponentResults = new Map();
  for (const test of tests) {
    let byName = results.get(test.step);
    if (byName === undefined) results.set(test.step, (byName = new Map()));
    if (test.tested === undefined) {
      byName.set(test.name, { untested: test.untested ?? 'not tested' });
      continue;
    }
    const { shift } = test.tested;
    const failLevel = test.gated ? (test.tested.failLevel ?? options.alpha) : options.alpha;
    const decision = decide({
      shift,
      worseSign: 1,
      allowed: Math.log1p((test.allowedPct ?? options.p95Pct) / 100),
      failLevel,
      alpha: options.alpha,
      detectionLevel,
      power: options.power,
    });
    const baselineMs = Math.exp(shift.baselineValue);
    const ms = (difference: number): number => round2(baselineMs * Math.expm1(difference));
    const pct = (difference: number): number => round2(toChange(P95, difference));
    let verdict: ServerTimingInterval['verdict'] = test.gated ? decision.verdict : null;
    let reason: string | undefined;
    if (verdict !== null && verdict !== 'inconclusive' && holds.all !== undefined) {
      verdict = 'inconclusive';
      reason = holds.all;
    } else if (verdict === 'regression' && holds.regressions !== undefined) {
      verdict = 'inconclusive';
      reason = holds.regressions;
    }
    byName.set(test.name, {
      interval: {
        currentMs: round2(Math.exp(shift.baselineValue + shift.estimate)),
        baselineMs: round2(baselineMs),
        changeMs: ms(shift.estimate),
        ci: { lowMs: ms(decision.interval.low), highMs: ms(decision.interval.high) },
        changePct: pct(shift.estimate),
        ciPct: { low: pct(decision.interval.low), high: pct(decision.interval.high) },
        gated: test.gated,
        allowedPct: test.gated ? (test.allowedPct as number) : null,
        verdict,
        ...(reason !== undefined ? { reason } : {}),
        pValue: test.tested.pValue,
        adjustedPValue: test.gated ? (test.tested.adjustedPValue ?? test.tested.pValue) : null,
        currentBlocks: test.tested.blocks,
        historyRuns: shift.historyRuns,
      },
    });
  }
  return results;
}

/**
 * The run's verdict once its gated components are counted: a component's regression fails it,
 * as a step's p95 does. An inconclusive component does not hold the gate in doubt (its step's
 * p95 speaks for the step's latency); a run already undecided for its generator stays so.
 */
export function withServerTimingVerdict(verdict: Verdict, regressed: boolean, generatorValid: boolean): Verdict {
  if (!regressed || verdict === 'no-baseline' || !generatorValid) return verdict;
  return 'regression';
}

/**
 * A component's durations in one run as a step's measurement: one block per recorded block, its
 * durations where the step's latencies would be. Decoded once per stored component.
 */
const measured = new WeakMap<ServerTimingComponent, StepMeasurement>();

export function componentMeasurement(run: RunRecord, component: ServerTimingComponent): StepMeasurement {
  const known = measured.get(component);
  if (known !== undefined && known.blockMs === run.meta.blockMs && known.measuredSeconds === run.meta.measuredMs / 1000) return known;
  const whole = decodeCounts(component.histogram);
  const blocks: BlockMeasurement[] = [];
  const count = Math.min(component.blocks.length, run.blocks.length);
  for (let i = 0; i < count; i++) {
    const window = run.blocks[i];
    const latencies: LatencyCounts = decodeCounts(component.blocks[i] as string);
    if (window === undefined) continue;
    blocks.push({ seconds: Math.max(0, (window.endMs - window.startMs) / 1000), requests: latencies.total, errors: 0, latencies });
  }
  const at = (p: number): number | null => (whole.total > 0 ? percentileOfCounts(whole, p) : null);
  const measurement: StepMeasurement = {
    requests: whole.total,
    errors: 0,
    measuredSeconds: run.meta.measuredMs / 1000,
    blockMs: run.meta.blockMs,
    p50Ms: at(50),
    p95Ms: at(95),
    p99Ms: at(99),
    blocks,
    statuses: {},
    errorKinds: {},
  };
  measured.set(component, measurement);
  return measurement;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
