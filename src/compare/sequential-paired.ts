import { mixtureQuantile } from '../stats/random-effects.js';
import { obrienFlemingSpending, sequentialBoundaries } from '../stats/alpha-spending.js';
import type { ResolvedCompareOptions } from './compare-options.js';
import type { Comparison, GatedMetric } from './comparison-types.js';
import { GATED_METRICS, toChange } from './gated-metrics.js';
import type { PairedJudgement } from './compare-paired.js';

/**
 * Sequential paired mode: a paired run looks at its block pairs every few pairs from a minimum and
 * stops as soon as its verdict is decided, instead of always running its whole length.
 *
 * - Looks fall after complete ABBA groups (an even number of pairs) from `minPairs`, every
 *   `everyPairs`, and at the maximum (the profile's whole run), so every look is as balanced
 *   against drift as the fixed run is.
 * - α is spent across looks by O'Brien–Fleming-type spending on the information fraction (pairs
 *   done over the maximum, `stats/alpha-spending.ts`): each look judges its pairs exactly as a
 *   fixed run is judged (trimmed t held to the sign-flip test, Hommel's correction across tests,
 *   the estimate beyond the allowance), at the look's nominal level instead of α.
 * - It stops for a regression beyond doubt (the gate's verdict at that level), or when a change of
 *   `futilityMultiple` times the allowance is ruled out: every gated metric tested, and each one's
 *   `futilityLevel` one-sided upper bound below that many times its allowance, with no drift
 *   (futility, non-binding: the boundaries ignore it, so it can only lower the false-fail rate).
 *   Else it runs to the maximum, where the last look decides.
 */
export interface SequentialDesign {
  /** The overall one-sided level spent over the looks. */
  alpha: number;
  /** Pairs at each look, increasing; the last is the maximum. */
  looks: number[];
  /** Each look's nominal one-sided level (the boundary). */
  nominal: number[];
  maxPairs: number;
  minPairs: number;
  everyPairs: number;
  /** Stop as "ruled out" when every gated metric's upper bound at `futilityLevel` is below this many allowances. */
  futilityMultiple: number;
  futilityLevel: number;
  spending: 'obrien-fleming';
}

export interface SequentialSettings {
  minPairs: number;
  everyPairs: number;
  futilityMultiple: number;
  futilityLevel: number;
}

/**
 * Looks every 2 pairs (one ABBA group) from 6 pairs, stopping once twice the allowance is ruled
 * out by an 85% upper bound. On the synthetic paired model (200 trials, 60 s at most) a 90% bound
 * stopped the median unchanged run at 35.5 s (59% of the most), 85% at 25.5 s, 80% at 20.5 s; twice
 * the allowance was caught 97.0%, 96.0% and 94.5% of the time (fixed length: 98.5%), so 85% was
 * kept (docs/paired.md, "Sequential verdicts").
 */
export const DEFAULT_SEQUENTIAL: SequentialSettings = { minPairs: 6, everyPairs: 2, futilityMultiple: 2, futilityLevel: 0.85 };

/** Fewer looks than this before the maximum and a run is judged at its end only (a short run). */
const MIN_EARLY_LOOKS = 2;

/** The design of a run of at most `maxPairs` pairs at level `alpha`, or undefined when the run is too short to look early. */
export function sequentialDesign(maxPairs: number, alpha: number, settings: SequentialSettings = DEFAULT_SEQUENTIAL): SequentialDesign | undefined {
  const looks: number[] = [];
  const first = Math.ceil(settings.minPairs / settings.everyPairs) * settings.everyPairs;
  for (let pairs = first; pairs < maxPairs; pairs += settings.everyPairs) looks.push(pairs);
  if (looks.length < MIN_EARLY_LOOKS) return undefined;
  looks.push(maxPairs);
  const bounds = sequentialBoundaries(
    alpha,
    looks.map((pairs) => pairs / maxPairs),
    obrienFlemingSpending,
  );
  return { alpha, looks, nominal: bounds.map((b) => b.nominal), maxPairs, spending: 'obrien-fleming', ...settings };
}

export type LookDecision = 'continue' | 'regression' | 'ruled-out' | 'maximum';

/** One gated metric at a look: its change and the upper bound the futility rule reads, in its change unit (% or points). */
export interface LookMetric {
  step: string;
  metric: GatedMetric;
  change: number;
  upper: number;
  pValue: number;
}

export interface SequentialLook {
  pairs: number;
  fraction: number;
  /** The look's nominal one-sided level. */
  level: number;
  verdict: Comparison['verdict'];
  decision: LookDecision;
  /** Why it stopped, or what kept it going, in a sentence. */
  reason: string;
  metrics: LookMetric[];
}

