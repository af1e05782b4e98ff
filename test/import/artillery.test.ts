import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/cli/run-summary.js';
import { decodeCounts } from '../../src/record/latency-counts.js';
import { seededRandom } from '../../src/stats/seeded-random.js';
import { compareWithCli, importWithCli } from './gate-cli.js';
import { importText } from './import-helpers.js';

const fixture = readFileSync(join(import.meta.dirname, '../fixtures/import/artillery/report.json'), 'utf8');

const SHAPE: Record<string, number> = { p50: 1, p75: 1.3, p90: 1.7, p95: 1.95, p99: 2.6, p999: 3, max: 3.2 };
const STEPS = [
  { name: '/products', p50: 14 },
  { name: '/products/{id}', p50: 12 },
  { name: '/orders', p50: 24 },
];

/**
 * An Artillery 2 `--output` report with the metrics-by-endpoint plugin, `windows` summaries of 10 s
 * as Artillery's documentation lays them out. Seeded; each window's p50 drawn with 8% noise.
 */
function artilleryReport(seed: number, startMs: number, slow?: { step: string; factor: number }, windows = 30): string {
  const random = seededRandom(seed);
  const intermediate = Array.from({ length: windows }, (_, w) => {
    const period = startMs + w * 10_000;
    const counters: Record<string, number> = {};
    const summaries: Record<string, Record<string, number>> = {};
    let requests = 0;
    for (const step of STEPS) {
      const count = 300 + Math.floor(random.next() * 30);
      const failed = random.next() < 0.2 ? 1 : 0;
      requests += count;
      counters[`plugins.metrics-by-endpoint.${step.name}.codes.200`] = count - failed;
      if (failed > 0) counters[`plugins.metrics-by-endpoint.${step.name}.codes.500`] = failed;
      const scale = step.p50 * Math.exp(0.08 * random.normal()) * (slow?.step === step.name ? slow.factor : 1);
      summaries[`plugins.metrics-by-endpoint.response_time.${step.name}`] = { min: 1, count, mean: scale * 1.2, median: scale, ...Object.fromEntries(Object.entries(SHAPE).map(([k, s]) => [k, Number((scale * s).toFixed(1))])) };
    }
    counters['http.requests'] = requests;
    return { counters, rates: {}, firstMetricAt: period - 9990, lastMetricAt: period - 5, period: String(period), summaries, histograms: {} };
  });
  return `${JSON.stringify({ aggregate: { counters: {}, summaries: {}, histograms: {} }, intermediate }, null, 2)}\n`;
}

describe("Artillery's --output report", () => {
  it('imports the documented layout without the plugin as one step, http, a 10 s block per window, marked aggregate', async () => {
    const result = await importText(fixture, { file: 'report.json' });
    expect(result.format).toBe('artillery');
    const { record } = result;
    expect(Object.keys(record.steps)).toEqual(['http']);
    expect(record.meta.source).toMatchObject({ tool: 'artillery', format: 'artillery-json', fidelity: 'aggregate' });
    expect(record.meta.blockMs).toBe(10_000);
    // 200..205 requests a window; 2 404s and a timeout each are failures.
    expect(record.steps.http?.requests).toBe(1215);
    expect(record.steps.http?.errors).toBe(18);
    // The first window's percentiles are all 0: counted, no latencies made up.
    expect(decodeCounts(record.steps.http?.blocks[0]?.histogram as string).total).toBe(0);
    expect(result.notes.join(' ')).toMatch(/1 window\(s\) with requests gave no percentiles/);
  });

  it('refuses a cut report and one without windows, saying what it is', async () => {
    await expect(importText(fixture.slice(0, 2000), { from: 'artillery', file: 'cut.json' })).rejects.toThrow(/cut\.json: it is not a whole JSON document \(cut short\?\).*artillery run --output report\.json/s);
    await expect(importText('{"aggregate": {}}\n', { from: 'artillery', file: 'bare.json' })).rejects.toThrow(/bare\.json: it has no "intermediate" array/);
    const garbage = JSON.parse(fixture) as { intermediate: unknown[] };
    garbage.intermediate.splice(2, 0, 'garbage', { counters: {} });
    const result = await importText(JSON.stringify(garbage), { from: 'artillery' });
    expect(result.malformed.count).toBe(2);
    expect(result.notes.join(' ')).toMatch(/skipped 2 malformed line\(s\).*window 3 has no period/);
  });
});

describe('imported Artillery runs are gated on their windows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tailgate-artillery-gate-'));

  const importFile = (name: string, text: string): Promise<string> => importWithCli(dir, name, text);
  const compare = compareWithCli;

  it('lets an unchanged run through against three baselines and fails one endpoint 50% slower, naming it', async () => {
    const hour = 3_600_000;
    const start = Date.UTC(2026, 11, 1);
    const baselines = await Promise.all([1, 2, 3].map((run) => importFile(`base-${run}.json`, artilleryReport(30 + run, start + run * hour))));
    const unchanged = await importFile('unchanged.json', artilleryReport(34, start + 4 * hour));
    const pass = await compare(baselines, unchanged);
    expect(pass.code, pass.out).toBe(0);
    expect(pass.comparison.notes.join(' ')).toMatch(/could not be tested/);

    const slowed = await importFile('slow.json', artilleryReport(34, start + 4 * hour, { step: '/products/{id}', factor: 1.5 }));
    const fail = await compare(baselines, slowed);
    expect(fail.code, fail.out).toBe(1);
    const regressed = fail.comparison.steps.filter((s) => s.name !== 'overall' && s.p95.verdict === 'regression').map((s) => s.name);
    expect(regressed, fail.out).toEqual(['/products/{id}']);
  }, 120_000);
});

describe('a report Artillery 2.0.34 wrote (metrics-by-endpoint plugin)', () => {
  const real = readFileSync(join(import.meta.dirname, '../fixtures/import/artillery/real-2.0.34.json'));

  it('gives each endpoint its step, its requests and its latencies, and says the status codes are not in the record', async () => {
    const { record } = await importText(real);
    expect(record.meta.source).toMatchObject({ tool: 'artillery', fidelity: 'aggregate' });
    expect(Object.keys(record.steps).sort()).toEqual(['/fast', '/slow']);
    expect(record.steps['/fast']?.requests).toBe(500);
    expect(record.steps['/slow']?.requests).toBe(500);
    expect(record.overall.errors).toBe(0);
    // The server answered /fast after 5 ms and /slow after 20 ms.
    const p95 = (step: string): number => record.summary.steps[step]?.p95 ?? Number.NaN;
    expect(p95('/fast')).toBeGreaterThanOrEqual(5);
    expect(p95('/slow')).toBeGreaterThanOrEqual(20);
    expect(p95('/slow')).toBeGreaterThan(p95('/fast'));
    expect(formatRunSummary(record)).toContain('responses: status codes not in the file (percentiles per window only)');
  });
});
