import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeCounts, percentileOfCounts } from '../../src/record/latency-counts.js';
import { importText } from './import-helpers.js';
import { k6Json, syntheticRequests } from './synthetic-runs.js';

/**
 * k6 `--out json`, against a fixture written to k6's documented line shapes
 * (test/fixtures/import/README.md): Metric and Point lines, http_req_duration with its tags,
 * checks, iterations, dropped iterations, a metric of the script's own.
 */
const fixture = readFileSync(join(import.meta.dirname, '../fixtures/import/k6/shop.json'), 'utf8');

describe('k6 --out json', () => {
  it('makes each request name a step, with its statuses, errors by kind and latencies', async () => {
    const { record, format, malformed } = await importText(fixture);
    expect(format).toBe('k6');
    expect(malformed.count).toBe(0);
    expect(Object.keys(record.steps)).toEqual(['http://127.0.0.1:3000/api/products', 'product detail', 'place order']);
    const detail = record.steps['product detail'];
    expect(detail).toMatchObject({ requests: 2, errors: 1, statuses: { '200': 1, '404': 1 }, errorKinds: { status: 1 } });
    // Timeouts keep their time (a lower bound); a refused connection has none worth keeping.
    const order = record.steps['place order'];
    expect(order).toMatchObject({ requests: 3, errors: 3, statuses: { '503': 1 }, errorKinds: { status: 1, refused: 1, timeout: 1 } });
    expect(decodeCounts(order?.histogram ?? '').total).toBe(2);
    expect(record.overall.requests).toBe(6);
    expect(percentileOfCounts(decodeCounts(record.steps['http://127.0.0.1:3000/api/products']?.histogram ?? ''), 50)).toBeCloseTo(12.5, 1);
  });

  it('says where the run came from and what tailgate could not check', async () => {
    const { record } = await importText(fixture);
    expect(record.meta.source).toEqual({
      tool: 'k6',
      format: 'k6-json',
      generatorChecked: false,
      latencyFrom: 'actual-start',
      fidelity: 'per-request',
      timeResolutionMs: 0.001,
      malformedLines: 0,
    });
    expect(record.meta.tool.name).toBe('tailgate');
    expect(record.meta.target).toBe('http://127.0.0.1:3000');
    expect(record.meta.profile.id).toBe('k6');
  });

  it('keeps the checks, the scenarios and their iterations, and tells an arrival-rate scenario by its dropped iterations', async () => {
    const { record } = await importText(fixture);
    expect(record.checks).toEqual({ 'status is 200': { passes: 1, fails: 1 } });
    expect(record.scenarios.browse).toMatchObject({ executor: 'external', model: 'closed', latencyFrom: 'actual-start', iterations: 1, maxVUs: 0 });
    expect(record.scenarios.orders).toMatchObject({ model: 'open', latencyFrom: 'actual-start', iterations: 1, droppedIterations: 1 });
  });

  it('times each request from when it was sent (k6 stamps the sample at its end), in 1 s blocks', async () => {
    const { record } = await importText(fixture);
    // The first request was sent 12.5 ms before its sample; the last sample (a 1.5 s timeout) ends the run.
    expect(record.meta.startedAt).toBe('2026-11-30T09:00:00.199Z');
    expect(record.meta.blockMs).toBe(1000);
    expect(record.meta.measuredMs).toBe(Math.floor(2400 - 199.845678) + 1);
    expect(record.blocks).toHaveLength(3);
    // The timeout was sent at 0.7 s into the run, with the first three: blocks go by when requests were sent.
    expect(record.overall.blocks.map((b) => b.requests)).toEqual([4, 2, 0]);
  });

  it('ignores metrics it does not read, whatever their name', async () => {
    const { record, malformed } = await importText(fixture);
    expect(malformed.count).toBe(0);
    expect(Object.keys(record.steps)).not.toContain('cart_value');
  });

  it('reads a gzipped file (k6 --out json=results.gz)', async () => {
    const plain = await importText(fixture);
    const zipped = await importText(gzipSync(Buffer.from(fixture)));
    expect(zipped.record.overall).toEqual(plain.record.overall);
  });

  it('refuses a gzipped file cut short', async () => {
    const zipped = gzipSync(Buffer.from(fixture));
    await expect(importText(zipped.subarray(0, zipped.length - 30), { file: 'results.json.gz' })).rejects.toThrow(
      'results.json.gz: the gzip file is cut short or damaged. Fix: import the whole file, as the tool wrote it',
    );
  });

  it('keeps every request of a generated run, its step counts and p95 as drawn', async () => {
    const requests = syntheticRequests({ seed: 7, seconds: 10 });
    const { record } = await importText(k6Json(requests));
    expect(record.overall.requests).toBe(requests.length);
    const detail = requests.filter((r) => r.step === 'product detail').map((r) => r.durationMs).sort((a, b) => a - b);
    const p95 = detail[Math.ceil(0.95 * detail.length) - 1] as number;
    // HDR histograms of 3 significant digits: within 0.1%.
    expect(percentileOfCounts(decodeCounts(record.steps['product detail']?.histogram ?? ''), 95)).toBeCloseTo(p95, 1);
    expect(record.checks?.['status is 2xx']?.passes).toBe(requests.filter((r) => r.status < 400).length);
  });
});

describe('k6 --out json with a warm-up', () => {
  it('leaves the warm-up out of the steps and the checks, and keeps its iterations (as a run counts them)', async () => {
    const requests = syntheticRequests({ seed: 8, seconds: 10 });
    const all = await importText(k6Json(requests));
    const warm = await importText(k6Json(requests), { warmupMs: 4000 });
    const first = requests[0]?.startMs ?? 0;
    const measured = requests.filter((r) => r.startMs >= first + 4000);
    expect(warm.record.overall.requests).toBe(measured.length);
    // The check is evaluated when its request ends: those whose request ended in the warm-up are left out.
    const checked = requests.filter((r) => r.startMs + r.durationMs >= first + 4000);
    const passes = warm.record.checks?.['status is 2xx']?.passes ?? 0;
    const fails = warm.record.checks?.['status is 2xx']?.fails ?? 0;
    expect(passes + fails).toBe(checked.length);
    expect(warm.record.scenarios.default?.iterations).toBe(all.record.scenarios.default?.iterations);
  });
});
