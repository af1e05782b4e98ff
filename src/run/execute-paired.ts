import { abortWatchFor } from '../threshold/threshold-abort.js';
import type { Profile } from '../config/profile-types.js';
import type { CompareOptions } from '../compare/compare-options.js';
import { resolveCompareOptions } from '../compare/compare-options.js';
import { SequentialLooks } from '../compare/sequential-looks.js';
import { sequentialDesign } from '../compare/sequential-paired.js';
import { monotonicClock } from '../engine/clock.js';
import { LoadRun } from '../engine/engine.js';
import { createHttpClient } from '../engine/http-client.js';
import { pairedHttpClient } from '../engine/paired-http-client.js';
import { PairedTimeline, type PairingSettings } from '../record/paired-layout.js';
import { MIN_TURNS_PER_STAGE, pairingForStages } from '../plan/paired-schedule.js';
import { stageHolds } from '../engine/paired-load-shape.js';
import { buildPlan } from '../plan/plan.js';
import { capDuration } from '../plan/max-duration.js';
import { UserError } from '../user-error.js';
import { PAIRED_SCHEMA, type PairedRecord } from '../record/paired-record-types.js';
import { describeTransport } from './target-transport.js';
import { pairedRunScrapeWarning } from './metrics-scrape.js';
import { ensureReachable, generatorMonitor, hidingSecrets, poolOptions, targetAsShown, probeHeaders, runContext, runSeed, transportTo, warnIfAborted, whileRunning } from './execute-profile.js';
import type { RunIo } from './run-io.js';

export interface PairedRunOptions {
  quiet?: boolean;
  /** Poll both targets until they answer HTTP, up to this long (the Action); else one connection check each. */
  waitForTargetMs?: number;
  pairing?: Partial<PairingSettings>;
  /** The comparison's settings (threshold, α), which the stopping rule judges by; the profile's regression settings by default. */
  compare?: CompareOptions;
  /** Run the whole length, as before sequential verdicts (`--fixed`); by default the run stops once its verdict is decided. */
  fixed?: boolean;
  /** The most the run may take, below the profile's length (`--max-duration`, the Action's `max-duration`; `name` is how errors call it). */
  maxDuration?: { ms: number; name: string };
}

/**
 * Paired mode: runs a loaded profile once against two targets in alternating blocks (see
 * `record/paired-layout.ts`), head being the profile's target and base `baseTarget`, one pool
 * each, and returns the paired record. Both targets must answer first; load goes only to their
 * two origins, redirects are never followed. An abortOnFail threshold broken by the head stops
 * the run; both arms' records then say so in `meta.aborted`.
 *
 * By default the run is sequential: the profile's duration is the most it takes, and after each
 * ABBA group from the first planned look the pairs so far are judged by the stopping rule
 * (`compare/sequential-looks.ts`); once the verdict is decided the load stops, and the record's
 * `meta.sequential` keeps every look. `fixed`, or a run too short to look early, runs its length.
 */
