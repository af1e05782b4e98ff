import { decodeCounts, percentileOfCounts } from '../record/latency-counts.js';
import type { RunRecord } from '../record/run-record-types.js';
import type { ServerTimingBreakdown, ServerTimingChange, StepComparison } from './comparison-types.js';
import type { ComponentResults } from './server-timing-tests.js';
import { worstVerdict } from './verdict-rules.js';

/**
 * Where a step's change went by the target's own account: each `Server-Timing` component's p95
 * of `dur` in this run against the baseline runs' (the median of their p95s, each run that
 * reported the component counting once), the change in ms and percent. These are the point
 * changes people read; each change's interval (and verdict, when gated) comes from
 * `server-timing-tests.ts`. Components are listed by how far they moved, the largest first. A
 * step none of whose runs carried the header gets no breakdown.
 */
export function serverTimingBreakdown(step: string, current: RunRecord, history: readonly RunRecord[]): ServerTimingBreakdown | undefined {
  const timingOf = (run: RunRecord) => (Object.hasOwn(run.steps, step) ? run.steps[step]?.serverTiming : undefined);
  const now = timingOf(current);
  const before = history.map(timingOf).filter((t) => t !== undefined);
  if (now === undefined && before.length === 0) return undefined;
  const names = [...new Set([...Object.keys(now?.components ?? {}), ...before.flatMap((t) => Object.keys(t.components))])];
  const components = names.map((name): ServerTimingChange => {
    const currentP95Ms = p95Of(now?.components, name);
    const baselines = before.map((t) => p95Of(t.components, name)).filter((v): v is number => v !== null);
    const baselineP95Ms = baselines.length > 0 ? round2(median(baselines)) : null;
    const changeMs = currentP95Ms !== null && baselineP95Ms !== null ? round2(currentP95Ms - baselineP95Ms) : null;
    const changePct = changeMs !== null && baselineP95Ms !== null && baselineP95Ms > 0 ? round2((100 * changeMs) / baselineP95Ms) : null;
    return { name, currentP95Ms, baselineP95Ms, changeMs, changePct, baselineRuns: baselines.length };
  });
  components.sort((a, b) => Math.abs(b.changeMs ?? 0) - Math.abs(a.changeMs ?? 0) || (b.currentP95Ms ?? 0) - (a.currentP95Ms ?? 0) || a.name.localeCompare(b.name));
  return { components, ...(now ? { malformed: now.malformed, dropped: now.dropped } : { malformed: 0, dropped: 0 }) };
}

/**
 * Each step of a comparison with its breakdown, where its runs reported Server-Timing, each
 * component with its interval or why it has none (`results`). A step whose gated component
 * regressed is a regression.
 */
export function withServerTiming(steps: readonly StepComparison[], current: RunRecord, history: readonly RunRecord[], results: ComponentResults = new Map()): StepComparison[] {
  return steps.map((step) => {
    if (step.kind !== 'step') return step;
    const breakdown = serverTimingBreakdown(step.name, current, history);
    if (breakdown === undefined) return step;
    const tested = results.get(step.name);
    const components = breakdown.components.map((c) => ({ ...c, ...tested?.get(c.name) }));
    const regressed = components.some((c) => c.interval?.verdict === 'regression');
    return { ...step, ...(regressed ? { verdict: worstVerdict([step.verdict, 'regression']) } : {}), serverTiming: { ...breakdown, components } };
  });
}

/** The gated components that regressed, by step, the largest rise first: what the verdict names. */
export function regressedComponents(steps: readonly StepComparison[]): Array<{ step: StepComparison; component: ServerTimingChange }> {
  return steps
    .flatMap((step) => (step.serverTiming?.components ?? []).filter((c) => c.interval?.verdict === 'regression').map((component) => ({ step, component })))
    .sort((a, b) => (b.component.interval?.changeMs ?? 0) - (a.component.interval?.changeMs ?? 0));
}

/**
 * The component of a step that rose most in ms, for the verdict line ("Server-Timing: db +35 ms");
 * undefined when none rose.
 */
export function largestRise(breakdown: ServerTimingBreakdown | undefined): ServerTimingChange | undefined {
  let best: ServerTimingChange | undefined;
  for (const c of breakdown?.components ?? []) if (c.changeMs !== null && c.changeMs > 0 && (best === undefined || c.changeMs > (best.changeMs as number))) best = c;
  return best;
}

function p95Of(components: Record<string, { histogram: string }> | undefined, name: string): number | null {
  if (components === undefined || !Object.hasOwn(components, name)) return null;
  const counts = decodeCounts((components[name] as { histogram: string }).histogram);
  return counts.total === 0 ? null : round2(percentileOfCounts(counts, 95));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
