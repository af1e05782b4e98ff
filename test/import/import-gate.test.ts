import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithCli, importWithCli } from './gate-cli.js';
import { deriveJtl, gatlingLog, k6Csv, k6Json, syntheticRequests, type SyntheticOptions } from './synthetic-runs.js';

/**
 * What an import is for: runs of another tool gated as tailgate's own. For each per-request
 * format, three baseline files and an unchanged run pass, and a run with one step 50% slower
 * fails and names that step. The files are seeded: the k6 ones drawn as k6 writes them, the
 * JMeter ones redrawn from a real JMeter run against the sample service.
 */
const dir = mkdtempSync(join(tmpdir(), 'tailgate-import-gate-'));
const jtl = readFileSync(join(import.meta.dirname, '../fixtures/import/jmeter/shop-2.13.jtl'), 'utf8');
const HOUR = 3_600_000;

type Writer = (run: number, slow?: SyntheticOptions['slow']) => string;

/** The real JMeter run's first seconds are its JIT warming up: kept out, as a warm-up. */
const formats: Array<{ name: string; from: string; ext: string; slowStep: string; warmup?: string; write: Writer }> = [
  { name: 'k6 --out json', from: 'k6', ext: 'json', slowStep: 'product detail', write: (run, slow) => k6Json(syntheticRequests({ seed: 100 + run, startMs: Date.UTC(2026, 11, 1) + run * HOUR, ...(slow ? { slow } : {}) })) },
  { name: 'k6 --out csv', from: 'k6-csv', ext: 'csv', slowStep: 'product detail', write: (run, slow) => k6Csv(syntheticRequests({ seed: 100 + run, startMs: Date.UTC(2026, 11, 1) + run * HOUR, ...(slow ? { slow } : {}) })) },
  { name: "Gatling's simulation.log", from: 'gatling', ext: 'log', slowStep: 'product detail', write: (run, slow) => gatlingLog(syntheticRequests({ seed: 200 + run, startMs: Date.UTC(2026, 11, 1) + run * HOUR, ...(slow ? { slow } : {}) })) },
  { name: 'JMeter JTL CSV', from: 'jmeter', ext: 'jtl', slowStep: 'product detail', warmup: '5s', write: (run, slow) => deriveJtl(jtl, { seed: 300 + run, offsetMs: run * HOUR, ...(slow ? { slow } : {}) }) },
];

const importFile = (name: string, text: string, warmup?: string): Promise<string> => importWithCli(dir, name, text, warmup);
const compare = compareWithCli;

describe.each(formats)('imported $name runs are gated', ({ from, ext, slowStep, warmup, write }) => {
  // Seven imports and two comparisons: seconds of work, more on a busy machine; nothing here is timed.
  it('lets an unchanged run through against three baseline files, and fails one step 50% slower, naming it', async () => {
    const baselines = await Promise.all([1, 2, 3].map((run) => importFile(`${from}-base-${run}.${ext}`, write(run), warmup)));
    const unchanged = await importFile(`${from}-unchanged.${ext}`, write(4), warmup);
    const pass = await compare(baselines, unchanged);
    // Passes the gate (exit 0): three baseline runs leave most intervals too wide to say more than inconclusive.
    expect(pass.code, pass.out).toBe(0);
    expect(['pass', 'inconclusive']).toContain(pass.comparison.verdict);
    expect(pass.comparison.steps.filter((s) => s.p95.verdict === 'regression')).toEqual([]);

    // The unchanged run again (the same seed), one step's latencies 50% longer.
    const slowed = await importFile(`${from}-slow.${ext}`, write(4, { step: slowStep, factor: 1.5 }), warmup);
    const fail = await compare(baselines, slowed);
    expect(fail.code, fail.out).toBe(1);
    expect(fail.comparison.verdict).toBe('regression');
    // The overall may regress with it (the slowed step's share of all requests moves their p95); no other step may.
    const regressed = fail.comparison.steps.filter((s) => s.name !== 'overall' && s.p95.verdict === 'regression').map((s) => s.name);
    expect(regressed, fail.out).toEqual([slowStep]);
    expect(fail.out).toMatch(new RegExp(`${slowStep}\\s+p95\\s+.*REGRESSION`));
  }, 180_000);
});