/**
 * The decision at look `index` of `design`, from the judgement of the look's pairs at the look's
 * level (`judgePaired` with `pairs` and `alpha` set): a regression stops it; the last look decides
 * whatever it says; else it stops when a change of `futilityMultiple` allowances is ruled out.
 */
export function decideLook(judgement: PairedJudgement, design: SequentialDesign, index: number, options: ResolvedCompareOptions): SequentialLook {
  const pairs = design.looks[index] as number;
  const level = design.nominal[index] as number;
  const { comparison } = judgement;
  const wider = { ...options, p95Pct: options.p95Pct * design.futilityMultiple, throughputPct: Math.min(99, options.throughputPct * design.futilityMultiple), errorRateIncrease: Math.min(0.99, options.errorRateIncrease * design.futilityMultiple) };
  const metrics: LookMetric[] = [];
  let ruledOut = true;
  let holding: string | undefined;
  for (const test of judgement.tests) {
    const spec = GATED_METRICS.find((s) => s.metric === test.metric);
    if (spec === undefined) continue;
    const badness = test.worseSign * test.shift.estimate;
    const upper = badness + test.fromBaseline + mixtureQuantile(test.shift.noise, design.futilityLevel);
    const limit = spec.allowed(wider);
    metrics.push({
      step: test.step,
      metric: test.metric,
      change: round(toChange(spec, test.shift.estimate), 2),
      upper: round(toChange(spec, test.worseSign * upper), 2),
      pValue: Number(comparisonPValue(comparison, test.step, test.metric).toPrecision(3)),
    });
    if (test.drifted) {
      ruledOut = false;
      holding ??= `${test.step} ${test.metric} drifted during the run`;
    } else if (!(upper < limit)) {
      ruledOut = false;
      holding ??= `${test.step} ${test.metric} could still be ${Math.abs(round(toChange(spec, test.worseSign * upper), 1))}${spec.changeUnit === '%' ? '%' : ' points'} worse`;
    }
  }
  // A gated metric that could not be tested at this look (too few usable pairs) rules nothing out.
  for (const step of comparison.steps) {
    for (const m of [step.p95, step.throughput, step.errorRate]) {
      if (!m.gated || m.ci !== null || m.verdict === 'pass') continue;
      ruledOut = false;
      holding ??= `${step.name} ${m.metric} is not tested yet`;
    }
  }
  if (judgement.tests.length === 0) ruledOut = false;
  const base = { pairs, fraction: round(pairs / design.maxPairs, 4), level: Number(level.toPrecision(3)), verdict: comparison.verdict, metrics };
  const multiple = `${design.futilityMultiple}× the allowance`;
  if (comparison.verdict === 'regression') return { ...base, decision: 'regression', reason: `a regression beyond doubt at this look's level (${formatLevel(level)})` };
  if (index === design.looks.length - 1) return { ...base, decision: 'maximum', reason: 'the run reached its maximum length' };
  if (ruledOut) return { ...base, decision: 'ruled-out', reason: `${multiple} ruled out: every gated metric's ${Math.round(design.futilityLevel * 100)}% upper bound is below ${multiple}` };
  return { ...base, decision: 'continue', reason: holding ?? 'undecided' };
}

/**
 * Runs the design over a record's pairs, as a sequential run would have: judges each look in
 * turn and stops at the first decided one. `judge(pairs, alpha)` judges the first `pairs` pairs
 * at level `alpha`; it is called once per look taken.
 */
export function runSequential(
  judge: (pairs: number, alpha: number) => PairedJudgement,
  design: SequentialDesign,
  options: ResolvedCompareOptions,
  availablePairs: number = design.maxPairs,
): { looks: SequentialLook[]; stop: SequentialLook; judgement: PairedJudgement } {
  const looks: SequentialLook[] = [];
  for (let i = 0; i < design.looks.length; i++) {
    const last = i === design.looks.length - 1 || (design.looks[i + 1] as number) > availablePairs;
    const pairs = Math.min(design.looks[i] as number, availablePairs);
    const judgement = judge(pairs, design.nominal[i] as number);
    const look = decideLook(judgement, last ? { ...design, looks: design.looks.slice(0, i + 1) } : design, i, options);
    looks.push(look);
    if (look.decision !== 'continue') return { looks, stop: look, judgement };
  }
  throw new Error('a sequential design ends with a look at its maximum');
}

function comparisonPValue(comparison: Comparison, stepName: string, metric: GatedMetric): number {
  const step = comparison.steps.find((s) => s.name === stepName);
  const m = step?.[metric];
  return m?.pValue ?? 1;
}

function formatLevel(level: number): string {
  return level >= 0.001 ? level.toFixed(3) : level.toExponential(1);
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
