import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePaired } from '../../src/compare/compare-paired.js';
import { comparisonProblem } from '../../src/compare/comparison-schema.js';
import type { PairingSettings } from '../../src/record/paired-layout.js';
import type { PairedRecord } from '../../src/record/paired-record-types.js';
import { parsePairedRecord } from '../../src/record/read-paired-record.js';
import { renderHeadline } from '../../src/report/headline.js';
import type { LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runPairedProfile } from '../helpers/run-paired.js';
import { startServerTimingTarget } from '../helpers/server-timing-target.js';

/**
 * Server-Timing in paired mode: two loopback targets that answer at once and say where their time
 * went, the base `db;dur=10, app;dur=5`, the head `db;dur=40, app;dur=5`. Each arm's record keeps
 * its own components, the comparison pairs them block by block (an interval for each), and with
 * `regression.serverTiming: { db: 20% }` the head's db fails the run, named in the verdict.
 * 160 requests a second in 0.5 s paired blocks whose first 0.125 s after a switch is a settle
 * (about 60 requests a measured block): fourteen pairs take 1 + 0.875·13 s after the warm-up. The
 * paired test is a sign-flip test, which cannot be sure of anything with a few pairs: with
 * fourteen, db's change is beyond doubt even after the correction for the run's other tests.
 */
const PAIRING: PairingSettings = { blockMs: 500, settleMs: 125, order: 'abba', seed: 1 };
const PAIRS = 14;

describe('Server-Timing in a paired run', () => {
  let head: LoopbackServer;
  let base: LoopbackServer;
  let paired: PairedRecord;
  beforeAll(async () => {
    [head, base] = await Promise.all([startServerTimingTarget({ '/checkout': 'db;dur=40, app;dur=5' }), startServerTimingTarget({ '/checkout': 'db;dur=10, app;dur=5' })]);
    const profile = profileWith({
      target: head.url,
      warmupMs: 1000,
      blockMs: 125,
      journeys: [{ name: 'j', weight: 1, steps: [step('GET /checkout', { name: 'checkout' })] }],
      scenarios: [{ executor: { type: 'constant-arrival-rate', rate: 160, timeUnitMs: 1000, durationMs: 1000 + 1000 + 875 * (PAIRS - 1), preAllocatedVUs: 30, maxVUs: 80 } }],
    });
    ({ paired } = await runPairedProfile(profile, base.url, PAIRING));
  }, 60_000);
  afterAll(async () => {
    await Promise.all([head.close(), base.close()]);
  });

  it('records each arm’s components apart, in its own blocks', () => {
    const timing = (arm: 'head' | 'base') => paired[arm].steps.checkout?.serverTiming;
    expect(Object.keys(timing('head')?.components ?? {}).sort()).toEqual(['app', 'db']);
    expect(Object.keys(timing('base')?.components ?? {}).sort()).toEqual(['app', 'db']);
    for (const arm of ['head', 'base'] as const) {
      const db = timing(arm)?.components.db;
      expect(db?.blocks.length).toBe(paired[arm].blocks.length);
      // Only measured requests: as many durations as the arm's step measured (every response carried the header).
      expect(db?.entries).toBe(paired[arm].steps.checkout?.requests);
    }
    // The paired record, written and read back, keeps them.
    const read = parsePairedRecord(JSON.stringify(paired), 'paired.json');
    expect(read.head.steps.checkout?.serverTiming).toEqual(timing('head'));
  });

  it('breaks the paired change down by component with intervals, and gates db when asked', () => {
    const reported = comparePaired({ paired });
    const [db, app] = reported.steps.find((s) => s.name === 'checkout')?.serverTiming?.components ?? [];
    expect(db).toMatchObject({ name: 'db', baselineRuns: 1 });
    expect(db?.interval?.changeMs).toBeCloseTo(30, 0);
    // Identical durations, so every pair moved alike: the interval is as wide as the sign-flip test with these pairs allows, and excludes no change.
    expect(db?.interval?.ci.lowMs).toBeGreaterThan(0);
    expect(db?.interval?.ci.highMs).toBeGreaterThan(30);
    expect(db?.interval).toMatchObject({ gated: false, verdict: null, historyRuns: 1 });
    expect(db?.interval?.currentBlocks).toBeGreaterThanOrEqual(PAIRS);
    expect(Math.abs(app?.interval?.changeMs ?? 99)).toBeLessThan(0.5);
    expect(comparisonProblem(JSON.parse(JSON.stringify(reported)))).toBeUndefined();

    const gated = comparePaired({ paired, options: { serverTiming: { byName: { db: 20 } } } });
    const gatedDb = gated.steps.find((s) => s.name === 'checkout')?.serverTiming?.components.find((c) => c.name === 'db');
    expect(gatedDb?.interval).toMatchObject({ gated: true, allowedPct: 20, verdict: 'regression' });
    expect(gated.verdict).toBe('regression');
    expect(gated.settings.correctedTestNames).toContain('checkout server_timing db');
    expect(renderHeadline(gated).join('\n')).toMatch(/Server-Timing <code>db<\/code> of <code>checkout<\/code> rose \+30\.\d ms \(CI .*\), \+300% \(p95 10\.0 ms → 40\.0 ms\), beyond the 20% allowed\./);
  });
});
