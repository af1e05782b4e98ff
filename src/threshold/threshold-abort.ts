import type { AbortWatch } from './threshold-data.js';
import type { ProfileThreshold } from '../config/profile-types.js';
import { holds } from './threshold-expression.js';
import { observeThreshold, thresholdExpressions } from './thresholds.js';

/** How often the running tallies are judged: often enough to stop soon, rarely enough to cost nothing. */
export const ABORT_CHECK_MS = 1000;

/**
 * The profile's abortOnFail thresholds as a watch the engine runs while the load goes on: each
 * look judges them on what was measured so far (the warm-up left out; in a paired run, the head's
 * measured blocks), skipping those whose delayAbortEval has not passed (counted in the run's time
 * since the warm-up), and names the first one broken. Undefined when none aborts.
 * A threshold with no data yet (no request of its step so far) does not abort.
 */
export function abortWatchFor(thresholds: readonly ProfileThreshold[], everyMs = ABORT_CHECK_MS): AbortWatch | undefined {
  const aborting = thresholdExpressions(thresholds).filter((t) => t.abortOnFail !== undefined);
  if (aborting.length === 0) return undefined;
  return {
    everyMs,
    check(source, sinceWarmupMs) {
      for (const threshold of aborting) {
        if (sinceWarmupMs < (threshold.abortOnFail?.delayAbortEvalMs ?? 0)) continue;
        const observed = observeThreshold(threshold, source);
        if (observed !== null && !holds(observed, threshold.parsed.operator, threshold.parsed.limit)) return { metric: threshold.metric, expression: threshold.expression, observed };
      }
      return undefined;
    },
  };
}
