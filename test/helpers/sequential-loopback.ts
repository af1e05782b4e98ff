import { PassThrough } from 'node:stream';
import type { Profile } from '../../src/config/profile-types.js';
import { fixedReadings } from '../../src/engine/self-monitor.js';
import { recordingLogger } from '../../src/logging.js';
import type { RunIo } from '../../src/run/run-io.js';
import { profileWith } from './profiles.js';

/**
 * What sequential paired runs on loopback share (paired-sequential.experiment.ts and
 * paired-sequential-run.test.ts): 100 requests a second, a 1 s warm-up and 500 ms blocks, against
 * servers in their own threads answering after a cycle of delays.
 */
export function sequentialProfile(target: string, durationMs: number): Profile {
  return profileWith({
    target,
    warmupMs: 1000,
    blockMs: 500,
    scenarios: [{ executor: { type: 'constant-arrival-rate', rate: 100, timeUnitMs: 1000, durationMs, preAllocatedVUs: 20, maxVUs: 100 } }],
  });
}

/**
 * A p95 allowance of 50%, not the default 10%: what is tested is when a sequential run stops, not
 * the gate's power (docs/paired.md measures that). Beside 10%, twice the allowance could not be
 * ruled out early on a machine shared with other work; a threefold head is far beyond 50%.
 */
export const SEQUENTIAL_COMPARE = { thresholdPct: 50 };

/**
 * A cycle of delays around 20 ms with a slow tail, so that block p95s vary as real ones do. Not
 * around 5 ms: on a machine shared with other work (load average 13) the generator's own lateness,
 * tens of ms, hid a threefold slowdown of 5 ms and kept an unchanged head from being ruled out
 * early; beside 20 ms it weighs less.
 */
export const SEQUENTIAL_DELAYS = [3, 4, 5, 4, 6, 3, 5, 4, 12, 5, 4, 3, 5, 6, 4, 20, 4, 5, 3, 4].map((ms) => ms * 4);

/** A run's environment that prints nothing and whose self-check reads an idle generator, so a busy machine cannot decide. */
export function quietRunIo(): RunIo & { logger: ReturnType<typeof recordingLogger> } {
  return { env: {}, logger: recordingLogger(), stdout: new PassThrough(), stderr: new PassThrough(), isTty: false, generatorReadings: () => fixedReadings() };
}
