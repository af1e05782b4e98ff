import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCounts } from '../../src/record/latency-counts.js';
import { importText } from './import-helpers.js';

/** JMeter's JTL CSV: a real run of JMeter 2.13 and a file of JMeter 5's columns (test/fixtures/import/README.md). */
const read = (name: string): string => readFileSync(join(import.meta.dirname, '../fixtures/import/jmeter', name), 'utf8');

describe('JMeter JTL CSV', () => {
  it("reads a real JMeter 2.13 run: every sample, its label a step, 404s as errors, threads as VUs", async () => {
    const text = read('shop-2.13.jtl');
    const { record, format, malformed } = await importText(text);
    expect(format).toBe('jmeter');
    expect(malformed.count).toBe(0);
    expect(Object.keys(record.steps).sort()).toEqual(['list products', 'place order', 'product detail']);
    expect(record.overall.requests).toBe(text.trimEnd().split('\n').length - 1);
    expect(record.steps['product detail']).toMatchObject({ errors: 88, errorKinds: { status: 88 } });
    expect(record.steps['product detail']?.statuses['404']).toBe(88);
    expect(record.scenarios.shop).toMatchObject({ executor: 'external', model: 'closed', maxVUs: 4 });
    expect(record.meta.target).toBe('http://127.0.0.1:18080');
    expect(record.meta.source).toMatchObject({ tool: 'jmeter', format: 'jmeter-csv', timeResolutionMs: 1, latencyFrom: 'actual-start' });
  });

  it('reads the columns of JMeter 5 by name, quoted fields and all', async () => {
    const { record, malformed } = await importText(read('shop-5.jtl'));
    expect(malformed.count).toBe(0);
    expect(Object.keys(record.scenarios).sort()).toEqual(['orders', 'shop']);
    expect(record.steps['list products']).toMatchObject({ requests: 2, errors: 0 });
    expect(record.steps['product detail']).toMatchObject({ requests: 2, errors: 1, statuses: { '200': 1, '404': 1 } });
    // The refused connection has no status and no latency worth keeping; the 503 has both.
    expect(record.steps['place order']).toMatchObject({ requests: 2, errors: 2, statuses: { '503': 1 }, errorKinds: { status: 1, refused: 1 } });
    expect(decodeCounts(record.steps['place order']?.histogram ?? '').total).toBe(1);
  });

  it('counts a run against a stopped service as refused connections', async () => {
    const { record } = await importText(read('refused-2.13.jtl'));
    expect(record.overall.requests).toBe(30);
    expect(record.overall.errors).toBe(30);
    expect(record.overall.errorKinds).toEqual({ refused: 30 });
  });

  it('keeps the warm-up out of every statistic', async () => {
    const all = await importText(read('shop-2.13.jtl'));
    const warm = await importText(read('shop-2.13.jtl'), { warmupMs: 5000 });
    expect(warm.record.meta.warmupMs).toBe(5000);
    expect(warm.record.meta.measuredMs).toBe(all.record.meta.measuredMs - 5000);
    expect(warm.record.overall.requests).toBeLessThan(all.record.overall.requests);
    expect(warm.record.overall.requests).toBeGreaterThan(0);
  });
});
