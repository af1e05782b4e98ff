import type { PairedRunOptions } from '../run/execute-paired.js';
import type { executeProfile } from '../run/execute-profile.js';
import type { ActionInputs } from './inputs.js';

type RunOptions = NonNullable<Parameters<typeof executeProfile>[2]>;

/**
 * What the inputs ask of the run: the wait for the target, this job's shard, and the seed (before
 * the profile's, as the CLI's `--seed`). The Action's paired step gets the same wait and seed, and
 * `fixed`.
 */
export function runOptions(inputs: Pick<ActionInputs, 'waitTimeoutMs' | 'shard' | 'seed'>): RunOptions {
  return { waitForTargetMs: inputs.waitTimeoutMs, ...(inputs.shard ? { shard: inputs.shard } : {}), ...(inputs.seed !== undefined ? { seed: inputs.seed } : {}) };
}

export function pairedRunOptions(inputs: Pick<ActionInputs, 'waitTimeoutMs' | 'seed' | 'fixed' | 'maxDurationMs'>): PairedRunOptions {
  return {
    waitForTargetMs: inputs.waitTimeoutMs,
    quiet: true,
    fixed: inputs.fixed,
    ...(inputs.seed !== undefined ? { pairing: { seed: inputs.seed } } : {}),
    ...(inputs.maxDurationMs !== undefined ? { maxDuration: { ms: inputs.maxDurationMs, name: 'max-duration' } } : {}),
  };
}
