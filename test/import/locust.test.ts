import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/import/detect-format.js';
import { latenciesFromPoints } from '../../src/import/aggregate-window.js';
import { LOCUST_PERCENTILES, readLocustHistory } from '../../src/import/locust-history.js';
import { decodeCounts, percentileOfCounts } from '../../src/record/latency-counts.js';
import { seededRandom } from '../../src/stats/seeded-random.js';
import { compareWithCli, importWithCli } from './gate-cli.js';
import { importText } from './import-helpers.js';

const fixture = readFileSync(join(import.meta.dirname, '../fixtures/import/locust/shop_stats_history.csv'), 'utf8');
const HEADER = fixture.split('\n')[0] as string;

/** Shape of a window's percentiles relative to its p50 (from the fixture's later rows). */
const SHAPE = [1, 1.2, 1.35, 1.45, 1.7, 1.95, 2.3, 2.6, 3, 3, 3.1];
const STEPS: Array<{ name: string; type: string; p50: number }> = [
  { name: 'list products', type: 'GET', p50: 14 },
  { name: 'product detail', type: 'GET', p50: 12 },
  { name: 'place order', type: 'POST', p50: 24 },
];

/**
 * A Locust --csv-full-history file of `seconds` rows per step, as Locust 2.12 writes it: running
 * totals, percentiles of each window, an Aggregated row after the steps. Seeded; each window's
 * p50 drawn with 8% noise, `slow` multiplies one step's latencies.
 */
function locustHistory(seed: number, startS: number, slow?: { step: string; factor: number }, seconds = 40): string {
  const random = seededRandom(seed);
  const totals = new Map<string, { requests: number; failures: number }>();
  const rows = [HEADER];
  for (let t = 0; t < seconds; t++) {
    let all = 0;
    for (const step of STEPS) {
      const requests = 60 + Math.floor(random.next() * 10);
      const failures = random.next() < 0.1 ? 1 : 0;
      const total = totals.get(step.name) ?? { requests: 0, failures: 0 };
      total.requests += requests;
      total.failures += failures;
      totals.set(step.name, total);
      all += total.requests;
      const noise = Math.exp(0.08 * random.normal());
      const factor = slow?.step === step.name ? slow.factor : 1;
      const points = SHAPE.map((s) => Math.round(step.p50 * s * noise * factor));
      rows.push([startS + t, 4, step.type, step.name, requests.toFixed(6), failures.toFixed(6), ...points, total.requests, total.failures, step.p50, step.p50 * 1.1, 2, 100, 40].join(','));
    }
    rows.push([startS + t, 4, '', 'Aggregated', '0', '0', ...SHAPE.map(() => 'N/A'), all, 0, 0, 0, 0, 0, 0].join(','));
  }
  return `${rows.join('\n')}\n`;
}

