import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithAnalysis } from '../../src/analyze/comparison-analysis.js';
import { comparePaired } from '../../src/compare/compare-paired.js';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { fixedReadings } from '../../src/engine/self-monitor.js';
import { recordingLogger } from '../../src/logging.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { executePaired } from '../../src/run/execute-paired.js';
import { clopperPearson } from '../../src/stats/binomial-interval.js';
import { runProfile } from '../helpers/run-profile.js';
import { startSlotServer, type SlotServer } from '../helpers/slot-server.js';
import { staircaseProfile } from './paired-staircase.js';

/**
 * The gate on the breaking point over many real runs, stored and paired (docs/paired.md, "The
 * breaking point on loopback"), run by hand: `npm run validate -- paired-capacity`.
 * Targets on loopback of known capacity, SLOTS workers × SERVICE_MS each (100 a second), and the
 * same at 4/3 of the service time (75 a second: a quarter of the capacity lost). An arrival-rate
 * staircase of 40% to 160% of 100 a second in 6 steps of STEP_MS.
 * - Stored: 3 unchanged runs first; then each trial an unchanged run and a run a quarter slower
 *   (in turn first), each compared with the 3 latest unchanged runs as `tailgate compare` does; the
 *   unchanged one then joins the baselines.
 * - Paired: each trial a run of an unchanged head and one of a head a quarter slower, against a
 *   base of the full capacity, `--fixed`, the blocks the run's stages get (`pairingForStages`),
 *   each judged as `tailgate compare --current paired.json` does.
 * Per mode and case: the runs whose capacity test failed (regression), with the exact 95%
 * interval, those inconclusive, the median change and the median wall time of a run.
 *
 *   TAILGATE_PAIRED_CAPACITY_RUNS   trials per mode (default 20; each trial runs both cases)
 *   TAILGATE_PAIRED_CAPACITY_STEP   each step, ms (default 6000: two turns of each target in a step)
 *   TAILGATE_PAIRED_CAPACITY_MODES  stored,paired (default both)
 */

const RUNS = Number(process.env.TAILGATE_PAIRED_CAPACITY_RUNS ?? 20);
const STEP_MS = Number(process.env.TAILGATE_PAIRED_CAPACITY_STEP ?? 6000);
const MODES = (process.env.TAILGATE_PAIRED_CAPACITY_MODES ?? 'stored,paired').split(',');
const SLOTS = 10;
const SERVICE_MS = 100;
const CAPACITY = (SLOTS * 1000) / SERVICE_MS;
const RATES = [0.4, 0.64, 0.88, 1.12, 1.36, 1.6].map((share) => share * CAPACITY);
const WARMUP_MS = 1000;
const LOST_SERVICE_MS = (SERVICE_MS * 4) / 3;

type Case = 'unchanged' | 'a quarter lost';

interface Outcome {
  mode: string;
  case: Case;
  verdict: string;
  change: number | undefined;
  wallMs: number;
}

const profileFor = (target: string) => staircaseProfile(target, RATES, STEP_MS, WARMUP_MS, 500, CAPACITY);
const quietIo = () => ({ env: {}, logger: recordingLogger(), stdout: new PassThrough(), stderr: new PassThrough(), isTty: false, generatorReadings: () => fixedReadings() });

