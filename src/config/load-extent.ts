import type { FieldPath } from './config-error.js';
import type { ExecutorSpec, Stage } from './profile-types.js';

/**
 * How long a scenario's executor lasts and the most VUs it may run at once: one reading, for the
 * caps the profile checks apply and for the plan (total duration, connection pool size).
 */

export function stagesDurationMs(stages: readonly Stage[]): number {
  return stages.reduce((sum, stage) => sum + stage.durationMs, 0);
}

/** The executor's length from its start: its duration, its stages', or its maxDuration (iteration executors). */
export function executorDurationMs(executor: ExecutorSpec): number {
  switch (executor.type) {
    case 'constant-vus':
    case 'constant-arrival-rate':
      return executor.durationMs;
    case 'shared-iterations':
    case 'per-vu-iterations':
      return executor.maxDurationMs;
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return stagesDurationMs(executor.stages);
  }
}

/** A peak and the field (under the scenario) that sets it. */
export interface Peak {
  value: number;
  field: FieldPath;
}

/** The largest value of a ramp (its start or a stage target) and the field that sets it. */
export function peakOfRamp(start: number, startField: string, stages: readonly Stage[]): Peak {
  let peak: Peak = { value: start, field: [startField] };
  stages.forEach((stage, i) => {
    if (stage.target > peak.value) peak = { value: stage.target, field: ['stages', i, 'target'] };
  });
  return peak;
}

/** The most VUs the executor may run at once, and the field that sets it. */
export function peakVus(executor: ExecutorSpec): Peak {
  switch (executor.type) {
    case 'constant-vus':
    case 'shared-iterations':
    case 'per-vu-iterations':
      return { value: executor.vus, field: ['vus'] };
    case 'ramping-vus':
      return peakOfRamp(executor.startVUs, 'startVUs', executor.stages);
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return { value: executor.maxVUs, field: [executor.maxVUs === executor.preAllocatedVUs ? 'preAllocatedVUs' : 'maxVUs'] };
  }
}