export async function executePaired(whole: Profile, baseTarget: string, io: RunIo, options: PairedRunOptions = {}): Promise<PairedRecord> {
  const cut = options.maxDuration === undefined ? { profile: whole } : capDuration(whole, options.maxDuration.ms);
  if ('problem' in cut) throw new UserError(`${options.maxDuration?.name} ${cut.problem}`);
  const profile = cut.profile;
  const headPlan = buildPlan(profile);
  const wholeMs = profile === whole ? headPlan.durationMs : buildPlan(whole).durationMs;
  const baseProfile = { ...profile, target: baseTarget };
  const basePlan = buildPlan(baseProfile);
  // What the log and the records show of the targets: values from the environment as ***.
  const shown = { head: targetAsShown(profile, headPlan), base: targetAsShown(baseProfile, basePlan) };
  const logger = hidingSecrets(io.logger, profile.secrets);
  if (basePlan.origin === headPlan.origin && basePlan.basePath === headPlan.basePath) {
    logger.warn(`the base target is the head target (${shown.head}): the run compares the target with itself`);
  }
  // Both arms are reached as a single run reaches its target: the same TLS trust, each its proxy (or none).
  describeTransport(profile, [headPlan.origin, basePlan.origin], logger);
  if (profile.metrics) logger.warn(pairedRunScrapeWarning(profile.metrics));
  const transports = [transportTo(profile, headPlan.origin, { ...io, logger }), transportTo(profile, basePlan.origin, { ...io, logger })] as const;
  for (const [arm, p, transport] of [['head', headPlan, transports[0]], ['base', basePlan, transports[1]]] as const) {
    await ensureReachable(p.origin, options.waitForTargetMs, logger, { url: p.origin + p.basePath, headers: probeHeaders(profile), transport, secrets: profile.secrets }, `${arm} target`);
  }
  // The schedule follows the run's length unless asked for (a short run gets shorter blocks, recorded finer),
  // and shares every stage of the load between both targets (short stages get shorter blocks too).
  const measuredMs = headPlan.durationMs - headPlan.warmupMs;
  const layout = (pairing: PairingSettings, recordBlockMs: number) => new PairedTimeline(headPlan.warmupMs, measuredMs, recordBlockMs, pairing);
  const chosen = pairingForStages(headPlan.blockMs, measuredMs, stageHolds(headPlan), layout, options.pairing);
  const settings = chosen.settings;
  const plan = chosen.recordBlockMs === headPlan.blockMs ? headPlan : { ...headPlan, blockMs: chosen.recordBlockMs };
  const timeline = layout(settings, plan.blockMs);
  if (chosen.thin.length > 0) {
    const shortest = Math.min(...chosen.thin.map((hold) => hold.endMs - hold.startMs));
    io.logger.warn(
      `${chosen.thin.length} stage(s) of the load (the shortest ${(shortest / 1000).toFixed(1)} s) give a target fewer than ${MIN_TURNS_PER_STAGE} turns of ${settings.blockMs / 1000} s blocks: its answers at those levels rest on too little; lengthen those stages${options.pairing?.blockMs === undefined ? '' : ' or use shorter blocks'}`,
    );
  }
  if (timeline.blocks < 4) {
    io.logger.warn(
      `the profile measures ${((plan.durationMs - plan.warmupMs) / 1000).toFixed(0)} s: ${timeline.blocks} paired block(s) of ${settings.blockMs / 1000} s, too few to judge; run longer or use shorter blocks`,
    );
  }
  const http = pairedHttpClient(
    { http: createHttpClient(plan.origin, poolOptions(plan, transports[0])), basePath: plan.basePath },
    { http: createHttpClient(basePlan.origin, poolOptions(plan, transports[1])), basePath: basePlan.basePath },
  );
  // --seed seeds the pair order and the run's random choices alike.
  const seed = runSeed(profile, options.pairing?.seed);
  // abortOnFail thresholds are judged on the head's measurements as the load goes on; one broken stops both targets.
  const abortWatch = abortWatchFor(profile.thresholds);
  const compare = options.compare ?? profile.regression;
  const design = options.fixed ? undefined : sequentialDesign(Math.floor(timeline.blocks / 2), resolveCompareOptions(compare).alpha);
  const pairingMeta = { order: settings.order, seed: settings.seed, blockMs: settings.blockMs, settleMs: settings.settleMs, settleAt: 'switch' as const };
  const looks = design && new SequentialLooks(design, compare, pairingMeta, timeline.order, plan.durationMs - plan.warmupMs);
  const run = new LoadRun(plan, {
    clock: monotonicClock(),
    http,
    seed,
    liveProgress: !options.quiet,
    monitor: generatorMonitor(profile, io),
    pairing: timeline,
    ...(abortWatch ? { abortWatch } : {}),
    ...(looks ? { stopNow: (look) => looks.stopNow(look) } : {}),
  });
  const capped = wholeMs > plan.durationMs ? ` (${options.maxDuration?.name}; the profile runs ${(wholeMs / 1000).toFixed(0)}s)` : '';
  const length = looks
    ? `at most ${(plan.durationMs / 1000).toFixed(0)}s${capped}, stopping once decided (looks at ${looks.design.looks.join(', ')} pairs)`
    : `${(plan.durationMs / 1000).toFixed(0)}s${capped}${options.fixed ? '' : ' (too short to stop early)'}`;
  io.logger.info(
    `tailgate: ${profile.id} paired: head ${shown.head}, base ${shown.base}: ${timeline.blocks} blocks of ${settings.blockMs / 1000} s (${settings.order === 'abba' ? 'ABBA' : `random pairs, seed ${settings.seed}`}, ${settings.settleMs / 1000} s settle), ${length}, seed ${seed}`,
  );
  const arms = await whileRunning(
    run,
    io,
    options.quiet,
    () => run.runPaired(runContext(shown.head, io.env), runContext(shown.base, io.env)),
    profile.secrets,
  );
  warnIfAborted(arms.head, io.logger);
  const paired: PairedRecord = {
    schema: PAIRED_SCHEMA,
    meta: { pairing: { ...pairingMeta, excludedRequests: arms.excludedRequests } },
    order: [...timeline.order],
    base: arms.base,
    head: arms.head,
  };
  if (looks === undefined) return paired;
  const sequential = looks.finish(paired);
  if (sequential.stoppedAtPairs !== undefined) {
    const stop = sequential.looks[sequential.looks.length - 1];
    io.logger.info(`tailgate: decided after ${sequential.stoppedAtPairs} of at most ${sequential.maxPairs} block pairs: ${stop?.reason ?? ''}`);
  }
  return { ...paired, meta: { ...paired.meta, sequential } };
}
