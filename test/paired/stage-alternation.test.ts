import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageHolds } from '../../src/engine/paired-load-shape.js';
import { fixedReadings } from '../../src/engine/self-monitor.js';
import { recordingLogger } from '../../src/logging.js';
import { buildPlan } from '../../src/plan/plan.js';
import { DEFAULT_PAIRING, MIN_TURNS_PER_STAGE, pairingForStages, SHORT_RUN_PAIRING, stageShares, type PairingSettings } from '../../src/plan/paired-schedule.js';
import { PairedTimeline } from '../../src/record/paired-layout.js';
import { armOnRunClock } from '../../src/analyze/paired-arms.js';
import { executePaired } from '../../src/run/execute-paired.js';
import { profileWith } from '../helpers/profiles.js';
import { staircaseProfile } from './paired-staircase.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';

/**
 * A paired run shares every stage of its load between both targets: each gets turns inside each
 * stage of a staircase (at least MIN_TURNS_PER_STAGE), so both see the same offered rate at the
 * same moment and a busy runner hits both alike.
 */

/** A run's environment that prints nothing and whose self-check reads an idle generator, so a busy machine cannot decide. */
const quietRunIo = () => ({ env: {}, logger: recordingLogger(), stdout: new PassThrough(), stderr: new PassThrough(), isTty: false, generatorReadings: () => fixedReadings() });

const layoutFor = (plan: ReturnType<typeof buildPlan>) => (pairing: PairingSettings, recordBlockMs: number) => new PairedTimeline(plan.warmupMs, plan.durationMs - plan.warmupMs, recordBlockMs, pairing);

function chosenFor(stepMs: number, wanted: Partial<PairingSettings> = {}, rates = [20, 40, 60, 80, 100, 120]) {
  const plan = buildPlan(staircaseProfile('http://127.0.0.1:1', rates, stepMs, 1000));
  const holds = stageHolds(plan);
  const chosen = pairingForStages(plan.blockMs, plan.durationMs - plan.warmupMs, holds, layoutFor(plan), wanted);
  return { plan, holds, chosen, shares: stageShares(layoutFor(plan)(chosen.settings, chosen.recordBlockMs), holds) };
}

describe('the stages of a paired run’s load', () => {
  it('are the stretches where the planned load holds a level, within the measured period', () => {
    const { holds } = chosenFor(9000);
    expect(holds).toEqual([0, 1, 2, 3, 4, 5].map((i) => ({ startMs: 1000 + i * 9000, endMs: 1000 + (i + 1) * 9000 })));
    const ramp = buildPlan(profileWith({ target: 'http://127.0.0.1:1', scenarios: [{ executor: { type: 'ramping-arrival-rate', startRate: 10, timeUnitMs: 1000, stages: [{ durationMs: 30_000, target: 100 }], preAllocatedVUs: 5, maxVUs: 5 } }] }));
    expect(stageHolds(ramp)).toEqual([]);
  });

  it('each get both targets in turns: 12 s stages keep the default 1.5 s blocks, every stage with 2 turns or more of each', () => {
    const { chosen, shares } = chosenFor(12_000);
    expect(chosen.settings).toEqual(DEFAULT_PAIRING);
    expect(chosen.thin).toEqual([]);
    for (const share of shares) {
      expect(Math.min(...share.turns)).toBeGreaterThanOrEqual(MIN_TURNS_PER_STAGE);
      // Both targets measured for a like share of the stage: neither more than twice the other.
      expect(Math.max(...share.measuredMs)).toBeLessThanOrEqual(2 * Math.min(...share.measuredMs));
    }
  });

  it('shorter stages get shorter blocks (recorded in 0.5 s), so both targets still alternate within each', () => {
    const defaultShares = stageShares(layoutFor(chosenFor(6000).plan)(DEFAULT_PAIRING, 1000), chosenFor(6000).holds);
    expect(defaultShares.some((share) => Math.min(...share.turns) < MIN_TURNS_PER_STAGE)).toBe(true);
    const { chosen, shares } = chosenFor(6000);
    expect(chosen.settings).toEqual(SHORT_RUN_PAIRING);
    expect(chosen.recordBlockMs).toBe(500);
    expect(chosen.thin).toEqual([]);
    for (const share of shares) expect(Math.min(...share.turns)).toBeGreaterThanOrEqual(MIN_TURNS_PER_STAGE);
  });

  it('keeps blocks that were asked for, and names the stages they leave a target too few turns in', () => {
    const { chosen } = chosenFor(6000, { blockMs: 3500, settleMs: 500 });
    expect(chosen.settings.blockMs).toBe(3500);
    expect(chosen.thin.length).toBeGreaterThan(0);
  });

  it('names stages too short for any blocks (2 s), and a steady load keeps the default', () => {
    expect(chosenFor(2000).chosen.thin.length).toBeGreaterThan(0);
    const { chosen } = chosenFor(60_000, {}, [50]);
    expect(chosen.settings).toEqual(DEFAULT_PAIRING);
    expect(chosen.thin).toEqual([]);
  });
});

describe('a short paired staircase on loopback', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer((_req, res) => res.end('ok'));
  });
  afterAll(async () => {
    await server.close();
  });

  // 3 stages of 3 s (9.5 s of load at 20–40 a second): what is asserted is where blocks fell, not how fast they were.
  it('gives both targets blocks in every stage, at that stage’s level', async () => {
    const rates = [20, 30, 40];
    const paired = await executePaired(staircaseProfile(server.url, rates, 3000, 500, 500), server.url, quietRunIo(), { quiet: true, fixed: true });
    expect(paired.meta.pairing.blockMs).toBe(SHORT_RUN_PAIRING.blockMs);
    for (const arm of ['head', 'base'] as const) {
      const levels = armOnRunClock(paired, arm).series.points.map((p) => p.planned);
      for (const rate of rates) expect(levels).toContain(rate);
    }
  }, 60_000);
});
