import type { ExecutorSpec, Profile, Scenario, Stage } from '../config/profile-types.js';

/**
 * A profile cut to run at most `maxMs` (a paired run's `--max-duration`): every scenario ends by
 * then, a ramp stopping where it stands at that moment (its last stage shortened, its target the
 * level the ramp had reached), a scenario that would start later left out. A profile that ends
 * sooner is returned as it is. Refused (a sentence to show) when the cut would leave nothing
 * measured: `maxMs` within the warm-up, or no scenario starting before it.
 */
export function capDuration(profile: Profile, maxMs: number): { profile: Profile } | { problem: string } {
  if (!(maxMs > profile.warmupMs)) return { problem: `is within the profile's ${profile.warmupMs / 1000} s warm-up, so nothing would be measured: give it longer than the warm-up` };
  const scenarios = profile.scenarios.flatMap((scenario): Scenario[] => {
    const available = maxMs - scenario.startTimeMs;
    if (available <= 0) return [];
    return [{ ...scenario, executor: capExecutor(scenario.executor, available) }];
  });
  if (scenarios.length === 0) return { problem: 'ends before any scenario starts (startTime): give it longer, or move the scenarios earlier' };
  return { profile: { ...profile, scenarios } };
}

function capExecutor(executor: ExecutorSpec, availableMs: number): ExecutorSpec {
  switch (executor.type) {
    case 'constant-vus':
    case 'constant-arrival-rate':
      return { ...executor, durationMs: Math.min(executor.durationMs, availableMs) };
    case 'shared-iterations':
    case 'per-vu-iterations':
      return { ...executor, maxDurationMs: Math.min(executor.maxDurationMs, availableMs) };
    case 'ramping-vus':
      return { ...executor, stages: capStages(executor.startVUs, executor.stages, availableMs, true) };
    case 'ramping-arrival-rate':
      return { ...executor, stages: capStages(executor.startRate, executor.stages, availableMs, false) };
  }
}

/** The stages up to `availableMs`, the one crossing it shortened to end there at the level its ramp had reached. */
function capStages(start: number, stages: readonly Stage[], availableMs: number, wholeTargets: boolean): Stage[] {
  const kept: Stage[] = [];
  let atMs = 0;
  let level = start;
  for (const stage of stages) {
    if (atMs + stage.durationMs <= availableMs) {
      kept.push(stage);
      atMs += stage.durationMs;
      level = stage.target;
      continue;
    }
    const left = availableMs - atMs;
    if (left > 0) {
      const reached = level + ((stage.target - level) * left) / stage.durationMs;
      kept.push({ durationMs: left, target: wholeTargets ? Math.round(reached) : reached });
    }
    break;
  }
  return kept;
}
