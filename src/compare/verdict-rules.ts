import type { Conclusion, StepComparison, ThresholdResult, Verdict } from './comparison-types.js';

/** How metric verdicts add up to a step's, the run's, and the check's conclusion. */

const SEVERITY: readonly Verdict[] = ['regression', 'inconclusive', 'improvement', 'pass', 'no-baseline'];

/** The verdict that matters most: any regression, else any inconclusive, else any improvement, else pass. */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  for (const verdict of SEVERITY) if (verdicts.includes(verdict)) return verdict;
  return 'no-baseline';
}

/**
 * The run's verdict from its gated metrics: regression if any regressed, else inconclusive if any
 * p95 or throughput was, else improvement if any improved, else pass. A saturated generator makes any comparison
 * inconclusive: its numbers describe the generator, not the target.
 */
export function overallVerdict(steps: readonly StepComparison[], hasHistory: boolean, generatorValid: boolean): Verdict {
  if (!hasHistory) return 'no-baseline';
  const gated = steps.flatMap((step) => [step.p95, step.throughput, step.errorRate]).filter((m) => m.gated);
  if (gated.length === 0) return 'inconclusive';
  // The error rate is a one-sided guard: it fails on a significant rise beyond the allowance, but
  // cannot hold the gate in doubt. Proving "no rise of one point" takes thousands of requests, so
  // an inconclusive error rate would make nearly every short run inconclusive.
  const verdict = worstVerdict(gated.map((m) => (m.metric === 'errorRate' && m.verdict === 'inconclusive' ? 'pass' : m.verdict)));
  if (!generatorValid && verdict !== 'no-baseline') return 'inconclusive';
  return verdict;
}

/** Failure on a regression or a broken threshold; neutral when nothing could be concluded. */
export function conclusionOf(verdict: Verdict, thresholds: readonly ThresholdResult[]): Conclusion {
  if (verdict === 'regression' || thresholds.some((t) => t.status === 'broken')) return 'failure';
  return verdict === 'inconclusive' || verdict === 'no-baseline' ? 'neutral' : 'success';
}
