import { describe, expect, it } from 'vitest';
import type { BlockWindow, RunRecord, TargetSeries } from '../../src/record/run-record-types.js';
import { Ajv } from 'ajv';
import runSchema from '../../schema/tailgate.run.schema.json' with { type: 'json' };
import { cpuPerRequest, memoryTrend, targetMetricsProblem, targetMetricsRecord, type TimedScrape } from '../../src/record/target-metrics.js';
import { seededRandom } from '../../src/stats/seeded-random.js';

const blocksOf = (count: number, ms = 1_000): BlockWindow[] => Array.from({ length: count }, (_, i) => ({ startMs: i * ms, endMs: (i + 1) * ms }));
const scrape = (atMs: number, values: Record<string, number>, type: TargetSeries['type'] = 'gauge'): TimedScrape => ({
  atMs,
  values: new Map(Object.entries(values).map(([name, value]) => [name, { type, value }])),
});
const log = (taken: TimedScrape[]) => ({ url: 'http://127.0.0.1:1/metrics', intervalMs: 1_000, scrapes: taken.length, failed: 0, warnings: [], taken });

describe('targetMetricsRecord', () => {
  it('keeps each series’ last value before the measured period and in each block; null where no scrape fell', () => {
    const record = targetMetricsRecord(log([scrape(-1_500, { m: 1 }), scrape(-200, { m: 2 }), scrape(100, { m: 3 }), scrape(900, { m: 4 }), scrape(2_400, { m: 5 }), scrape(3_050, { m: 6 })]), blocksOf(3), 20);
    expect(record.series.m).toEqual({
      type: 'gauge',
      start: { atMs: -200, value: 2 },
      // The scrape at the stop (just past the last block's end) counts for the last block.
      blocks: [{ atMs: 900, value: 4 }, null, { atMs: 3_050, value: 6 }],
    });
  });

  it('keeps at most maxSeries series, the first seen', () => {
    const record = targetMetricsRecord(log([scrape(0, { a: 1, b: 2, c: 3 })]), blocksOf(1), 2);
    expect(Object.keys(record.series)).toEqual(['a', 'b']);
  });
});

/** A run's record around its target metrics, as far as the derivations read it. */
function withMetrics(series: Record<string, TargetSeries>, requests: number, measuredMs: number): Pick<RunRecord, 'targetMetrics' | 'overall' | 'meta'> {
  return {
    targetMetrics: { url: 'http://127.0.0.1:1/metrics', intervalMs: 1_000, scrapes: 1, failed: 0, warnings: [], series },
    overall: { requests } as RunRecord['overall'],
    meta: { measuredMs } as RunRecord['meta'],
  };
}