function capacityOf(comparison: Comparison) {
  return comparison.shapeTests?.find((t) => t.question === 'capacity');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function summary(outcomes: readonly Outcome[]): string {
  const lines = ['| mode | case | failed | 95% interval | inconclusive | median change | median wall time |', '|---|---|---:|---|---:|---:|---:|'];
  for (const mode of MODES) {
    for (const which of ['unchanged', 'a quarter lost'] as const) {
      const runs = outcomes.filter((o) => o.mode === mode && o.case === which);
      if (runs.length === 0) continue;
      const failed = runs.filter((o) => o.verdict === 'regression').length;
      const ci = clopperPearson(failed, runs.length);
      const changes = runs.flatMap((o) => (o.change === undefined ? [] : [o.change]));
      lines.push(
        `| ${mode} | ${which} | ${failed} of ${runs.length} | ${(100 * ci.low).toFixed(1)}%–${(100 * ci.high).toFixed(1)}% | ${runs.filter((o) => o.verdict === 'inconclusive').length} | ${median(changes).toFixed(1)}% | ${(median(runs.map((o) => o.wallMs)) / 1000).toFixed(1)} s |`,
      );
    }
  }
  return lines.join('\n');
}

describe('the breaking point gated over many runs on loopback, stored and paired', () => {
  let base: SlotServer;
  let head: SlotServer;
  beforeAll(async () => {
    [base, head] = await Promise.all([startSlotServer(SLOTS, SERVICE_MS), startSlotServer(SLOTS, SERVICE_MS)]);
  });
  afterAll(async () => {
    await Promise.all([base.close(), head.close()]);
  });

  const record = (outcomes: Outcome[], mode: string, which: Case, comparison: Comparison, wallMs: number): void => {
    const capacity = capacityOf(comparison);
    const outcome: Outcome = { mode, case: which, verdict: capacity?.verdict ?? 'none', change: capacity?.change ?? undefined, wallMs };
    outcomes.push(outcome);
    const ci = capacity?.ci ? ` (CI ${capacity.ci.low.toFixed(1)} … ${capacity.ci.high.toFixed(1)})` : '';
    console.log(`${mode}, ${which}: ${capacity?.current?.toFixed(1)} against ${capacity?.baseline?.toFixed(1)} a second, ${capacity?.change?.toFixed(1)}%${ci}: ${outcome.verdict}; ${(wallMs / 1000).toFixed(1)} s`);
  };

  it(
    'prints how often an unchanged capacity fails and a quarter lost is caught',
    async () => {
      const outcomes: Outcome[] = [];
      if (MODES.includes('stored')) {
        const run = async (serviceMs: number): Promise<{ record: RunRecord; wallMs: number }> => {
          base.setServiceMs(serviceMs);
          const started = performance.now();
          const record = await runProfile(profileFor(base.url));
          return { record, wallMs: performance.now() - started };
        };
        const history: RunRecord[] = [];
        for (let i = 0; i < 3; i++) history.push((await run(SERVICE_MS)).record);
        for (let trial = 0; trial < RUNS; trial++) {
          const cases: Case[] = trial % 2 === 0 ? ['unchanged', 'a quarter lost'] : ['a quarter lost', 'unchanged'];
          let unchanged: RunRecord | undefined;
          for (const which of cases) {
            const current = await run(which === 'unchanged' ? SERVICE_MS : LOST_SERVICE_MS);
            record(outcomes, 'stored', which, compareWithAnalysis({ baselines: history.slice(-3), current: current.record }, {}), current.wallMs);
            if (which === 'unchanged') unchanged = current.record;
          }
          if (unchanged) history.push(unchanged);
        }
        base.setServiceMs(SERVICE_MS);
      }
      if (MODES.includes('paired')) {
        for (let trial = 0; trial < RUNS; trial++) {
          const cases: Case[] = trial % 2 === 0 ? ['unchanged', 'a quarter lost'] : ['a quarter lost', 'unchanged'];
          for (const which of cases) {
            head.setServiceMs(which === 'unchanged' ? SERVICE_MS : LOST_SERVICE_MS);
            const started = performance.now();
            const paired = await executePaired(profileFor(head.url), base.url, quietIo(), { quiet: true, fixed: true });
            record(outcomes, 'paired', which, comparePaired({ paired }), performance.now() - started);
          }
        }
      }
      console.log(`\n${RUNS} trials a mode, steps of ${STEP_MS / 1000} s, ${SLOTS} slots × ${SERVICE_MS} ms (${CAPACITY} a second) and × ${LOST_SERVICE_MS.toFixed(1)} ms\n${summary(outcomes)}`);
      expect(outcomes.every((o) => o.verdict !== 'none')).toBe(true);
    },
    24 * 3600_000,
  );
});
