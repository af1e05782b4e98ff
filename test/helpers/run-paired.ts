import type { Profile } from '../../src/config/profile-types.js';
import { monotonicClock } from '../../src/engine/clock.js';
import { LoadRun } from '../../src/engine/engine.js';
import { createHttpClient } from '../../src/engine/http-client.js';
import { pairedHttpClient } from '../../src/engine/paired-http-client.js';
import { PairedTimeline, type PairingSettings } from '../../src/record/paired-layout.js';
import { fixedReadings, SelfMonitor } from '../../src/engine/self-monitor.js';
import { buildPlan } from '../../src/plan/plan.js';
import { PAIRED_SCHEMA, type PairedRecord } from '../../src/record/paired-record-types.js';

/**
 * Runs a profile in paired mode (head = the profile's target, base = `baseTarget`) with the real
 * clock and two real undici pools, as `tailgate run --baseline-target` does, and a self-check that
 * reads an idle generator, so a busy machine cannot decide the verdict. Returns the paired record
 * and the hrtime the run started at (for matching server-side arrival times to blocks).
 */
export async function runPairedProfile(
  profile: Profile,
  baseTarget: string,
  pairing: PairingSettings,
  options: { monitor?: SelfMonitor } = {},
): Promise<{ paired: PairedRecord; runStart: bigint; timeline: PairedTimeline }> {
  const plan = buildPlan(profile);
  const basePlan = buildPlan({ ...profile, target: baseTarget });
  const timeline = new PairedTimeline(plan.warmupMs, plan.durationMs - plan.warmupMs, plan.blockMs, pairing);
  const http = pairedHttpClient(
    { http: createHttpClient(plan.origin, { connections: plan.maxConcurrency }), basePath: plan.basePath },
    { http: createHttpClient(basePlan.origin, { connections: plan.maxConcurrency }), basePath: basePlan.basePath },
  );
  const clock = monotonicClock();
  const runStart = process.hrtime.bigint();
  const run = new LoadRun(plan, { clock, http, seed: 1, monitor: options.monitor ?? new SelfMonitor({ readings: fixedReadings() }), pairing: timeline, liveProgress: false });
  const arms = await run.runPaired({ target: profile.target }, { target: baseTarget });
  return {
    paired: {
      schema: PAIRED_SCHEMA,
      meta: { pairing: { ...pairing, settleAt: 'switch', excludedRequests: arms.excludedRequests } },
      order: [...timeline.order],
      head: arms.head,
      base: arms.base,
    },
    runStart,
    timeline,
  };
}