describe('CPU per request and memory slope on data of known truth', () => {
  it('finds the CPU per request a synthetic target spends, within 2% over 200 noisy runs', () => {
    // Truth: 2 ms of CPU per request at 300 requests a second, plus 0.05 cores idle; scrapes land up
    // to 150 ms late and the requests per block vary (Poisson-like); the record holds the counter.
    const random = seededRandom(20_271_207);
    const estimates: number[] = [];
    for (let run = 0; run < 200; run++) {
      const blocks = 30;
      let cpu = 10;
      let requests = 0;
      const points: Array<{ atMs: number; value: number }> = [];
      let lastAt = -300;
      const startValue = cpu;
      for (let b = 0; b < blocks; b++) {
        const n = Math.max(0, Math.round(300 + random.normal() * Math.sqrt(300)));
        requests += n;
        const atMs = b * 1_000 + 850 + random.next() * 150;
        cpu += n * 0.002 + 0.05 * ((atMs - lastAt) / 1000);
        lastAt = atMs;
        points.push({ atMs: Math.round(atMs), value: cpu });
      }
      const series: TargetSeries = { type: 'counter', start: { atMs: -300, value: startValue }, blocks: points };
      const derived = cpuPerRequest(withMetrics({ process_cpu_seconds_total: series }, requests, blocks * 1_000));
      estimates.push(derived?.cpuSecondsPerRequest ?? Number.NaN);
    }
    // The idle 0.05 cores add 0.05 / 300 = 0.167 ms to each request's share: the truth is 2.167 ms.
    const truth = 0.002 + 0.05 / 300;
    const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
    const sd = Math.sqrt(estimates.reduce((a, b) => a + (b - mean) ** 2, 0) / (estimates.length - 1));
    const halfWidth = (1.96 * sd) / Math.sqrt(estimates.length);
    expect(Math.abs(mean - truth)).toBeLessThan(Math.max(halfWidth, truth * 0.02));
    expect(estimates.every((e) => Math.abs(e - truth) / truth < 0.05)).toBe(true);
  });

  it('finds a memory growth of 1 MiB a minute under 2 MiB of noise: the 95% interval of 200 runs holds it, and its spread is the least-squares one', () => {
    const random = seededRandom(7);
    const slopePerMinute = 1024 * 1024;
    const sigma = 2 * 1024 * 1024;
    const blocks = 120;
    const estimates: number[] = [];
    for (let run = 0; run < 200; run++) {
      const points = Array.from({ length: blocks }, (_, b) => {
        const atMs = b * 1_000 + 999;
        return { atMs, value: 200e6 + (slopePerMinute * atMs) / 60_000 + random.normal() * sigma };
      });
      estimates.push(memoryTrend({ targetMetrics: withMetrics({ process_resident_memory_bytes: { type: 'gauge', blocks: points } }, 1, 1).targetMetrics })?.slopeBytesPerMinute ?? Number.NaN);
    }
    const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
    const sd = Math.sqrt(estimates.reduce((a, b) => a + (b - mean) ** 2, 0) / (estimates.length - 1));
    // Least squares: sd of the slope = sigma / sqrt(Sxx), Sxx = n (n² - 1) / 12 in 1 s steps, per minute.
    const theory = (sigma / Math.sqrt((blocks * (blocks ** 2 - 1)) / 12)) * 60;
    expect(Math.abs(mean - slopePerMinute)).toBeLessThan((1.96 * sd) / Math.sqrt(estimates.length));
    expect(sd / theory).toBeGreaterThan(0.8);
    expect(sd / theory).toBeLessThan(1.2);
  });

  it('derives nothing from one sample, a counter that went down (a restart), or a run without requests', () => {
    const counter = (values: number[]): TargetSeries => ({ type: 'counter', blocks: values.map((value, i) => ({ atMs: i * 1_000 + 999, value })) });
    expect(cpuPerRequest(withMetrics({ process_cpu_seconds_total: counter([5]) }, 100, 1_000))).toBeUndefined();
    expect(cpuPerRequest(withMetrics({ process_cpu_seconds_total: counter([5, 6, 0.1]) }, 100, 3_000))).toBeUndefined();
    expect(cpuPerRequest(withMetrics({ process_cpu_seconds_total: counter([5, 6, 7]) }, 0, 3_000))).toBeUndefined();
    expect(cpuPerRequest(withMetrics({ process_cpu_seconds_total: counter([5, 6, 7]) }, 1_000, 3_000))?.cpuSecondsPerRequest).toBeCloseTo(0.003, 9);
    expect(memoryTrend(withMetrics({ process_resident_memory_bytes: { type: 'gauge', blocks: [null, { atMs: 1_500, value: 9 }] } }, 1, 1))).toEqual({ endBytes: 9 });
  });
});

describe('the record’s targetMetrics, as a reader checks it', () => {
  const section = targetMetricsRecord(log([scrape(-10, { process_cpu_seconds_total: 1 }, 'counter'), scrape(999, { process_cpu_seconds_total: 1.5 }, 'counter')]), blocksOf(2), 20);

  it('passes the schema, and the schema refuses what a writer never makes', () => {
    const ajv = new Ajv({ strict: true, strictNumbers: true });
    ajv.addSchema(runSchema);
    const valid = ajv.compile({ $ref: 'urn:tailgate:run:v1#/definitions/targetMetrics' });
    const at = (targetMetrics: unknown): string | undefined => (valid(JSON.parse(JSON.stringify(targetMetrics))) ? undefined : (valid.errors?.[0]?.instancePath ?? '?'));
    expect(at(section)).toBeUndefined();
    expect(at({ ...section, series: { 'bad name': section.series.process_cpu_seconds_total } })).toBe('/series');
    expect(at({ ...section, intervalMs: 10 })).toBe('/intervalMs');
    expect(at({ ...section, warnings: Array.from({ length: 11 }, () => 'x') })).toBe('/warnings');
    expect(at({ ...section, series: { m: { type: 'gauge', blocks: [{ atMs: 0, value: 'NaN' }] } } })).toMatch(/^\/series\/m\/blocks\/0/);
  });

  it('refuses series whose blocks do not match the record’s, or go back in time', () => {
    const record = { blocks: blocksOf(2), targetMetrics: section } as RunRecord;
    expect(targetMetricsProblem(record)).toBeUndefined();
    expect(targetMetricsProblem({ ...record, blocks: blocksOf(3) })?.field).toBe('targetMetrics.series.process_cpu_seconds_total.blocks');
    const backwards = { ...section, series: { m: { type: 'gauge' as const, blocks: [{ atMs: 900, value: 1 }, { atMs: 100, value: 2 }] } } };
    expect(targetMetricsProblem({ ...record, targetMetrics: backwards })?.problem).toMatch(/earlier than/);
  });
});
