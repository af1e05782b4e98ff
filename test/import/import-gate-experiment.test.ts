import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { clopperPearson } from '../../src/stats/binomial-interval.js';
import { captureIo } from '../cli/cli-io.js';
import { k6Csv, k6Json, syntheticRequests, type SyntheticOptions } from './synthetic-runs.js';

/**
 * How the gate does on imported runs, by experiment on runs of known truth, run by hand:
 * TAILGATE_IMPORT_EXPERIMENT=TRIALS npx vitest run test/import/import-gate-experiment.test.ts
 * Each trial draws three baseline runs and an unchanged one (20 s, 20 iterations a second, run
 * levels ±3%), and the unchanged one with one step 50% slower, writes them as k6 --out json and
 * as k6 --out csv (whole-second times), imports and compares them: how often the unchanged run
 * fails and how often the slower one is caught, with exact 95% intervals. Skipped otherwise.
 */
const TRIALS = Number(process.env.TAILGATE_IMPORT_EXPERIMENT ?? 0);
const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'tailgate-import-experiment-'));

async function importRun(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const out = `${file}.run.json`;
  expect(await main(['import', file, '--out', out, '--profile', 'shop'], captureIo())).toBe(0);
  return out;
}

async function verdictOf(baselines: string[], current: string): Promise<{ failed: boolean; caught: boolean }> {
  const json = `${current}.comparison.json`;
  const code = await main(['compare', '--baseline', ...baselines, '--current', current, '--json', json], captureIo());
  const comparison = JSON.parse(readFileSync(json, 'utf8')) as Comparison;
  return { failed: code === 1, caught: comparison.steps.some((s) => s.name === 'product detail' && s.p95.verdict === 'regression') };
}

describe.skipIf(TRIALS === 0)('the gate on imported k6 runs', () => {
  it.each([
    ['k6 --out json', 'json', (r: ReturnType<typeof syntheticRequests>) => k6Json(r)],
    ['k6 --out csv', 'csv', (r: ReturnType<typeof syntheticRequests>) => k6Csv(r)],
  ])('%s: unchanged runs failed, one step 1.5 times slower caught', async (name, ext, write) => {
    let falseFails = 0;
    let caught = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const draw = (run: number, slow?: SyntheticOptions['slow']): string =>
        write(syntheticRequests({ seed: 10_000 + trial * 10 + run, startMs: Date.UTC(2026, 11, 4) + run * HOUR, ...(slow ? { slow } : {}) }));
      const baselines = await Promise.all([1, 2, 3].map((run) => importRun(`t${trial}-b${run}.${ext}`, draw(run))));
      const unchanged = await importRun(`t${trial}-same.${ext}`, draw(4));
      const slowed = await importRun(`t${trial}-slow.${ext}`, draw(4, { step: 'product detail', factor: 1.5 }));
      if ((await verdictOf(baselines, unchanged)).failed) falseFails++;
      if ((await verdictOf(baselines, slowed)).caught) caught++;
    }
    const pct = (n: number): string => `${((100 * n) / TRIALS).toFixed(1)}%`;
    const interval = (n: number): string => {
      const { low, high } = clopperPearson(n, TRIALS);
      return `${(100 * low).toFixed(1)}-${(100 * high).toFixed(1)}%`;
    };
    console.log(`${name}, ${TRIALS} trials: unchanged failed ${falseFails} (${pct(falseFails)}, 95% CI ${interval(falseFails)}); 50% slower caught ${caught} (${pct(caught)}, ${interval(caught)})`);
    expect(caught).toBeGreaterThan(falseFails);
  }, 3_600_000);
});
