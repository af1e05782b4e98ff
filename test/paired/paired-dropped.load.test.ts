import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePaired } from '../../src/compare/compare-paired.js';
import type { PairingSettings } from '../../src/record/paired-layout.js';
import { DEFAULT_PAIRING } from '../../src/plan/paired-schedule.js';
import { pairedDroppedIterationLines } from '../../src/record/dropped-iterations.js';
import type { PairedRecord } from '../../src/record/paired-record-types.js';
import type { ScenarioRecord } from '../../src/record/run-record-types.js';
import { syntheticPairedRun } from '../../src/validate/paired-synthetic.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom } from '../../src/validate/synthetic-runs.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith } from '../helpers/profiles.js';
import { runPairedProfile } from '../helpers/run-paired.js';

const open = (paired: PairedRecord, arm: 'head' | 'base'): ScenarioRecord => Object.values(paired[arm].scenarios)[0] as ScenarioRecord;

describe('dropped iterations in paired mode, per arm', () => {
  let slow: LoopbackServer;
  let fast: LoopbackServer;
  beforeAll(async () => {
    slow = await startServer((req, res) => {
      req.resume();
      setTimeout(() => res.end('ok'), 200);
    });
    fast = await startServer((req, res) => {
      req.resume();
      res.end('ok');
    });
  });
  afterAll(async () => {
    await Promise.all([slow.close(), fast.close()]);
  });

  it('are counted for the arm whose block an iteration was due in, so a head too slow for the VU pool drops and its base does not', async () => {
    // 100 iterations a second on at most 6 VUs: a 200 ms head can start 30 a second, the base all of them.
    const profile = profileWith({
      target: slow.url,
      warmupMs: 1000,
      blockMs: 250,
      scenarios: [{ executor: { type: 'constant-arrival-rate', rate: 100, timeUnitMs: 1000, durationMs: 9000, preAllocatedVUs: 6, maxVUs: 6 } }],
    });
    const pairing: PairingSettings = { blockMs: 1000, settleMs: 250, order: 'abba', seed: 1 };
    const { paired } = await runPairedProfile(profile, fast.url, pairing);
    const [head, base] = [open(paired, 'head'), open(paired, 'base')];
    // Every iteration due is one arm's: the two shares add up to the schedule's 900, about half each
    // (9 blocks after warm-up, 5 head and 4 base; the warm-up alternates every second).
    expect((head.intendedIterations ?? 0) + (base.intendedIterations ?? 0)).toBeGreaterThanOrEqual(898);
    expect((head.intendedIterations ?? 0) + (base.intendedIterations ?? 0)).toBeLessThanOrEqual(901);
    expect(head.intendedIterations).toBeGreaterThan(300);
    expect(base.intendedIterations).toBeGreaterThan(300);
    // Head dropped most of its share; the base only a few, due while head's last iterations held the VUs.
    expect(head.droppedIterations).toBeGreaterThan(150);
    expect(head.droppedIterations as number).toBeGreaterThan(4 * (base.droppedIterations as number));
    expect(head.achievedRate).toBeLessThan(0.7 * (head.intendedRate as number));
    // The base loses a little at each switch: head's last iterations hold the VUs into its settle.
    expect(base.achievedRate).toBeGreaterThan(0.75 * (base.intendedRate as number));
    expect(head.iterations + base.iterations).toBeLessThanOrEqual(900 - (head.droppedIterations as number) - (base.droppedIterations as number));

    const lines = pairedDroppedIterationLines(paired);
    expect(lines[0]).toMatch(new RegExp(`^head \\(${slow.url.replace(/\./g, '\\.')}\\): scenario s0: ${head.droppedIterations} of ${head.intendedIterations} iterations dropped \\(no free VU; raise maxVUs\\)`));

    const comparison = comparePaired({ paired, options: { minBlocks: 2 } });
    expect(comparison.notes.some((n) => n.startsWith(`Iterations were dropped for want of a free VU (raise maxVUs): ${head.droppedIterations} of ${head.intendedIterations} in head's blocks`))).toBe(true);
    const throughput = comparison.steps[0]?.throughput;
    expect(throughput?.reason ?? '').not.toMatch(/set by the arrival rate/);
    expect(throughput?.change).toBeLessThan(-20);
  }, 30_000);
});

describe('throughput in paired mode is a question only where it can change', () => {
  const paired = syntheticPairedRun({ model: { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 30 }, pairing: DEFAULT_PAIRING, random: seededRandom(5), sequence: 0 });

  it('is set by the arrival rate when neither arm dropped an iteration', () => {
    const comparison = comparePaired({ paired });
    expect(comparison.steps[0]?.throughput).toMatchObject({ verdict: 'pass', reason: 'set by the arrival rate: no run dropped iterations or fell short of it' });
    expect(comparison.notes.some((n) => n.startsWith('Iterations were dropped'))).toBe(false);
    expect(pairedDroppedIterationLines(paired)).toEqual([]);
  });

  it('is compared, and the note says which arm dropped how many, when one arm did', () => {
    const load = open(paired, 'base');
    const dropping = { ...paired, base: { ...paired.base, scenarios: { load: { ...load, droppedIterations: 40, achievedRate: 70 } } } };
    const comparison = comparePaired({ paired: dropping });
    expect(comparison.steps[0]?.throughput.reason ?? '').not.toMatch(/set by the arrival rate/);
    expect(comparison.notes).toContain(`Iterations were dropped for want of a free VU (raise maxVUs): 0 of ${open(paired, 'head').intendedIterations} in head's blocks, 40 of ${load.intendedIterations} in base's; the arrival rate no longer sets throughput, so it is compared.`);
    expect(pairedDroppedIterationLines(dropping)).toEqual([`base (http://127.0.0.1:3000): scenario load: 40 of ${load.intendedIterations} iterations dropped (no free VU; raise maxVUs): 70/s of 75/s`]);
  });
});