describe("Locust's --csv-full-history", () => {
  it('is told by its header', () => {
    expect(detectFormat([HEADER]).format).toBe('locust');
  });

  it('imports the real Locust 2.12.1 file: a step per name, not the Aggregated row, one block per window, marked aggregate', async () => {
    const result = await importText(fixture, { file: 'shop_stats_history.csv' });
    const { record } = result;
    expect(result.format).toBe('locust');
    expect(Object.keys(record.steps).sort()).toEqual(['list products', 'place order', 'product detail']);
    expect(record.meta.source).toMatchObject({ tool: 'locust', format: 'locust-history', fidelity: 'aggregate', generatorChecked: false });
    expect(record.meta.blockMs).toBe(1000);
    // The requests are the last running total of each name (the file's last rows).
    const last = (name: string): number => {
      const row = fixture.trim().split('\n').filter((line) => line.split(',')[3] === name).at(-1) as string;
      return Number(row.split(',')[17]);
    };
    for (const name of ['list products', 'place order', 'product detail']) expect(record.steps[name]?.requests).toBe(last(name));
    // The first window of each step gave percentiles of 0: its requests are counted, no latency is made up for them.
    const first = record.steps['list products']?.blocks[0];
    expect(first?.requests).toBe(45);
    expect(decodeCounts(first?.histogram as string).total).toBe(0);
    expect(result.notes.join(' ')).toMatch(/gave no percentiles/);
    expect(result.notes.join(' ')).toMatch(/whole-run percentiles and error kinds cannot be tested/);
  });

  it("gives each block its window's p95", () => {
    const points = [10, 12, 13, 14, 17, 20, 23, 26, 30, 30, 31];
    const latencies = latenciesFromPoints(points.map((ms, i) => ({ percentile: LOCUST_PERCENTILES[i] as number, ms })), 200);
    const sorted = [...latencies].sort((a, b) => a - b);
    expect(sorted[Math.ceil(0.95 * 200) - 1]).toBe(20_000);
    expect(sorted[99]).toBe(10_000);
    expect(LOCUST_PERCENTILES).toHaveLength(points.length);
  });

  it('skips windows with no new requests and counts rows that break the format', () => {
    const lines = [HEADER, '1796683264,4,GET,a,0,0,5,5,5,5,5,5,5,5,5,5,5,10,0,5,5,1,9,0', '1796683265,4,GET,a,0,0,5,5,5,5,5,5,5,5,5,5,5,10,0,5,5,1,9,0', 'garbage', '1796683266,4,GET,a,0,0,6,6,6,6,6,6,6,6,6,6,6,15,1,5,5,1,9,0'];
    const history = readLocustHistory(lines);
    expect(history.windows.map((w) => [w.requests, w.failures])).toEqual([
      [10, 0],
      [5, 1],
    ]);
    expect(history.malformedCount).toBe(1);
    expect(history.malformed[0]).toMatchObject({ line: 4 });
  });

  it('names garbage lines, says a cut file looks truncated, and refuses a file with no window', async () => {
    const text = locustHistory(1, 1_796_683_000, undefined, 5);
    const lines = text.trim().split('\n');
    lines.splice(3, 0, 'not,a,row');
    const garbage = await importText(`${lines.join('\n')}\n`, { from: 'locust' });
    expect(garbage.malformed.count).toBe(1);
    expect(garbage.notes.join(' ')).toMatch(/skipped 1 malformed line.*line 4: 3 fields where the header has 24/);

    const cut = await importText(text.slice(0, text.length - 30), { from: 'locust' });
    expect(cut.truncated).toBe(true);
    expect(cut.malformed.count).toBe(1);
    expect(cut.notes.join(' ')).toMatch(/looks truncated/);

    await expect(importText(`${HEADER}\n`, { from: 'locust', file: 'empty_stats_history.csv' })).rejects.toThrow(/holds no window with requests.*--csv-full-history/s);
  });
});

describe('imported Locust runs are gated on their windows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tailgate-locust-gate-'));

  const importFile = (name: string, text: string): Promise<string> => importWithCli(dir, name, text);
  const compare = compareWithCli;

  it('lets an unchanged run through against three baselines, fails one step 50% slower naming it, and says what was not tested', async () => {
    const baselines = await Promise.all([1, 2, 3].map((run) => importFile(`base-${run}_stats_history.csv`, locustHistory(10 + run, 1_796_683_000 + run * 3600))));
    const unchanged = await importFile('unchanged_stats_history.csv', locustHistory(14, 1_796_683_000 + 4 * 3600));
    const pass = await compare(baselines, unchanged);
    expect(pass.code, pass.out).toBe(0);
    expect(['pass', 'inconclusive']).toContain(pass.comparison.verdict);
    expect(pass.comparison.notes.join(' ')).toMatch(/whole-run percentiles \(p50, p99\) and the kinds of errors could not be tested/);

    const slowed = await importFile('slow_stats_history.csv', locustHistory(14, 1_796_683_000 + 4 * 3600, { step: 'product detail', factor: 1.5 }));
    const fail = await compare(baselines, slowed);
    expect(fail.code, fail.out).toBe(1);
    expect(fail.comparison.verdict).toBe('regression');
    const regressed = fail.comparison.steps.filter((s) => s.name !== 'overall' && s.p95.verdict === 'regression').map((s) => s.name);
    expect(regressed, fail.out).toEqual(['product detail']);
  }, 120_000);

  it("takes an aggregate step's p95 from its windows, and gives no whole-run p50 or p99", async () => {
    const out = await importFile('one_stats_history.csv', locustHistory(20, 1_796_690_000));
    const record = JSON.parse(readFileSync(out, 'utf8')) as { steps: Record<string, { blocks: Array<{ histogram: string }> }> };
    const blockP95s = (record.steps['place order']?.blocks ?? []).map((b) => decodeCounts(b.histogram)).filter((c) => c.total > 0).map((c) => percentileOfCounts(c, 95));
    expect(blockP95s.length).toBe(40);
  });
});
